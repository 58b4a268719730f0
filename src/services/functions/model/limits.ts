/**
 * @module services/functions/model/limits
 * Lambda's quotas and defaults, as AWS documents them ("Lambda quotas", GetAccountSettings), in
 * the units the API speaks (bytes, seconds, MB).
 */

/** a zip uploaded in the request itself (FunctionCode.ZipFile, layer Content.ZipFile) */
export const CODE_SIZE_ZIPPED = 52_428_800;
/** a function's package and all its layers, unzipped */
export const CODE_SIZE_UNZIPPED = 262_144_000;
/** all packages and layer archives of a region (AccountLimit.TotalCodeSize: 75 GB) */
export const TOTAL_CODE_SIZE = 80_530_636_800;
export const CONCURRENT_EXECUTIONS = 1000;
/** PutFunctionConcurrency may not leave fewer than this many unreserved */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;

export const DEFAULT_TIMEOUT = 3;
export const MAX_TIMEOUT = 900;
export const DEFAULT_MEMORY = 128;
export const MIN_MEMORY = 128;
export const MAX_MEMORY = 10_240;
export const DEFAULT_EPHEMERAL_STORAGE = 512;
export const MAX_EPHEMERAL_STORAGE = 10_240;
/** the environment variables of a function, measured as their JSON */
export const MAX_ENVIRONMENT_BYTES = 4096;
export const MAX_LAYERS = 5;
export const MAX_TAGS = 50;
/** a function's (or alias's, or version's) resource policy */
export const MAX_POLICY_BYTES = 20_480;

export const MAX_RETRY_ATTEMPTS = 2;
export const MIN_EVENT_AGE = 60;
export const MAX_EVENT_AGE = 21_600;

/** GetFunction's Code.Location, like AWS's presigned S3 URL, works for ten minutes */
export const CODE_LOCATION_TTL_SECONDS = 600;

/** list operations answer at most this many items per page, whatever MaxItems says */
export const MAX_PAGE = 50;

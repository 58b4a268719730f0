/**
 * @module core/errors
 * The one typed error catalogue.
 *
 * Two families and nothing else crosses a module boundary:
 * - `ServiceError`: what an AWS client sees (code, HTTP status, Sender/Receiver fault). Only the
 *   codecs render it, each the AWS way for its protocol.
 * - `SignalboxError`: platform and CLI errors (bad configuration, a store that will not open),
 *   with `ERR_*` codes.
 *
 * Every AWS error code Signalbox can answer with is declared in `CATALOGUE` with its status and
 * fault, so a handler writes `throw awsError('ParameterNotFound', msg)` and cannot misspell a
 * code or invent a status.
 */

export type Fault = 'Sender' | 'Receiver';

interface ErrorSpec {
  status: number;
  fault?: Fault;
  /** the code the legacy Query protocol used, when a JSON-era service renamed it (SQS) */
  queryCode?: string;
}

export const CATALOGUE = {
  // --- common to every service -----------------------------------------------------------
  InternalFailure: { status: 500, fault: 'Receiver' },
  ServiceUnavailable: { status: 503, fault: 'Receiver' },
  ValidationException: { status: 400 },
  ValidationError: { status: 400 },
  InvalidParameterValue: { status: 400 },
  InvalidParameterCombination: { status: 400 },
  MissingParameter: { status: 400 },
  InvalidAction: { status: 400 },
  MissingAction: { status: 400 },
  UnknownOperationException: { status: 400 },
  SerializationException: { status: 400 },
  MalformedQueryString: { status: 400 },
  MalformedHttpRequestException: { status: 400 },
  RequestEntityTooLargeException: { status: 413 },
  NotImplemented: { status: 501, fault: 'Receiver' },
  ThrottlingException: { status: 400 },
  AccessDeniedException: { status: 400 },
  // --- authentication (which code a client expects depends on the protocol: see auth-errors)
  MissingAuthenticationToken: { status: 403 },
  MissingAuthenticationTokenException: { status: 400 },
  IncompleteSignature: { status: 403 },
  IncompleteSignatureException: { status: 400 },
  InvalidClientTokenId: { status: 403 },
  UnrecognizedClientException: { status: 400 },
  SignatureDoesNotMatch: { status: 403 },
  InvalidSignatureException: { status: 400 },
  InvalidAccessKeyId: { status: 403 },
  RequestTimeTooSkewed: { status: 403 },
  RequestExpired: { status: 400 },
  AccessDenied: { status: 403 },
  XAmzContentSHA256Mismatch: { status: 400 },
  // --- SSM Parameter Store ----------------------------------------------------------------
  ParameterNotFound: { status: 400 },
  ParameterAlreadyExists: { status: 400 },
  ParameterVersionNotFound: { status: 400 },
  ParameterLimitExceeded: { status: 400 },
  ParameterMaxVersionLimitExceeded: { status: 400 },
  ParameterPatternMismatchException: { status: 400 },
  ParameterVersionLabelLimitExceeded: { status: 400 },
  HierarchyLevelLimitExceededException: { status: 400 },
  HierarchyTypeMismatchException: { status: 400 },
  UnsupportedParameterType: { status: 400 },
  InvalidAllowedPatternException: { status: 400 },
  InvalidFilterKey: { status: 400 },
  InvalidFilterOption: { status: 400 },
  InvalidFilterValue: { status: 400 },
  InvalidNextToken: { status: 400 },
  InvalidResourceId: { status: 400 },
  InvalidResourceType: { status: 400 },
  InvalidKeyId: { status: 400 },
  TooManyTagsError: { status: 400 },
  TooManyUpdates: { status: 400 },
  InternalServerError: { status: 500, fault: 'Receiver' },
  // --- SNS (the batch codes are shared with SQS, which adds its legacy Query names per throw) ---
  InvalidParameter: { status: 400 },
  NotFound: { status: 404 },
  AuthorizationError: { status: 403 },
  InternalError: { status: 500, fault: 'Receiver' },
  SubscriptionLimitExceeded: { status: 403 },
  TopicLimitExceeded: { status: 403 },
  FilterPolicyLimitExceeded: { status: 403 },
  TagLimitExceeded: { status: 400 },
  TagPolicy: { status: 400 },
  ResourceNotFound: { status: 404 },
  ConcurrentAccess: { status: 400 },
  StaleTag: { status: 400 },
  Throttled: { status: 429 },
  InvalidSecurity: { status: 403 },
  EndpointDisabled: { status: 400 },
  PlatformApplicationDisabled: { status: 400 },
  BatchEntryIdsNotDistinct: { status: 400 },
  BatchRequestTooLong: { status: 400 },
  EmptyBatchRequest: { status: 400 },
  InvalidBatchEntryId: { status: 400 },
  TooManyEntriesInBatchRequest: { status: 400 },
  // --- SQS (JSON-era names; queryCode is what the Query protocol and x-amzn-query-error say) ---
  QueueDoesNotExist: { status: 400, queryCode: 'AWS.SimpleQueueService.NonExistentQueue' },
  QueueNameExists: { status: 400, queryCode: 'QueueAlreadyExists' },
  QueueDeletedRecently: { status: 400, queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently' },
  InvalidAttributeName: { status: 400 },
  InvalidAttributeValue: { status: 400 },
  InvalidMessageContents: { status: 400 },
  ReceiptHandleIsInvalid: { status: 400 },
  InvalidIdFormat: { status: 400 },
  MessageNotInflight: { status: 400, queryCode: 'AWS.SimpleQueueService.MessageNotInflight' },
  PurgeQueueInProgress: { status: 400, queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress' },
  UnsupportedOperation: { status: 400, queryCode: 'AWS.SimpleQueueService.UnsupportedOperation' },
  OverLimit: { status: 403 },
  InvalidAddress: { status: 404 },
  RequestThrottled: { status: 403 },
  ResourceNotFoundException: { status: 400 },
  InvalidParameterValueException: { status: 400 },
  // --- CloudWatch (metrics, alarms, dashboards) ---------------------------------------------
  LimitExceeded: { status: 400 },
  LimitExceededException: { status: 400 },
  InvalidFormat: { status: 400 },
  InvalidParameterInput: { status: 400 },
  InternalServiceError: { status: 500, fault: 'Receiver' },
  ConcurrentModificationException: { status: 429 },
  // --- EventBridge patterns (core/patterns) --------------------------------------------------
  InvalidEventPatternException: { status: 400 },
  // --- S3 (rest-xml) --------------------------------------------------------------------------
  MalformedXML: { status: 400 },
  InvalidArgument: { status: 400 },
  NoSuchBucket: { status: 404 },
  NoSuchKey: { status: 404 },
  // --- Lambda (rest-json; ResourceNotFoundException is thrown with status 404 there) ----------
  ResourceConflictException: { status: 409 },
  PreconditionFailedException: { status: 412 },
  TooManyRequestsException: { status: 429 },
  PolicyLengthExceededException: { status: 400 },
  ServiceException: { status: 500, fault: 'Receiver' },
  RequestTooLargeException: { status: 413 },
  InvalidRequestContentException: { status: 400 },
  // --- CloudWatch Logs (ResourceNotFoundException and LimitExceededException are above) -------
  ResourceAlreadyExistsException: { status: 400 },
  InvalidParameterException: { status: 400 },
  TooManyTagsException: { status: 400 },
  // --- EventBridge (ResourceNotFoundException, ResourceAlreadyExistsException, LimitExceededException,
  // ValidationException and InvalidEventPatternException are above) ---------------------------------
  IllegalStatusException: { status: 400 },
  ManagedRuleException: { status: 400 },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof CATALOGUE;

/** Per-throw refinements for codes whose status or legacy Query name differs between services. */
export interface ErrorOptions {
  status?: number;
  /** the Query-era code (SQS: `AWS.SimpleQueueService.EmptyBatchRequest`) */
  queryCode?: string;
}

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fault: Fault;
  readonly queryCode?: string;
  /** extra members some errors carry on the wire (rendered next to `message`) */
  readonly fields?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, fields?: Record<string, unknown>, opts: ErrorOptions = {}) {
    super(message);
    const spec: ErrorSpec = CATALOGUE[code];
    this.name = 'ServiceError';
    this.code = code;
    // a few codes differ in status between services (Lambda answers auth failures with 403)
    this.status = opts.status ?? spec.status;
    this.fault = spec.fault ?? (spec.status >= 500 ? 'Receiver' : 'Sender');
    this.queryCode = opts.queryCode ?? spec.queryCode;
    this.fields = fields;
  }
}

/** `throw awsError('ParameterNotFound', 'Parameter /x not found.')` */
export function awsError(code: ErrorCode, message: string, fields?: Record<string, unknown>, opts?: ErrorOptions): ServiceError {
  return new ServiceError(code, message, fields, opts);
}

export function isServiceError(e: unknown): e is ServiceError {
  return e instanceof ServiceError;
}

/** Platform errors (configuration, start-up, store); never sent to an AWS client as such. */
export const PLATFORM_ERRORS = {
  ERR_CONFIG: 'configuration is invalid',
  ERR_CONFIG_FILE: 'configuration file cannot be read',
  ERR_INSECURE_BIND: 'refusing to listen beyond loopback with only the default key',
  ERR_STORE: 'the store cannot be opened or migrated',
  ERR_USAGE: 'bad command line',
} as const;
export type PlatformErrorCode = keyof typeof PLATFORM_ERRORS;

export class SignalboxError extends Error {
  readonly code: PlatformErrorCode;
  constructor(code: PlatformErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignalboxError';
    this.code = code;
  }
}

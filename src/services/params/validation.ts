/**
 * @module services/params/validation
 * Parameter Store's input checks: the shared constraint collector (ValidationException, as AWS
 * answers a model violation) and the typed readers.
 */
export { Violations } from '../violations.js';

// typed readers of the decoded input: one set for every service
export { optBool, optInt, optObjectList, optString, optStringList } from '../input.js';

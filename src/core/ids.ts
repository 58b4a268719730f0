/**
 * @module core/ids
 * Identifiers in the shapes AWS uses.
 */
import { randomUUID } from 'node:crypto';

/** x-amzn-RequestId, CloudTrail eventID, message ids… */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * @module services/params/shapes
 * Stored versions → the output structures AWS returns (Parameter, ParameterMetadata,
 * ParameterHistory), in one place so every read operation presents a parameter the same way.
 *
 * Optional members are left out rather than set to null, as AWS leaves them out: KeyId only for
 * SecureString, Description and AllowedPattern only when set.
 */
import type { Parameter, ParameterHistory, ParameterMetadata } from '@aws-sdk/client-ssm';
import type { SecretBox } from '../../core/secrets.js';
import { parameterArn, type Selector } from './params.js';
import type { Scope, VersionRecord } from './store.js';
import { presentValue } from './values.js';

export function toParameter(
  secrets: SecretBox, scope: Scope, rec: VersionRecord, withDecryption: boolean, selector?: Selector,
): Parameter {
  const p: Parameter = {
    Name: rec.name,
    Type: rec.type as Parameter['Type'],
    Value: presentValue(secrets, rec, scope, withDecryption),
    Version: rec.version,
    LastModifiedDate: new Date(rec.modifiedAt),
    ARN: parameterArn(scope, rec.name),
    DataType: rec.dataType,
  };
  if (selector) p.Selector = `:${selector.text}`;
  return p;
}

export function toMetadata(scope: Scope, rec: VersionRecord): ParameterMetadata {
  const m: ParameterMetadata = {
    Name: rec.name,
    ARN: parameterArn(scope, rec.name),
    Type: rec.type as ParameterMetadata['Type'],
    LastModifiedDate: new Date(rec.modifiedAt),
    LastModifiedUser: rec.modifiedBy,
    Version: rec.version,
    Tier: rec.tier as ParameterMetadata['Tier'],
    Policies: [],
    DataType: rec.dataType,
  };
  if (rec.keyId !== null) m.KeyId = rec.keyId;
  if (rec.description !== null) m.Description = rec.description;
  if (rec.allowedPattern !== null) m.AllowedPattern = rec.allowedPattern;
  return m;
}

export function toHistory(secrets: SecretBox, scope: Scope, rec: VersionRecord, labels: string[], withDecryption: boolean): ParameterHistory {
  const h: ParameterHistory = {
    Name: rec.name,
    Type: rec.type as ParameterHistory['Type'],
    LastModifiedDate: new Date(rec.modifiedAt),
    LastModifiedUser: rec.modifiedBy,
    Value: presentValue(secrets, rec, scope, withDecryption),
    Version: rec.version,
    Labels: labels,
    Tier: rec.tier as ParameterHistory['Tier'],
    Policies: [],
    DataType: rec.dataType,
  };
  if (rec.keyId !== null) h.KeyId = rec.keyId;
  if (rec.description !== null) h.Description = rec.description;
  if (rec.allowedPattern !== null) h.AllowedPattern = rec.allowedPattern;
  return h;
}

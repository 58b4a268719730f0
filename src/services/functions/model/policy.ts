/**
 * @module services/functions/model/policy
 * Resource-policy statements as AddPermission renders them: Sid, Effect, Principal, Action,
 * Resource, Condition, in that order, with the request's optional members as conditions.
 */
import { invalid } from './input.js';

export interface PermissionRequest {
  sid: string;
  action: string;
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
  principalOrgId?: string;
  eventSourceToken?: string;
  functionUrlAuthType?: string;
}

const ACCOUNT = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-zA-Z-]*:iam::/;

function principalOf(principal: string): unknown {
  if (principal === '*') return '*';
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  if (ACCOUNT.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (IAM_ARN.test(principal)) return { AWS: principal };
  throw invalid('The provided principal was invalid. Please check the principal and try again.');
}

export function buildStatement(resourceArn: string, p: PermissionRequest): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    Sid: p.sid,
    Effect: 'Allow',
    Principal: principalOf(p.principal),
    Action: p.action,
    Resource: resourceArn,
  };
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, k: string, v: string | undefined) => {
    if (v !== undefined) (condition[operator] ??= {})[k] = v;
  };
  add('StringEquals', 'lambda:FunctionUrlAuthType', p.functionUrlAuthType);
  add('StringEquals', 'aws:PrincipalOrgID', p.principalOrgId);
  add('StringEquals', 'AWS:SourceAccount', p.sourceAccount);
  add('StringEquals', 'lambda:EventSourceToken', p.eventSourceToken);
  add('ArnLike', 'AWS:SourceArn', p.sourceArn);
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}

/** The policy document GetPolicy answers, from the stored statements in order. */
export function policyDocument(statements: string[]): string {
  return `{"Version":"2012-10-17","Id":"default","Statement":[${statements.join(',')}]}`;
}

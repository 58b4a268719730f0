/**
 * @module services/dashboards/api
 * Operation name (AWS spelling) → handler, for the dashboard operations of CloudWatch. The
 * handlers live in ./dashboards.ts; this table is the one place that says which operations exist.
 */
import type { Handler } from '../service.js';
import { deleteDashboards, getDashboard, listDashboards, putDashboard, type Deps } from './dashboards.js';

type Operation = (d: Deps, input: Record<string, unknown>, ctx: Parameters<Handler>[1]) => Promise<object>;

const OPERATIONS: Record<string, Operation> = {
  PutDashboard: putDashboard,
  GetDashboard: getDashboard,
  ListDashboards: listDashboards,
  DeleteDashboards: deleteDashboards,
};

export const OPERATION_NAMES = Object.keys(OPERATIONS);

export function createHandlers(deps: Deps): Record<string, Handler> {
  const handlers: Record<string, Handler> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    // A missing body decodes to undefined for some codecs; every operation reads an object.
    handlers[name] = (input: unknown, ctx) => op(deps, (input ?? {}) as Record<string, unknown>, ctx);
  }
  return handlers;
}

/**
 * @module services/dashboards/api
 * Operation name (AWS spelling) → handler, for the dashboard operations of CloudWatch. The
 * handlers live in ./dashboards.ts; this table is the one place that says which operations exist.
 */
import { bindOperations, type Handler } from '../service.js';
import { deleteDashboards, getDashboard, listDashboards, putDashboard, type Deps } from './dashboards.js';

type Operation = (d: Deps, input: Record<string, unknown>, ctx: Parameters<Handler>[1]) => Promise<object>;

const OPERATIONS: Record<string, Operation> = {
  PutDashboard: putDashboard,
  GetDashboard: getDashboard,
  ListDashboards: listDashboards,
  DeleteDashboards: deleteDashboards,
};

export function createHandlers(deps: Deps): Record<string, Handler> {
  return bindOperations(deps, OPERATIONS);
}

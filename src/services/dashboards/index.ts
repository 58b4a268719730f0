/**
 * @module services/dashboards
 * CloudWatch dashboards: PutDashboard, GetDashboard, ListDashboards, DeleteDashboards. A part of
 * the CloudWatch service (services/cloudwatch): handlers only, no background work.
 *
 * Everything else in this folder is private to it; other services never import from here.
 */
import type { ApiPartFactory } from '../cloudwatch/part.js';
import { createHandlers } from './api.js';

export const createDashboards: ApiPartFactory = (deps) => ({ handlers: createHandlers({ store: deps.store, clock: deps.clock }) });

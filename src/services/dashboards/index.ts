/**
 * @module services/dashboards
 * CloudWatch dashboards: PutDashboard, GetDashboard, ListDashboards, DeleteDashboards.
 */
import type { ApiPartFactory } from '../cloudwatch/part.js';

export const createDashboards: ApiPartFactory = () => ({ handlers: {} });

/**
 * @module services/alarms
 * CloudWatch alarms.
 */
import type { ApiPartFactory } from '../cloudwatch/part.js';

export const createAlarms: ApiPartFactory = () => ({ handlers: {} });

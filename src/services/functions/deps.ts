/**
 * @module services/functions/deps
 * What every operation of this service is handed: the platform's deps plus the code packages on
 * disk and the deployer that unpacks them and settles function states after the API answered.
 */
import type { ServiceDeps } from '../service.js';
import type { CodePackages } from './code/packages.js';
import type { Deployer } from './deployer.js';

export type FunctionsDeps = Pick<ServiceDeps, 'config' | 'store' | 'secrets' | 'clock' | 'log'> & {
  packages: CodePackages;
  deployer: Deployer;
};

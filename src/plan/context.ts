/** @module What a strategy needs to know about one service on one cluster. */
import type { Platform } from '../spec/schema/platform.js';
import type { Service } from '../spec/schema/service.js';

export interface ServiceContext {
  spec: Platform;
  environment: string;
  cluster: string;
  service: string;
  definition: Service;
  from?: string;
  to: string;
  replicas: number;
}

/** Prefix of every step id of this service on this cluster. */
export const stepPrefix = (c: ServiceContext) => `${c.environment}/${c.cluster}/${c.service}`;

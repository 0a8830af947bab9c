/** @module How a service is reached: internal only, or public with a host and TLS. */
import { z } from 'zod';
import { name, objectName } from './primitives.js';

export const expose = z.strictObject({
  type: z.enum(['internal', 'public']),
  host: z.string().optional(),
  extraHosts: z.array(z.string()).optional(),
  path: z.string().optional(),
  port: z
    .union([z.number().int(), z.string()])
    .optional()
    .meta({ description: 'Port number or name to expose' }),
  tls: z
    .strictObject({
      issuer: objectName,
      issuerKind: z.enum(['Issuer', 'ClusterIssuer']).optional(),
      secretName: objectName.optional(),
    })
    .optional(),
  via: z
    .enum(['gateway', 'ingress'])
    .optional()
    .meta({ description: 'Gateway API HTTPRoute (default) or Ingress' }),
  gateway: z
    .strictObject({ name: objectName, namespace: name.optional(), listener: z.string().optional() })
    .optional(),
  ingressClass: z.string().optional(),
  from: z
    .array(
      z.strictObject({ namespace: name.optional(), podLabels: z.record(z.string(), z.string()).optional() }),
    )
    .optional()
    .meta({
      description: 'Pods outside the platform allowed to call this service (e.g. the ingress controller)',
    }),
});

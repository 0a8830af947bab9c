/** @module Horizontal autoscaling: HPA on CPU/memory and KEDA event-driven triggers. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { duration, envVarName, percent, promql } from './primitives.js';

const rabbitmq = z.strictObject({
  queue: z.string().min(1),
  length: z.number().int().min(1).meta({ description: 'Target messages per replica' }),
  host: z.string().optional().meta({ description: 'AMQP URL without credentials' }),
  hostFromEnv: envVarName.optional().meta({ description: 'Env var of the workload holding the AMQP URL' }),
  protocol: z.enum(['amqp', 'http', 'auto']).optional(),
});

const kafka = z.strictObject({
  bootstrapServers: z.string().min(1),
  topic: z.string().min(1),
  consumerGroup: z.string().min(1),
  lagThreshold: z.number().int().min(1),
  sasl: z.enum(['plaintext', 'scram_sha256', 'scram_sha512']).optional(),
  tls: z.boolean().optional(),
  authSecretRef: z.string().optional().meta({ description: 'Name of the Secret holding SASL credentials' }),
});

const prometheus = z.strictObject({
  serverAddress: z.string().optional(),
  query: promql,
  threshold: z.number().positive(),
});

export const kedaTrigger = z
  .strictObject({ rabbitmq: rabbitmq.optional(), kafka: kafka.optional(), prometheus: prometheus.optional() })
  .superRefine(exactlyOneOf(['rabbitmq', 'kafka', 'prometheus'] as const, 'a KEDA trigger'))
  .meta({ description: 'Exactly one of rabbitmq, kafka, prometheus' });

export const autoscale = z.strictObject({
  min: z.number().int().min(0),
  max: z.number().int().min(1),
  cpu: percent.optional().meta({ description: 'Target average CPU utilisation' }),
  memory: percent.optional().meta({ description: 'Target average memory utilisation' }),
  keda: z
    .strictObject({
      triggers: z.array(kedaTrigger).min(1),
      pollingInterval: duration.optional(),
      cooldownPeriod: duration.optional(),
    })
    .optional(),
});

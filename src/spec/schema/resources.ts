/** @module Requests, limits and GPUs. */
import { z } from 'zod';
import { cpu, memory } from './primitives.js';

const amounts = z.strictObject({
  cpu: cpu.optional(),
  memory: memory.optional(),
  gpu: z
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: 'Whole GPUs (nvidia.com/gpu unless gpu.resource says otherwise)' }),
  ephemeralStorage: memory.optional(),
});

export const resources = z.strictObject({ requests: amounts.optional(), limits: amounts.optional() });

export const gpu = z.strictObject({
  count: z.number().int().min(1),
  resource: z.string().default('nvidia.com/gpu').optional(),
  product: z
    .string()
    .optional()
    .meta({ description: 'Node label value of the accelerator, e.g. nvidia-tesla-t4' }),
  productLabel: z
    .string()
    .optional()
    .meta({ description: 'Node label key, e.g. cloud.google.com/gke-accelerator' }),
});

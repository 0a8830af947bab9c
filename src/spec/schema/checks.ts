/** @module Checks: smoke, integration and load tests the runbooks run by hand. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { duration, httpPath, percent } from './primitives.js';

const httpCheck = z.strictObject({
  path: httpPath.optional(),
  url: z
    .string()
    .url()
    .optional()
    .meta({ description: 'Absolute URL; default is the service through the router' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  expect: z
    .union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599))])
    .optional(),
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeout: duration.optional(),
  retries: z.number().int().min(0).optional(),
  interval: duration.optional(),
  port: z.number().int().optional(),
});

const commandCheck = z.strictObject({
  run: z.string().min(1).meta({
    description: 'Shell command; {{service}}, {{version}}, {{namespace}}, {{cluster}} are replaced',
  }),
  cwd: z.string().optional(),
  timeout: duration.optional(),
  expectExit: z.number().int().optional(),
  expectOutput: z.string().optional().meta({
    description: 'A regular expression the output must match; {{service}}, {{version}}… match literally',
  }),
});

const loadCheck = z.strictObject({
  path: httpPath.optional(),
  rps: z.number().positive(),
  duration: duration,
  concurrency: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'At most this many requests in flight (default: rps / 20, at least 16)' }),
  maxErrorRate: percent.optional().meta({ description: 'Default 1%' }),
  maxP95: duration.optional().meta({ description: '95th percentile latency ceiling' }),
  maxMean: duration.optional().meta({ description: 'Mean latency ceiling' }),
});

export const check = z
  .strictObject({
    description: z.string().optional(),
    service: z
      .string()
      .optional()
      .meta({ description: 'Target service (default: the service being released)' }),
    http: httpCheck.optional(),
    command: commandCheck.optional(),
    load: loadCheck.optional(),
  })
  .superRefine(exactlyOneOf(['http', 'command', 'load'] as const, 'a check'));

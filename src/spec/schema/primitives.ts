/** @module The spec's scalar types, each with the message a person sees when it is wrong. */
import { z } from 'zod';
import { VERSION_PATTERN, VERSION_RULE } from '../version.js';
import { CPU_PATTERN, DURATION_PATTERN, MEMORY_PATTERN, PERCENT_PATTERN } from '../units.js';

/** A DNS-1123 label: what Kubernetes accepts as a name, so every name renders. */
export const name = z
  .string()
  .max(63, 'a name has at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a name is lower-case letters, digits and "-", starting and ending with a letter or digit',
  );

export const duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), 'a duration is a number with a unit: 30s, 5m, 2h, 1h30m, 250ms, 1d')
  .meta({ description: 'A duration: 30s, 5m, 2h, 1h30m, 250ms, 1d' });

export const percent = z
  .union([
    z.string().regex(new RegExp(PERCENT_PATTERN), 'a percentage is written like 1% or 0.5%'),
    z.number().min(0).max(100),
  ])
  .meta({ description: 'A percentage: "1%", "0.5%" or a number from 0 to 100' });

export const cpu = z
  .union([
    z.string().regex(new RegExp(CPU_PATTERN), 'a CPU quantity is like 500m or 2'),
    z.number().positive(),
  ])
  .meta({ description: 'CPU: 500m (millicores) or 2 (cores)' });

export const memory = z
  .union([
    z.string().regex(new RegExp(MEMORY_PATTERN), 'a memory quantity is like 512Mi or 2Gi'),
    z.number().positive(),
  ])
  .meta({ description: 'Memory: 512Mi, 2Gi, 1G' });

export const port = z.number().int().min(1).max(65535);

export const httpPath = z.string().startsWith('/', 'an HTTP path starts with "/"');

export const image = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9._\-/:@]*[a-z0-9])?$/,
    'an image is a registry path like registry.example.com/team/api (lower case, no spaces)',
  )
  .meta({ description: 'Container image repository; the release supplies the version as its tag' });

/** A release version: an image tag or digest (see spec/version.ts). */
export const version = z
  .string()
  .regex(VERSION_PATTERN, VERSION_RULE)
  .meta({ description: 'An image tag (v1.4.2, 2026-11-30.3) or digest (sha256:…)' });

export const labels = z.record(z.string(), z.string());

/** A Kubernetes object name that may hold dots (Secrets, ConfigMaps, issuers). */
export const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'an object name is lower-case letters, digits, "-" and "."');

/** The name of an environment variable that holds a value Slipway must not see in the spec. */
export const envVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name is letters, digits and "_"');

export const severity = z.enum(['critical', 'warning', 'info']);

/** A PromQL expression; checked for balance here, parsed by Prometheus when it runs. */
export const promql = z.string().min(1).meta({
  description:
    'A PromQL expression; may use {{service}}, {{version}}, {{namespace}}, {{cluster}}, {{window}}',
});

/** An analysis template's argument, written {{args.NAME}} in its queries. */
export const argName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'an argument name is a letter, then letters, digits, - or _');

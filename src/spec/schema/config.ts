/** @module A service's configuration: env, files and secrets, the last only by reference. */
import { z } from 'zod';
import { exactlyOneOf } from './one-of.js';
import { envVarName, objectName } from './primitives.js';

const keyRef = z.strictObject({ name: objectName, key: z.string().min(1) });

/** An env value: a literal, or a reference to a Secret, a ConfigMap, a Vault path or a pod field. */
export const envValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z
    .strictObject({
      value: z.union([z.string(), z.number(), z.boolean()]).optional(),
      secretRef: keyRef.optional(),
      configMapRef: keyRef.optional(),
      vault: z.strictObject({ path: z.string().min(1), key: z.string().min(1) }).optional(),
      fieldRef: z.string().optional().meta({ description: 'Downward API field, e.g. status.podIP' }),
    })
    .superRefine(
      exactlyOneOf(['value', 'secretRef', 'configMapRef', 'vault', 'fieldRef'] as const, 'an env value'),
    ),
]);

const file = z
  .strictObject({
    content: z.string().optional().meta({ description: 'Inline content; rendered into a ConfigMap' }),
    configMap: z.strictObject({ name: objectName, key: z.string().optional() }).optional(),
    secret: z.strictObject({ name: objectName, key: z.string().optional() }).optional(),
  })
  .superRefine(exactlyOneOf(['content', 'configMap', 'secret'] as const, 'a config file'));

export const config = z.strictObject({
  env: z
    .record(envVarName, envValue)
    .optional()
    .meta({ description: 'Environment variables; secrets only as { secretRef } or { vault }' }),
  files: z
    .record(z.string().startsWith('/', 'a file key is its absolute mount path'), file)
    .optional()
    .meta({ description: 'Files mounted into the service, keyed by absolute path' }),
  reloadOnChange: z
    .boolean()
    .optional()
    .meta({ description: 'Roll the pods when a referenced ConfigMap or Secret changes (default true)' }),
});

/**
 * @module The schema of a Secrets Store CSI driver SecretProviderClass (secrets-store.csi.x-k8s.io/v1),
 * as its CRD states it, for the fields render writes: no maintained model package exists for it.
 */
import { z } from 'zod';

const schema = z.object({
  apiVersion: z.literal('secrets-store.csi.x-k8s.io/v1'),
  kind: z.literal('SecretProviderClass'),
  metadata: z.object({ name: z.string().min(1), namespace: z.string().min(1).optional() }).passthrough(),
  spec: z.strictObject({
    provider: z.string().min(1),
    parameters: z.record(z.string(), z.string()).optional(),
    secretObjects: z
      .array(
        z.strictObject({
          secretName: z.string().min(1),
          type: z.string().min(1),
          labels: z.record(z.string(), z.string()).optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          data: z.array(z.strictObject({ objectName: z.string().min(1), key: z.string().min(1) })),
        }),
      )
      .optional(),
  }),
});

/** Validates like the kubernetes-models classes do: throws with `errors` on a violation. */
export class SecretProviderClass {
  constructor(private readonly data: unknown) {}

  validate(): void {
    const result = schema.safeParse(this.data);
    if (result.success) return;
    throw Object.assign(new Error('invalid SecretProviderClass'), {
      errors: result.error.issues.map((i) => ({ instancePath: `/${i.path.join('/')}`, message: i.message })),
    });
  }
}

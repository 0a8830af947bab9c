/**
 * @module Env values `{ vault: { path, key } }` through the Secrets Store CSI driver and its Vault
 * provider: one SecretProviderClass per service (`<service>-vault`) names each key of each path, the
 * driver syncs them into a Kubernetes Secret of the same name while a pod mounts the CSI volume, and the
 * container reads each variable from that Secret — so the variable exists under its own name, holding
 * exactly the key asked for. The pod authenticates with Vault's Kubernetes auth method as the role named
 * after the service. The secret values never pass through the spec or the rendered objects.
 */
import type { K8sObject } from './k8s-object.js';
import { metadata } from './labels.js';
import type { ServiceView } from './service-view.js';

export interface VaultReference {
  env: string;
  path: string;
  key: string;
}

export const VAULT_MOUNT = '/mnt/secrets-store';
const DRIVER = 'secrets-store.csi.k8s.io';

export const vaultObjectName = (view: ServiceView) => `${view.name}-vault`;

/** The container's variable: read from the Secret the driver syncs. */
export const vaultEnv = (view: ServiceView, ref: VaultReference) => ({
  name: ref.env,
  valueFrom: { secretKeyRef: { name: vaultObjectName(view), key: ref.env } },
});

/** The CSI volume every pod of the service mounts (the driver syncs the Secret only while one does). */
export const vaultVolume = (view: ServiceView) => ({
  name: 'vault-secrets',
  csi: { driver: DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: vaultObjectName(view) } },
});

export const vaultMount = { name: 'vault-secrets', mountPath: VAULT_MOUNT, readOnly: true };

export function secretProviderClass(view: ServiceView, refs: VaultReference[]): K8sObject {
  // The provider reads `objects` as a YAML list inside a string parameter.
  const objects = refs
    .map(
      (r) =>
        `- objectName: ${JSON.stringify(r.env)}\n  secretPath: ${JSON.stringify(r.path)}\n  secretKey: ${JSON.stringify(r.key)}`,
    )
    .join('\n');
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: metadata(view, vaultObjectName(view)),
    spec: {
      provider: 'vault',
      parameters: { roleName: view.name, objects },
      secretObjects: [
        {
          secretName: vaultObjectName(view),
          type: 'Opaque',
          data: refs.map((r) => ({ objectName: r.env, key: r.env })),
        },
      ],
    },
  };
}

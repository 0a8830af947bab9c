/**
 * `{ vault: { path, key } }` env values: the variable exists under its own name, read from the Secret the
 * Secrets Store CSI driver syncs, holding exactly the key asked for — not a whole secret written to a file
 * by an agent, with the variable gone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaErrors } from '../../src/render/validate-object.js';
import { find, renderExample } from './render-helpers.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('vault references', () => {
  const objects = renderExample('normaldance', ['production']);
  const deployment = find(objects, 'Deployment', 'normaldance-api') as Obj;
  const spc = find(objects, 'SecretProviderClass', 'normaldance-api-vault') as Obj;

  it('keeps each variable, read from the synced Secret by its own name', () => {
    const env = deployment['spec']['template']['spec']['containers'][0]['env'] as Obj[];
    for (const name of ['DATABASE_PASSWORD', 'DATABASE_USER'])
      assert.deepEqual(
        env.find((e) => e['name'] === name),
        { name, valueFrom: { secretKeyRef: { name: 'normaldance-api-vault', key: name } } },
      );
    const annotations = deployment['spec']['template']['metadata']['annotations'] as Record<string, string>;
    assert.ok(
      !Object.keys(annotations).some((k) => k.startsWith('vault.hashicorp.com/')),
      'no agent injector',
    );
  });

  it('asks Vault for exactly the key of each path, as the service role, and syncs it into that Secret', () => {
    assert.equal(spc['spec']['provider'], 'vault');
    assert.equal(spc['spec']['parameters']['roleName'], 'normaldance-api');
    assert.equal(
      spc['spec']['parameters']['objects'],
      [
        '- objectName: "DATABASE_PASSWORD"\n  secretPath: "database/creds/normaldance-role"\n  secretKey: "password"',
        '- objectName: "DATABASE_USER"\n  secretPath: "database/creds/normaldance-role"\n  secretKey: "username"',
      ].join('\n'),
    );
    assert.deepEqual(spc['spec']['secretObjects'], [
      {
        secretName: 'normaldance-api-vault',
        type: 'Opaque',
        data: [
          { objectName: 'DATABASE_PASSWORD', key: 'DATABASE_PASSWORD' },
          { objectName: 'DATABASE_USER', key: 'DATABASE_USER' },
        ],
      },
    ]);
    assert.deepEqual(schemaErrors(spc as never), []);
    assert.notDeepEqual(schemaErrors({ ...spc, spec: { parameters: {} } } as never), [], 'the model checks');
  });

  it('mounts the CSI volume the driver needs to sync, and rolls the pods when the Secret changes', () => {
    const pod = deployment['spec']['template']['spec'] as Obj;
    assert.deepEqual(
      (pod['volumes'] as Obj[]).find((v) => v['name'] === 'vault-secrets'),
      {
        name: 'vault-secrets',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: 'normaldance-api-vault' },
        },
      },
    );
    assert.ok(
      (pod['containers'][0]['volumeMounts'] as Obj[]).some(
        (m) => m['name'] === 'vault-secrets' && m['readOnly'],
      ),
    );
    assert.match(
      deployment['metadata']['annotations']['secret.reloader.stakater.com/reload'],
      /normaldance-api-vault/,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyTypes } from './reachability.js';

const policy = (spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'n' },
  spec: { podSelector: {}, ...spec },
});

describe('NetworkPolicy policyTypes, defaulted as the API server does', () => {
  it('is Ingress when omitted or empty, Egress only with at least one egress rule', () => {
    assert.deepEqual(policyTypes(policy({})), ['Ingress']);
    assert.deepEqual(policyTypes(policy({ policyTypes: [] })), ['Ingress']);
    assert.deepEqual(policyTypes(policy({ egress: [] })), ['Ingress']);
    assert.deepEqual(policyTypes(policy({ policyTypes: [], egress: [{ to: [] }] })), ['Ingress', 'Egress']);
    assert.deepEqual(policyTypes(policy({ policyTypes: ['Egress'], egress: [] })), ['Egress']);
  });
});

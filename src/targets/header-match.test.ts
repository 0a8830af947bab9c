import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayHeaderMatch, type HeaderValue, headerPredicate, regexProblem } from './header-match.js';
import { nginxCanaryIngress } from './kubernetes/nginx-canary.js';

describe('header matches', () => {
  it('exact, prefix and regex on the local router', () => {
    assert.ok(headerPredicate('on')('on'));
    assert.ok(!headerPredicate('on')('on '));
    assert.ok(headerPredicate({ prefix: 'beta.' })('beta.ann'));
    assert.ok(!headerPredicate({ prefix: 'beta.' })('betaXann'), 'a prefix is literal, not a pattern');
    assert.ok(headerPredicate({ regex: '^2[0-9]{3}$' })('2031'));
    assert.ok(!headerPredicate({ regex: '^2[0-9]{3}$' })(undefined), 'an absent header never matches');
  });

  it('as Gateway API writes them: a prefix is an anchored, escaped regular expression', () => {
    assert.deepEqual(gatewayHeaderMatch('x-beta', 'on'), { type: 'Exact', name: 'x-beta', value: 'on' });
    assert.deepEqual(gatewayHeaderMatch('x-user', { prefix: 'beta.(1)' }), {
      type: 'RegularExpression',
      name: 'x-user',
      value: '^beta\\.\\(1\\).*',
    });
    assert.equal(gatewayHeaderMatch('x', { regex: 'a|b' }).value, 'a|b');
  });

  it('refuses expressions a gateway cannot run', () => {
    assert.equal(regexProblem('^v[0-9]+$'), undefined);
    assert.match(regexProblem('(a')!, /Invalid regular expression/);
    assert.match(regexProblem('(a)\\1')!, /backreferences or lookaround/);
    assert.match(regexProblem('a'.repeat(300))!, /longer than 256/);
  });

  it("as ingress-nginx's canary Ingress writes them: exact by value, the others by pattern", () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web' } } }] } }] },
    };
    const annotations = (value: HeaderValue) =>
      nginxCanaryIngress(ingress, 'web', 0, { group: 'canary', headers: { 'x-user': value } }).metadata
        .annotations ?? {};
    assert.equal(annotations('beta')['nginx.ingress.kubernetes.io/canary-by-header-value'], 'beta');
    assert.equal(
      annotations({ prefix: 'beta-' })['nginx.ingress.kubernetes.io/canary-by-header-pattern'],
      '^beta-.*',
    );
    assert.equal(
      annotations({ regex: '^b' })['nginx.ingress.kubernetes.io/canary-by-header-value'],
      undefined,
    );
  });
});

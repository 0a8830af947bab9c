import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argsIn, redactAll, requiredArgs, resolveArgs } from './template-args.js';

const template = {
  args: { route: {}, limit: { value: '5' }, token: { env: 'T_ARG' } },
  metrics: [{ name: 'm', query: 'x{route="{{args.route}}"} > {{ args.limit }}' }],
};

describe('analysis template arguments', () => {
  it('takes the step’s value, else the template’s, else the environment’s', () => {
    assert.deepEqual(resolveArgs(template, { route: '/a', limit: '7' }, { T_ARG: 'tok-123' }), {
      ok: true,
      values: { route: '/a', limit: '7', token: 'tok-123' },
      secrets: ['tok-123'],
    });
    const r = resolveArgs(template, { route: '/a' }, { T_ARG: 'tok-123' });
    assert.equal(r.ok && r.values['limit'], '5');
    // A value a step gives is not a secret, even where the template would have read the environment.
    assert.deepEqual(resolveArgs(template, { route: '/a', token: 'given' }, {}), {
      ok: true,
      values: { route: '/a', limit: '5', token: 'given' },
      secrets: [],
    });
  });

  it('says which argument has no value, and which variable is unset', () => {
    assert.deepEqual(resolveArgs(template, {}, { T_ARG: 'x' }), {
      ok: false,
      problem: 'argument route has no value: the step gives none',
    });
    assert.deepEqual(resolveArgs(template, { route: '/a' }, {}), {
      ok: false,
      problem: 'argument token: the environment variable T_ARG is not set',
    });
  });

  it('finds the names a text uses and those a step must give', () => {
    assert.deepEqual(argsIn(template.metrics[0]!.query), ['route', 'limit']);
    assert.deepEqual(argsIn('no args here {{service}}'), []);
    assert.deepEqual(requiredArgs(template.args), ['route']);
  });

  it('masks a secret in every string of a nested value', () => {
    const masked = redactAll(
      { summary: 'GET /x?auth=tok-123 failed', judgements: [{ summary: 'tok-123' }], n: 3 },
      ['tok-123'],
    );
    assert.deepEqual(masked, { summary: 'GET /x?auth=*** failed', judgements: [{ summary: '***' }], n: 3 });
  });
});

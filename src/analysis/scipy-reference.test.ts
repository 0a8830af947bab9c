/** Slipway's statistics against SciPy's, on the fixed inputs of scripts/scipy-fixtures.py. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type Alternative, hodgesLehmann, mannWhitneyU } from './judges/mann-whitney.js';
import { logMixtureRatio } from './judges/sequential.js';
import { betaInc, erfc, logBetaInc, logGamma, normalPpf, normalSf } from './stats/special.js';

interface Reference {
  gammaln: [number, number][];
  erfc: [number, number][];
  norm_sf: [number, number][];
  norm_ppf: [number, number][];
  betainc: [number, number, number, number, number][];
  mannwhitneyu: { x: number[]; y: number[]; alternative: Alternative; u: number; p: number }[];
  hodges_lehmann: { x: number[]; y: number[]; shift: number }[];
  log_mixture: [number, number, number, number][];
}
const ref = JSON.parse(readFileSync('test/fixtures/stats/scipy-reference.json', 'utf8')) as Reference;

/** Relative agreement, with an absolute floor for values near zero. */
function close(actual: number, expected: number, rel = 1e-9, abs = 1e-12): void {
  const ok = Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
  assert.ok(ok, `${actual} vs SciPy ${expected} (diff ${actual - expected})`);
}

describe('agreement with SciPy', () => {
  it('log-gamma', () => {
    for (const [x, v] of ref.gammaln) close(logGamma(x), v, 1e-12, 1e-13);
  });
  it('erfc, far into the tail', () => {
    for (const [x, v] of ref.erfc) close(erfc(x), v, 1e-12, 1e-300);
  });
  it('normal survival function and quantiles', () => {
    for (const [z, v] of ref.norm_sf) close(normalSf(z), v, 1e-12, 1e-300);
    for (const [p, v] of ref.norm_ppf) close(normalPpf(p), v, 1e-9);
  });
  it('regularized incomplete beta, and its log', () => {
    for (const [a, b, x, v, logv] of ref.betainc) {
      close(betaInc(a, b, x), v, 1e-10, 1e-300);
      close(logBetaInc(a, b, x), logv, 1e-10);
    }
  });
  it('Mann-Whitney U and its asymptotic p-value, with ties', () => {
    assert.ok(ref.mannwhitneyu.length >= 12);
    for (const c of ref.mannwhitneyu) {
      const r = mannWhitneyU(c.x, c.y, c.alternative);
      close(r.u, c.u, 1e-12);
      close(r.pValue, c.p, 1e-9, 1e-300);
    }
  });
  it('Hodges–Lehmann shift', () => {
    for (const c of ref.hodges_lehmann) close(hodgesLehmann(c.x, c.y), c.shift, 1e-12, 1e-12);
  });
  it('the mixture likelihood ratio of the sequential test', () => {
    for (const [k, m, pi0, v] of ref.log_mixture) close(logMixtureRatio(k, m, pi0), v, 1e-9, 1e-9);
  });
});

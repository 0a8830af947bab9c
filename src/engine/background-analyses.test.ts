import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAnalyses } from './background-analyses.js';

describe('background analyses', () => {
  it('a pass before the closing step is kept for it; a failure interrupts the step running now', async () => {
    const host = new BackgroundAnalyses(new AbortController().signal);
    // Its template's count of measurements was taken: it passes before the promotion closes it.
    host.start('counted', async () => ({ verdict: 'pass', summary: 'six measurements, none failed' }));
    await new Promise((r) => setImmediate(r));
    assert.equal(host.signal.aborted, false, 'a pass interrupts nothing');
    assert.equal((await host.close('counted'))?.summary, 'six measurements, none failed');

    host.start('failing', async () => ({ verdict: 'fail', summary: 'errors' }));
    await new Promise((r) => setImmediate(r));
    assert.equal(host.signal.aborted, true);
    assert.equal(host.takeInterruption()?.id, 'failing');
    assert.equal(host.signal.aborted, false, 'the next steps run with a fresh signal');
  });
});

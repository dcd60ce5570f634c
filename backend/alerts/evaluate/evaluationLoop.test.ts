import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import { createEvaluationLoop } from './evaluationLoop.ts';

function slowEvaluation() {
  let running = 0;
  let most = 0;
  let started = 0;
  const finishers: Array<() => void> = [];
  const evaluate = () => {
    started++;
    running++;
    most = Math.max(most, running);
    return new Promise<void>((resolve) => {
      finishers.push(() => {
        running--;
        resolve();
      });
    });
  };
  return {
    evaluate,
    finishOne: () => finishers.shift()?.(),
    stats: () => ({ started, most }),
  };
}

describe('evaluation loop', () => {
  it('skips ticks while an evaluation runs instead of piling them up', async () => {
    const slow = slowEvaluation();
    const skipped = new MetricsRegistry().counter('skipped', 'test');
    const loop = createEvaluationLoop({ everyMs: 60_000, evaluate: slow.evaluate, skipped });
    loop.tick();
    loop.tick();
    loop.tick();
    assert.deepEqual(slow.stats(), { started: 1, most: 1 });
    assert.equal(skipped.get(), 2);
    slow.finishOne();
    await new Promise((resolve) => setImmediate(resolve));
    loop.tick();
    assert.deepEqual(slow.stats(), { started: 2, most: 1 });
    slow.finishOne();
    await loop.stop();
  });

  it('runs an evaluation on demand only after the running one finished', async () => {
    const slow = slowEvaluation();
    const loop = createEvaluationLoop({
      everyMs: 60_000,
      evaluate: slow.evaluate,
      skipped: new MetricsRegistry().counter('skipped', 'test'),
    });
    loop.tick();
    const now = loop.runNow();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(slow.stats(), { started: 1, most: 1 });
    slow.finishOne();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(slow.stats(), { started: 2, most: 1 });
    slow.finishOne();
    await now;
    await loop.stop();
  });

  it('starts nothing after stop and waits for the running evaluation', async () => {
    const slow = slowEvaluation();
    const loop = createEvaluationLoop({
      everyMs: 60_000,
      evaluate: slow.evaluate,
      skipped: new MetricsRegistry().counter('skipped', 'test'),
    });
    loop.tick();
    let stopped = false;
    const stopping = loop.stop().then(() => {
      stopped = true;
    });
    loop.tick();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    slow.finishOne();
    await stopping;
    assert.deepEqual(slow.stats(), { started: 1, most: 1 });
  });
});

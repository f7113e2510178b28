/** The KB924567 flush model, restarts and step scheduling, with deterministic settings so times are exact. */
import assert from 'node:assert/strict';
import { simulate } from '../../../src/core/simulator';
import { makeRunbook, type ServerSpec, type StepSpec } from './runbooks';

const FLUSH_TIMEOUT = 150;

/** No load, a large pool: only moves and flushes hold threads, so every time is exact. */
function moveRunbook(source: Partial<ServerSpec>, extraSteps: StepSpec[] = [], mailboxes = 12, concurrency = 1) {
  return makeRunbook(
    [
      { name: 'EXCH01', taskThreads: 100, mtaService: 'disabled', gatewayOutThreads: 0, ...source },
      { name: 'EXCH02', taskThreads: 100 },
    ],
    [
      // 300 MB at 30 MB/min: each mailbox move takes exactly 10 minutes.
      {
        id: 'wave1',
        action: 'move-mailboxes',
        from: 'EXCH01',
        to: 'EXCH02',
        mailboxes: Array(mailboxes).fill(300),
        concurrency,
        throughputMBPerMinute: 30,
      },
      ...extraSteps,
    ],
    { seed: 1, flushTimeout: FLUSH_TIMEOUT, sampleInterval: 1, serviceTime: 'deterministic' },
  );
}

describe('simulator: KB924567 transit-mail flushes', () => {
  it('exposed source: one flush per moved mailbox, each held exactly flushTimeout', () => {
    const result = simulate(moveRunbook({}));
    const { summary, series } = result.servers.EXCH01;
    const moveEnds = Array.from({ length: 12 }, (_, i) => 10 * (i + 1));
    assert.equal(summary.flushTasksRegistered, 12);
    assert.equal(summary.flushThreadMinutes, 12 * FLUSH_TIMEOUT);
    assert.deepEqual(
      result.steps.map((s) => [s.id, s.start, s.end, s.completed]),
      [['wave1', 0, 120, true]],
    );
    // Default duration: the last move's end plus flushTimeout.
    assert.equal(result.duration, 120 + FLUSH_TIMEOUT);
    assert.equal(series.t.length, 120 + FLUSH_TIMEOUT + 1);
    for (let i = 0; i < series.t.length; i++) {
      const t = series.t[i];
      const held = moveEnds.filter((end) => end <= t && t < end + FLUSH_TIMEOUT).length;
      assert.equal(series.flush[i], held, `flush threads at t = ${t}`);
    }
    // It rises by one at each move's end and falls by one exactly flushTimeout later.
    assert.equal(series.flush[9], 0);
    assert.equal(series.flush[10], 1);
    assert.equal(series.flush[120], 12);
    assert.equal(series.flush[159], 12);
    assert.equal(series.flush[160], 11);
    assert.equal(series.flush[270], 0);
    // The move holds one thread on each side while it runs.
    assert.equal(series.move[5], 1);
    assert.equal(result.servers.EXCH02.series.move[5], 1);
    assert.equal(result.servers.EXCH02.summary.flushTasksRegistered, 0);
  });

  it('KB924567 with Gateway Out Threads 0: no flush is registered', () => {
    const result = simulate(moveRunbook({ hotfixes: ['KB924567'] }));
    const { summary, series } = result.servers.EXCH01;
    assert.equal(summary.flushTasksRegistered, 0);
    assert.equal(summary.flushThreadMinutes, 0);
    assert.ok(series.flush.every((held) => held === 0));
  });

  it('KB924567 but Gateway Out Threads 1: the fixed store still registers the flushes', () => {
    const result = simulate(moveRunbook({ hotfixes: ['KB924567'], gatewayOutThreads: 1 }));
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 12);
    assert.equal(result.servers.EXCH01.summary.flushThreadMinutes, 12 * FLUSH_TIMEOUT);
  });

  it('MTA running: a brief flush per mailbox (a second each)', () => {
    const result = simulate(moveRunbook({ mtaService: 'running', gatewayOutThreads: 1 }));
    const { summary, series } = result.servers.EXCH01;
    assert.equal(summary.flushTasksRegistered, 12);
    assert.ok(Math.abs(summary.flushThreadMinutes - 12 / 60) < 1e-9);
    assert.ok(Math.max(...series.flush) <= 1);
    assert.ok(result.assumptions.assumed.includes('flushWithMtaRunningSeconds'));
  });

  it('with concurrency 4 the flushes arrive four at a time', () => {
    const result = simulate(moveRunbook({}, [], 12, 4));
    const { series } = result.servers.EXCH01;
    assert.equal(result.steps[0].end, 30);
    assert.equal(series.flush[10], 4);
    assert.equal(series.flush[30], 12);
    assert.equal(series.flush[160], 8);
    assert.equal(series.flush[180], 0);
    assert.equal(result.servers.EXCH01.summary.peakThreadsBusy, 12);
  });
});

describe('simulator: hotfix, restarts and step overlap', () => {
  const origin = Date.UTC(2026, 11, 5, 22, 0, 0);

  it('a hotfix that lands mid-move: flushes before it hold, after it none; the restart clears them and interrupts the move', () => {
    // Explicit starts: the move at 22:00, the hotfix at 22:35 (during the fourth mailbox).
    const withHotfix = makeRunbook(
      [
        { name: 'EXCH01', taskThreads: 100, mtaService: 'disabled', gatewayOutThreads: 0 },
        { name: 'EXCH02', taskThreads: 100 },
      ],
      [
        {
          id: 'wave1',
          action: 'move-mailboxes',
          from: 'EXCH01',
          to: 'EXCH02',
          mailboxes: Array(12).fill(300),
          concurrency: 1,
          throughputMBPerMinute: 30,
          start: origin,
        },
        { id: 'hotfix', action: 'install-hotfix', server: 'EXCH01', hotfix: 'KB924567', start: origin + 35 * 60000 },
      ],
      { seed: 1, flushTimeout: FLUSH_TIMEOUT, sampleInterval: 1, serviceTime: 'deterministic' },
    );
    const result = simulate(withHotfix, { assumptions: { hotfixInstallMinutes: 10 } });
    const { summary, series } = result.servers.EXCH01;
    assert.equal(result.clockOrigin, origin);
    const [wave, hotfix] = result.steps;
    assert.deepEqual([hotfix.start, hotfix.end], [35, 45]);
    // Three mailboxes finished before the hotfix (flushes at 10, 20, 30); the fourth was lost at 35
    // and moved again from 45, so the nine left end at 55, 65, …, 135.
    assert.equal(wave.end, 45 + 9 * 10);
    assert.equal(summary.flushTasksRegistered, 3);
    assert.equal(series.flush[34], 3);
    assert.equal(series.flush[35], 0, 'the restart ends the flushes');
    assert.ok(Math.abs(summary.flushThreadMinutes - (25 + 15 + 5)) < 1e-9);
    assert.equal(series.pool[36], 0, 'the store is down while the hotfix installs');
    assert.equal(series.pool[45], 100);
    assert.equal(series.move[40], 0);
    assert.equal(result.servers.EXCH02.series.move[40], 0, 'the target lost its side of the interrupted move');
    assert.equal(series.move[50], 1);
    assert.ok(series.flush.slice(45).every((held) => held === 0));
    assert.ok(result.assumptions.fromCaller.includes('hotfixInstallMinutes'));
  });

  it('a step without start begins when the step before it ends; one with start begins then, overlapping', () => {
    const runbook = makeRunbook(
      [
        { name: 'A', taskThreads: 10 },
        { name: 'B', taskThreads: 10 },
      ],
      [
        { id: 'first', action: 'wait', duration: 30, start: origin },
        { id: 'move', action: 'move-mailboxes', from: 'A', to: 'B', mailboxes: [60, 60], concurrency: 1, throughputMBPerMinute: 30 },
        { id: 'overlap', action: 'wait', duration: 5, start: origin + 32 * 60000 },
        { id: 'after', action: 'wait', duration: 1 },
      ],
      { serviceTime: 'deterministic' },
    );
    const result = simulate(runbook);
    assert.deepEqual(
      result.steps.map((s) => [s.id, s.start, s.end]),
      [
        ['first', 0, 30],
        ['move', 30, 34],
        ['overlap', 32, 37],
        ['after', 37, 38],
      ],
    );
  });

  it('queued deliveries wait out a restart and are delivered afterwards; in-flight ones are retried', () => {
    const runbook = makeRunbook(
      [{ name: 'A', taskThreads: 4, deliveryPerMinute: 60, deliveryServiceMs: 500 }],
      [
        { id: 'settle', action: 'wait', duration: 30 },
        { id: 'restart', action: 'restart-services', server: 'A', services: ['MSExchangeIS'] },
        { id: 'after', action: 'wait', duration: 60 },
      ],
      { seed: 2 },
    );
    const result = simulate(runbook, { assumptions: { serviceRestartMinutes: 5 } });
    const { summary, series } = result.servers.A;
    assert.deepEqual([result.steps[1].start, result.steps[1].end], [30, 35]);
    assert.equal(series.pool[32], 0);
    assert.ok(series.deliveryQueue[34] > 200, 'about 60 messages a minute pile up while the store is down');
    assert.ok(summary.maxLocalDeliveryQueue >= series.deliveryQueue[34]);
    assert.equal(series.deliveryQueue[40], 0, 'the backlog is gone a few minutes later');
    assert.ok(Math.abs(summary.deliveriesCompleted - summary.deliveriesArrived) <= 4);
    assert.equal(summary.exhaustedAt, null, 'a short catch-up burst is not exhaustion');
  });
});

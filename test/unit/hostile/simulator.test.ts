import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint';
import type { Field, Runbook, Step } from '../../../src/core/model/types';
import {
  applyWhatIf,
  MAX_SERIES_POINTS,
  simulate,
  SimulationError,
  type SimulateOptions,
  type SimulationResult,
  type WhatIf,
} from '../../../src/core/simulator';
import { readExample } from '../../support';

type Outcome = { kind: 'result'; result: SimulationResult } | { kind: SimulationError['kind']; message: string };

/** Runs the simulator; a result or a SimulationError is an acceptable end, anything else fails the test. */
function settle(runbook: Runbook, options: SimulateOptions = {}): Outcome {
  try {
    return { kind: 'result', result: simulate(runbook, { maxEvents: 5_000_000, ...options }) };
  } catch (error) {
    if (error instanceof SimulationError) {
      assert.ok(error.message.length > 0);
      return { kind: error.kind, message: error.message };
    }
    throw error;
  }
}

/** A result holds only finite, sane numbers and bounded series. */
function assertSaneResult(result: SimulationResult): void {
  assert.ok(Number.isFinite(result.duration) && result.duration >= 0, `duration ${result.duration}`);
  assert.ok(Number.isFinite(result.events) && result.events >= 0);
  const servers = Object.keys(result.servers).length;
  for (const [name, { summary, series }] of Object.entries(result.servers)) {
    for (const [key, value] of Object.entries(summary)) {
      if (typeof value === 'number') assert.ok(Number.isFinite(value) && value >= 0, `${name}.${key} = ${value}`);
    }
    assert.ok(series.t.length * servers <= MAX_SERIES_POINTS, `${name}: ${series.t.length} samples × ${servers} servers`);
    for (const key of ['delivery', 'owa', 'move', 'flush', 'deliveryQueue', 'pool'] as const) {
      assert.equal(series[key].length, series.t.length, `${name}.${key} has one value per sample`);
      assert.ok(
        series[key].every((value) => Number.isFinite(value) && value >= 0),
        `${name}.${key} finite`,
      );
    }
  }
  for (const step of result.steps)
    assert.ok(Number.isFinite(step.start) && Number.isFinite(step.end) && step.end >= step.start, `step ${step.id}`);
}

function field<T>(value: T): Field<T> {
  return { value, span: { start: 0, end: 0 } };
}

/** The exposed example's model (EXCH01 → EXCH02, 400 mailboxes, MTA disabled), as a fresh copy. */
function exposedModel(): Runbook {
  const { runbook, simulatable } = lintText(readExample('kb924567-exposed.runbook.yaml'));
  assert.equal(simulatable, true);
  return runbook;
}

function withMove(runbook: Runbook, change: (step: Step) => Step): Runbook {
  return { ...runbook, steps: runbook.steps.map((step) => (step.action?.value === 'move-mailboxes' ? change({ ...step }) : step)) };
}

describe('the simulator under hostile parameters: an error or a bounded result, never a freeze', function () {
  this.timeout(60_000);

  it('a trillion mailboxes: refused by the event budget before it starts', () => {
    const runbook = withMove(exposedModel(), (step) => ({
      ...step,
      mailboxes: field({ count: 1e12, averageSizeMB: 250, totalMB: 2.5e14 }),
    }));
    const outcome = settle(runbook);
    assert.equal(outcome.kind, 'budget');
  });

  it('zero and absurdly small move throughput (only reachable through the model): invalid or bounded', () => {
    const zero = settle(withMove(exposedModel(), (step) => ({ ...step, throughputMBPerMinute: field(0) })));
    assert.equal(zero.kind, 'invalid');
    const zeroAssumed = settle(
      withMove(exposedModel(), (step) => ({ ...step, throughputMBPerMinute: undefined })),
      { assumptions: { moveThroughputMBPerMinute: 0 } },
    );
    assert.equal(zeroAssumed.kind, 'invalid');
    const tiny = settle(withMove(exposedModel(), (step) => ({ ...step, throughputMBPerMinute: field(1e-300) })));
    if (tiny.kind === 'result') assertSaneResult(tiny.result);
    else assert.equal(tiny.kind, 'budget');
  });

  for (const [label, whatIf] of [
    ['zero task threads', { taskThreads: { EXCH01: 0, EXCH02: 0 } }],
    ['one task thread', { taskThreads: { EXCH01: 1 } }],
    ['a billion task threads', { taskThreads: { EXCH01: 1e9, EXCH02: 1e9 } }],
    ['negative and fractional task threads', { taskThreads: { EXCH01: -5, EXCH02: 0.5 } }],
    ['non-finite task threads', { taskThreads: { EXCH01: NaN, EXCH02: Infinity } }],
    ['concurrency 0', { concurrency: 0 }],
    ['concurrency -3', { concurrency: -3 }],
    ['concurrency a billion', { concurrency: 1e9 }],
    ['concurrency NaN', { concurrency: NaN }],
    ['Gateway Out Threads -1 and a billion', { gatewayOutThreads: { EXCH01: -1, EXCH02: 1e9 } }],
    ['hotfix on unknown and prototype-named servers', { hotfix: ['__proto__', 'constructor', 'NOPE', 'exch01'] }],
    [
      'everything at once',
      { hotfix: ['EXCH01'], gatewayOutThreads: { EXCH01: 5 }, concurrency: 16, taskThreads: { EXCH01: 1, EXCH02: 0 } },
    ],
  ] as [string, WhatIf][]) {
    it(`what-if ${label}`, () => {
      const before = Object.getOwnPropertyNames(Object.prototype).join();
      const outcome = settle(applyWhatIf(exposedModel(), whatIf));
      assert.ok(['result', 'budget', 'invalid'].includes(outcome.kind), outcome.kind);
      if (outcome.kind === 'result') assertSaneResult(outcome.result);
      assert.equal(Object.getOwnPropertyNames(Object.prototype).join(), before);
    });
  }

  it('enormous durations: a thousand-year wait, a 10^12-minute run, a 10^12-minute flush', () => {
    const base = exposedModel();
    const longWait: Runbook = {
      ...base,
      steps: [
        ...base.steps,
        { index: 1, span: { start: 0, end: 0 }, itemStart: 0, id: field('forever'), action: field('wait'), duration: field(5e8) },
      ],
    };
    for (const runbook of [
      longWait,
      { ...base, simulation: { ...base.simulation, duration: field(1e12) } },
      { ...base, simulation: { ...base.simulation, flushTimeout: field(1e12) } },
      { ...base, simulation: { ...base.simulation, owaTimeout: field(1e12), sampleInterval: field(1e9) } },
    ]) {
      const outcome = settle(runbook);
      assert.ok(outcome.kind === 'budget' || outcome.kind === 'result', outcome.kind);
      if (outcome.kind === 'result') assertSaneResult(outcome.result);
    }
  });

  it('a sample interval far below the event spacing is refused or capped, not a billion samples', () => {
    const base = exposedModel();
    for (const sampleInterval of [1e-9, 1 / 60000, 0]) {
      const outcome = settle(
        { ...base, simulation: { ...base.simulation, sampleInterval: field(sampleInterval) } },
        { maxEvents: 50_000_000 },
      );
      assert.ok(outcome.kind !== 'cancelled', outcome.kind);
      if (outcome.kind === 'result') assertSaneResult(outcome.result);
    }
  });

  it('hostile event budgets and seeds: zero, negative and NaN budgets fall back to the default budget, never to none', () => {
    const runbook = exposedModel();
    assert.equal(settle(runbook, { maxEvents: 1 }).kind, 'budget');
    const trillion = withMove(runbook, (step) => ({ ...step, mailboxes: field({ count: 1e12, averageSizeMB: 1, totalMB: 1e12 }) }));
    for (const maxEvents of [0, -1, NaN]) assert.equal(settle(trillion, { maxEvents }).kind, 'budget', `maxEvents ${maxEvents}`);
    for (const seed of [NaN, Infinity]) assert.equal(settle(runbook, { seed }).kind, 'invalid', `seed ${seed}`);
    for (const seed of [-1, 2 ** 53, 0.5]) {
      const outcome = settle(runbook, { seed });
      assert.ok(outcome.kind === 'result' || outcome.kind === 'invalid', `seed ${seed}: ${outcome.kind}`);
    }
  });

  it('hostile assumptions from settings: huge thread pools and service times stay bounded', () => {
    const runbook = exposedModel();
    for (const assumptions of [
      { storeTaskThreads: 1e9 },
      { deliveryServiceMs: 1e12, owaServiceMs: 1e12 },
      { storeTaskThreads: 0 },
      { serviceRestartMinutes: 1e12, hotfixInstallMinutes: 1e12 },
    ]) {
      const outcome = settle(runbook, { assumptions });
      assert.ok(
        outcome.kind === 'result' || outcome.kind === 'budget' || outcome.kind === 'invalid',
        `${JSON.stringify(assumptions)}: ${outcome.kind}`,
      );
      if (outcome.kind === 'result') assertSaneResult(outcome.result);
    }
  });

  it('a cancel request ends the run with kind "cancelled"', () => {
    let asked = 0;
    const outcome = settle(exposedModel(), { maxEvents: 50_000_000, shouldCancel: () => ++asked > 1 });
    assert.equal(outcome.kind, 'cancelled');
  });

  it('servers without names, steps without actions and moves between undeclared servers are skipped or refused', () => {
    const base = exposedModel();
    const broken: Runbook = {
      ...base,
      servers: [...base.servers, { ...base.servers[0], name: undefined, index: 2 }],
      steps: [
        ...base.steps.map((step) => ({ ...step, from: field('GHOST'), to: field('ghost') })),
        { index: 1, span: { start: 0, end: 0 }, itemStart: 0 },
        { index: 2, span: { start: 0, end: 0 }, itemStart: 0, action: field('reboot'), server: field('NOWHERE') },
        {
          index: 3,
          span: { start: 0, end: 0 },
          itemStart: 0,
          action: field('move-mailboxes'),
          from: field('EXCH01'),
          to: field('EXCH01'),
          mailboxes: field({ count: 3, averageSizeMB: 1, totalMB: 3 }),
          concurrency: field(1),
        },
      ],
    };
    const outcome = settle(broken);
    assert.ok(outcome.kind !== 'cancelled');
    if (outcome.kind === 'result') assertSaneResult(outcome.result);
  });
});

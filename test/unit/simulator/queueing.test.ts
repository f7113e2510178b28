/**
 * The store model against queueing theory: with only delivery load and exponential service a
 * server is an M/M/c queue, so its mean wait must match the Erlang C formula (computed here,
 * independently of the simulator), and Little's law must hold between what it reports.
 */
import assert from 'node:assert/strict';
import { simulate } from '../../../src/core/simulator';
import { makeRunbook } from './runbooks';

/** Erlang C: the probability that an arrival waits, for c servers and offered load a = λ/μ (Erlang B recursion). */
function erlangC(c: number, a: number): number {
  let blocking = 1;
  for (let k = 1; k <= c; k++) blocking = (a * blocking) / (k + a * blocking);
  const rho = a / c;
  return blocking / (1 - rho * (1 - blocking));
}

/** Mean time in the queue of an M/M/c queue, in the unit of 1/μ and 1/λ. */
function erlangMeanWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

const SERVICE_MS = 200;
const MU_PER_MINUTE = 60000 / SERVICE_MS;

function mmcRun(threads: number, rho: number, customers: number, seed: number) {
  const lambda = rho * threads * MU_PER_MINUTE;
  const runbook = makeRunbook([{ name: 'MBX', taskThreads: threads, deliveryPerMinute: lambda, deliveryServiceMs: SERVICE_MS }], [], {
    seed,
    duration: customers / lambda,
    sampleInterval: Math.max(1, customers / lambda / 2000),
    serviceTime: 'exponential',
  });
  return { lambda, result: simulate(runbook) };
}

describe('simulator: M/M/c against Erlang C', function () {
  this.timeout(60000);
  // Run lengths: long enough that the standard error is well under the 5 % tolerance even in heavy
  // traffic (the variance of a mean wait grows like 1/(1-ρ)^4); checked over other seeds too.
  const cases: { threads: number; rho: number; customers: number }[] = [
    { threads: 1, rho: 0.3, customers: 400_000 },
    { threads: 1, rho: 0.5, customers: 400_000 },
    { threads: 1, rho: 0.7, customers: 600_000 },
    { threads: 1, rho: 0.9, customers: 3_000_000 },
    { threads: 1, rho: 0.95, customers: 8_000_000 },
    { threads: 4, rho: 0.3, customers: 1_000_000 },
    { threads: 4, rho: 0.6, customers: 600_000 },
    { threads: 4, rho: 0.9, customers: 3_000_000 },
    { threads: 4, rho: 0.95, customers: 8_000_000 },
    { threads: 40, rho: 0.8, customers: 6_000_000 },
    { threads: 40, rho: 0.9, customers: 6_000_000 },
    { threads: 40, rho: 0.95, customers: 6_000_000 },
  ];
  for (const { threads, rho, customers } of cases) {
    it(`c = ${threads}, ρ = ${rho}: mean wait within 5 % of Erlang C`, () => {
      const { lambda, result } = mmcRun(threads, rho, customers, 11);
      const summary = result.servers.MBX.summary;
      const expectedSeconds = erlangMeanWait(threads, lambda, MU_PER_MINUTE) * 60;
      const relative = Math.abs(summary.meanDeliveryWaitSeconds - expectedSeconds) / expectedSeconds;
      assert.ok(
        relative < 0.05,
        `simulated mean wait ${summary.meanDeliveryWaitSeconds.toFixed(5)} s, Erlang C ` +
          `${expectedSeconds.toFixed(5)} s (${(relative * 100).toFixed(2)} % off)`,
      );
      // Time in system = wait + service: the mean delay is the wait plus the mean service time.
      const expectedDelay = expectedSeconds + SERVICE_MS / 1000;
      assert.ok(Math.abs(summary.meanDeliveryDelaySeconds - expectedDelay) / expectedDelay < 0.05);
    });
  }

  it('c = 40, ρ = 0.3: practically nobody waits (Erlang C ≈ 0)', () => {
    const { lambda, result } = mmcRun(40, 0.3, 300_000, 5);
    const expectedSeconds = erlangMeanWait(40, lambda, MU_PER_MINUTE) * 60;
    assert.ok(expectedSeconds < 1e-6);
    assert.ok(result.servers.MBX.summary.meanDeliveryWaitSeconds < 1e-4);
    assert.equal(result.servers.MBX.summary.exhaustedAt, null);
  });

  it("Little's law: arrival rate × mean delay ≈ mean number in the system (from the samples)", () => {
    const threads = 4;
    const lambda = 0.8 * threads * MU_PER_MINUTE;
    const duration = 2000;
    const runbook = makeRunbook([{ name: 'MBX', taskThreads: threads, deliveryPerMinute: lambda, deliveryServiceMs: SERVICE_MS }], [], {
      seed: 3,
      duration,
      sampleInterval: 0.1,
    });
    const result = simulate(runbook);
    const { summary, series } = result.servers.MBX;
    let inSystem = 0;
    for (let i = 0; i < series.t.length; i++) inSystem += series.delivery[i] + series.deliveryQueue[i];
    const meanInSystem = inSystem / series.t.length;
    const arrivalRate = summary.deliveriesArrived / duration;
    const littles = arrivalRate * (summary.meanDeliveryDelaySeconds / 60);
    assert.ok(Math.abs(meanInSystem - littles) / littles < 0.03, `L = ${meanInSystem.toFixed(4)}, λW = ${littles.toFixed(4)}`);
    // And the series has one sample per interval, memory bounded by samples rather than events.
    assert.equal(series.t.length, Math.floor(duration / 0.1 + 1e-9) + 1);
  });
});

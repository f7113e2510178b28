/**
 * Runs that are large in servers or long in time (issue 16): they simulate with bounded series
 * or are refused up front with one line naming the limit, never fill memory. Everything asserted
 * is independent of memory and time: sample counts, skipped stretches, refusal messages.
 */
import assert from 'node:assert/strict';
import { spreadRunbook } from '../../../bench/runbookGenerator';
import { lintText } from '../../../src/core/lint';
import {
  exhaustionFindings,
  MAX_SERIES_POINTS,
  simulate,
  Simulation,
  SimulationError,
  type SimulationResult,
} from '../../../src/core/simulator';
import { MAX_QUEUED_MESSAGES, MIN_SAMPLES_PER_SERVER } from '../../../src/core/simulator/budget';
import { QUIET_MARGIN_MINUTES } from '../../../src/core/simulator/quiet';
import { makeRunbook, type ServerSpec } from './runbooks';

const DAY = 1440;
const ORIGIN = Date.UTC(2026, 0, 5, 22, 0);

function modelOf(text: string) {
  const lint = lintText(text);
  assert.equal(lint.simulatable, true, lint.diagnostics.map((d) => d.message).join('\n'));
  return lint.runbook;
}

function points(result: SimulationResult): number {
  return Object.values(result.servers).reduce((sum, { series }) => sum + series.t.length, 0);
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SimulationError && error.kind === 'budget') return error.message;
    throw error;
  }
  assert.fail('the run was not refused');
}

describe('simulator: long spans and many servers stay bounded', function () {
  this.timeout(60_000);

  it('80 servers, two moves 11 months apart, no simulation block: the quiet months are skipped, the moves sampled each minute', () => {
    const text = spreadRunbook({ servers: 80, monthsApart: 11 });
    assert.ok(text.length < 5000, `${text.length} bytes`);
    const runbook = modelOf(text);
    const result = simulate(runbook);
    // The four servers the moves name are modelled; the other 76 are idle (no load, no step names them).
    assert.deepEqual(Object.keys(result.servers), ['EX01', 'EX02', 'EX03', 'EX04']);
    assert.equal(result.idleServers.length, 76);
    assert.equal(result.idleServers[0], 'EX05');
    assert.deepEqual(
      result.steps.map((step) => [step.id, step.completed]),
      [
        ['first-wave', true],
        ['second-wave', true],
      ],
    );
    const secondStart = result.steps[1].start;
    assert.equal(secondStart, (Date.UTC(2026, 11, 5, 22) - ORIGIN) / 60000);
    // One skipped stretch: from an hour after the first wave's last flush to an hour before the second wave.
    assert.equal(result.skipped.length, 1);
    assert.ok(Math.abs(result.skipped[0].start - (result.steps[0].end + 1 / 60 + QUIET_MARGIN_MINUTES)) < 1e-6);
    assert.equal(result.skipped[0].end, secondStart - QUIET_MARGIN_MINUTES);
    assert.equal(result.sampleInterval, 1);
    assert.equal(result.sampleIntervalWidenedFrom, null);
    const { t, move } = result.servers.EX01.series;
    assert.ok(t.length < 400, `${t.length} samples per server`);
    assert.ok(!t.some((time) => time > result.skipped[0].start && time < result.skipped[0].end), 'no sample inside the skipped stretch');
    assert.equal(move[t.indexOf(5)], 2, 'the first wave moves two mailboxes at once');
    assert.equal(result.servers.EX03.series.move[t.indexOf(secondStart + 5)], 2, 'so does the second, 11 months later');
    assert.ok(JSON.stringify(result).length < 5_000_000);
    assert.deepEqual(exhaustionFindings(runbook, result), []);
  });

  it('20 servers over 11 months with delivery load: the result serialises and is the same on every run', () => {
    const runbook = modelOf(spreadRunbook({ servers: 20, monthsApart: 11, deliveryPerMinute: 5 }));
    const first = simulate(runbook);
    const json = JSON.stringify(first);
    assert.equal(JSON.stringify(simulate(runbook)), json, 'deterministic');
    assert.equal(first.skipped.length, 1);
    const simulated = first.duration - (first.skipped[0].end - first.skipped[0].start);
    // Deliveries are counted only outside the skipped stretch: about 5 a minute of simulated time.
    const arrived = first.servers.EX05.summary.deliveriesArrived;
    assert.ok(Math.abs(arrived - 5 * simulated) < 5 * Math.sqrt(5 * simulated), `${arrived} over ${simulated} minutes`);
    assert.ok(first.events < 100_000, `${first.events} events`);
  });

  it('waiting and in-service work keep their ages across a skipped stretch (no delay includes the skipped months)', () => {
    // Heavy but stable load on one server: work is always in service, often waiting, when the clock jumps.
    const runbook = makeRunbook(
      [
        { name: 'A', taskThreads: 4, deliveryPerMinute: 1000, deliveryServiceMs: 200 },
        { name: 'B', taskThreads: 4 },
      ],
      [
        { id: 'wait-a', action: 'wait', duration: 10, start: ORIGIN },
        { id: 'wait-b', action: 'wait', duration: 10, start: ORIGIN + 300 * DAY * 60000 },
      ],
      { seed: 4 },
    );
    const result = simulate(runbook);
    assert.equal(result.skipped.length, 1);
    const { summary, series } = result.servers.A;
    assert.ok(summary.meanDeliveryDelaySeconds < 5, `mean delay ${summary.meanDeliveryDelaySeconds} s`);
    assert.ok(summary.p95DeliveryDelaySeconds < 60, `p95 ${summary.p95DeliveryDelaySeconds} s`);
    assert.equal(summary.exhaustedAt, null);
    // Little's law over the simulated time: arrivals per minute × mean delay ≈ mean number in the system.
    let inSystem = 0;
    for (let i = 0; i < series.t.length; i++) inSystem += series.delivery[i] + series.deliveryQueue[i];
    const simulated = result.duration - (result.skipped[0].end - result.skipped[0].start);
    const littles = (summary.deliveriesArrived / simulated) * (summary.meanDeliveryDelaySeconds / 60);
    assert.ok(Math.abs(inSystem / series.t.length - littles) / littles < 0.1, `L ${inSystem / series.t.length}, λW ${littles}`);
  });

  it('a store that cannot keep up with its load is never skipped over: its backlog grows as it would', () => {
    const overloaded: ServerSpec = { name: 'A', taskThreads: 1, deliveryPerMinute: 10, deliveryServiceMs: 12_000 };
    const runbook = makeRunbook(
      [overloaded],
      [
        { id: 'first', action: 'wait', duration: 1, start: ORIGIN },
        { id: 'later', action: 'wait', duration: 1, start: ORIGIN + 2 * DAY * 60000 },
      ],
      { serviceTime: 'deterministic' },
    );
    const result = simulate(runbook);
    assert.deepEqual(result.skipped, []);
    // 10 arrive and 5 are served a minute: the queue grows by about 5 a minute for the two days.
    assert.ok(result.servers.A.summary.maxLocalDeliveryQueue > 5 * 2 * DAY * 0.9);
  });

  it('10,000 servers (1 MB), two steps: only the two servers the steps name are modelled, sampled each minute', () => {
    const text = spreadRunbook({ servers: 10_000, monthsApart: 0, mtaDisabled: true });
    assert.ok(text.length > 1_000_000);
    const runbook = modelOf(text);
    const result = simulate(runbook);
    assert.deepEqual(Object.keys(result.servers), ['EX00001', 'EX00002']);
    assert.equal(result.idleServers.length, 9_998);
    assert.equal(result.idleServers[0], 'EX00003');
    assert.equal(result.idleServers.at(-1), 'EX10000');
    // Idle servers take no share of the series: the interval is the one asked for.
    assert.equal(result.sampleIntervalWidenedFrom, null);
    assert.equal(result.sampleInterval, 1);
    assert.ok(points(result) <= MAX_SERIES_POINTS, `${points(result)} samples`);
    // The exposed source registers a flush per mailbox; the KB924567 install right after restarts the store and ends them.
    const source = result.servers.EX00001;
    assert.equal(source.summary.flushTasksRegistered, 10);
    const hotfix = result.steps[1];
    assert.ok(source.series.t.some((time, i) => time < hotfix.start && source.series.flush[i] > 0));
    assert.ok(source.series.t.every((time, i) => time < hotfix.start || source.series.flush[i] === 0));
  });

  it('idle servers change nothing for the servers that work: same summaries and series as the runbook without them', () => {
    const text = spreadRunbook({ servers: 200, monthsApart: 0, mtaDisabled: true });
    const full = simulate(modelOf(text));
    // The same runbook with only the servers the steps name.
    const kept = text.replace(/^ {2}- name: EX(?!001$|002$)\d{3}\n(?: {4}.*\n)*/gm, '');
    const alone = simulate(modelOf(kept));
    assert.equal(alone.idleServers.length, 0);
    assert.equal(full.idleServers.length, 198);
    assert.deepEqual(full.servers, alone.servers);
    assert.deepEqual(full.steps, alone.steps);
    assert.equal(full.events, alone.events);
  });

  it('an explicit sample interval that does not fit is refused up front, naming the limit and both settings', () => {
    // Light load on every server, so all 80 are modelled (idle servers take no share of the series).
    const runbook = modelOf(
      spreadRunbook({ servers: 80, monthsApart: 0, deliveryPerMinute: 0.01 }).replace(
        'steps:\n',
        'simulation:\n  sampleInterval: 1m\n  duration: 30d\nsteps:\n',
      ),
    );
    let constructed = false;
    const message = refusal(() => {
      new Simulation(runbook);
      constructed = true;
    });
    assert.equal(constructed, false, 'refused by the constructor, before any event runs');
    assert.equal(
      message,
      'this run would need ~3,456,080 samples (80 servers × 43,201 samples, one every 1m); the limit is 500,000; ' +
        'raise simulation.sampleInterval to 10m or more, or shorten the run (simulation.duration)',
    );
  });

  it('without an explicit interval the same run is widened instead, to the interval the refusal would suggest', () => {
    const runbook = modelOf(
      spreadRunbook({ servers: 80, monthsApart: 0, deliveryPerMinute: 0.01 }).replace('steps:\n', 'simulation:\n  duration: 30d\nsteps:\n'),
    );
    const result = simulate(runbook);
    assert.equal(result.sampleInterval, 10);
    assert.equal(result.sampleIntervalWidenedFrom, 1);
    assert.equal(result.servers.EX01.series.t.length, (30 * DAY) / 10 + 1);
    assert.ok(points(result) <= MAX_SERIES_POINTS);
  });

  it('a run that outlasts its plan doubles its interval as it goes instead of outgrowing the series', () => {
    // The exposed source stalls its moves (threads held by flushes), so the run lasts longer than planned;
    // at this interval the plan just fits and the real run does not.
    const servers: ServerSpec[] = [
      { name: 'A', mtaService: 'disabled', gatewayOutThreads: 0, deliveryPerMinute: 100, deliveryServiceMs: 100 },
      { name: 'B' },
    ];
    const steps = [
      {
        id: 'wave',
        action: 'move-mailboxes' as const,
        from: 'A',
        to: 'B',
        mailboxes: { count: 400, averageSizeMB: 250 },
        concurrency: 4,
        throughputMBPerMinute: 30,
      },
    ];
    const interval = 0.0045;
    const result = simulate(makeRunbook(servers, steps, { sampleInterval: interval, seed: 3 }));
    assert.ok(result.duration > 983, 'the run outlasted its plan');
    assert.equal(result.sampleIntervalWidenedFrom, interval);
    assert.equal(result.sampleInterval, 2 * interval);
    const { t } = result.servers.A.series;
    assert.ok(t.length * 2 <= MAX_SERIES_POINTS);
    assert.ok(t.every((time, i) => time === i * 2 * interval));
  });

  it('more servers than the series can show is refused with the limit and what to do', () => {
    const many = Array.from({ length: MAX_SERIES_POINTS / MIN_SAMPLES_PER_SERVER + 1 }, (_, i) => ({ name: `S${i}`, owaPerMinute: 0.01 }));
    assert.equal(
      refusal(() => new Simulation(makeRunbook(many, []))),
      'this runbook has 20,001 servers with load or steps; the simulator keeps at most 500,000 samples in all, fewer than 25 per server; ' +
        'split the runbook so each simulates at most 20,000 servers',
    );
  });

  it('idle servers are not counted against the series: 20,001 of them and one that works simulate', () => {
    const many: ServerSpec[] = Array.from({ length: MAX_SERIES_POINTS / MIN_SAMPLES_PER_SERVER + 1 }, (_, i) => ({ name: `S${i}` }));
    const result = simulate(makeRunbook([...many, { name: 'W', owaPerMinute: 1 }], [], { duration: 60 }));
    assert.deepEqual(Object.keys(result.servers), ['W']);
    assert.equal(result.idleServers.length, many.length);
    assert.equal(result.sampleIntervalWidenedFrom, null);
  });

  it('a queue that would hold millions of messages is stopped with one line naming the store', () => {
    const flooded = makeRunbook([{ name: 'A', taskThreads: 1, deliveryPerMinute: 1_000_000, deliveryServiceMs: 1000 }], [], {
      duration: 10,
    });
    assert.equal(
      refusal(() => simulate(flooded, { maxEvents: 30_000_000 })),
      `more than ${(MAX_QUEUED_MESSAGES / 1e6).toFixed(0)},000,000 messages would wait for store threads at once (A cannot keep ` +
        'up with its load); lower load.localDeliveryPerMinute or load.owaRequestsPerMinute, raise store.taskThreads, or ' +
        'shorten the run (simulation.duration)',
    );
  });

  it('work piling up in service on a huge pool is stopped with one line', () => {
    const huge = makeRunbook([{ name: 'A', taskThreads: 3_000_000, deliveryPerMinute: 1_000_000, deliveryServiceMs: 3_600_000 }], [], {
      duration: 5,
    });
    assert.equal(
      refusal(() => simulate(huge)),
      'more than 2,097,152 deliveries, OWA requests and moves would be in progress at once; lower store.taskThreads or the load, ' +
        'or shorten the run (simulation.duration)',
    );
  });
});

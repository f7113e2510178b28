/** The simulator's public API on the shipped examples: determinism, budget, cancellation, slicing, what-ifs and EXR005. */
import assert from 'node:assert/strict';
import { formatSimulation, formatWhatIf } from '../../../src/cli/simulate';
import { applyWhatIf, exhaustionFindings, hotfixEverySource, simulate, Simulation, SimulationError } from '../../../src/core/simulator';
import { DelayHistogram } from '../../../src/core/simulator/histogram';
import { exampleRunbook, makeRunbook } from './runbooks';

describe('simulator: the shipped examples', function () {
  this.timeout(60000);
  const exposed = exampleRunbook('kb924567-exposed');
  const exposedResult = simulate(exposed.runbook);

  it('kb924567-exposed: EXCH01 runs out of threads during wave1, held mostly by flushes', () => {
    const summary = exposedResult.servers.EXCH01.summary;
    assert.notEqual(summary.exhaustedAt, null);
    assert.equal(summary.exhaustedDuringStep, 'wave1');
    const wave = exposedResult.steps[0];
    assert.ok(summary.exhaustedAt! > wave.start && summary.exhaustedAt! < wave.end);
    assert.ok(summary.flushThreadsAtExhaustion! > summary.threadPool / 2);
    assert.equal(summary.flushTasksRegistered, 400);
    assert.ok(summary.maxLocalDeliveryQueue > 1000);
    assert.ok(summary.owaUnanswered > 0);
    assert.equal(exposedResult.servers.EXCH02.summary.exhaustedAt, null);
    assert.equal(exposedResult.clockOrigin, Date.UTC(2026, 11, 5, 22, 0, 0));
  });

  it('kb924567-exposed: EXR005 on the step’s `from`, with when, the step and the flush-held threads', () => {
    const findings = exhaustionFindings(exposed.runbook, exposedResult);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding.code, 'EXR005');
    assert.equal(exposed.text.slice(finding.span.start, finding.span.end), 'EXCH01');
    assert.deepEqual(finding.span, exposed.runbook.steps[0].from!.span);
    assert.match(
      finding.message,
      /^The simulation predicts EXCH01 runs out of store task threads at \d\d:\d\d UTC, \d+ h( \d+ m)? into wave1: \d+ of 40 threads are held by transit-mail flushes; mail waits in the local delivery queue and OWA stops answering\.$/,
    );
    assert.deepEqual(finding.data, { server: 'EXCH01', stepIndex: 0, exhaustedAt: exposedResult.servers.EXCH01.summary.exhaustedAt });
  });

  it('kb924567-fixed: no server runs out, no EXR005', () => {
    const fixed = exampleRunbook('kb924567-fixed');
    const result = simulate(fixed.runbook);
    for (const { summary } of Object.values(result.servers)) assert.equal(summary.exhaustedAt, null, summary.server);
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 0);
    assert.deepEqual(exhaustionFindings(fixed.runbook, result), []);
    assert.deepEqual(
      result.steps.map((step) => [step.id, step.start]),
      [
        ['hotfix', 0],
        ['settle', 10],
        ['wave1', 60],
      ],
    );
  });

  it('multi-wave: runs every step; wave 2a is exposed on EXCH03, wave 2b is not', () => {
    const multi = exampleRunbook('multi-wave');
    const result = simulate(multi.runbook);
    assert.equal(result.seed, 7);
    assert.ok(result.steps.every((step) => step.completed));
    assert.deepEqual(Object.keys(result.servers), ['EXCH01', 'EXCH02', 'EXCH03']);
    assert.equal(result.servers.EXCH03.summary.flushTasksRegistered, 250, 'one flush per wave 2a mailbox, none after the hotfix');
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 0);
    const findings = exhaustionFindings(multi.runbook, result);
    assert.deepEqual(
      findings.map((f) => [f.data?.server, f.data?.stepIndex]),
      [['EXCH03', 3]],
    );
    assert.deepEqual(result.assumptions.assumed, [
      'storeTaskThreads',
      'hotfixInstallMinutes',
      'servicePackInstallMinutes',
      'setMtaMinutes',
      'maxEvents',
    ]);
  });

  it('the same seed gives identical JSON; another seed differs', () => {
    const again = simulate(exposed.runbook);
    assert.equal(JSON.stringify(again), JSON.stringify(exposedResult));
    const other = simulate(exposed.runbook, { seed: 2 });
    assert.equal(other.seed, 2);
    assert.notEqual(JSON.stringify(other), JSON.stringify(exposedResult));
  });

  it('Simulation in slices gives the same result as simulate(), with progress from 0 to 1', () => {
    const simulation = new Simulation(exposed.runbook);
    const progress: number[] = [simulation.progress];
    let slices = 0;
    while (!simulation.runFor(50_000)) {
      progress.push(simulation.progress);
      slices++;
    }
    progress.push(simulation.progress);
    assert.ok(slices > 10);
    assert.equal(progress[0], 0);
    assert.equal(progress[progress.length - 1], 1);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i] >= progress[i - 1] && progress[i] <= 1);
    assert.equal(JSON.stringify(simulation.result()), JSON.stringify(exposedResult));
  });

  it('what-if hotfix on every source: a new model, no flushes, no exhaustion', () => {
    const before = JSON.stringify(exposed.runbook);
    const whatIf = hotfixEverySource(exposed.runbook);
    assert.deepEqual(whatIf, { hotfix: ['EXCH01'] });
    const alternative = applyWhatIf(exposed.runbook, whatIf);
    assert.equal(JSON.stringify(exposed.runbook), before, 'the input is not changed');
    assert.ok(alternative.servers[0].hotfixes.some((kb) => kb.value === 'KB924567'));
    assert.equal(alternative.servers[0].gatewayOutThreads?.value, 0);
    const result = simulate(alternative);
    assert.equal(result.servers.EXCH01.summary.flushTasksRegistered, 0);
    assert.equal(result.servers.EXCH01.summary.exhaustedAt, null);
    // The other what-if knobs.
    const tuned = applyWhatIf(exposed.runbook, { concurrency: 2, taskThreads: { exch01: 80 }, gatewayOutThreads: { EXCH02: 0 } });
    assert.equal(tuned.steps[0].concurrency?.value, 2);
    assert.equal(tuned.servers[0].taskThreads?.value, 80);
    assert.equal(tuned.servers[1].gatewayOutThreads?.value, 0);
    assert.equal(JSON.stringify(exposed.runbook), before);
  });

  it('without series (what EXR005 and CodeLens ask for) the summaries and steps are the same, the series empty', () => {
    const lean = simulate(exposed.runbook, { series: false });
    assert.deepEqual(lean.steps, exposedResult.steps);
    assert.deepEqual(lean.servers.EXCH01.summary, exposedResult.servers.EXCH01.summary);
    assert.equal(lean.events, exposedResult.events);
    assert.deepEqual(lean.servers.EXCH01.series.t, []);
    assert.ok(exposedResult.servers.EXCH01.series.t.length > 100);
  });

  it('formats a readable summary and a what-if comparison', () => {
    const text = formatSimulation(exposedResult, exposed.runbook);
    assert.match(text, /^EXCH01: 40 store task threads$/m);
    assert.match(text, /threads ran out +\d\d:\d\d UTC, 1 h \d+ m into wave1: \d+ of 40 threads are held by transit-mail flushes/);
    assert.match(text, /OWA +[\d,]+ of [\d,]+ requests unanswered/);
    assert.match(text, /^ {2}wave1 took 1 d \d+ h instead of the planned 13 h 53 m: slowed by the load$/m);
    assert.match(text, /transit-mail flushes +400 registered, [\d,]+ thread-minutes/);
    assert.match(text, /^ +40 ┤.*█/m, 'a chart whose top is the pool, full while threads are out');
    for (const line of text.split('\n')) assert.ok([...line].length <= 120, `line too wide: ${line}`);
    const alternative = simulate(applyWhatIf(exposed.runbook, hotfixEverySource(exposed.runbook)));
    const comparison = formatWhatIf(exposedResult, alternative, exposed.runbook, 'with KB924567 on every source');
    assert.match(comparison, /with KB924567 on every source/);
    assert.match(comparison, /threads ran out +\d\d:\d\d UTC, 1 h \d+ m into wave1 +never$/m);
    assert.match(comparison, /flush thread-minutes +[\d,]+ \(400 flushes\) +0 \(0 flushes\)$/m);
  });
});

describe('simulator: budget, cancellation, bad input', () => {
  const { runbook } = exampleRunbook('kb924567-exposed');

  it('refuses up front a run that would exceed the event budget, with the documented message', () => {
    assert.throws(
      () => simulate(runbook, { maxEvents: 1000 }),
      (error: unknown) =>
        error instanceof SimulationError &&
        error.kind === 'budget' &&
        /^this runbook would need ~[\d,]+ events; the limit is 1,000; raise simulation\.maxEvents or shorten the run$/.test(error.message),
    );
  });

  it('the runbook’s simulation.maxEvents applies when the caller gives none', () => {
    const limited = { ...runbook, simulation: { ...runbook.simulation, maxEvents: { value: 5000, span: { start: 0, end: 0 } } } };
    assert.throws(() => simulate(limited), /the limit is 5,000;/);
  });

  it('also enforces the budget while running (exhaustion makes this run longer than planned)', () => {
    // The estimate (about 0.83 million events) passes; the stalled moves make the real run need 1.3 million.
    assert.throws(
      () => simulate(runbook, { maxEvents: 1_000_000 }),
      (error: unknown) => error instanceof SimulationError && error.kind === 'budget' && /the limit is 1,000,000;/.test(error.message),
    );
  });

  it('stops when the caller cancels', () => {
    let asked = 0;
    assert.throws(
      () => simulate(runbook, { shouldCancel: () => ++asked >= 3 }),
      (error: unknown) => error instanceof SimulationError && error.kind === 'cancelled',
    );
    assert.equal(asked, 3);
  });

  it('an empty or half-written runbook simulates without crashing', () => {
    const empty = simulate({ servers: [], steps: [], simulation: {} });
    assert.deepEqual(empty.servers, {});
    assert.equal(empty.duration, 0);
    const broken = makeRunbook(
      [{ name: 'A' }],
      [
        { id: 'to-nowhere', action: 'move-mailboxes', from: 'A', to: 'GHOST', mailboxes: [100] },
        { id: 'same', action: 'move-mailboxes', from: 'A', to: 'a', mailboxes: [100] },
        { id: 'no-mailboxes', action: 'move-mailboxes', from: 'A', to: 'A' },
        { id: 'restart-unknown', action: 'reboot', server: 'GHOST' },
      ],
    );
    const result = simulate(broken);
    assert.ok(result.steps.every((step) => step.completed && Number.isFinite(step.end)));
  });

  it('zero throughput from the caller is an invalid run, not a hang', () => {
    const plain = makeRunbook(
      [{ name: 'A' }, { name: 'B' }],
      [{ id: 'm', action: 'move-mailboxes', from: 'A', to: 'B', mailboxes: [100] }],
    );
    assert.throws(
      () => simulate(plain, { assumptions: { moveThroughputMBPerMinute: 0 } }),
      (error: unknown) => error instanceof SimulationError && error.kind === 'invalid',
    );
  });

  it('a tiny sample interval over a long run is refused instead of filling memory', () => {
    const long = makeRunbook([{ name: 'A', owaPerMinute: 0.001 }], [], { duration: 60 * 24 * 365, sampleInterval: 1 / 60 });
    assert.throws(
      () => simulate(long),
      (error: unknown) =>
        error instanceof SimulationError &&
        error.kind === 'budget' &&
        error.message ===
          'this run would need ~31,536,001 samples (1 server × 31,536,001 samples, one every 1s); the limit is 500,000; ' +
            'raise simulation.sampleInterval to 2m or more, or shorten the run (simulation.duration)',
    );
  });
});

describe('simulator: delay histogram', () => {
  it('gives percentiles within 1 % from bounded memory', () => {
    const histogram = new DelayHistogram();
    for (let ms = 1; ms <= 100_000; ms++) histogram.add(ms);
    assert.ok(Math.abs(histogram.quantile(0.95) - 95_000) / 95_000 < 0.01);
    assert.ok(Math.abs(histogram.quantile(0.5) - 50_000) / 50_000 < 0.01);
    assert.ok(Math.abs(histogram.quantile(0.001) - 100) < 1);
    histogram.add(1e12);
    assert.ok(Number.isFinite(histogram.quantile(1)));
  });
});

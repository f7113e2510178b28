import assert from 'node:assert/strict';
import { codeLenses } from '../../../src/core/features';
import { analyze } from '../../../src/core/lint';
import { IncrementalAnalyzer } from '../../../src/core/incremental/incrementalAnalyzer';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import type { SimulationStatus } from '../../../src/core/features';
import type { ExhaustionRecord, SimulationResult } from '../../../src/core/simulator/result';
import { readExample } from '../../support';

/** A simulation result in which only the given servers ran out of threads (the CodeLens reads summaries only). */
function resultWith(exhaustions: Record<string, ExhaustionRecord[]>, servers: string[]): SimulationResult {
  const summary = (server: string) => ({
    server,
    threadPool: 40,
    peakThreadsBusy: 40,
    exhaustedAt: exhaustions[server]?.[0]?.at ?? null,
    exhaustedDuringStep: exhaustions[server]?.[0]?.step ?? null,
    flushThreadsAtExhaustion: exhaustions[server]?.[0]?.flushThreads ?? null,
    maxLocalDeliveryQueue: 0,
    maxLocalDeliveryQueueAt: null,
    maxLocalDeliveryQueueDownFor: null,
    meanDeliveryWaitSeconds: 0,
    meanDeliveryDelaySeconds: 0,
    p95DeliveryDelaySeconds: 0,
    owaUnanswered: 0,
    owaRequests: 0,
    flushTasksRegistered: 0,
    flushThreadMinutes: 0,
    deliveriesCompleted: 0,
    deliveriesArrived: 0,
    localQueueOverThreshold: {
      threshold: 1000,
      firstAt: null,
      firstMinutes: null,
      stretches: 0,
      totalMinutes: 0,
      longestMinutes: 0,
      overAtEnd: false,
    },
    exhaustions: exhaustions[server] ?? [],
  });
  const series = { t: [], delivery: [], owa: [], move: [], flush: [], deliveryQueue: [], pool: [] };
  return {
    servers: Object.fromEntries(servers.map((server) => [server, { summary: summary(server), series }])),
    steps: [],
    seed: 1,
    events: 0,
    duration: 600,
    sampleInterval: 1,
    sampleIntervalWidenedFrom: null,
    idleServers: [],
    skipped: [],
    clockOrigin: null,
    assumptions: { values: {} as SimulationResult['assumptions']['values'], assumed: [], fromCaller: [] },
  };
}

describe('CodeLens', () => {
  const text = readExample('multi-wave.runbook.yaml');
  const analysis = analyze(text);
  const moves = ['wave1', 'wave2a', 'wave2b'].map((id) => analysis.runbook.steps.findIndex((step) => step.id?.value === id));

  it('puts "▶ Simulate" (with the step index) and "simulating…" on the dash line of each move step while no result exists', () => {
    const lenses = codeLenses(analysis, { simulating: true });
    assert.deepEqual(
      lenses.map((lens) => [lens.stepIndex, lens.title, lens.command ?? null]),
      moves.flatMap((index) => [
        [index, '▶ Simulate', 'exrunbook.simulate'],
        [index, 'simulating…', null],
      ]),
    );
    for (const lens of lenses) assert.equal(text.slice(lens.span.start, lens.span.start + 6), '- id: ');
  });

  it('predicts per step from the last result: when threads run out and how many flushes hold them', () => {
    const result = resultWith(
      {
        EXCH03: [
          {
            at: 107,
            stepIndex: moves[1],
            step: 'wave2a',
            flushThreads: 38,
            threadPool: 40,
            busy: { delivery: 0, owa: 0, move: 2, flush: 38 },
            afterRestart: null,
          },
        ],
      },
      ['EXCH01', 'EXCH02', 'EXCH03'],
    );
    const predictions = codeLenses(analysis, { simulation: { result }, simulating: true }).filter((lens) => !lens.command);
    assert.deepEqual(
      predictions.map((lens) => [lens.stepIndex, lens.title]),
      [
        [moves[0], 'no exhaustion'],
        [moves[1], '⚠ EXCH03: threads run out at +1h47m, during wave2a (38 of 40 held by flushes)'],
        [moves[2], 'no exhaustion'],
      ],
    );
  });

  it('names the target server too when it is the one that runs out', () => {
    const result = resultWith(
      {
        EXCH02: [
          {
            at: 30,
            stepIndex: moves[0],
            step: 'wave1',
            flushThreads: 0,
            threadPool: 40,
            busy: { delivery: 0, owa: 0, move: 40, flush: 0 },
            afterRestart: null,
          },
        ],
      },
      ['EXCH01', 'EXCH02', 'EXCH03'],
    );
    const wave1 = codeLenses(analysis, { simulation: { result }, simulating: true }).find(
      (lens) => lens.stepIndex === moves[0] && !lens.command,
    )!;
    assert.equal(wave1.title, '⚠ EXCH02: threads run out at +30m, during wave1');
  });

  it('says why there is no prediction, or shows none when simulation is off', () => {
    const failed = codeLenses(analysis, {
      simulation: { error: 'The run would need more than 1,000 events.\nDetails…' },
      simulating: true,
    });
    assert.equal(failed[1].title, 'no prediction: The run would need more than 1,000 events.');
    assert.deepEqual(
      codeLenses(analysis, { simulating: false }).map((lens) => lens.title),
      ['▶ Simulate', '▶ Simulate', '▶ Simulate'],
    );
    assert.deepEqual(codeLenses(analyze('runbook: [\n'), { simulating: true }), []);
  });

  it('while errors block the simulation: the last prediction marked stale with the reason, else the reason (issue 17)', () => {
    const blocked = '1 error blocks the simulation: Unknown field `concurency` in step `wave1`: did you mean `concurrency`?';
    const result = resultWith({}, ['EXCH01', 'EXCH02', 'EXCH03']);
    const stale = codeLenses(analysis, { simulation: { result, stale: true }, simulating: false, blocked });
    assert.equal(stale[1].title, `no exhaustion (stale: ${blocked.slice(0, 100)}…)`);
    const none = codeLenses(analysis, { simulating: false, blocked });
    assert.equal(none[1].title, `no prediction: ${blocked.slice(0, 100)}…`);
  });

  it("after edits, last time's lenses (reused for the unchanged steps) equal a fresh computation, for every status", () => {
    const random = seededRandom(31);
    let text = generateRunbook({ steps: 60, seed: 3 });
    const analyzer = new IncrementalAnalyzer();
    const first = analyzer.update(text);
    const servers = first.runbook.servers.map((server) => server.name!.value);
    const moveIndexes = first.runbook.steps.flatMap((step, index) => (step.action?.value === 'move-mailboxes' ? [index] : []));
    const record = (stepIndex: number | null, step: string) => ({
      at: 90,
      stepIndex,
      step,
      flushThreads: 2,
      threadPool: 40,
      busy: { delivery: 0, owa: 0, move: 38, flush: 2 },
      afterRestart: null,
    });
    // Exhaustions by position (they move to another step when steps are inserted above) and one by id only.
    const exhaustions = Object.fromEntries(
      servers.map((server, i) => [
        server,
        [
          record(moveIndexes[i % moveIndexes.length], 'x'),
          record(null, first.runbook.steps[moveIndexes[(i + 3) % moveIndexes.length]].id!.value),
        ],
      ]),
    );
    const result = resultWith(exhaustions, servers);
    const blocked = '1 error blocks the simulation: something.';
    const statuses: SimulationStatus[] = [
      { simulating: false },
      { simulating: true },
      { simulating: false, blocked },
      { simulation: { result }, simulating: true },
      { simulation: { result, stale: true }, simulating: false, blocked },
      { simulation: { error: 'It failed.' }, simulating: true },
    ];
    const move = (id: string) =>
      `  - id: ${id}\n    action: move-mailboxes\n    from: ${servers[0]}\n    to: ${servers[1]}\n    mailboxes: { count: 10, averageSizeMB: 100 }\n`;
    for (let round = 0; round < 60; round++) {
      const starts = [...text.matchAll(/^ {2}- /gm)].map((match) => match.index!);
      const at = starts[Math.floor(random() * starts.length)];
      const next = starts.find((start) => start > at) ?? text.length;
      const kind = round % 4;
      if (kind === 0) text = text.slice(0, at) + move(`m${round}`) + text.slice(at);
      else if (kind === 1) text = text.slice(0, at) + text.slice(next);
      else if (kind === 2) text = text.replace(/(title: [^\n]*)/, `$1${round % 10}`);
      else text = text.slice(0, at) + text.slice(at, next) + text.slice(at);
      const analysis = analyzer.update(text);
      const fresh = analyze(text);
      // Ten edits under each status, so that last time's lenses are of the same status.
      const status = statuses[Math.floor(round / 10) % statuses.length];
      const lenses = codeLenses(analysis, status);
      assert.deepEqual(lenses, codeLenses(fresh, status), `round ${round}, status ${JSON.stringify(status).slice(0, 80)}`);
      // Asked again unchanged: the same lenses.
      assert.equal(codeLenses(analysis, status), lenses);
    }
    // A title edit at the end keeps the first step's lenses (the same objects).
    const before = codeLenses(analyzer.update(text), statuses[1]);
    const last = text.lastIndexOf('title: ');
    const after = codeLenses(analyzer.update(text.slice(0, last + 7) + 'x' + text.slice(last + 7)), statuses[1]);
    assert.equal(after[0], before[0]);
  });
});

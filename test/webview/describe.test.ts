import assert from 'node:assert/strict';
import type { ServerSummary, SimulationResult } from '../../src/core/simulator/result';
import {
  consequenceSentence,
  describeWhatIf,
  exhaustionSentence,
  formatTime,
  samplingSentence,
  serverVerdict,
  stretchSentence,
  summaryRows,
  whatIfVerdict,
} from '../../src/webview/describe';
import { resultsToCsv } from '../../src/webview/exportData';
import { placeLabels } from '../../src/webview/charts';

const noQueueOver = {
  threshold: 1000,
  firstAt: null,
  firstMinutes: null,
  stretches: 0,
  totalMinutes: 0,
  longestMinutes: 0,
  overAtEnd: false,
};

function summary(overrides: Partial<ServerSummary> = {}): ServerSummary {
  return {
    server: 'EXCH01',
    threadPool: 40,
    peakThreadsBusy: 40,
    exhaustedAt: null,
    exhaustedDuringStep: null,
    flushThreadsAtExhaustion: null,
    maxLocalDeliveryQueue: 0,
    maxLocalDeliveryQueueAt: null,
    maxLocalDeliveryQueueDownFor: null,
    meanDeliveryWaitSeconds: 0,
    meanDeliveryDelaySeconds: 0.25,
    p95DeliveryDelaySeconds: 0.7,
    owaUnanswered: 0,
    owaRequests: 1000,
    flushTasksRegistered: 0,
    flushThreadMinutes: 0,
    deliveriesCompleted: 5000,
    deliveriesArrived: 5000,
    localQueueOverThreshold: noQueueOver,
    exhaustions: [],
    ...overrides,
  };
}

function result(servers: ServerSummary[], clockOrigin: number | null = Date.UTC(2026, 11, 5, 22, 0)): SimulationResult {
  return {
    servers: Object.fromEntries(
      servers.map((s) => [
        s.server,
        {
          summary: s,
          series: { t: [0, 1], delivery: [1, 2], owa: [0, 1], move: [4, 4], flush: [0, 1], deliveryQueue: [0, 3], pool: [40, 40] },
        },
      ]),
    ),
    steps: [{ id: 'wave1', index: 0, action: 'move-mailboxes', start: 0, end: 600, planned: 540, completed: true }],
    seed: 1,
    events: 100,
    duration: 750,
    sampleInterval: 1,
    sampleIntervalWidenedFrom: null,
    idleServers: [],
    skipped: [],
    clockOrigin,
    assumptions: { values: {} as SimulationResult['assumptions']['values'], assumed: [], fromCaller: [] },
  };
}

describe('what the simulation panel says', () => {
  const exhausted = summary({
    exhaustedAt: 107,
    exhaustedDuringStep: 'wave1',
    flushThreadsAtExhaustion: 38,
    maxLocalDeliveryQueue: 5213,
    owaUnanswered: 120,
    p95DeliveryDelaySeconds: 2400,
  });

  it('says when, how far into which step, and how many threads flushes hold', () => {
    assert.equal(
      exhaustionSentence(result([exhausted]), exhausted),
      'EXCH01 runs out of store threads at 23:47 UTC, 1 h 47 m into wave1: 38 of 40 threads are held by transit-mail flushes',
    );
  });

  it('names a later exhaustion in another step, with the flushes then', () => {
    const twice = summary({
      exhaustedAt: 107,
      exhaustedDuringStep: 'wave1',
      flushThreadsAtExhaustion: 0,
      exhaustions: [
        {
          at: 107,
          stepIndex: 0,
          step: 'wave1',
          flushThreads: 0,
          threadPool: 40,
          busy: { delivery: 0, owa: 0, move: 40, flush: 0 },
          afterRestart: null,
        },
        {
          at: 130,
          stepIndex: 0,
          step: 'wave1',
          flushThreads: 36,
          threadPool: 40,
          busy: { delivery: 0, owa: 0, move: 4, flush: 36 },
          afterRestart: null,
        },
      ],
    });
    assert.equal(
      serverVerdict(result([twice]), twice),
      'EXCH01 runs out of store threads at 23:47 UTC, 1 h 47 m into wave1: all 40 threads are busy: ' +
        '40 with mailbox moves; again at 2026-12-06 00:10 UTC, 2 h 10 m into wave1: 36 of 40 threads ' +
        'are held by transit-mail flushes',
    );
  });

  it('uses offsets from the start when the runbook gives no clock time', () => {
    assert.equal(
      exhaustionSentence(result([exhausted], null), exhausted),
      'EXCH01 runs out of store threads at 1 h 47 m into wave1: 38 of 40 threads are held by transit-mail flushes',
    );
  });

  it('adds the date once the time is past the first day', () => {
    assert.equal(formatTime(result([]), 180), '2026-12-06 01:00 UTC');
  });

  it('says when the charts sample more coarsely than asked and which quiet stretch was skipped', () => {
    const plain = result([summary()]);
    assert.equal(samplingSentence(plain), null);
    const coarse = { ...plain, sampleInterval: 5, sampleIntervalWidenedFrom: 1, skipped: [{ start: 77, end: 480_900 }] };
    assert.equal(
      samplingSentence(coarse),
      'The charts show a sample every 5 m (not every 1 m) so the series of 1 server fit. 333 d 21 h of quiet between steps ' +
        '(23:17 UTC to 2027-11-04 21:00 UTC) was skipped: no step ran and no flush held a thread.',
    );
  });

  it('says nothing runs out when nothing does', () => {
    const fine = summary({ peakThreadsBusy: 12 });
    assert.equal(exhaustionSentence(result([fine]), fine), null);
    assert.equal(serverVerdict(result([fine]), fine), 'EXCH01 never runs out of store threads (at most 12 of 40 busy)');
    assert.equal(consequenceSentence(fine), null);
  });

  it('does not say "never runs out" beside "all 40 busy": a full pool for moments is a burst, not exhaustion', () => {
    const bursts = summary({ peakThreadsBusy: 40 });
    const verdict = serverVerdict(result([bursts]), bursts);
    assert.equal(verdict, 'EXCH01 never runs out of store threads: all 40 were busy only in bursts shorter than 1 m');
    assert.doesNotMatch(verdict, /at most 40 of 40/);
  });

  it('names the cause of an exhaustion in the words EXR005 uses, a restart included', () => {
    const afterRestart = summary({
      exhaustedAt: 107,
      exhaustedDuringStep: 'wave1',
      flushThreadsAtExhaustion: 0,
      exhaustions: [
        {
          at: 107,
          stepIndex: 0,
          step: 'wave1',
          flushThreads: 0,
          threadPool: 40,
          busy: { delivery: 30, owa: 6, move: 4, flush: 0 },
          afterRestart: { step: 'restart-store', waiting: 1200 },
        },
      ],
    });
    assert.equal(
      exhaustionSentence(result([afterRestart]), afterRestart),
      'EXCH01 runs out of store threads at 23:47 UTC, 1 h 47 m into wave1: all 40 threads are busy working off the ' +
        '1,200 requests that queued while step restart-store had the store down',
    );
  });

  it('points out a step the load stretched well past its plan, and not one that ran about as planned', () => {
    const base = result([summary()]);
    assert.equal(stretchSentence(base), null, '600 m for 540 planned is within a quarter');
    const stretched = {
      ...base,
      steps: [
        { id: 'wave1', index: 0, action: 'move-mailboxes', start: 0, end: 960, planned: 420, completed: true },
        { id: 'patch', index: 1, action: 'install-hotfix', start: 960, end: 990, planned: 30, completed: true },
        { id: 'wave2', index: 2, action: 'move-mailboxes', start: 990, end: 1500, planned: 240, completed: false },
      ],
    };
    assert.equal(
      stretchSentence(stretched),
      'wave1 took 16 h instead of the planned 7 h: its moves waited for store threads; wave2 had run 8 h 30 m of a ' +
        'planned 4 h and was not finished when the run ended: its moves waited for store threads.',
    );
  });

  it('names the consequences for mail and OWA', () => {
    assert.equal(
      consequenceSentence(exhausted),
      'The local delivery queue reaches 5,213 messages; 1 message in 20 takes longer than 40 m to ' +
        'deliver; 120 of 1,000 OWA requests go unanswered.',
    );
  });

  it('describes the what-if and its verdict', () => {
    const whatIf = { hotfix: ['EXCH01'], concurrency: 2 };
    assert.equal(describeWhatIf(whatIf), 'KB924567 on EXCH01 and move concurrency 2');
    const fixed = summary({ peakThreadsBusy: 9 });
    assert.equal(whatIfVerdict({ hotfix: ['EXCH01'] }, result([exhausted]), result([fixed])), 'With KB924567 on EXCH01: no exhaustion');
    const later = summary({ exhaustedAt: 150, exhaustedDuringStep: 'wave1', flushThreadsAtExhaustion: 39 });
    assert.equal(
      whatIfVerdict({ concurrency: 2 }, result([exhausted]), result([later])),
      'With move concurrency 2: EXCH01 still runs out of store threads at 2026-12-06 00:30 UTC, 2 h 30 m into wave1 (43 m later)',
    );
  });

  it('puts every summary field in the table, in words', () => {
    const rows = summaryRows(result([exhausted]), exhausted);
    assert.equal(rows.length, 14);
    assert.deepEqual(rows[2], ['Runs out of threads', '23:47 UTC, 1 h 47 m into wave1']);
  });

  it('compares runs of different length by rates, not totals', () => {
    // The plain run is twice as long as the what-if and so delivers twice as many messages in all;
    // per hour they deliver the same, and the table must say so.
    const long = { ...result([summary({ deliveriesCompleted: 20_000, deliveriesArrived: 20_000, owaUnanswered: 100 })]), duration: 1200 };
    const short = {
      ...result([summary({ deliveriesCompleted: 10_000, deliveriesArrived: 10_000, owaUnanswered: 50, owaRequests: 500 })]),
      duration: 600,
    };
    const row = (r: SimulationResult, label: string) => summaryRows(r, r.servers.EXCH01.summary).find(([name]) => name === label)![1];
    assert.equal(row(long, 'Messages delivered per hour'), '1,000 of 1,000 arriving');
    assert.equal(row(short, 'Messages delivered per hour'), '1,000 of 1,000 arriving');
    assert.equal(row(long, 'OWA requests unanswered'), row(short, 'OWA requests unanswered'));
    assert.equal(row(long, 'Simulated time'), '20 h');
    // A skipped quiet stretch counted nothing, so it is not in the rate's hours.
    const skipped = { ...long, duration: 1800, skipped: [{ start: 700, end: 1300 }] };
    assert.equal(row(skipped, 'Messages delivered per hour'), '1,000 of 1,000 arriving');
  });

  it('writes CSV that a spreadsheet cannot mistake for formulas', () => {
    const csv = resultsToCsv([{ label: 'as written', result: result([summary({ server: '=HYPERLINK("x")' })]) }]);
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], `as written,"'=HYPERLINK(""x"")",0,2026-12-05T22:00:00.000Z,1,0,4,0,5,40,0`);
  });
});

describe('the charts’ exhaustion labels', () => {
  it('never overlap: a label with no room beside its line is left out (two markers on a 300 px chart)', () => {
    // "out of threads" (about 80 px) and "what-if: out of threads" (about 130 px) 12 px apart near the right edge.
    const places = placeLabels(
      [
        { position: 240, width: 80 },
        { position: 252, width: 130 },
      ],
      300,
      4,
      8,
    );
    assert.equal(places[0], 156, 'the first goes left of its line: right of it runs off the canvas');
    assert.equal(places[1], null, 'the second has room on neither side');
  });

  it('keeps every label it places inside the canvas and clear of the one before', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 500; run++) {
      const width = 200 + random() * 800;
      const items = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
        position: random() * width,
        width: 40 + random() * 120,
      })).sort((a, b) => a.position - b.position);
      const places = placeLabels(items, width, 4, 8);
      let end = -Infinity;
      places.forEach((x, i) => {
        if (x === null) return;
        assert.ok(x >= 0 && x + items[i].width <= width + 1e-9, 'inside the canvas');
        assert.ok(x >= end, 'clear of the label before');
        end = x + items[i].width + 8;
      });
    }
  });
});

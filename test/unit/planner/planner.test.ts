import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { applyEdits } from '../../../src/core/edits';
import { analyze, lintText, type LintOptions } from '../../../src/core/lint';
import { comparePlans, findPlans, unifiedDiff, type PlanOutcome } from '../../../src/core/planner';
import { buildCandidate } from '../../../src/core/planner/candidates';
import { lineDiff } from '../../../src/core/planner/diff';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import { examplesDir, readExample } from '../../support';

const NIGHT = 'window:\n  daily: { from: "22:00", to: "06:00" }\nservers:';
const withWindow = (text: string, window = NIGHT) => text.replace(/^servers:/m, window);

/** The plan's text judged afresh: its own lint and its own simulation. */
function confirm(plan: PlanOutcome, options: Pick<LintOptions, 'mailboxFiles'> = {}): void {
  const first = lintText(plan.text, options);
  assert.ok(first.simulatable, 'the plan can be simulated');
  const result = simulate(first.runbook, { series: false });
  for (const { summary } of Object.values(result.servers)) assert.equal(summary.exhaustedAt, null, `${summary.server} runs out of threads`);
  // The strain is the plan's own simulation's: the worst queue, when, the line, the peak threads.
  const summaries = Object.values(result.servers).map((server) => server.summary);
  const worst = Math.max(0, ...summaries.map((s) => s.maxLocalDeliveryQueue));
  assert.equal(plan.strain.worstQueue, worst);
  assert.equal(plan.worstDeliveryQueue, worst);
  const worstServer = summaries.find((s) => s.maxLocalDeliveryQueue === worst && worst > 0);
  assert.equal(plan.strain.worstQueueServer, worstServer?.server ?? null);
  assert.equal(plan.strain.worstQueueAt, worstServer?.maxLocalDeliveryQueueAt ?? null);
  assert.equal(plan.strain.storeDownFor, worstServer?.maxLocalDeliveryQueueDownFor ?? null);
  const crosses = summaries.some((s) => s.localQueueOverThreshold.firstAt !== null);
  assert.equal(crosses, worst > plan.strain.threshold, 'the line is crossed exactly when the worst queue is above it');
  assert.equal(plan.mailStaysUp, !crosses);
  assert.equal(plan.strain.mailStaysUp, plan.mailStaysUp);
  assert.equal(Math.max(...summaries.map((s) => s.peakThreadsBusy / s.threadPool)), plan.strain.peakThreadsBusy / plan.strain.threadPool);
  if (!plan.mailStaysUp) assert.match(plan.strain.reason, /local delivery queue reaches [\d,]+ \(above 1,000\) at /);
  const diagnostics = lintText(plan.text, { ...options, extraFindings: simulationFindings(first.runbook, result) }).diagnostics;
  const left = diagnostics.filter((d) => ['EXR001', 'EXR004', 'EXR005', 'EXR008'].includes(d.code) || d.severity === 'error');
  assert.deepEqual(
    left.map((d) => `${d.code} ${d.message}`),
    [],
  );
}

describe('planner (core/planner)', function () {
  this.timeout(300_000);

  const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.runbook.yaml'));
  for (const name of examples) {
    for (const windowed of [false, true]) {
      it(`every plan for ${name}${windowed ? ' with a 22:00–06:00 window' : ''} is confirmed by its own simulation`, () => {
        const text = windowed ? withWindow(readExample(name)) : readExample(name);
        const search = findPlans(text, { eventBudget: 12_000_000, maxPlans: 2 });
        assert.equal(search.refused, undefined);
        search.plans.forEach((plan, i) => {
          if (i > 0) assert.ok(comparePlans(search.plans[i - 1], plan) <= 0, 'ranked: mail up first, then finish, then changes');
        });
        for (const plan of search.plans) {
          assert.equal(plan.safe, true);
          assert.equal(applyEdits(text, plan.edits), plan.text, 'the edits make the plan’s text');
          confirm(plan);
        }
        if (search.plans.length === 0)
          assert.ok(search.bestPartial && search.bestPartial.problems.length > 0, 'no plan: the closest miss says why');
      });
    }
  }

  it('finds a plan for the exposed example in a 22:00–06:00 window; applied, it lints without EXR001/EXR004/EXR005', () => {
    const text = withWindow(readExample('kb924567-exposed.runbook.yaml'));
    const search = findPlans(text, { maxPlans: 1 });
    assert.ok(search.asWritten && !search.asWritten.safe);
    const [best] = search.plans;
    assert.ok(best, 'a plan');
    assert.ok(best.changes.some((change) => /install KB924567 on EXCH01/.test(change)));
    const written = applyEdits(text, best.edits);
    const first = lintText(written);
    const extraFindings = simulationFindings(first.runbook, simulate(first.runbook, { series: false }));
    const codes = lintText(written, { extraFindings }).diagnostics.map((d) => d.code);
    for (const code of ['EXR001', 'EXR004', 'EXR005', 'EXR008']) assert.ok(!codes.includes(code), `${code} remains`);
    // Comments and the lines the plan does not touch stay as they were.
    assert.ok(written.startsWith(text.slice(0, text.indexOf('runbook: 1'))));
  });

  it('says when and why the best plan on the exposed example takes mail down: the hotfix restarts the store', () => {
    const search = findPlans(readExample('kb924567-exposed.runbook.yaml'), { maxPlans: 2 });
    const [best] = search.plans;
    assert.ok(best);
    assert.equal(best.mailStaysUp, false);
    assert.equal(best.strain.storeDownFor, 'kb924567-exch01');
    assert.equal(
      best.strain.reason,
      `EXCH01's local delivery queue reaches ${best.strain.worstQueue.toLocaleString('en-US')} (above 1,000) at ` +
        `${best.strain.worstQueueWhen}, while the store restarts (installing KB924567)`,
    );
    assert.match(best.strain.worstQueueWhen ?? '', /^22:\d\d UTC, \d+ m into kb924567-exch01$/);
    assert.ok(best.strain.worstQueue > 1000);
    // The as-written runbook takes mail down too, by exhaustion, and says so.
    assert.match(search.asWritten!.strain.reason, /while all 40 store threads are busy$/);
  });

  it('moves a hotfix that starts before the window opens into the window, and the move after it along', () => {
    // kb924567-fixed installs the hotfix at 21:00, an hour before a 22:00–06:00 window opens.
    const text = withWindow(readExample('kb924567-fixed.runbook.yaml'));
    const search = findPlans(text, { maxPlans: 1 });
    assert.ok(search.asWritten && !search.asWritten.safe);
    assert.ok(search.asWritten.problems.some((p) => p.code === 'EXR008' && /`hotfix`/.test(p.message)));
    const [best] = search.plans;
    assert.ok(best, 'a plan');
    assert.ok(
      best.changes.includes('start `hotfix` at 2026-12-05T22:00:00Z, when the window opens (was 2026-12-05T21:00:00Z)'),
      best.changes.join('; '),
    );
    // The 30-minute settle wait follows the hotfix; the move, which started at 22:00, now starts when it ends.
    assert.ok(
      best.changes.includes('start `wave1` at 2026-12-05T22:40:00Z, when `settle` ends (was 2026-12-05T22:00:00Z)'),
      best.changes.join('; '),
    );
    confirm(best);
    // Without a window nothing is outside it: no candidate moves the hotfix.
    const unwindowed = findPlans(readExample('kb924567-fixed.runbook.yaml'), { maxPlans: 1 });
    assert.ok(unwindowed.asWritten?.safe);
  });

  it('moves every step that starts before a 22:00–06:00 window opens into it, not only the first move', () => {
    // multi-night-consolidation starts its moves at 20:00 and the EXCH03 hotfix at 19:00; clean-long-weekend at noon.
    for (const [name, moved] of [
      ['multi-night-consolidation.runbook.yaml', ['fri-exch01', 'sat-hotfix-exch03', 'sat-exch02', 'sun-exch03']],
      ['clean-long-weekend.runbook.yaml', ['sat-exch01', 'sun-exch02']],
    ] as const) {
      const search = findPlans(withWindow(readExample(name)), { maxPlans: 1 });
      assert.ok(search.asWritten?.problems.some((p) => p.code === 'EXR008'));
      const [best] = search.plans;
      assert.ok(best, `a plan for ${name}`);
      for (const id of moved)
        assert.ok(
          best.changes.some((change) => change.startsWith(`start \`${id}\` at `)),
          `${name}: ${id} starts in the window: ${best.changes.join('; ')}`,
        );
      confirm(best);
    }
  });

  it('lets the work queued during the inserted hotfix’s restart drain before the move starts', () => {
    const text = readExample('multi-wave.runbook.yaml');
    const original = analyze(text);
    const run = (planText: string) => {
      const result = simulate(lintText(planText).runbook, { series: false });
      return { result, step: (id: string) => result.steps.find((step) => step.id === id)! };
    };
    const atOnce = buildCandidate(original, ['wave2a'], { protect: true, concurrency: 16 }, {});
    const settled = buildCandidate(original, ['wave2a'], { protect: true, concurrency: 16, settleMinutes: 2 }, {});
    assert.ok(atOnce && settled);
    assert.ok(
      settled.changes.includes(
        'start `wave2a` 2 minutes after the hotfix, at 2026-12-13T09:13:00Z, once the work queued during its restart is worked off',
      ),
      settled.changes.join('; '),
    );
    const first = run(atOnce.text);
    const second = run(settled.text);
    assert.equal(Math.round(second.step('wave2a').start - second.step('kb924567-exch03').end), 2);
    // Straight after the hotfix, EXCH03 runs out working off its restart's backlog during wave 2a; two minutes later it does not.
    const duringWave = (result: ReturnType<typeof simulate>) =>
      result.servers.EXCH03.summary.exhaustions.filter((record) => record.step === 'wave2a');
    assert.equal(duringWave(first.result)[0]?.afterRestart?.step, 'kb924567-exch03');
    assert.deepEqual(duringWave(second.result), []);
    // What is left is the SP2 install's hour of queued mail, which no placement changes: the load is steady.
    assert.equal(second.result.servers.EXCH03.summary.exhaustions[0].afterRestart?.step, 'sp2-exch03');
  });

  it('says why no plan is safe on multi-wave: the SP2 install’s hour of queued mail, at any hour', () => {
    // The best candidates first: KB924567 before wave 2a at 16 mailboxes at once, then the same with the move waiting.
    const search = findPlans(readExample('multi-wave.runbook.yaml'), { eventBudget: 20_000_000 });
    assert.equal(search.plans.length, 0);
    const closest = search.bestPartial!;
    assert.ok(
      closest.changes.some((change) => /^start `wave2a` 2 minutes after the hotfix/.test(change)),
      closest.changes.join('; '),
    );
    assert.deepEqual(
      closest.problems.map((p) => p.code),
      ['EXR005'],
    );
    assert.match(
      closest.problems[0].message,
      /^EXCH03 runs out of store task threads at 2026-12-13 09:00 UTC \(during `mta-off-exch03`\): all 40 threads are busy working off the [\d,]+ requests that queued while step `sp2-exch03` had the store down\. The simulated load is steady, so that restart queues as much at any hour: moving it does not help\.$/,
    );
  });

  it('tries the largest mailboxes first or last for a move from a list file, and only there', () => {
    // 380 mailboxes of 150 MB, then 20 of 2 GB at the end of the list: as listed they make the tail.
    const rows = ['alias,sizeMB', ...Array.from({ length: 400 }, (_, i) => `user${i},${i < 380 ? 150 : 2000}`)];
    const mailboxFiles = { 'sales.csv': { text: rows.join('\n') + '\n' } };
    const text = readExample('kb924567-exposed.runbook.yaml').replace(
      'mailboxes: { count: 400, averageSizeMB: 250 }',
      'mailboxes: { file: sales.csv }',
    );
    const search = findPlans(text, { mailboxFiles, maxPlans: 2 });
    const [best] = search.plans;
    assert.ok(best, 'a plan');
    assert.ok(
      best.changes.includes('move the largest mailboxes first in `wave1`'),
      `the best plan moves the largest first: ${best.changes.join('; ')}`,
    );
    assert.match(best.text, /^ {4}mailboxOrder: largest-first$/m);
    confirm(best, { mailboxFiles });
    // The same plan with the mailboxes as listed finishes later: the 2 GB mailboxes make the tail.
    const wave1End = (planText: string) => {
      const { runbook } = lintText(planText, { mailboxFiles });
      const result = simulate(runbook, { series: false });
      return result.steps.find((step) => step.id === 'wave1')!.end;
    };
    assert.ok(wave1End(best.text) < wave1End(best.text.replace(/^ {4}mailboxOrder: largest-first\n/m, '')));
    // With `{ count, averageSizeMB }` every mailbox is one size: no candidate changes the order.
    const counted = findPlans(readExample('kb924567-exposed.runbook.yaml'), { maxPlans: 5 });
    assert.ok(counted.plans.every((plan) => plan.changes.every((change) => !/largest/.test(change))));
    // 36 as before the order existed, and the 9 protected ones again with the move waiting for the restart's backlog.
    assert.equal(counted.candidates, 45, 'as many candidates as before the order existed');
  });

  it('ranks plans whose mail stays up before faster ones that cross the line', () => {
    const plan = (mailStaysUp: boolean, finish: number, stepsChanged: number) =>
      ({ mailStaysUp, strain: { mailStaysUp }, finish, finishIsClock: false, stepsChanged }) as unknown as PlanOutcome;
    const sorted = [plan(false, 60, 1), plan(true, 120, 2), plan(true, 120, 1), plan(false, 30, 1)].sort(comparePlans);
    assert.deepEqual(
      sorted.map((p) => [p.mailStaysUp, p.finish, p.stepsChanged]),
      [
        [true, 120, 1],
        [true, 120, 2],
        [false, 30, 1],
        [false, 60, 1],
      ],
    );
  });

  it('reports "no safe plan" for a window too short for the data, with the closest option and why', () => {
    const text = withWindow(readExample('kb924567-exposed.runbook.yaml'), 'window:\n  daily: { from: "22:00", to: "22:30" }\nservers:');
    const search = findPlans(text, { eventBudget: 20_000_000 });
    assert.deepEqual(search.plans, []);
    const partial = search.bestPartial;
    assert.ok(partial);
    assert.ok(
      partial.problems.some((p) => p.code === 'EXR008' && /after the maintenance window closes/.test(p.message)),
      'the closest option says it overruns the window',
    );
    assert.ok(partial.overrunMinutes > 0);
  });

  it('is deterministic for a seed, reports progress and can be cancelled', () => {
    const text = withWindow(readExample('kb924567-exposed.runbook.yaml'));
    const a = findPlans(text, { seed: 5, maxPlans: 2 });
    const b = findPlans(text, { seed: 5, maxPlans: 2 });
    assert.deepEqual(
      a.plans.map((p) => p.text),
      b.plans.map((p) => p.text),
    );
    const progress: number[] = [];
    let calls = 0;
    const cancelled = findPlans(text, {
      onProgress: (p) => progress.push(p.searched),
      shouldCancel: () => progress.length > 0 && ++calls > 3,
    });
    assert.equal(cancelled.stopped, 'cancelled');
    assert.ok(progress.length >= 1);
    // A clock that has run out stops the search before the next candidate.
    let clock = 0;
    const timed = findPlans(text, { now: () => (clock += 1000), timeBudgetMs: 1500 });
    assert.equal(timed.stopped, 'time');
  });

  it('refuses a runbook that cannot be simulated, saying why', () => {
    const search = findPlans('runbook: 1\nname: x\nservers: []\nsteps: []\n');
    assert.match(search.refused ?? '', /cannot be simulated: EXR100/);
  });
});

describe('planner diff', () => {
  it('gives whole-line hunks and a unified diff with context', () => {
    const a = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const b = 'a\nb\nX\nd\ne\nf\ng\nh\nY\n';
    assert.deepEqual(lineDiff(a, b), [
      { aStart: 2, aEnd: 3, bStart: 2, bEnd: 3 },
      { aStart: 8, aEnd: 8, bStart: 8, bEnd: 9 },
    ]);
    assert.equal(
      unifiedDiff(a, b, 'old', 'new'),
      ['--- old', '+++ new', '@@ -1,8 +1,9 @@', ' a', ' b', '-c', '+X', ' d', ' e', ' f', ' g', ' h', '+Y', ''].join('\n'),
    );
    assert.equal(unifiedDiff(a, a, 'old', 'new'), '');
  });
});

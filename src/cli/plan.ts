/** `exrunbook plan`'s output: the ranked plans as a table, the best one as a unified diff, or JSON. */
import { formatClock, formatOffset } from '../core/format/duration';
import { formatCount } from '../core/format/numbers';
import { mailCell, unifiedDiff, type PlanOutcome, type PlanSearch } from '../core/planner';

function finishText(plan: PlanOutcome): string {
  return plan.finishIsClock ? formatClock(plan.finish) : formatOffset(plan.finish);
}

function row(cells: string[], widths: number[]): string {
  return cells
    .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
}

/** The table, the best plan's changes and its diff (or why nothing fits). */
export function formatPlans(search: PlanSearch, file: string, text: string, seconds: number): string {
  const lines: string[] = [];
  const stopped =
    search.stopped === 'done'
      ? ''
      : search.stopped === 'time'
        ? ' (stopped: time budget)'
        : search.stopped === 'events'
          ? ' (stopped: event budget)'
          : ' (cancelled)';
  lines.push(
    `${formatCount(search.searched)} of ${formatCount(search.candidates)} candidates simulated, ${formatCount(search.events)} events, ${seconds.toFixed(1)} s${stopped}`,
    '',
  );
  const header = ['', 'finish', 'mail', 'peak threads', 'worst local delivery queue', 'steps changed', 'changes'];
  const rows: string[][] = [];
  if (search.asWritten) {
    const problems = [...new Set(search.asWritten.problems.map((p) => p.code))];
    rows.push(['as written', ...cells(search.asWritten), problems.length > 0 ? `unsafe: ${problems.join(', ')}` : 'safe']);
  }
  search.plans.forEach((plan, i) =>
    rows.push([`plan ${i + 1}`, ...cells(plan), plan.changes.length > 0 ? plan.changes.join('; ') : 'none']),
  );
  if (!search.plans.length && search.bestPartial && search.bestPartial !== search.asWritten)
    rows.push(['closest', ...cells(search.bestPartial), search.bestPartial.changes.join('; ')]);
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  lines.push(row(header, widths), ...rows.map((r) => row(r, widths)), '');
  const best = search.plans[0];
  if (best) {
    lines.push(
      best.mailStaysUp
        ? `Mail stays up in plan 1: ${best.strain.reason}.`
        : `No plan the search simulated keeps mail up; in plan 1 ${best.strain.reason}.`,
      '',
    );
    if (best.changes.length === 0) {
      lines.push('The runbook as written is safe and fits its window: nothing to change.');
      return lines.join('\n') + '\n';
    }
    lines.push('Plan 1 changes:', ...best.changes.map((change) => `  - ${change}`), '');
    lines.push(unifiedDiff(text, best.text, file, `${file} (plan 1)`).trimEnd());
    return lines.join('\n') + '\n';
  }
  const partial = search.bestPartial;
  const windowed = search.asWritten?.runbook.window !== undefined;
  lines.push(`No safe plan: no candidate the search simulated avoids exhaustion${windowed ? ' and fits the window' : ''}.`);
  if (partial) {
    lines.push(
      partial.changes.length > 0
        ? `The closest option (${partial.changes.join('; ')}) still:`
        : 'The runbook as written, the closest option, still:',
      ...partial.problems.map((problem) => `  - ${problem.code} ${problem.message}`),
    );
  }
  return lines.join('\n') + '\n';
}

function cells(plan: PlanOutcome): string[] {
  return [
    finishText(plan),
    mailCell(plan.strain),
    `${plan.peakThreadsBusy} of ${plan.threadPool}`,
    formatCount(plan.worstDeliveryQueue),
    String(plan.stepsChanged),
  ];
}

/** The strain for JSON: the worst queue's moment as an ISO time when the runbook has a clock, else minutes from its start. */
function strainJson({ strain }: PlanOutcome) {
  return {
    mailStaysUp: strain.mailStaysUp,
    threshold: strain.threshold,
    worstLocalDeliveryQueue: strain.worstQueue,
    server: strain.worstQueueServer,
    worstQueueAt: strain.worstQueueClock !== null ? new Date(strain.worstQueueClock).toISOString() : null,
    worstQueueAtMinutes: strain.worstQueueClock === null ? strain.worstQueueAt : null,
    worstQueueWhen: strain.worstQueueWhen,
    storeDownFor: strain.storeDownFor,
    minutesOverThreshold: strain.minutesOverLine,
    peakThreadsBusy: strain.peakThreadsBusy,
    threadPool: strain.threadPool,
    peakServer: strain.peakServer,
    reason: strain.reason,
  };
}

/** The search for pipelines: every plan with its numbers, changes, problems, edits and diff. */
export function plansJson(search: PlanSearch, file: string, text: string): string {
  const plan = (outcome: PlanOutcome | undefined) =>
    outcome && {
      safe: outcome.safe,
      finish: outcome.finishIsClock ? new Date(outcome.finish).toISOString() : null,
      finishMinutes: outcome.finishIsClock ? null : outcome.finish,
      peakThreadsBusy: outcome.peakThreadsBusy,
      threadPool: outcome.threadPool,
      worstLocalDeliveryQueue: outcome.worstDeliveryQueue,
      mailStaysUp: outcome.mailStaysUp,
      strain: strainJson(outcome),
      stepsChanged: outcome.stepsChanged,
      changes: outcome.changes,
      problems: outcome.problems.map(({ code, message }) => ({ code, message })),
      overrunMinutes: outcome.overrunMinutes,
      diff: unifiedDiff(text, outcome.text, file, `${file} (plan)`),
    };
  return (
    JSON.stringify(
      {
        file,
        safePlanFound: search.plans.length > 0,
        plans: search.plans.map(plan),
        asWritten: plan(search.asWritten),
        bestPartial: plan(search.bestPartial),
        searched: search.searched,
        candidates: search.candidates,
        events: search.events,
        stopped: search.stopped,
      },
      null,
      2,
    ) + '\n'
  );
}

/**
 * How hard a plan pushes mail (docs/planner.md, "Mail stays up"): a plan is safe by the
 * simulator's exhaustion definition, but it can still hold the SMTP local delivery queue above the
 * Exchange Server Analyzer's line (thresholds.ts), most often while a hotfix restarts the store.
 * Read from the plan's own simulation only: the engine measures the line and the worst queue as
 * the run goes (the series are off while planning), so this module never recomputes them.
 */
import { formatCount } from '../format/numbers';
import { listInWords } from '../format/words';
import type { Analysis } from '../lint';
import { stepEffect } from '../model/actions';
import { serversOfStep } from '../model/state';
import { serverKey, type Runbook } from '../model/types';
import { formatMoment } from '../simulator/moments';
import type { SimulationResult, ServerSummary } from '../simulator/result';
import { LOCAL_QUEUE_THRESHOLD } from '../simulator/thresholds';

/** What a plan's simulation shows about mail: the worst local delivery queue, when, and the threads at their peak. */
export interface Strain {
  /** The local delivery queue never passed the analyzer's line and no server ran out of store threads. */
  mailStaysUp: boolean;
  /** The line, in messages (the Exchange Server Analyzer's, simulator/thresholds.ts). */
  threshold: number;
  /** The longest local delivery queue on any server, in messages, and that server (null when nothing ever waited). */
  worstQueue: number;
  worstQueueServer: string | null;
  /** When it first got that long: minutes from the simulation's start, and in words ("22:09 UTC, 9 m into kb924567-exch01"). */
  worstQueueAt: number | null;
  worstQueueWhen: string | null;
  /** The same moment as epoch ms, when the runbook gives clock times (else null). */
  worstQueueClock: number | null;
  /** The step whose restart had that server's store down then (its id), or null when the store was up. */
  storeDownFor: string | null;
  /** Minutes the queue stood over the line, summed over the servers. */
  minutesOverLine: number;
  /** The busiest server's peak threads against its pool (by share of the pool). */
  peakThreadsBusy: number;
  threadPool: number;
  peakServer: string | null;
  /** No server ran out of store task threads. */
  threadsLast: boolean;
  /** In plain words: why mail stays up or why not. */
  reason: string;
}

/** The strain of the run `result` of the runbook `analysis` (the plan's own, not the original's). */
export function strainOf(analysis: Analysis, result: SimulationResult): Strain {
  const summaries = Object.values(result.servers).map((server) => server.summary);
  const worst = summaries.reduce<ServerSummary | undefined>(
    (best, s) => (s.maxLocalDeliveryQueue > (best?.maxLocalDeliveryQueue ?? 0) ? s : best),
    undefined,
  );
  const peak = summaries.reduce<ServerSummary | undefined>(
    (best, s) => (!best || s.peakThreadsBusy / s.threadPool > best.peakThreadsBusy / best.threadPool ? s : best),
    undefined,
  );
  const overLine = summaries.some((s) => s.localQueueOverThreshold.firstAt !== null);
  const exhausted = summaries.filter((s) => s.exhaustedAt !== null);
  const at = worst?.maxLocalDeliveryQueueAt ?? null;
  const downFor = worst?.maxLocalDeliveryQueueDownFor ?? null;
  const stepThen = worst && at !== null ? (downFor ?? stepOnServerAt(analysis.runbook, result, worst.server, at)) : undefined;
  const when = at === null ? null : formatMoment(result, at, stepThen ? { id: stepThen } : {});
  const strain: Strain = {
    mailStaysUp: !overLine && exhausted.length === 0,
    threshold: LOCAL_QUEUE_THRESHOLD,
    worstQueue: worst?.maxLocalDeliveryQueue ?? 0,
    worstQueueServer: worst?.server ?? null,
    worstQueueAt: at,
    worstQueueWhen: when,
    worstQueueClock: at !== null && result.clockOrigin !== null ? result.clockOrigin + at * 60000 : null,
    storeDownFor: downFor,
    minutesOverLine: summaries.reduce((sum, s) => sum + s.localQueueOverThreshold.totalMinutes, 0),
    peakThreadsBusy: peak?.peakThreadsBusy ?? 0,
    threadPool: peak?.threadPool ?? 0,
    peakServer: peak?.server ?? null,
    threadsLast: exhausted.length === 0,
    reason: '',
  };
  strain.reason = reasonFor(analysis, strain, exhausted);
  return strain;
}

/** Plans whose mail stays up first; the order among the rest is the caller's. */
export function byMailStaysUp(a: { strain: Strain }, b: { strain: Strain }): number {
  return Number(b.strain.mailStaysUp) - Number(a.strain.mailStaysUp);
}

/** The table's cell: "up", or the worst queue. */
export function mailCell(strain: Strain): string {
  return strain.mailStaysUp ? 'up' : `queue ${formatCount(strain.worstQueue)}`;
}

function reasonFor(analysis: Analysis, strain: Strain, exhausted: readonly ServerSummary[]): string {
  const line = formatCount(strain.threshold);
  const threads = `threads peak at ${strain.peakThreadsBusy} of ${strain.threadPool}${strain.peakServer ? ` on ${strain.peakServer}` : ''}`;
  if (strain.mailStaysUp) {
    const queue =
      strain.worstQueue === 0
        ? `no local delivery waits for a store thread`
        : `the local delivery queue stays at or under ${line} (at most ${formatCount(strain.worstQueue)} on ${strain.worstQueueServer})`;
    return `${queue}; ${threads}`;
  }
  if (strain.worstQueue <= strain.threshold && exhausted.length > 0) {
    return `${listInWords(exhausted.map((s) => s.server))} ${exhausted.length === 1 ? 'runs' : 'run'} out of store task threads; ${threads}`;
  }
  const where = `${strain.worstQueueServer}'s local delivery queue reaches ${formatCount(strain.worstQueue)} (above ${line})`;
  const moment = strain.worstQueueWhen ? ` at ${strain.worstQueueWhen}` : '';
  const cause = strain.storeDownFor
    ? `while the store restarts (${outageCause(analysis, strain.storeDownFor, strain.worstQueueServer!)})`
    : `while all ${strain.threadPool} store threads are busy`;
  return `${where}${moment}, ${cause}`;
}

/** "installing KB924567", "the reboot": what the action table says stops the store, for the step `id`. */
function outageCause(analysis: Analysis, id: string, server: string): string {
  const step = analysis.runbook.steps.find((s) => s.id?.value === id);
  const state = step && analysis.context?.states.before[step.index]?.get(serverKey(server));
  const cause = step && state ? stepEffect(step, state).outage?.cause : undefined;
  if (!cause) return `for \`${id}\``;
  return `${cause.charAt(0).toLowerCase()}${cause.slice(1)}`;
}

/** The step that was running on `server` at `minutes` (a move from or to it, or a step on it), by id. */
function stepOnServerAt(runbook: Runbook, result: SimulationResult, server: string, minutes: number): string | undefined {
  const key = serverKey(server);
  const running = result.steps.filter((s) => s.start <= minutes && minutes <= s.end);
  const onServer = running.find((s) => {
    const step = runbook.steps[s.index];
    return step !== undefined && serversOfStep(step).includes(key);
  });
  return (onServer ?? running[0])?.id;
}

/**
 * Plain sentences about a simulation result: what the panel says in words. Pure functions, so
 * the words are tested without a browser and stay the same wherever they are shown.
 */
import { formatCount } from '../core/format/numbers';
import { listInWords } from '../core/format/words';
import { formatMinutes, formatOffset } from '../core/format/duration';
import { exhaustionCause } from '../core/rules/exr005';
import { EXHAUSTION_MIN_MINUTES } from '../core/simulator/episodes';
import type { WhatIf } from '../core/simulator/index';
import {
  formatMoment,
  formatTime,
  queueThresholdWords,
  stretchedSteps,
  stretchSentence as describeStretch,
} from '../core/simulator/moments';
import { LOCAL_QUEUE_THRESHOLD } from '../core/simulator/thresholds';
import type { ExhaustionRecord, ServerSummary, SimulationResult } from '../core/simulator/result';

export { formatMoment, formatTime };

/** Short axis label: "23:47" or "+1h47m". */
export function formatAxisTime(result: Pick<SimulationResult, 'clockOrigin'>, minutes: number): string {
  if (result.clockOrigin === null) return minutes === 0 ? '0' : formatOffset(minutes);
  return new Date(result.clockOrigin + minutes * 60000).toISOString().slice(11, 16);
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return formatMinutes(seconds / 60);
}

/** The page shows plain text: a step id needs no backticks. */
const plain = (id: string): string => id;

/** "at 23:47 UTC, 1 h 47 m into wave1: 38 of 40 threads are held by transit-mail flushes" (the core's words for the cause). */
function exhaustionClause(result: SimulationResult, record: ExhaustionRecord): string {
  return `at ${formatMoment(result, record.at, { index: record.stepIndex, id: record.step })}: ${exhaustionCause(record, plain)}`;
}

/** The first exhaustion's record (the summary's first one), or one built from the summary's own fields. */
function firstExhaustion(summary: ServerSummary): ExhaustionRecord | null {
  if (summary.exhaustedAt === null) return null;
  const recorded = summary.exhaustions.find((record) => record.at === summary.exhaustedAt);
  if (recorded) return recorded;
  const flushThreads = summary.flushThreadsAtExhaustion ?? 0;
  return {
    at: summary.exhaustedAt,
    stepIndex: null,
    step: summary.exhaustedDuringStep,
    flushThreads,
    threadPool: summary.threadPool,
    busy: { delivery: 0, owa: 0, move: 0, flush: flushThreads },
    afterRestart: null,
  };
}

/**
 * The sentence at the moment of exhaustion, e.g. "EXCH01 runs out of store threads at 23:47 UTC,
 * 1 h 47 m into wave1: 38 of 40 threads are held by transit-mail flushes". Null when it never runs out.
 */
export function exhaustionSentence(result: SimulationResult, summary: ServerSummary): string | null {
  const first = firstExhaustion(summary);
  if (first === null) return null;
  return `${summary.server} runs out of store threads ${exhaustionClause(result, first)}`;
}

/** Later exhaustions named in a verdict at most (one per move step; the chart marks them all). */
const LATER_EXHAUSTIONS_NAMED = 3;

/**
 * One line per server for the top of the panel: the exhaustion sentence (and when it happens
 * again in a later step), or that it never happens. "Runs out" means what EXR005 means (every
 * thread busy while work waits, for EXHAUSTION_MIN_MINUTES or more), so a server whose threads
 * were all busy only for moments is said to have been, not to have run out.
 */
export function serverVerdict(result: SimulationResult, summary: ServerSummary): string {
  const first = exhaustionSentence(result, summary);
  if (first === null) {
    if (summary.threadPool > 0 && summary.peakThreadsBusy >= summary.threadPool)
      return (
        `${summary.server} never runs out of store threads: all ${summary.threadPool} were busy only in bursts ` +
        `shorter than ${formatMinutes(EXHAUSTION_MIN_MINUTES)}`
      );
    return `${summary.server} never runs out of store threads (at most ${summary.peakThreadsBusy} of ${summary.threadPool} busy)`;
  }
  const again = summary.exhaustions
    .filter((record) => record.at > summary.exhaustedAt!)
    .slice(0, LATER_EXHAUSTIONS_NAMED)
    .map((record) => `; again ${exhaustionClause(result, record)}`);
  return first + again.join('');
}

/**
 * The steps the load stretched, in one sentence, or null: "wave1 took 16 h instead of the
 * planned 7 h: its moves waited for store threads."
 */
export function stretchSentence(result: SimulationResult): string | null {
  const stretched = stretchedSteps(result);
  if (stretched.length === 0) return null;
  const clauses = stretched.map((entry) =>
    entry.step.action === 'move-mailboxes' ? `${describeStretch(entry)}: its moves waited for store threads` : describeStretch(entry),
  );
  return clauses.join('; ') + '.';
}

/**
 * What the charts leave out, in one or two sentences, or null when nothing: a sample interval the
 * simulator widened so the series fit, and quiet stretches between steps it skipped.
 */
export function samplingSentence(result: SimulationResult): string | null {
  const parts: string[] = [];
  if (result.sampleIntervalWidenedFrom !== null) {
    const servers = Object.keys(result.servers).length;
    parts.push(
      `The charts show a sample every ${formatMinutes(result.sampleInterval)} (not every ` +
        `${formatMinutes(result.sampleIntervalWidenedFrom)}) so the series of ${formatCount(servers)} ${servers === 1 ? 'server' : 'servers'} fit.`,
    );
  }
  const skipped = result.skipped ?? [];
  if (skipped.length > 0) {
    const total = skipped.reduce((sum, stretch) => sum + (stretch.end - stretch.start), 0);
    const first = skipped[0];
    const span = `${formatTime(result, first.start)} to ${formatTime(result, first.end)}`;
    parts.push(
      skipped.length === 1
        ? `${formatMinutes(total)} of quiet between steps (${span}) was skipped: no step ran and no flush held a thread.`
        : `${formatMinutes(total)} of quiet between steps in ${skipped.length} stretches (the first ${span}) was skipped: ` +
            'no step ran and no flush held a thread.',
    );
  }
  return parts.length > 0 ? parts.join(' ') : null;
}

/** What happens to mail and OWA meanwhile, in one sentence, or null when nothing waits. */
export function consequenceSentence(summary: ServerSummary, result?: Pick<SimulationResult, 'clockOrigin'>): string | null {
  const parts: string[] = [];
  const over = summary.localQueueOverThreshold;
  if (summary.maxLocalDeliveryQueue > 0) {
    const line =
      result && over && over.firstAt !== null
        ? ` (over the analyzer's ${formatCount(over.threshold)}: ${queueThresholdWords(result, over)})`
        : '';
    parts.push(`the local delivery queue reaches ${formatCount(summary.maxLocalDeliveryQueue)} messages${line}`);
  }
  if (summary.p95DeliveryDelaySeconds >= 60)
    parts.push(`1 message in 20 takes longer than ${formatSeconds(summary.p95DeliveryDelaySeconds)} to deliver`);
  if (summary.owaUnanswered > 0)
    parts.push(`${formatCount(summary.owaUnanswered)} of ${formatCount(summary.owaRequests)} OWA requests go unanswered`);
  if (parts.length === 0) return null;
  const sentence = parts.join('; ');
  return sentence[0].toUpperCase() + sentence.slice(1) + '.';
}

/** The what-if changes in words: "KB924567 on EXCH01, move concurrency 2". Empty when there are none. */
export function describeWhatIf(whatIf: WhatIf): string {
  const parts: string[] = [];
  if (whatIf.hotfix?.length) parts.push(`KB924567 on ${listInWords(whatIf.hotfix)}`);
  for (const [server, value] of Object.entries(whatIf.gatewayOutThreads ?? {})) parts.push(`Gateway Out Threads ${value} on ${server}`);
  if (whatIf.concurrency !== undefined) parts.push(`move concurrency ${whatIf.concurrency}`);
  for (const [server, value] of Object.entries(whatIf.taskThreads ?? {})) parts.push(`${value} store threads on ${server}`);
  return listInWords(parts);
}

export function hasWhatIf(whatIf: WhatIf): boolean {
  return describeWhatIf(whatIf) !== '';
}

/**
 * The what-if verdict: "With KB924567 on EXCH01: no exhaustion", or which servers still (or now)
 * run out and when.
 */
export function whatIfVerdict(whatIf: WhatIf, baseline: SimulationResult, alternative: SimulationResult): string {
  const prefix = `With ${describeWhatIf(whatIf)}`;
  const exhausted = Object.values(alternative.servers).filter((server) => server.summary.exhaustedAt !== null);
  if (exhausted.length === 0) {
    const before = Object.values(baseline.servers).some((server) => server.summary.exhaustedAt !== null);
    return `${prefix}: no exhaustion${before ? '' : ', as before'}`;
  }
  const clauses = exhausted.map(({ summary }) => {
    const was = baseline.servers[summary.server]?.summary.exhaustedAt ?? null;
    const first = firstExhaustion(summary)!;
    const at = formatMoment(alternative, first.at, { index: first.stepIndex, id: first.step });
    if (was === null) return `${summary.server} now runs out of store threads at ${at}`;
    const shift = summary.exhaustedAt! - was;
    const change = Math.abs(shift) < 1 ? 'at the same time' : `${formatMinutes(Math.abs(shift))} ${shift > 0 ? 'later' : 'earlier'}`;
    return `${summary.server} still runs out of store threads at ${at} (${change})`;
  });
  return `${prefix}: ${clauses.join('; ')}`;
}

/** Minutes the run simulated: its length without the quiet stretches it skipped (where nothing was counted). */
export function simulatedMinutes(result: Pick<SimulationResult, 'duration' | 'skipped'>): number {
  return result.duration - (result.skipped ?? []).reduce((sum, stretch) => sum + (stretch.end - stretch.start), 0);
}

/** A count as a rate over the simulated time, so runs of different length compare. */
function perHour(count: number, minutes: number): string {
  return minutes > 0 ? formatCount(Math.round((count * 60) / minutes)) : '—';
}

/**
 * The summary table: the ServerSummary fields, in plain words, as [label, value] rows. Counts
 * that grow with the length of the run are given as rates or shares, so the what-if column (a run
 * of another length) compares with the plain one; the totals are in the JSON and CSV exports.
 */
export function summaryRows(result: SimulationResult, summary: ServerSummary): [string, string][] {
  const first = firstExhaustion(summary);
  const exhausted = first === null ? 'never' : formatMoment(result, first.at, { index: first.stepIndex, id: first.step });
  const owaShare = summary.owaRequests > 0 ? `${((100 * summary.owaUnanswered) / summary.owaRequests).toFixed(1)} %` : 'no requests';
  const minutes = simulatedMinutes(result);
  return [
    ['Store task threads', formatCount(summary.threadPool)],
    ['Most threads busy at once', formatCount(summary.peakThreadsBusy)],
    ['Runs out of threads', exhausted],
    ['Threads held by flushes then', summary.flushThreadsAtExhaustion === null ? '—' : formatCount(summary.flushThreadsAtExhaustion)],
    ['Longest local delivery queue', `${formatCount(summary.maxLocalDeliveryQueue)} messages`],
    [
      `Queue over ${formatCount(summary.localQueueOverThreshold?.threshold ?? LOCAL_QUEUE_THRESHOLD)} (analyzer error)`,
      summary.localQueueOverThreshold ? queueThresholdWords(result, summary.localQueueOverThreshold) : '—',
    ],
    ['Mean wait for a thread (delivery)', formatSeconds(summary.meanDeliveryWaitSeconds)],
    ['Mean delivery time', formatSeconds(summary.meanDeliveryDelaySeconds)],
    ['95 % of messages delivered within', formatSeconds(summary.p95DeliveryDelaySeconds)],
    [
      'Messages delivered per hour',
      `${perHour(summary.deliveriesCompleted, minutes)} of ${perHour(summary.deliveriesArrived, minutes)} arriving`,
    ],
    ['OWA requests unanswered', owaShare],
    ['Transit-mail flushes registered', formatCount(summary.flushTasksRegistered)],
    ['Thread time held by flushes', formatMinutes(summary.flushThreadMinutes)],
    ['Simulated time', formatMinutes(minutes)],
  ];
}

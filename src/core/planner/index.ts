/**
 * The planner (docs/planner.md): from "this runbook is unsafe" to "here is a safe plan". For the
 * moves that are exposed to KB924567 (EXR001/EXR004), predicted to exhaust store threads (EXR005)
 * or to leave the maintenance window (EXR008), it writes candidate changes into the runbook text
 * (candidates.ts), reads and simulates each, and keeps those whose own simulation shows no
 * exhaustion and fits the window, ranked by finish time and then by how little they change.
 *
 * Pure like the rest of the core: the clock for the time budget is passed in, the search is
 * bounded by events and time, cancellable between and inside simulations, reports progress, and
 * gives the same plans for the same runbook, seed and budgets (a time budget can only cut the
 * search shorter, in the same order).
 */
import type { RunbookDiagnostic } from '../diagnostics';
import { analyze, isSimulatable, simulationBlockers, toDiagnostics, type Analysis, type LintOptions } from '../lint';
import { formatClock } from '../format/duration';
import { moveMinutes } from '../model/actions';
import type { Assumptions } from '../model/assumptions';
import { FLUSH_TIMEOUT_MINUTES } from '../model/facts';
import { EXHAUSTION_MIN_MINUTES } from '../simulator/episodes';
import { exposedMoves } from '../model/state';
import type { MailboxOrder, Runbook } from '../model/types';
import { intervalAt, nextInterval, windowDeclaresTimes } from '../model/window';
import { ruleInfo, SIMULATED_CODES, simulationFindings } from '../rules';
import { exhaustionCause, exr005 } from '../rules/exr005';
import { exr008 } from '../rules/exr008';
import { Simulation, SimulationError } from '../simulator';
import type { ServerSummary, SimulationResult } from '../simulator/result';
import { mailboxOrder } from '../simulator/store';
import { buildCandidate, type BuiltCandidate, type Candidate } from './candidates';
import { lineDiff, textEditsFromDiff, type DiffHunk } from './diff';
import { byMailStaysUp, strainOf, type Strain } from './strain';

export { unifiedDiff } from './diff';
export type { DiffHunk } from './diff';
export { mailCell } from './strain';
export type { Strain } from './strain';

export interface PlanOptions {
  seed?: number;
  assumptions?: Partial<Assumptions>;
  /** The mailbox list files the runbook names, as `analyze` takes them. */
  mailboxFiles?: LintOptions['mailboxFiles'];
  /** Events one simulation may use (default 20,000,000, as `lint`). */
  maxEventsPerRun?: number;
  /** Events the whole search may use (default 200,000,000). */
  eventBudget?: number;
  /** Milliseconds the search may take, measured with `now` (default 10,000; none without `now`). */
  timeBudgetMs?: number;
  /** The clock (ms) for the time budget: the core reads none of its own. */
  now?: () => number;
  shouldCancel?: () => boolean;
  onProgress?: (progress: PlanProgress) => void;
  /**
   * How many safe plans to return at most (default 5). The search goes on past this many safe
   * plans until it has this many whose mail stays up (or runs out of candidates or budget).
   */
  maxPlans?: number;
}

export interface PlanProgress {
  /** Candidates simulated so far, and in all. */
  searched: number;
  candidates: number;
  /** Safe plans found so far. */
  found: number;
  events: number;
}

/** What one candidate's simulation showed. */
export interface PlanOutcome {
  /** No server ran out of threads, no move is exposed, every step fits the window. */
  safe: boolean;
  /** What the changes are, in words; empty for the runbook as written. */
  changes: string[];
  /** Steps added or changed (and the inventory, when it changed). */
  stepsChanged: number;
  /** When the last step ends in the simulation: epoch ms, or minutes from the start without clock times. */
  finish: number;
  finishIsClock: boolean;
  peakThreadsBusy: number;
  threadPool: number;
  worstDeliveryQueue: number;
  /**
   * Mail stays up: the local delivery queue never passes the Exchange Server Analyzer's line and no
   * server runs out of threads (strain.ts). Safe plans where it does rank first.
   */
  mailStaysUp: boolean;
  /** The worst queue, when, the peak threads, and why mail stays up or not, from this plan's own simulation. */
  strain: Strain;
  /** Why it is not safe: the problems its own lint and simulation report (codes and messages). */
  problems: Problem[];
  /** A move is exposed to KB924567 or a server runs out of threads (the worse kind of miss). */
  exposedOrExhausted: boolean;
  /** Minutes outside the window, summed over the steps outside it. */
  overrunMinutes: number;
  /** The runbook with the changes, and the same as minimal edits of the original text. */
  text: string;
  /** The model of `text` (as analysed for this search): what the simulation panel simulates for its overlay. */
  runbook: Runbook;
  edits: { span: { start: number; end: number }; newText: string }[];
  hunks: DiffHunk[];
}

export interface Problem {
  code: string;
  message: string;
  /** The step it is about, in the plan's runbook. */
  stepIndex?: number;
}

export interface PlanSearch {
  /** The safe plans, best first: those whose mail stays up, then by finish and steps changed. */
  plans: PlanOutcome[];
  /** The runbook as written, simulated (undefined when it cannot be simulated). */
  asWritten?: PlanOutcome;
  /** When no plan is safe: the option that came closest, and its problems say why. */
  bestPartial?: PlanOutcome;
  searched: number;
  candidates: number;
  events: number;
  /** Why the search ended. */
  stopped: 'done' | 'events' | 'time' | 'cancelled';
  /** Set when nothing could be searched (the runbook cannot be simulated): the reason in words. */
  refused?: string;
}

const DEFAULT_EVENT_BUDGET = 200_000_000;
const DEFAULT_RUN_EVENTS = 20_000_000;
const SLICE_EVENTS = 1 << 16;

/** Searches for safe plans for the runbook `text`, to the end. Never throws on any text. */
export function findPlans(text: string, options: PlanOptions = {}): PlanSearch {
  const search = planSearch(text, options);
  for (;;) {
    const step = search.next();
    if (step.done) return step.value;
  }
}

/**
 * The same search, one simulation slice (65,536 events) per `next()`: a caller that must stay
 * responsive (the language server) runs a few slices, lets its other work in, and goes on; its
 * cancellation is seen between slices through `shouldCancel`.
 */
export function* planSearch(text: string, options: PlanOptions = {}): Generator<void, PlanSearch> {
  const lintOptions: LintOptions = { assumptions: options.assumptions, mailboxFiles: options.mailboxFiles };
  const original = analyze(text, lintOptions);
  const empty = { plans: [], searched: 0, candidates: 0, events: 0, stopped: 'done' as const };
  if (!isSimulatable(original)) {
    const blockers = simulationBlockers(original);
    const reason = blockers.length > 0 ? blockers.map((d) => `${d.code} ${d.message}`).join('; ') : 'the runbook is not well-formed YAML';
    return { ...empty, refused: `The runbook cannot be simulated: ${reason}` };
  }
  const started = options.now?.();
  const timeBudget = options.timeBudgetMs ?? 10_000;
  const eventBudget = options.eventBudget ?? DEFAULT_EVENT_BUDGET;
  const maxPlans = options.maxPlans ?? 5;
  let events = 0;
  let stopped: PlanSearch['stopped'] = 'done';
  const outOfTime = () => started !== undefined && options.now!() - started > timeBudget;
  const interrupted = () => options.shouldCancel?.() === true || outOfTime();

  function* evaluate(built: BuiltCandidate): Generator<void, PlanOutcome | 'stop' | undefined> {
    const left = eventBudget - events;
    if (left <= 0) return 'stop';
    let result: SimulationResult;
    try {
      const simulation = new Simulation(built.analysis.runbook, {
        seed: options.seed,
        assumptions: options.assumptions,
        maxEvents: Math.min(options.maxEventsPerRun ?? DEFAULT_RUN_EVENTS, left),
        series: false,
        shouldCancel: interrupted,
      });
      // runFor asks shouldCancel between slices.
      while (!simulation.runFor(SLICE_EVENTS)) yield;
      result = simulation.result();
    } catch (error) {
      if (error instanceof SimulationError && error.kind === 'cancelled') return 'stop';
      if (error instanceof SimulationError) return undefined; // over its budget: not a plan this search can confirm
      throw error;
    }
    events += result.events;
    return outcome(original, built, result, lintOptions);
  }

  const asWrittenBuilt: BuiltCandidate = { candidate: { protect: false }, text, analysis: original, changes: [] };
  const asWritten = yield* evaluate(asWrittenBuilt);
  if (asWritten === 'stop' || asWritten === undefined) {
    return {
      ...empty,
      stopped: asWritten === 'stop' ? stopReason() : 'events',
      refused: asWritten === undefined ? 'The runbook as written is over the event budget of one simulation.' : undefined,
    };
  }
  const targets = targetMoves(original, asWritten);
  // Simulate the most promising first: a rough finish from the candidate's numbers orders them,
  // and each is written into the text only when its turn comes.
  const ranked = enumerate(original, targets)
    .map((candidate) => ({ candidate, estimate: roughEstimate(original, targets, candidate) }))
    .sort(
      (a, b) =>
        Number(b.estimate.plausible) - Number(a.estimate.plausible) ||
        a.estimate.finish - b.estimate.finish ||
        changeCount(a.candidate) - changeCount(b.candidate),
    );
  const seen = new Set<string>([text]);
  const plans: PlanOutcome[] = asWritten.safe ? [asWritten] : [];
  const tried: PlanOutcome[] = [asWritten];
  let searched = 1;
  const report = () => options.onProgress?.({ searched, candidates: ranked.length + 1, found: plans.length, events });
  report();
  // Enough: as many plans whose mail stays up as asked for; or as many safe plans, each of which takes
  // mail down while a store restarts (the hotfix's restart, which every protected candidate has:
  // the candidates left would only have it too).
  const enough = () =>
    plans.filter((plan) => plan.mailStaysUp).length >= maxPlans ||
    (plans.length >= maxPlans && plans.every((plan) => !plan.mailStaysUp && plan.strain.storeDownFor !== null));
  // A move that waits for the hotfix's backlog is tried only when the same candidate without the wait
  // (ranked before it: it finishes sooner) was not safe; otherwise it is the same plan, later.
  const safeWithoutWait = new Set<string>();
  const withoutWait = (candidate: Candidate) => JSON.stringify({ ...candidate, settleMinutes: undefined });
  for (const { candidate } of ranked) {
    if (enough()) break;
    if (interrupted()) {
      stopped = stopReason();
      break;
    }
    if (candidate.settleMinutes !== undefined && safeWithoutWait.has(withoutWait(candidate))) continue;
    const one = buildCandidate(original, targets, candidate, lintOptions);
    if (!one || seen.has(one.text) || !isSimulatable(one.analysis)) continue;
    seen.add(one.text);
    const result = yield* evaluate(one);
    if (result === 'stop') {
      stopped = events >= eventBudget ? 'events' : stopReason();
      break;
    }
    searched++;
    if (result) {
      tried.push(result);
      if (result.safe) plans.push(result);
      if (result.safe && candidate.settleMinutes === undefined) safeWithoutWait.add(withoutWait(candidate));
    }
    report();
  }
  plans.sort(comparePlans);
  plans.splice(maxPlans);
  const bestPartial = plans.length === 0 ? [...tried].sort(byCloseness)[0] : undefined;
  return { plans, asWritten, bestPartial, searched, candidates: ranked.length + 1, events, stopped };

  function stopReason(): PlanSearch['stopped'] {
    return options.shouldCancel?.() === true ? 'cancelled' : outOfTime() ? 'time' : 'events';
  }
}

/** The order of safe plans: those whose mail stays up first, then the earliest finish, then the fewest steps changed. */
export function comparePlans(a: PlanOutcome, b: PlanOutcome): number {
  return byMailStaysUp(a, b) || byFinishThenChanges(a, b);
}

/** Finish to the minute (a few seconds apart is a tie), then the fewest steps changed. */
function byFinishThenChanges(a: PlanOutcome, b: PlanOutcome): number {
  const minute = (plan: PlanOutcome) => Math.round(plan.finishIsClock ? plan.finish / 60000 : plan.finish);
  return minute(a) - minute(b) || a.stepsChanged - b.stepsChanged;
}

/**
 * The closest miss: no exhaustion before exhaustion, then no exhaustion during a move (EXR005 on a
 * step) before one, then the least time outside the window, then the earliest finish.
 */
function byCloseness(a: PlanOutcome, b: PlanOutcome): number {
  const exhausted = (o: PlanOutcome) => Number(o.exposedOrExhausted);
  const duringMove = (o: PlanOutcome) => Number(o.problems.some((p) => p.code === exr005.code && p.stepIndex !== undefined));
  return (
    exhausted(a) - exhausted(b) ||
    duringMove(a) - duringMove(b) ||
    a.overrunMinutes - b.overrunMinutes ||
    a.problems.length - b.problems.length ||
    byFinishThenChanges(a, b)
  );
}

/** The moves to change: exposed ones, and those the simulation finds exhausting threads or outside the window. */
function targetMoves(analysis: Analysis, asWritten: PlanOutcome): string[] {
  const runbook = analysis.runbook;
  const ids = new Set<string>();
  for (const { step } of exposedMoves(runbook, analysis.context?.states)) if (step.id) ids.add(step.id.value);
  for (const problem of asWritten.problems) {
    const step = problem.stepIndex !== undefined ? runbook.steps[problem.stepIndex] : undefined;
    if (step?.action?.value === 'move-mailboxes' && step.id) ids.add(step.id.value);
  }
  return runbook.steps.filter((step) => step.id && ids.has(step.id.value)).map((step) => step.id!.value);
}

/** The candidate changes for the targeted moves, in a fixed order (the search is deterministic). */
function enumerate(analysis: Analysis, targets: readonly string[]): Candidate[] {
  const runbook = analysis.runbook;
  const assumptions = analysis.context!.assumptions;
  const moves = runbook.steps.filter((step) => step.id && targets.includes(step.id.value));
  // The runbook's own steps that start outside the window: moved to its next opening, or not.
  const shifts = windowShiftMinutes(analysis) > 0 ? [false, true] : [false];
  if (moves.length === 0) return shifts.includes(true) ? [{ protect: false, intoWindow: true }] : [];
  const exposed = exposedMoves(runbook, analysis.context?.states).some((move) => move.step.id && targets.includes(move.step.id.value));
  const current = moves[0].concurrency?.value ?? 1;
  const schedule = analysis.context!.schedule;
  const window = runbook.window;
  const origin = schedule.clockOrigin;

  // Starts: as written, or (when the first timed move starts outside the window) when the window next opens.
  const starts: (number | undefined)[] = [undefined];
  const firstTimed = moves.find((step) => step.start);
  if (windowDeclaresTimes(window) && firstTimed?.start && !intervalAt(window, firstTimed.start.value)) {
    const next = nextInterval(window, firstTimed.start.value);
    if (next) starts.push(next.start);
  }
  // Concurrency: as written, every lower value (fewer flushes at once), and higher ones up to the schema's 16.
  const concurrencies: (number | undefined)[] = [undefined];
  // More at once than the largest move has mailboxes changes nothing.
  const most = Math.max(...moves.map((step) => step.mailboxes?.value.count ?? 1));
  for (const c of [1, 2, 3, 4, 6, 8, 10, 12, 16]) if (c !== current && c <= Math.max(most, current)) concurrencies.push(c);

  // Batches that let the flushes drain: as many mailboxes as the spare threads hold, then a flush timeout's wait.
  const flush = runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
  const spare = spareThreads(runbook, moves[0].from?.value, assumptions);
  const drainSizes = [...new Set([Math.floor(spare * 0.8), Math.floor(spare * 0.5)])].filter((size) => size >= 1);
  const batchOptions: Candidate['batches'][] = [undefined];
  for (const size of drainSizes) batchOptions.push({ kind: 'drain', size, waitMinutes: flush });
  if (windowDeclaresTimes(window) && window.daily && origin !== undefined) {
    const longest = Math.max(...moves.map((step) => moveMinutes(step, assumptions)));
    const nightMinutes = ((window.daily.to.value - window.daily.from.value + 1440) % 1440 || 1440) as number;
    const needed = Math.ceil(longest / nightMinutes);
    for (const parts of [needed, needed + 1]) if (parts >= 2 && parts <= 14) batchOptions.push({ kind: 'nightly', parts });
  }
  // The order of listed mailboxes (a list or a list file): largest first shortens the tail, largest last
  // lets the small ones through early. Moves given as a count are all one size, and are not offered it.
  const orders: Candidate['mailboxOrder'][] = [undefined];
  if (moves.some((step) => step.mailboxes?.value.sizesMB)) orders.push('largest-first', 'largest-last');
  // With protection: the move starts as the hotfix ends, or once the work queued during its restart is worked off.
  const settles = [undefined, settleMinutes(runbook, exposedSources(analysis, targets), assumptions)];
  const candidates: Candidate[] = [];
  for (const protect of exposed ? [true, false] : [false]) {
    for (const settle of protect ? settles : [undefined]) {
      for (const intoWindow of shifts) {
        for (const startAt of starts) {
          // The steps moved into the window carry the moves after them along; a start of its own would undo that.
          if (intoWindow && startAt !== undefined) continue;
          for (const concurrency of concurrencies) {
            for (const mailboxOrder of orders) {
              for (const batches of batchOptions) {
                // Drain batches only help a move whose flushes hold threads; with the hotfix there are none.
                if (batches?.kind === 'drain' && (protect || !exposed)) continue;
                // Listed moves are not split into batches (candidates.ts): an order goes with no batches.
                if (mailboxOrder && batches) continue;
                if (!protect && !startAt && concurrency === undefined && !batches && !mailboxOrder && !intoWindow) continue;
                const candidate: Candidate = { protect, startAt, concurrency, batches, mailboxOrder };
                if (settle !== undefined) candidate.settleMinutes = settle;
                if (intoWindow) candidate.intoWindow = true;
                candidates.push(candidate);
              }
            }
          }
        }
      }
    }
  }
  return candidates;
}

/** The servers of the targeted exposed moves: those a protecting hotfix restarts. */
function exposedSources(analysis: Analysis, targets: readonly string[]): string[] {
  return exposedMoves(analysis.runbook, analysis.context?.states)
    .filter((move) => move.step.id && targets.includes(move.step.id.value))
    .map((move) => move.state.name);
}

/**
 * Minutes a protected move waits after the hotfix: the work its restart queues (the load is steady,
 * so as much at any hour) worked off by the threads the steady load leaves free, rounded up, and
 * the minute an exhaustion episode needs to count. The most over `sources`.
 */
function settleMinutes(runbook: Runbook, sources: readonly string[], assumptions: Assumptions): number {
  let most = 0;
  for (const name of sources) {
    const { pool, busy } = steadyLoad(runbook, name, assumptions);
    // The restart's minutes of arrivals, in thread-minutes, over the threads the load leaves free.
    most = Math.max(most, (assumptions.hotfixInstallMinutes * busy) / Math.max(1, pool - busy));
  }
  return Math.ceil(most) + EXHAUSTION_MIN_MINUTES;
}

/**
 * How much later (minutes) the runbook's own steps that start outside the window would start at
 * its next opening: the most over those steps; 0 when none does.
 */
function windowShiftMinutes(analysis: Analysis): number {
  const { runbook } = analysis;
  const schedule = analysis.context?.schedule;
  const window = runbook.window;
  if (!windowDeclaresTimes(window) || schedule?.clockOrigin === undefined) return 0;
  let most = 0;
  for (const step of runbook.steps) {
    if (!step.start || intervalAt(window, step.start.value)) continue;
    const next = nextInterval(window, step.start.value);
    if (next) most = Math.max(most, (next.start - step.start.value) / 60000);
  }
  return most;
}

/** Threads a move's source has to spare for flushes: its pool less its steady load and the move itself. */
function spareThreads(runbook: Runbook, from: string | undefined, assumptions: Assumptions): number {
  const { pool, busy } = steadyLoad(runbook, from, assumptions);
  return Math.max(0, pool - Math.ceil(busy) - 4);
}

/** A server's thread pool, and the threads its steady delivery and OWA load keeps busy on average. */
function steadyLoad(runbook: Runbook, name: string | undefined, assumptions: Assumptions): { pool: number; busy: number } {
  const server = runbook.servers.find((decl) => decl.name && name && decl.name.value.toUpperCase() === name.toUpperCase());
  const load = server?.load;
  const busy =
    ((load?.localDeliveryPerMinute?.value ?? 0) * (load?.deliveryServiceMs?.value ?? assumptions.deliveryServiceMs)) / 60000 +
    ((load?.owaRequestsPerMinute?.value ?? 0) * (load?.owaServiceMs?.value ?? assumptions.owaServiceMs)) / 60000;
  return { pool: server?.taskThreads?.value ?? assumptions.storeTaskThreads, busy };
}

function changeCount(candidate: Candidate): number {
  return (
    Number(candidate.protect) +
    Number(candidate.settleMinutes !== undefined) +
    Number(candidate.intoWindow === true) +
    Number(candidate.concurrency !== undefined) +
    Number(candidate.startAt !== undefined) +
    Number(candidate.batches !== undefined) +
    Number(candidate.mailboxOrder !== undefined)
  );
}

/**
 * A rough finish (minutes after the targeted moves begin) from the candidate's numbers, and whether
 * it can plausibly be safe: every exposed move protected, or its flushes spread thin enough.
 * Only the order of the search rests on it; the simulation decides.
 */
function roughEstimate(analysis: Analysis, targets: readonly string[], candidate: Candidate): { finish: number; plausible: boolean } {
  const { runbook } = analysis;
  const context = analysis.context!;
  const assumptions = context.assumptions;
  const exposed = exposedMoves(runbook, context.states).filter((move) => move.step.id && targets.includes(move.step.id.value));
  let finish = candidate.protect ? assumptions.hotfixInstallMinutes + (candidate.settleMinutes ?? 0) : 0;
  if (candidate.intoWindow) finish += windowShiftMinutes(analysis);
  let plausible = candidate.protect || exposed.length === 0;
  const flush = runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
  for (const step of runbook.steps) {
    if (!step.id || !targets.includes(step.id.value) || !step.mailboxes) continue;
    const concurrency = Math.min(candidate.concurrency ?? step.concurrency?.value ?? 1, step.mailboxes.value.count);
    const throughput = step.throughputMBPerMinute?.value ?? assumptions.moveThroughputMBPerMinute;
    const { count, averageSizeMB } = step.mailboxes.value;
    const sizes = step.mailboxes.value.sizesMB;
    const minutes = sizes
      ? listedMoveMinutes(sizes, candidate.mailboxOrder ?? step.mailboxOrder?.value, concurrency, throughput)
      : moveMinutes({ ...step, concurrency: { value: concurrency, span: step.span } }, assumptions);
    const batches = candidate.batches;
    if (batches?.kind === 'drain') finish += minutes + Math.max(0, Math.ceil(count / batches.size) - 1) * batches.waitMinutes;
    else if (batches?.kind === 'nightly') finish += (batches.parts - 1) * 1440 + minutes / batches.parts;
    else finish += minutes;
    if (!candidate.protect && exposed.some((move) => move.step === step)) {
      // Flushes held at once: mailboxes finished within one flush timeout (at most one batch).
      const perMinute = averageSizeMB > 0 ? (concurrency * throughput) / averageSizeMB : count;
      const held = Math.min(batches?.kind === 'drain' ? batches.size : count, perMinute * flush);
      plausible = plausible && held + concurrency < spareThreads(runbook, step.from?.value, assumptions) + 4;
    }
  }
  // A move that takes longer than one night cannot fit a daily window unless it is split across nights.
  const daily = runbook.window?.daily;
  if (daily && candidate.batches?.kind !== 'nightly') {
    const night = (daily.to.value - daily.from.value + 1440) % 1440 || 1440;
    if (finish > night) plausible = false;
  }
  if (candidate.startAt !== undefined && context.schedule.clockOrigin !== undefined)
    finish += (candidate.startAt - context.schedule.clockOrigin) / 60000;
  return { finish, plausible };
}

/**
 * A listed move's minutes with its mailboxes in `order`, each taken by the first of `concurrency`
 * lanes to come free (the simulator's lanes, without waiting for threads): the tail a large
 * mailbox left for last makes. O(mailboxes × concurrency).
 */
function listedMoveMinutes(sizes: readonly number[], order: MailboxOrder | undefined, concurrency: number, throughput: number): number {
  const indexes = mailboxOrder(sizes, order);
  const lanes = new Float64Array(Math.max(1, concurrency));
  for (let i = 0; i < sizes.length; i++) {
    let free = 0;
    for (let lane = 1; lane < lanes.length; lane++) if (lanes[lane] < lanes[free]) free = lane;
    lanes[free] += sizes[indexes ? indexes[i] : i] / throughput;
  }
  return Math.max(...lanes);
}

/** What one candidate's simulation and lint say about it. */
function outcome(original: Analysis, built: BuiltCandidate, result: SimulationResult, options: LintOptions): PlanOutcome {
  const { analysis, text } = built;
  const findings = simulationFindings(analysis.runbook, result);
  const diagnostics: RunbookDiagnostic[] = toDiagnostics(analysis, { ...options, extraFindings: findings, pendingCodes: SIMULATED_CODES });
  const problems: Problem[] = diagnostics
    // A restart inside a move that the runbook already has is not the plan's to fix; one the plan adds is.
    .filter((d) =>
      ruleInfo(d.code)?.plan === 'mustNotAdd'
        ? countOf(analysis, d.code) > countOf(original, d.code)
        : ruleInfo(d.code)?.plan === 'solves' || d.severity === 'error',
    )
    .map((d) => ({ code: d.code, message: d.message, stepIndex: typeof d.data?.stepIndex === 'number' ? d.data.stepIndex : undefined }));
  const summaries = Object.values(result.servers).map((server) => server.summary);
  // Threads that run out anywhere, not only during a move (EXR005's scope), make a plan unsafe.
  for (const summary of summaries) {
    if (summary.exhaustedAt !== null && !problems.some((p) => p.code === exr005.code && p.message.includes(summary.server)))
      problems.push({ code: exr005.code, message: exhaustedOutsideMoves(summary, result.clockOrigin) });
  }
  const lastEnd = result.steps.reduce((latest, step) => Math.max(latest, step.end), 0);
  const finishIsClock = result.clockOrigin !== null;
  const hunks = lineDiff(original.parsed.text, text);
  const strain = strainOf(analysis, result);
  return {
    safe: problems.length === 0,
    changes: built.changes,
    stepsChanged: stepsChanged(original.runbook, analysis.runbook, original.parsed.text, text),
    finish: finishIsClock ? result.clockOrigin! + lastEnd * 60000 : lastEnd,
    finishIsClock,
    peakThreadsBusy: strain.peakThreadsBusy,
    threadPool: strain.threadPool,
    worstDeliveryQueue: strain.worstQueue,
    mailStaysUp: strain.mailStaysUp,
    strain,
    problems,
    exposedOrExhausted:
      exposedMoves(analysis.runbook, analysis.context?.states).length > 0 || summaries.some((s) => s.exhaustedAt !== null),
    overrunMinutes: findings.filter((f) => f.code === exr008.code).reduce((sum, f) => sum + Number(f.data?.overrunMinutes ?? 0), 0),
    text,
    runbook: analysis.runbook,
    edits: textEditsFromDiff(original.parsed.text, hunks, text),
    hunks,
  };
}

/**
 * A server that runs out of threads outside a move (EXR005 speaks of moves only): when, during
 * which step, what held the threads; after a restart, that the load is steady, so the restart
 * queues as much at any hour.
 */
function exhaustedOutsideMoves(summary: ServerSummary, clockOrigin: number | null): string {
  const record = summary.exhaustions[0];
  const at = summary.exhaustedAt!;
  const when = clockOrigin !== null ? `at ${formatClock(clockOrigin + at * 60000)}` : `${Math.round(at)} minutes in`;
  const during = summary.exhaustedDuringStep ? `during \`${summary.exhaustedDuringStep}\`` : 'between steps';
  if (!record) return `${summary.server} runs out of store task threads ${when} (${during}).`;
  const steady = record.afterRestart
    ? ' The simulated load is steady, so that restart queues as much at any hour: moving it does not help.'
    : '';
  return `${summary.server} runs out of store task threads ${when} (${during}): ${exhaustionCause(record)}.${steady}`;
}

function countOf(analysis: Analysis, code: string): number {
  return analysis.findings.filter((finding) => finding.code === code).length;
}

/** Steps added or whose text changed (by id), and one for the inventory when it changed. */
function stepsChanged(before: Runbook, after: Runbook, beforeText: string, afterText: string): number {
  const old = new Map(before.steps.filter((s) => s.id).map((s) => [s.id!.value, beforeText.slice(s.span.start, s.span.end)]));
  let count = 0;
  for (const step of after.steps) {
    const id = step.id?.value;
    if (id === undefined || old.get(id) !== afterText.slice(step.span.start, step.span.end)) count++;
  }
  const servers = (runbook: Runbook, text: string) =>
    runbook.serversSpan ? text.slice(runbook.serversSpan.start, runbook.serversSpan.end) : '';
  if (servers(before, beforeText) !== servers(after, afterText)) count++;
  return count;
}

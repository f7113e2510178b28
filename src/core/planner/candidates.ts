/**
 * The planner's candidate changes and how each is written into the runbook text. Every change is
 * one of the minimal edits of src/core/edits.ts (the quick fixes' code), applied in passes: a
 * pass edits the text the previous pass produced, read again, so later edits see the steps the
 * earlier ones inserted and their times.
 */
import {
  applyEdits,
  insertHotfixStepBefore,
  setGatewayOutThreadsZeroBefore,
  setMoveConcurrency,
  setStepField,
  splitMoveIntoBatches,
} from '../edits';
import type { MoveBatch, TextEdit } from '../edits';
import { analyze, type Analysis, type LintOptions } from '../lint';
import { KB924567 } from '../model/facts';
import { exposedMoves } from '../model/state';
import type { MailboxOrder, Runbook, Step } from '../model/types';
import { mailboxOrder } from '../simulator/store';
import { intervalAt, nextInterval, windowDeclaresTimes, windowIntervals } from '../model/window';

/** One combination of changes, applied to every move the planner targets. */
export interface Candidate {
  /** Install KB924567 and set Gateway Out Threads 0 (or only the latter when the hotfix is in) before each exposed move. */
  protect: boolean;
  /** Concurrency of every targeted move; undefined keeps each as written. */
  concurrency?: number;
  /** Start the first targeted move (that has a `start`) at this time, epoch ms. */
  startAt?: number;
  /** Move each targeted listed move's mailboxes largest first or last (`mailboxOrder`); undefined keeps each as written. */
  mailboxOrder?: 'largest-first' | 'largest-last';
  /** Split each targeted `{ count, averageSizeMB }` move into batches. */
  batches?: { kind: 'drain'; size: number; waitMinutes: number } | { kind: 'nightly'; parts: number };
  /**
   * With `protect`: minutes each protected move waits after the inserted hotfix ends, so the work
   * that queued while its restart had the store down is worked off before the move takes threads.
   */
  settleMinutes?: number;
  /**
   * Move the runbook's own steps (a hotfix, a service restart, a move) whose `start` is outside the
   * window to its next opening; the steps with a `start` after them that would now overlap them
   * start when they end.
   */
  intoWindow?: boolean;
}

/** The candidate written into the text, with what it changed in words. */
export interface BuiltCandidate {
  candidate: Candidate;
  text: string;
  analysis: Analysis;
  changes: string[];
}

/** A time as the format writes it, in UTC to the minute (seconds when they are not zero). */
export function formatTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith(':00.000Z') ? iso.slice(0, 16) + ':00Z' : iso.replace(/\.000Z$/, 'Z');
}

/** Writes `candidate` into `original` for the moves `targets` (step ids); undefined when an edit cannot be made. */
export function buildCandidate(
  original: Analysis,
  targets: readonly string[],
  candidate: Candidate,
  options: LintOptions,
): BuiltCandidate | undefined {
  const changes: string[] = [];
  let text = original.parsed.text;
  let analysis = original;
  const targetSet = new Set(targets);
  const movesOf = (runbook: Runbook) => runbook.steps.filter((step) => step.id && targetSet.has(step.id.value));
  const pass = (edits: TextEdit[]) => {
    if (edits.length === 0) return;
    text = applyEdits(text, edits);
    analysis = analyze(text, options);
  };

  // Pass 0: the runbook's own steps that start outside the window, moved to its next opening.
  if (candidate.intoWindow) {
    const moved = shiftIntoWindow(text, analysis);
    if (!moved) return undefined;
    changes.push(...moved.changes);
    pass(moved.edits);
  }

  // Pass 1: protection, before each exposed move (once per source: the hotfix protects the moves after it).
  const heldStarts = new Map<string, number>();
  const settled = new Set<string>();
  if (candidate.protect) {
    const edits: TextEdit[] = [];
    const protectedSources = new Set<string>();
    const runbook = analysis.runbook;
    for (const { step, key, state } of exposedMoves(runbook, analysis.context?.states)) {
      if (!step.id || !targetSet.has(step.id.value) || protectedSources.has(key)) continue;
      protectedSources.add(key);
      const server = state.name;
      if (state.hotfixes.has(KB924567)) {
        edits.push(...setGatewayOutThreadsZeroBefore(text, runbook, step.index, server));
        changes.push(`set Gateway Out Threads to 0 on ${server} before \`${step.id.value}\``);
      } else {
        // The hotfix takes the move's start (inside the window), and the move starts when it is done.
        const start = candidate.startAt !== undefined && isFirstTimed(runbook, step, targetSet) ? candidate.startAt : step.start?.value;
        if (start !== undefined) heldStarts.set(step.id.value, start);
        if (candidate.settleMinutes !== undefined) settled.add(step.id.value);
        if (start !== undefined && start !== step.start?.value) changes.push(`start at ${formatTime(start)}`);
        edits.push(
          ...insertHotfixStepBefore(text, runbook, step.index, server, analysis.context?.states, {
            start: start === undefined ? undefined : formatTime(start),
          }),
        );
        const gateway = state.gatewayOutThreads === 0 ? '' : ' and set Gateway Out Threads to 0';
        changes.push(`install KB924567 on ${server}${gateway} before \`${step.id.value}\` (its store restarts)`);
      }
    }
    if (edits.length === 0) return undefined;
    pass(edits);
  }

  // Pass 2: starts (after an inserted hotfix: when it ends) and concurrency.
  {
    const edits: TextEdit[] = [];
    const { runbook } = analysis;
    const schedule = analysis.context?.schedule;
    for (const step of movesOf(runbook)) {
      const id = step.id!.value;
      if ((heldStarts.has(id) || settled.has(id)) && schedule?.clockOrigin !== undefined && step.index > 0) {
        const settle = settled.has(id) ? candidate.settleMinutes! : 0;
        const after = schedule.clockOrigin + (schedule.steps[step.index - 1].end + settle) * 60000;
        edits.push(...setStepField(text, runbook, step.index, 'start', formatTime(after)));
        if (settle > 0)
          changes.push(
            `start \`${id}\` ${settle} minutes after the hotfix, at ${formatTime(after)}, once the work queued during its restart is worked off`,
          );
      } else if (settled.has(id)) {
        return undefined; // no clock times: a start cannot be written
      } else if (candidate.startAt !== undefined && isFirstTimed(runbook, step, targetSet)) {
        edits.push(...setStepField(text, runbook, step.index, 'start', formatTime(candidate.startAt)));
        changes.push(`start \`${id}\` at ${formatTime(candidate.startAt)}`);
      }
      if (candidate.concurrency !== undefined && step.concurrency?.value !== candidate.concurrency) {
        edits.push(...setMoveConcurrency(text, runbook, step.index, candidate.concurrency));
        changes.push(`move ${candidate.concurrency} mailboxes at once in \`${id}\` (was ${step.concurrency?.value ?? 'unset'})`);
      }
    }
    pass(edits);
  }

  // Pass 2b: the order of listed mailboxes (sizes from a list or a list file; with `{ count, averageSizeMB }` it changes nothing).
  if (candidate.mailboxOrder) {
    const edits: TextEdit[] = [];
    const { runbook } = analysis;
    for (const step of movesOf(runbook)) {
      const sizes = step.mailboxes?.value.sizesMB;
      // An order that moves the same sizes in the same sequence changes nothing (a list already sorted).
      if (!sizes || sameSequence(sizes, step.mailboxOrder?.value, candidate.mailboxOrder)) continue;
      edits.push(...setStepField(text, runbook, step.index, 'mailboxOrder', candidate.mailboxOrder));
      changes.push(`move the largest mailboxes ${candidate.mailboxOrder === 'largest-first' ? 'first' : 'last'} in \`${step.id!.value}\``);
    }
    if (edits.length === 0) return undefined;
    pass(edits);
  }

  // Pass 3: batches.
  if (candidate.batches) {
    const edits: TextEdit[] = [];
    const { runbook } = analysis;
    const schedule = analysis.context?.schedule;
    for (const step of movesOf(runbook)) {
      const mailboxes = step.mailboxes?.value;
      if (!mailboxes || mailboxes.sizesMB) continue;
      const id = step.id!.value;
      if (candidate.batches.kind === 'drain') {
        const { size, waitMinutes } = candidate.batches;
        if (mailboxes.count <= size) continue;
        const batches: MoveBatch[] = [];
        for (let left = mailboxes.count - size; left > 0; left -= size) batches.push({ count: Math.min(size, left), waitMinutes });
        edits.push(...splitMoveIntoBatches(text, runbook, step.index, size, batches));
        changes.push(
          `split \`${id}\` into ${batches.length + 1} batches of up to ${size} mailboxes, each after a ${Math.round(waitMinutes)}-minute wait for the flushes to time out`,
        );
      } else {
        const window = runbook.window;
        const origin = schedule?.clockOrigin;
        if (!windowDeclaresTimes(window) || origin === undefined || !schedule) return undefined;
        const { parts } = candidate.batches;
        if (mailboxes.count < parts) continue;
        const start = origin + schedule.steps[step.index].start * 60000;
        const first = intervalAt(window, start) ?? nextInterval(window, start);
        if (!first) return undefined;
        // The same offset into each following night's window as the first batch has into its own.
        const offset = Math.max(0, start - first.start);
        const nights = windowIntervals(window, first.start, first.start + parts * 8 * 86_400_000).filter((i) => i.start >= first.start);
        if (nights.length < parts) return undefined;
        const per = Math.ceil(mailboxes.count / parts);
        const batches: MoveBatch[] = [];
        for (let b = 1, left = mailboxes.count - per; b < parts && left > 0; b++, left -= per) {
          batches.push({ count: Math.min(per, left), start: formatTime(nights[b].start + offset) });
        }
        edits.push(...splitMoveIntoBatches(text, runbook, step.index, per, batches));
        changes.push(`split \`${id}\` over ${batches.length + 1} windows, ${per} mailboxes each, each batch starting as its window opens`);
      }
    }
    if (edits.length === 0) return undefined;
    pass(edits);
  }
  if (text === original.parsed.text && changes.length > 0) return undefined;
  return { candidate, text, analysis, changes };
}

/**
 * The runbook's own steps that have a `start` outside the window, moved to the window's next
 * opening; a later step with a `start` that did not overlap the steps before it and
 * now would starts when the step before it ends. Undefined when no step starts outside the window.
 */
function shiftIntoWindow(text: string, analysis: Analysis): { edits: TextEdit[]; changes: string[] } | undefined {
  const { runbook } = analysis;
  const schedule = analysis.context?.schedule;
  const window = runbook.window;
  if (!windowDeclaresTimes(window) || !schedule || schedule.clockOrigin === undefined) return undefined;
  const origin = schedule.clockOrigin;
  const edits: TextEdit[] = [];
  const changes: string[] = [];
  let shifted = false;
  // The previous step's end, as written and as planned (epoch ms).
  let endBefore: number | undefined;
  let endAfter: number | undefined;
  for (const step of runbook.steps) {
    const timing = schedule.steps[step.index];
    const start = origin + timing.start * 60000;
    const duration = (timing.end - timing.start) * 60000;
    let planned = step.start ? start : (endAfter ?? start);
    let why = '';
    if (step.start && !intervalAt(window, start)) {
      const next = nextInterval(window, start);
      if (next && next.start > planned) {
        planned = next.start;
        why = 'when the window opens';
        shifted = true;
      }
    }
    if (step.start && endBefore !== undefined && endAfter !== undefined && start >= endBefore && planned < endAfter) {
      planned = endAfter;
      why = step.index > 0 ? `when \`${runbook.steps[step.index - 1].id?.value ?? 'the step before it'}\` ends` : why;
    }
    if (step.start && planned !== start) {
      edits.push(...setStepField(text, runbook, step.index, 'start', formatTime(planned)));
      changes.push(`start \`${step.id?.value ?? `step ${step.index + 1}`}\` at ${formatTime(planned)}, ${why} (was ${formatTime(start)})`);
    }
    endBefore = start + duration;
    endAfter = planned + duration;
  }
  return shifted && edits.length > 0 ? { edits, changes } : undefined;
}

/** Whether two orders move the listed sizes in the same sequence. */
function sameSequence(sizes: readonly number[], a: MailboxOrder | undefined, b: MailboxOrder): boolean {
  const first = mailboxOrder(sizes, a);
  const second = mailboxOrder(sizes, b);
  for (let i = 0; i < sizes.length; i++) if (sizes[first ? first[i] : i] !== sizes[second ? second[i] : i]) return false;
  return true;
}

/** The first targeted move with a `start`: the one a new start time applies to. */
function isFirstTimed(runbook: Runbook, step: Step, targets: ReadonlySet<string>): boolean {
  const first = runbook.steps.find((s) => s.action?.value === 'move-mailboxes' && s.id && targets.has(s.id.value) && s.start);
  return first === step;
}

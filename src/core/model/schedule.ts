import { replaceRange, unchangedEnds } from '../arrays';
import { stepMinutes } from './actions';
import type { Assumptions } from './assumptions';
import type { Runbook, Step } from './types';

/** Planned start and end of each step in minutes from the start of the runbook (t = 0). */
export interface StepTiming {
  start: number;
  end: number;
}

export interface Schedule {
  steps: StepTiming[];
  /** Epoch ms of t = 0, when at least one step has an explicit `start`; otherwise unknown. */
  clockOrigin?: number;
  /** When the last step ends, minutes. */
  end: number;
}

/**
 * The static schedule: steps run in file order, a step without `start` begins when the step
 * before it ends, a step with `start` begins then (possibly overlapping earlier steps).
 * The steps before the first explicit `start` are placed so they lead up to it.
 * `durationOf` lets the simulator substitute its own durations (e.g. actual move batches).
 */
export function buildSchedule(
  runbook: Runbook,
  assumptions: Assumptions,
  durationOf = (step: Step) => stepMinutes(step, assumptions),
): Schedule {
  const steps: StepTiming[] = [];
  let chainEnd = 0;
  let origin: number | undefined;
  for (const step of runbook.steps) {
    let start = chainEnd;
    if (step.start) {
      if (origin === undefined) origin = step.start.value - chainEnd * 60000;
      start = (step.start.value - origin) / 60000;
    }
    const duration = sanitize(durationOf(step));
    steps.push({ start, end: start + duration });
    chainEnd = start + duration;
  }
  // Explicit starts earlier than the chain's beginning move t = 0 back so no time is negative.
  // A loop, not Math.min(...spread): a spread of 100,000+ steps overflows the call stack.
  const earliest = steps.reduce((lowest, timing) => Math.min(lowest, timing.start), 0);
  if (earliest < 0) {
    for (const timing of steps) {
      timing.start -= earliest;
      timing.end -= earliest;
    }
    if (origin !== undefined) origin += earliest * 60000;
  }
  const end = steps.reduce((latest, timing) => Math.max(latest, timing.end), 0);
  return { steps, clockOrigin: origin, end };
}

/** Non-finite or negative durations (zero throughput, absurd sizes) are capped so schedules stay ordered numbers. */
const MAX_STEP_MINUTES = 1e9;
function sanitize(minutes: number): number {
  if (Number.isNaN(minutes) || minutes < 0) return 0;
  return Math.min(minutes, MAX_STEP_MINUTES);
}

/**
 * The static schedule kept up to date after each edit (the incremental analyzer's, through
 * lint.ts's SemanticCaches): the same numbers, computed the same way, as `buildSchedule` with
 * `stepMinutes`. Per position it keeps each step's duration and explicit start and the chain's
 * times before the earliest-start normalisation ("raw"). After an edit, the durations are asked
 * only of the steps that differ by identity (and of the steps whose mailboxes come from a list
 * file, set again at every analysis); the chain is recomputed from the first changed position
 * until, past the last one, it meets last time's chain in the same state (the same chain end and
 * origin; or an explicit start, once the origin is known): from there every time is last time's,
 * shifted by the number of steps inserted or deleted. Unchanged timings keep their objects while
 * the normalisation is the same; a Schedule with every timing, the origin and the end unchanged is
 * last time's object.
 */
export class IncrementalSchedule {
  private steps: Step[] = [];
  /** Sanitized duration and explicit start (NaN when none) per position. */
  private durations: number[] = [];
  private starts: number[] = [];
  /** Start and end before the normalisation, per position. */
  private rawStarts: number[] = [];
  private rawEnds: number[] = [];
  /** Positions of steps with a mailbox list file. */
  private listed: number[] = [];
  /** The first explicit start's position (steps.length when none) and the origin it set, before the normalisation. */
  private originAt = 0;
  private origin: number | undefined;
  /** The normalisation's shift of last time (the earliest raw start when below 0, else 0). */
  private offset = 0;
  private schedule?: Schedule;
  private assumptions?: Assumptions;

  of(runbook: Runbook, assumptions: Assumptions): Schedule {
    const steps = runbook.steps;
    const old = this.steps;
    if (!this.schedule || !this.assumptions || !sameNumbers(this.assumptions, assumptions)) return this.build(steps, assumptions);
    const count = steps.length;
    const oldCount = old.length;
    const [head, tail] = unchangedEnds(old, steps);
    const shift = count - oldCount;
    // Durations and starts per position: last time's, with the steps that differ asked again.
    const middle = steps.slice(head, count - tail);
    replaceRange(
      this.durations,
      head,
      oldCount - tail - head,
      middle.map((step) => sanitize(stepMinutes(step, assumptions))),
    );
    replaceRange(this.starts, head, oldCount - tail - head, middle.map(explicitStart));
    let first = count;
    let changedEnd = 0;
    if (head < count - tail || head < oldCount - tail) {
      first = head;
      changedEnd = count - tail;
    }
    const listed: number[] = [];
    for (const at of this.listed) {
      const position = at < head ? at : at >= oldCount - tail ? at + shift : -1;
      if (position < 0) continue;
      listed.push(position);
      const minutes = sanitize(stepMinutes(steps[position], assumptions));
      if (minutes === this.durations[position]) continue;
      this.durations[position] = minutes;
      first = Math.min(first, position);
      changedEnd = Math.max(changedEnd, position + 1);
    }
    for (let i = head; i < count - tail; i++) if (steps[i].mailboxFile) listed.push(i);
    this.listed = listed.sort((a, b) => a - b);
    this.steps = steps;
    if (first === count && shift === 0) return this.schedule;
    return this.recompute(first, changedEnd, shift);
  }

  private build(steps: Step[], assumptions: Assumptions): Schedule {
    this.steps = steps;
    this.assumptions = assumptions;
    this.durations = steps.map((step) => sanitize(stepMinutes(step, assumptions)));
    this.starts = steps.map(explicitStart);
    this.listed = [];
    for (let i = 0; i < steps.length; i++) if (steps[i].mailboxFile) this.listed.push(i);
    this.rawStarts = [];
    this.rawEnds = [];
    this.originAt = steps.length;
    this.origin = undefined;
    this.schedule = undefined;
    return this.recompute(0, steps.length, 0);
  }

  /** The chain again from `first`, until past `changedEnd` it meets last time's (positions moved by `shift`). */
  private recompute(first: number, changedEnd: number, shift: number): Schedule {
    const { durations, starts, rawStarts: oldStarts, rawEnds: oldEnds } = this;
    const count = durations.length;
    const oldOriginAt = this.originAt;
    const oldOrigin = this.origin;
    let chainEnd = first > 0 ? oldEnds[first - 1] : 0;
    let origin = oldOriginAt < first ? oldOrigin : undefined;
    let originAt = oldOriginAt < first ? oldOriginAt : count;
    const newStarts: number[] = [];
    const newEnds: number[] = [];
    let stop = count;
    for (let i = first; i < count; i++) {
      const value = starts[i];
      if (i >= changedEnd && this.schedule) {
        // Last time's state before the same step: the same origin, and the same chain end unless the step has its own start.
        const j = i - shift;
        const sameOrigin = origin === undefined ? oldOriginAt >= j : oldOriginAt < j && origin === oldOrigin;
        if (sameOrigin && ((origin !== undefined && !Number.isNaN(value)) || chainEnd === (j > 0 ? oldEnds[j - 1] : 0))) {
          stop = i;
          break;
        }
      }
      let start = chainEnd;
      if (!Number.isNaN(value)) {
        if (origin === undefined) {
          origin = value - chainEnd * 60000;
          originAt = i;
        }
        start = (value - origin) / 60000;
      }
      const end = start + durations[i];
      newStarts.push(start);
      newEnds.push(end);
      chainEnd = end;
    }
    if (stop < count && origin === undefined) {
      // The origin is set after the recomputed stretch (or nowhere): where it was, moved, and what it was.
      originAt = oldOriginAt + shift;
      origin = oldOrigin;
    }
    const oldCount = count - shift;
    replaceRange(oldStarts, first, stop - shift - first, newStarts);
    replaceRange(oldEnds, first, stop - shift - first, newEnds);
    this.originAt = originAt;
    this.origin = origin;
    return this.normalised(first, stop, shift, oldCount);
  }

  /** The Schedule from the raw times: the earliest-start normalisation, reusing last time's timings where they are equal. */
  private normalised(first: number, stop: number, shift: number, oldCount: number): Schedule {
    const { rawStarts, rawEnds } = this;
    const count = rawStarts.length;
    let earliest = 0;
    let latest = -Infinity;
    for (let i = 0; i < count; i++) {
      earliest = Math.min(earliest, rawStarts[i]);
      latest = Math.max(latest, rawEnds[i]);
    }
    const offset = earliest < 0 ? earliest : 0;
    const last = this.schedule;
    const lastOffset = last ? this.offset : NaN;
    this.offset = offset;
    const timing = (i: number): StepTiming =>
      offset !== 0 ? { start: rawStarts[i] - offset, end: rawEnds[i] - offset } : { start: rawStarts[i], end: rawEnds[i] };
    let timings: StepTiming[];
    let same = last !== undefined && count === oldCount;
    if (!last || offset !== lastOffset) {
      timings = new Array<StepTiming>(count);
      for (let i = 0; i < count; i++) timings[i] = timing(i);
      same = false;
    } else {
      const fresh: StepTiming[] = [];
      for (let i = first; i < stop; i++) {
        const made = timing(i);
        const known = shift === 0 ? last.steps[i] : undefined;
        if (known && known.start === made.start && known.end === made.end) fresh.push(known);
        else {
          fresh.push(made);
          same = false;
        }
      }
      if (same) {
        timings = last.steps;
      } else {
        timings = last.steps.slice();
        replaceRange(timings, first, stop - shift - first, fresh);
      }
    }
    let origin = this.origin;
    if (origin !== undefined && earliest < 0) origin += earliest * 60000;
    const end = count === 0 ? 0 : Math.max(0, offset !== 0 ? latest - offset : latest);
    if (same && last && last.clockOrigin === origin && last.end === end) return last;
    this.schedule = { steps: timings, clockOrigin: origin, end };
    return this.schedule;
  }
}

function explicitStart(step: Step): number {
  return step.start ? step.start.value : NaN;
}

function sameNumbers(a: Assumptions, b: Assumptions): boolean {
  for (const key of Object.keys(a) as (keyof Assumptions)[]) if (a[key] !== b[key]) return false;
  return Object.keys(a).length === Object.keys(b).length;
}

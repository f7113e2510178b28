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

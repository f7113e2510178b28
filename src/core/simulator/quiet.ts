/**
 * Quiet stretches: between two steps, while no step runs and no transit-mail flush is held or
 * waiting, nothing happens to the servers but their background load (local delivery and OWA).
 * When every store keeps up with that load on its own, its queue is in a steady state, and
 * simulating more of it says nothing new about the migration. A runbook whose moves are months
 * apart would otherwise cost months of events and samples.
 *
 * So the run fast-forwards such a stretch: it keeps QUIET_MARGIN_MINUTES of calm after the last
 * activity, then moves the clock to QUIET_MARGIN_MINUTES before the next step's `start` and
 * carries the stores over unchanged, as if the time in between had not passed: waiting and
 * in-service work keep their ages, pending arrivals their distances (Poisson arrivals are
 * memoryless, so the load after the jump is the same process). Nothing is sampled or counted
 * inside the skipped stretch; the result lists it (`SimulationResult.skipped`).
 *
 * The rule is deterministic and only ever applies between steps: a run without steps (the
 * queueing tests), before the first step or after the last, and any time a step, a flush or a
 * restart is in progress are simulated in full.
 */
import type { StepRun, Store } from './store';

/** Calm kept on each side of a skipped stretch, minutes; a gap shorter than three of these is not skipped. */
export const QUIET_MARGIN_MINUTES = 60;

export interface Stretch {
  /** Minutes from the start of the run. */
  start: number;
  end: number;
}

/** A store keeps up with its background load alone: the offered load (threads' worth of work) is below its pool. */
export function keepsUp(store: Store): boolean {
  const offered = store.deliveryPerMinute * store.deliveryServiceMinutes + store.owaPerMinute * store.owaServiceMinutes;
  return offered === 0 || offered < store.pool;
}

/** A gap from `quietSince` to the next step at `nextStart` is long enough to skip part of. */
export function worthSkipping(quietSince: number, nextStart: number): boolean {
  return nextStart - quietSince >= 3 * QUIET_MARGIN_MINUTES;
}

/**
 * The stretches the planned schedule lets the run skip, for the up-front estimate of events and
 * samples. Each step is taken as busy from its planned start to its planned end, a move until
 * flushTimeout after it (its flushes may hold threads that long). Moves that stall run longer,
 * so the real run may skip less: the budget is enforced while running too.
 */
export function plannedSkips(runs: readonly StepRun[], timings: readonly Stretch[], flushTimeout: number, runEnd: number): Stretch[] {
  const busy = runs
    .map((run, index) => ({ start: timings[index].start, end: timings[index].end + (run.source ? flushTimeout : 0) }))
    .sort((a, b) => a.start - b.start);
  const skips: Stretch[] = [];
  let reach = busy.length > 0 ? busy[0].end : 0;
  for (const next of busy.slice(1)) {
    if (next.start > reach && worthSkipping(reach, next.start)) {
      const end = Math.min(next.start, runEnd) - QUIET_MARGIN_MINUTES;
      const start = reach + QUIET_MARGIN_MINUTES;
      if (end - start >= QUIET_MARGIN_MINUTES) skips.push({ start, end });
    }
    reach = Math.max(reach, next.end);
  }
  return skips;
}

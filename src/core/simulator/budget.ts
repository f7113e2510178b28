/**
 * The event budget: a run that would need more events than `maxEvents` is refused before it
 * starts (from an estimate), and stopped if it outgrows the budget while running (moves stalled
 * by exhaustion take longer than planned). The series are bounded by MAX_SAMPLES per server.
 */
import { formatCount } from '../format/numbers';
import { SimulationError, type Settings } from './settings';
import type { StepRun, Store } from './store';

/** The series may hold at most this many samples per server (memory is bounded by samples). */
export const MAX_SAMPLES = 500_000;

/** About how many events a run of `duration` minutes needs: two per delivery and OWA request, two per mailbox. */
export function estimateEvents(stores: readonly Store[], runs: readonly StepRun[], duration: number): number {
  let events = 0;
  for (const store of stores) events += 2 * (store.deliveryPerMinute + store.owaPerMinute) * duration;
  for (const run of runs) events += 2 + (run.source ? 2 * run.mailboxCount : 0);
  return Math.ceil(events);
}

/** Refuses, before anything runs, a run whose estimate is over the event budget or the sample limit. */
export function checkBudget(settings: Settings, estimatedEvents: number, estimatedDuration: number): void {
  const { maxEvents, sampleInterval } = settings;
  if (estimatedEvents > maxEvents) throw budgetError(estimatedEvents, maxEvents);
  const samples = Math.floor(estimatedDuration / sampleInterval) + 1;
  if (samples > MAX_SAMPLES) {
    throw new SimulationError(
      'budget',
      `this run would need ~${formatCount(samples)} samples per server; the limit is ` +
        `${formatCount(MAX_SAMPLES)}; raise simulation.sampleInterval or shorten the run`,
    );
  }
}

/** The run has used its budget before its end: the error projects what the whole run would have needed. */
export function exhaustedBudgetError(events: number, progress: number, estimatedEvents: number, maxEvents: number): SimulationError {
  const projected = progress > 0.01 ? Math.ceil(events / progress) : Math.max(estimatedEvents, events + 1);
  return budgetError(Math.max(projected, maxEvents + 1), maxEvents);
}

export function tooManySamplesError(): SimulationError {
  return new SimulationError(
    'budget',
    `this run would need more than ${formatCount(MAX_SAMPLES)} samples per server; raise ` + `simulation.sampleInterval or shorten the run`,
  );
}

function budgetError(needed: number, limit: number): SimulationError {
  return new SimulationError(
    'budget',
    `this runbook would need ~${formatCount(needed)} events; the limit is ${formatCount(limit)}; ` +
      `raise simulation.maxEvents or shorten the run`,
  );
}

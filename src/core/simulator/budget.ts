/**
 * What a run may cost, decided before it starts, so a run that cannot fit is refused in
 * milliseconds with a message that names the limit and the setting that changes it:
 * - events: about two per delivery, OWA request and mailbox over the time the run simulates
 *   (quiet stretches it will skip are free), at most `maxEvents`;
 * - the series: servers × samples at most MAX_SERIES_POINTS (the servers with a store model: idle
 *   servers, with no load and named by no step, have none and cost nothing). Without `simulation.sampleInterval`
 *   the interval is widened (to the next of SAMPLE_INTERVAL_STEPS) until the series fit; with it,
 *   a run that does not fit is refused. A run that outgrows its plan (moves stalled by exhaustion)
 *   has its interval doubled as it goes (sampling.ts), so the series never outgrow the limit;
 * - messages waiting in queues: at most MAX_QUEUED_MESSAGES over all servers (a store that cannot
 *   keep up with its load would otherwise fill memory), checked as they queue; and at most
 *   MAX_PENDING_EVENTS events pending at once (work in service on a huge pool).
 * The events are checked again while running: stalled moves make a run longer than planned.
 */
import { formatDurationSetting } from '../format/duration';
import { formatCount } from '../format/numbers';
import type { Stretch } from './quiet';
import { SimulationError, type Settings } from './settings';
import type { StepRun, Store } from './store';

/** Samples kept over all servers (servers × samples per server): at most ~30 MB of values, ~50 MB as indented JSON. */
export const MAX_SERIES_POINTS = 500_000;
/** Fewer samples per server than this draw no useful chart: a runbook with more servers is refused, not sampled thinner. */
export const MIN_SAMPLES_PER_SERVER = 25;
/** Messages waiting for a store thread, over all servers, at most (8 bytes each). */
export const MAX_QUEUED_MESSAGES = 4_000_000;
/** Events pending at once (work in service, arrivals, moves; 44 bytes each), at most. */
export const MAX_PENDING_EVENTS = 1 << 21;
/** The intervals a default-interval run may be widened to, minutes; beyond the last, whole days doubled. */
const SAMPLE_INTERVAL_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

export interface RunPlan {
  /** Minutes between samples. */
  sampleInterval: number;
  /** The interval the runbook (or the default) asked for, when the plan had to widen it; else null. */
  widenedFrom: number | null;
  /** Samples per server the plan expects (to size the series up front). */
  expectedSamples: number;
  estimatedEvents: number;
}

export interface PlanInput {
  settings: Settings;
  stores: readonly Store[];
  runs: readonly StepRun[];
  /** Minutes the run is expected to last. */
  duration: number;
  /** Quiet stretches the schedule lets it skip. */
  skips: readonly Stretch[];
}

/** Sizes the run, or refuses it (SimulationError 'budget'). */
export function planRun({ settings, stores, runs, duration, skips }: PlanInput): RunPlan {
  const simulated = Math.max(0, duration - skips.reduce((sum, skip) => sum + (skip.end - skip.start), 0));
  const estimatedEvents = estimateEvents(stores, runs, simulated);
  if (estimatedEvents > settings.maxEvents) throw budgetError(estimatedEvents, settings.maxEvents);

  // Without a store there are no series to size (every server is idle, or none is declared).
  if (stores.length === 0) return { sampleInterval: settings.sampleInterval, widenedFrom: null, expectedSamples: 0, estimatedEvents };
  const servers = stores.length;
  const samplesPerServer = Math.floor(MAX_SERIES_POINTS / servers);
  if (samplesPerServer < MIN_SAMPLES_PER_SERVER) {
    throw new SimulationError(
      'budget',
      `this runbook has ${serverCount(stores.length)} with load or steps; the simulator keeps at most ` +
        `${formatCount(MAX_SERIES_POINTS)} samples in all, fewer than ${MIN_SAMPLES_PER_SERVER} per server; ` +
        `split the runbook so each simulates at most ${formatCount(MAX_SERIES_POINTS / MIN_SAMPLES_PER_SERVER)} servers`,
    );
  }
  // One sample more per simulated stretch: each starts and ends on a sample.
  const samplesAt = (interval: number) => Math.floor(simulated / interval) + skips.length + 1;
  const requested = settings.sampleInterval;
  if (samplesAt(requested) <= samplesPerServer) {
    return { sampleInterval: requested, widenedFrom: null, expectedSamples: samplesAt(requested), estimatedEvents };
  }
  const needed = simulated / Math.max(1, samplesPerServer - skips.length - 1);
  const wider = widerInterval(Math.max(requested, needed));
  if (settings.sampleIntervalGiven) {
    const points = servers * samplesAt(requested);
    throw new SimulationError(
      'budget',
      `this run would need ~${formatCount(points)} samples (${serverCount(stores.length)} × ` +
        `${formatCount(samplesAt(requested))} samples, one every ${formatDurationSetting(requested)}); the limit is ` +
        `${formatCount(MAX_SERIES_POINTS)}; raise simulation.sampleInterval to ${formatDurationSetting(wider)} or more, ` +
        `or shorten the run (simulation.duration)`,
    );
  }
  return { sampleInterval: wider, widenedFrom: requested, expectedSamples: samplesAt(wider), estimatedEvents };
}

function serverCount(count: number): string {
  return count === 1 ? '1 server' : `${formatCount(count)} servers`;
}

/** The first of SAMPLE_INTERVAL_STEPS (then whole days, doubled) that is at least `minutes`. */
function widerInterval(minutes: number): number {
  for (const step of SAMPLE_INTERVAL_STEPS) if (step >= minutes) return step;
  let days = 2;
  while (days * 1440 < minutes) days *= 2;
  return days * 1440;
}

/** About how many events `minutes` of simulated time need: two per delivery and OWA request, two per mailbox. */
function estimateEvents(stores: readonly Store[], runs: readonly StepRun[], minutes: number): number {
  let events = 0;
  for (const store of stores) events += 2 * (store.deliveryPerMinute + store.owaPerMinute) * minutes;
  for (const run of runs) events += 2 + (run.source ? 2 * run.mailboxCount : 0);
  return Math.ceil(events);
}

/** The run has used its budget before its end: the error projects what the whole run would have needed. */
export function exhaustedBudgetError(events: number, progress: number, estimatedEvents: number, maxEvents: number): SimulationError {
  const projected = progress > 0.01 ? Math.ceil(events / progress) : Math.max(estimatedEvents, events + 1);
  return budgetError(Math.max(projected, maxEvents + 1), maxEvents);
}

/** More messages wait than a run may keep: the store named cannot keep up with its load. */
export function queueLimitError(store: Store): SimulationError {
  return new SimulationError(
    'budget',
    `more than ${formatCount(MAX_QUEUED_MESSAGES)} messages would wait for store threads at once ` +
      `(${store.name} cannot keep up with its load); lower load.localDeliveryPerMinute or load.owaRequestsPerMinute, ` +
      `raise store.taskThreads, or shorten the run (simulation.duration)`,
  );
}

/** More work would be in progress at once than a run may keep. */
export function pendingLimitError(): SimulationError {
  return new SimulationError(
    'budget',
    `more than ${formatCount(MAX_PENDING_EVENTS)} deliveries, OWA requests and moves would be in progress at once; ` +
      `lower store.taskThreads or the load, or shorten the run (simulation.duration)`,
  );
}

function budgetError(needed: number, limit: number): SimulationError {
  return new SimulationError(
    'budget',
    `this runbook would need ~${formatCount(needed)} events; the limit is ${formatCount(limit)}; ` +
      `raise simulation.maxEvents or shorten the run`,
  );
}

/**
 * How a run is set up: the caller's options, the errors a run ends with, and the settings a run
 * resolves once from the runbook, the caller's assumptions and the defaults (in that order).
 */
import { withAssumptions, type Assumptions } from '../model/assumptions';
import { FLUSH_TIMEOUT_MINUTES } from '../model/facts';
import { ACTION_TABLE } from '../model/actions';
import type { Runbook } from '../model/types';

export interface SimulateOptions {
  seed?: number;
  assumptions?: Partial<Assumptions>;
  maxEvents?: number;
  shouldCancel?: () => boolean;
  /**
   * False: the result's series are empty, for callers that read only the summaries (EXR005,
   * CodeLens). The run and its limits are the same; only the copy into the result is saved.
   */
  series?: boolean;
}

export type SimulationErrorKind = 'budget' | 'cancelled' | 'invalid';

export class SimulationError extends Error {
  readonly kind: SimulationErrorKind;
  constructor(kind: SimulationErrorKind, message: string) {
    super(message);
    this.name = 'SimulationError';
    this.kind = kind;
  }
}

const DEFAULT_SAMPLE_INTERVAL_MINUTES = 1;
const DEFAULT_OWA_TIMEOUT_MINUTES = 1;
const DEFAULT_SEED = 1;

/** Resolved run settings: the runbook's values, else the caller's assumptions, else the defaults. */
export interface Settings {
  seed: number;
  assumptions: Assumptions;
  maxEvents: number;
  flushTimeout: number;
  exponentialService: boolean;
  sampleInterval: number;
  /** The runbook sets simulation.sampleInterval: it is never widened up front (budget.ts). */
  sampleIntervalGiven: boolean;
  owaTimeout: number;
  explicitDuration: number | null;
  assumed: Set<keyof Assumptions>;
  fromCaller: Set<keyof Assumptions>;
  /** Copy the series into the result (SimulateOptions.series). */
  series: boolean;
}

export function resolveSettings(runbook: Runbook, options: SimulateOptions): Settings {
  const assumptions = withAssumptions(options.assumptions);
  const fromCaller = new Set<keyof Assumptions>();
  if (options.assumptions) {
    for (const key of Object.keys(assumptions) as (keyof Assumptions)[]) {
      const value = options.assumptions[key];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) fromCaller.add(key);
    }
  }
  const simulation = runbook.simulation ?? {};
  const assumed = new Set<keyof Assumptions>();
  const servers = runbook.servers.filter((server) => server.name);
  if (servers.some((server) => server.taskThreads === undefined)) assumed.add('storeTaskThreads');
  if (servers.some((server) => (server.load.localDeliveryPerMinute?.value ?? 0) > 0 && !server.load.deliveryServiceMs))
    assumed.add('deliveryServiceMs');
  if (servers.some((server) => (server.load.owaRequestsPerMinute?.value ?? 0) > 0 && !server.load.owaServiceMs))
    assumed.add('owaServiceMs');
  for (const step of runbook.steps) {
    const key = step.action ? ACTION_TABLE[step.action.value].durationAssumption(step) : undefined;
    if (key) assumed.add(key);
  }
  let maxEvents = options.maxEvents ?? simulation.maxEvents?.value;
  if (maxEvents === undefined || !(maxEvents > 0)) {
    maxEvents = assumptions.maxEvents;
    assumed.add('maxEvents');
  }
  const seed = options.seed ?? simulation.seed?.value ?? DEFAULT_SEED;
  if (!Number.isFinite(seed)) throw new SimulationError('invalid', 'the seed must be a finite number');
  const sampleInterval = simulation.sampleInterval?.value ?? DEFAULT_SAMPLE_INTERVAL_MINUTES;
  if (!(sampleInterval > 0)) throw new SimulationError('invalid', 'simulation.sampleInterval must be longer than 0');
  const flushTimeout = simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
  const duration = simulation.duration?.value;
  return {
    seed: Math.trunc(seed),
    assumptions,
    maxEvents: Math.floor(maxEvents),
    flushTimeout: flushTimeout >= 0 ? flushTimeout : FLUSH_TIMEOUT_MINUTES,
    exponentialService: simulation.serviceTime?.value !== 'deterministic',
    sampleInterval,
    sampleIntervalGiven: simulation.sampleInterval !== undefined,
    owaTimeout: simulation.owaTimeout?.value ?? DEFAULT_OWA_TIMEOUT_MINUTES,
    explicitDuration: duration !== undefined && duration >= 0 ? duration : null,
    assumed,
    fromCaller,
    series: options.series !== false,
  };
}

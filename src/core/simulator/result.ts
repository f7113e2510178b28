/**
 * What a simulation returns (docs/simulator.md, "Results"). Times are minutes from the start of the
 * simulation (t = 0 is the start of the runbook's first step); series are plain arrays so the
 * result crosses postMessage and JSON unchanged.
 */
import type { Assumptions } from '../model/assumptions';

export type WorkKind = 'delivery' | 'owa' | 'move' | 'flush';

export interface ServerSeries {
  /**
   * Sample times, minutes: 0, sampleInterval, 2·sampleInterval, … (the same for every server),
   * except that a quiet stretch the run skipped (`SimulationResult.skipped`) has no samples.
   */
  t: number[];
  /** Threads busy at each sample, by kind. */
  delivery: number[];
  owa: number[];
  move: number[];
  flush: number[];
  /** Local delivery messages waiting for a thread at each sample. */
  deliveryQueue: number[];
  /** Threads in the pool at each sample (0 while the store is restarting). */
  pool: number[];
}

export interface ServerSummary {
  server: string;
  threadPool: number;
  peakThreadsBusy: number;
  /** Minutes; the first time every thread is busy while work waits; null if never. */
  exhaustedAt: number | null;
  /** The step running on the server when threads ran out (its id), or null. */
  exhaustedDuringStep: string | null;
  /** Threads held by transit-mail flushes at `exhaustedAt`. */
  flushThreadsAtExhaustion: number | null;
  maxLocalDeliveryQueue: number;
  /** Minutes; when the local delivery queue first reached `maxLocalDeliveryQueue`; null if nothing ever waited. */
  maxLocalDeliveryQueueAt: number | null;
  /** The step (its id) whose restart had the store down at `maxLocalDeliveryQueueAt`, or null when the store was up then. */
  maxLocalDeliveryQueueDownFor: string | null;
  meanDeliveryWaitSeconds: number;
  meanDeliveryDelaySeconds: number;
  p95DeliveryDelaySeconds: number;
  owaUnanswered: number;
  owaRequests: number;
  flushTasksRegistered: number;
  flushThreadMinutes: number;
  /** Deliveries completed, for Little's law checks and the summary table. */
  deliveriesCompleted: number;
  /** Messages that arrived for local delivery. */
  deliveriesArrived: number;
  /** The local delivery queue against the Exchange Server Analyzer's 1,000-message line. */
  localQueueOverThreshold: QueueThresholdSummary;
  /**
   * Every exhaustion worth a warning: the first one, and the first during each move step that
   * involves the server (EXR005 reads these). Bounded by the number of steps.
   */
  exhaustions: ExhaustionRecord[];
}

/**
 * When the SMTP local delivery queue stood over a threshold operators watch (the Exchange Server
 * Analyzer's error at more than 1,000 messages). A dip under the line shorter than 5 minutes (QUEUE_DIP_MINUTES)
 * does not end a stretch. Minutes.
 */
export interface QueueThresholdSummary {
  threshold: number;
  /** When the queue first passed the threshold; null if it never did. */
  firstAt: number | null;
  /** How long it stayed over it that first time. */
  firstMinutes: number | null;
  /** How many separate stretches over it. */
  stretches: number;
  totalMinutes: number;
  longestMinutes: number;
  /** Still over it when the run ended (the stretch counts to the end of the run). */
  overAtEnd: boolean;
}

export interface ExhaustionRecord {
  /** Minutes; when every thread became busy while work waited. */
  at: number;
  /** The step running on the server then (a move from/to it if there is one), or null. */
  stepIndex: number | null;
  step: string | null;
  /** Threads held by transit-mail flushes at that moment. */
  flushThreads: number;
  threadPool: number;
  /** Threads busy by kind at that moment (what EXR005 names as the cause). */
  busy: { delivery: number; owa: number; move: number; flush: number };
  /**
   * Set when threads ran out the moment the store came back from a restart: it is working off the
   * requests that queued while it was down (the step that restarted it, and how many waited).
   */
  afterRestart: { step: string; waiting: number } | null;
}

export interface StepResult {
  id: string;
  index: number;
  action: string;
  /** Minutes. */
  start: number;
  /** Minutes. */
  end: number;
  /**
   * Minutes the schedule planned for the step (its action's duration, model/actions.ts): a move
   * that took much longer was slowed by the load (moments.ts `stretchedSteps`).
   */
  planned: number;
  /** False when the step had not finished when the simulation ended (then `end` is the end of the run). */
  completed: boolean;
}

export interface SimulationResult {
  /** The servers with work to simulate (load, or named by a step), in declaration order. */
  servers: Record<string, { summary: ServerSummary; series: ServerSeries }>;
  /**
   * Idle servers, as declared and in declaration order: no local delivery or OWA load and named by
   * no step (`server`, `from`, `to`). Nothing can happen on their stores (their threads are never
   * busy, their pools never change), so the simulator models none and they have no entry in
   * `servers`: a runbook of 10,000 servers and two steps costs what its two or three servers cost.
   */
  idleServers: string[];
  steps: StepResult[];
  seed: number;
  events: number;
  /** Minutes from the start to the end of the run (skipped quiet stretches included). */
  duration: number;
  /** Minutes between samples. */
  sampleInterval: number;
  /**
   * The interval the runbook asked for (or the default, 1 minute) when the simulator widened it
   * so the series fit (servers × samples, simulator/budget.ts); null when it was not widened.
   */
  sampleIntervalWidenedFrom: number | null;
  /**
   * Quiet stretches the run fast-forwarded (simulator/quiet.ts): between two steps, with no step
   * running and no flush held, only background load in its steady state. Nothing inside them was
   * simulated, sampled or counted (deliveries, OWA requests).
   */
  skipped: { start: number; end: number }[];
  /** Epoch ms of t = 0 when the runbook gives explicit times, else null. */
  clockOrigin: number | null;
  /** Every assumed number the run used, and which were the product's defaults rather than the runbook's. */
  assumptions: {
    values: Assumptions;
    /** Names (keys of Assumptions) whose value the run used without the runbook giving it. */
    assumed: string[];
    /** The subset of `assumed` that the caller (e.g. VS Code settings) set rather than the product default. */
    fromCaller: string[];
  };
}

/**
 * The messages between the simulation page (main.ts, runner.ts) and its Web Worker (worker.ts).
 * Plain JSON: they cross postMessage.
 */
import type { Assumptions } from '../core/model/assumptions';
import type { Runbook } from '../core/model/types';
import type { WhatIf } from '../core/simulator/index';
import type { SimulationResult } from '../core/simulator/result';

/** Which run a job is: the runbook as written, with the what-if changes, or a plan the server found (its own runbook). */
export type RunChannel = 'baseline' | 'whatIf' | 'plan';

export interface SimulateJob {
  type: 'simulate';
  channel: RunChannel;
  /** Increases with every job; results of older jobs are dropped. */
  runId: number;
  runbook: Runbook;
  whatIf?: WhatIf;
  assumptions: Partial<Assumptions>;
  maxEvents: number;
}

export type PageToWorker = SimulateJob | { type: 'cancel'; channel: RunChannel };

export type WorkerToPage =
  | { type: 'progress'; channel: RunChannel; runId: number; progress: number }
  /** The result so far, while the run goes on: the page draws it so the first chart comes quickly. */
  | { type: 'partial'; channel: RunChannel; runId: number; progress: number; result: SimulationResult }
  | { type: 'result'; channel: RunChannel; runId: number; result: SimulationResult; elapsedMs: number }
  | { type: 'failed'; channel: RunChannel; runId: number; kind: 'budget' | 'cancelled' | 'invalid' | 'crash'; message: string };

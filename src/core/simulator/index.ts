/** The simulator's public API (docs/simulator.md). Pure: runs in Node, the CLI and a Web Worker. */
import type { Runbook } from '../model/types';
import { Simulation } from './engine';
import type { SimulationResult } from './result';
import type { SimulateOptions } from './settings';

export { Simulation } from './engine';
export { SimulationError } from './settings';
export type { SimulateOptions, SimulationErrorKind } from './settings';
export { EXHAUSTION_MIN_MINUTES } from './episodes';
export { MAX_SERIES_POINTS } from './budget';
export { applyWhatIf, hotfixEverySource } from './whatIf';
export type { WhatIf } from './whatIf';
// EXR005's findings are the rule's (rules/exr005.ts); callers of the simulator find them here too.
export { exhaustionFindings } from '../rules/exr005';
export { simulationFindings } from '../rules';
export type * from './result';

/** Events handled between two looks at `shouldCancel`. */
const SLICE_EVENTS = 1 << 16;

/** Runs the whole simulation synchronously. Throws SimulationError ('budget', 'cancelled', 'invalid'). */
export function simulate(runbook: Runbook, options: SimulateOptions = {}): SimulationResult {
  const simulation = new Simulation(runbook, options);
  while (!simulation.runFor(SLICE_EVENTS)) {
    // runFor asks options.shouldCancel itself between slices.
  }
  return simulation.result();
}

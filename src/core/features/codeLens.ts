/** CodeLens above each move step: "▶ Simulate" and a one-line prediction from the last simulation. */
import type { Span } from '../diagnostics';
import type { Analysis } from '../lint';
import { unchangedEnds } from '../arrays';
import { StepListMemo } from './stepMemo';
import { serverKey, type Step } from '../model/types';
import { formatMoment } from '../simulator/moments';
import type { SimulationResult } from '../simulator/result';

export const SIMULATE_COMMAND = 'exrunbook.simulate';

export interface CodeLensItem {
  /** Where the lens sits: the step's `-` line. */
  span: Span;
  stepIndex: number;
  title: string;
  /** The command to run on click; absent for a lens that only informs. */
  command?: typeof SIMULATE_COMMAND;
}

export interface SimulationStatus {
  /**
   * The last finished simulation of this text; undefined while one runs. `stale`: it is of an
   * earlier version, kept while errors block a new one.
   */
  simulation?: { result?: SimulationResult; error?: string; stale?: boolean };
  /** False when errors keep the runbook from being simulated, or simulation is turned off. */
  simulating: boolean;
  /** Why no simulation runs ("1 error blocks the simulation: …"), when errors block it. */
  blocked?: string;
}

/**
 * A lens per move step (and its prediction), asked for after every edit: the lenses of the last
 * call are kept with the steps they were for, and while the status is the same (the same
 * simulation object, `simulating` and `blocked`), the unchanged steps before and after an edit
 * (by identity) keep last time's lenses; only the steps between are asked again. A prediction
 * that names the step's position (a simulation's result) is reused only where the steps kept
 * their positions.
 */
const LAST_LENSES = new StepListMemo<{
  steps: readonly Step[];
  status: SimulationStatus;
  lenses: CodeLensItem[];
  /** `offsets[i]`: the index in `lenses` of step i's first lens; `offsets[steps.length]` = lenses.length. */
  offsets: Int32Array;
}>();

export function codeLenses(analysis: Analysis, status: SimulationStatus): CodeLensItem[] {
  const steps = analysis.runbook.steps;
  const last = LAST_LENSES.get(steps);
  const sameStatus =
    last !== undefined &&
    last.status.simulation === status.simulation &&
    last.status.simulating === status.simulating &&
    last.status.blocked === status.blocked;
  const ends = last && sameStatus ? unchangedEnds(last.steps, steps) : [0, 0];
  const prefix = ends[0];
  let suffix = ends[1];
  // A result's prediction reads the step's index: steps after an insertion or deletion are asked again.
  if (suffix > 0 && steps.length !== last!.steps.length && status.simulation?.result !== undefined) suffix = 0;
  if (last && sameStatus && prefix === steps.length && prefix === last.steps.length) {
    moveWithSteps(steps, last.lenses, last.offsets);
    return last.lenses;
  }
  const lenses = last && prefix > 0 ? last.lenses.slice(0, last.offsets[prefix]) : [];
  const offsets = new Int32Array(steps.length + 1);
  if (last && prefix > 0) offsets.set(last.offsets.subarray(0, prefix));
  for (let stepIndex = prefix; stepIndex < steps.length - suffix; stepIndex++) {
    offsets[stepIndex] = lenses.length;
    stepLenses(steps[stepIndex], stepIndex, status, lenses);
  }
  if (last && suffix > 0) {
    const from = last.steps.length - suffix;
    const shift = lenses.length - last.offsets[from];
    for (let i = 0; i < suffix; i++) offsets[steps.length - suffix + i] = last.offsets[from + i] + shift;
    for (let i = last.offsets[from]; i < last.lenses.length; i++) lenses.push(last.lenses[i]);
  }
  offsets[steps.length] = lenses.length;
  moveWithSteps(steps, lenses, offsets);
  LAST_LENSES.set({ steps, status: { ...status }, lenses, offsets });
  return lenses;
}

/**
 * Kept lenses brought to where their steps are now (the incremental analyzer shifts a Step in
 * place and sets its index): one pass of number comparisons, written only where a step moved. Like
 * the Step objects, the lenses of an earlier analysis follow the latest one.
 */
function moveWithSteps(steps: readonly Step[], lenses: CodeLensItem[], offsets: Int32Array): void {
  for (let stepIndex = 0; stepIndex < steps.length; stepIndex++) {
    const from = offsets[stepIndex];
    const to = offsets[stepIndex + 1];
    if (from === to) continue;
    const at = steps[stepIndex].itemStart;
    for (let i = from; i < to; i++) {
      const lens = lenses[i];
      // A step's lenses share one span: moved once.
      if (lens.span.start !== at) {
        lens.span.start = at;
        lens.span.end = at;
      }
      if (lens.stepIndex !== stepIndex) lens.stepIndex = stepIndex;
    }
  }
}

/** A move step's lenses, on its `-` line. */
function stepLenses(step: Step, stepIndex: number, status: SimulationStatus, into: CodeLensItem[]): void {
  if (step.action?.value !== 'move-mailboxes') return;
  const span = { start: step.itemStart, end: step.itemStart };
  into.push({ span, stepIndex, title: '▶ Simulate', command: SIMULATE_COMMAND });
  const prediction = predictionFor(step, stepIndex, status);
  // A typo must not turn the prediction off silently: the last one stays, marked stale, with the reason.
  if (prediction && status.blocked && status.simulation?.stale)
    into.push({ span, stepIndex, title: `${prediction} (stale: ${firstSentence(status.blocked)})` });
  else if (prediction) into.push({ span, stepIndex, title: prediction });
  else if (status.blocked) into.push({ span, stepIndex, title: `no prediction: ${firstSentence(status.blocked)}` });
}

/**
 * "no exhaustion", "⚠ EXCH01: threads run out at 23:47 UTC, 1 h 47 m into wave1", "simulating…":
 * the moment told as the panel tells it (simulator/moments.ts).
 */
export function predictionFor(step: Step, stepIndex: number, status: SimulationStatus): string | undefined {
  const { simulation } = status;
  if (!simulation) return status.simulating ? 'simulating…' : undefined;
  if (simulation.error) return `no prediction: ${firstSentence(simulation.error)}`;
  const result = simulation.result;
  if (!result) return undefined;
  const servers = [step.from, step.to].filter((field) => field !== undefined).map((field) => serverKey(field!.value));
  const parts: string[] = [];
  for (const [name, { summary }] of Object.entries(result.servers)) {
    if (!servers.includes(serverKey(name))) continue;
    const exhaustion = summary.exhaustions.find(
      (record) => record.stepIndex === stepIndex || (record.stepIndex === null && step.id !== undefined && record.step === step.id.value),
    );
    if (!exhaustion) continue;
    const held = exhaustion.flushThreads > 0 ? ` (${exhaustion.flushThreads} of ${exhaustion.threadPool} held by flushes)` : '';
    parts.push(
      `${name}: threads run out at ${formatMoment(result, exhaustion.at, { index: exhaustion.stepIndex, id: exhaustion.step })}${held}`,
    );
  }
  return parts.length > 0 ? `⚠ ${parts.join('; ')}` : 'no exhaustion';
}

function firstSentence(text: string): string {
  const line = text.split(/\r?\n/)[0];
  return line.length > 100 ? line.slice(0, 100) + '…' : line;
}

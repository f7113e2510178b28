/** CodeLens above each move step: "▶ Simulate" and a one-line prediction from the last simulation. */
import type { Span } from '../diagnostics';
import type { Analysis } from '../lint';
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

export function codeLenses(analysis: Analysis, status: SimulationStatus): CodeLensItem[] {
  const lenses: CodeLensItem[] = [];
  analysis.runbook.steps.forEach((step, stepIndex) => {
    if (step.action?.value !== 'move-mailboxes') return;
    const span = { start: step.itemStart, end: step.itemStart };
    lenses.push({ span, stepIndex, title: '▶ Simulate', command: SIMULATE_COMMAND });
    const prediction = predictionFor(step, stepIndex, status);
    // A typo must not turn the prediction off silently: the last one stays, marked stale, with the reason.
    if (prediction && status.blocked && status.simulation?.stale)
      lenses.push({ span, stepIndex, title: `${prediction} (stale: ${firstSentence(status.blocked)})` });
    else if (prediction) lenses.push({ span, stepIndex, title: prediction });
    else if (status.blocked) lenses.push({ span, stepIndex, title: `no prediction: ${firstSentence(status.blocked)}` });
  });
  return lenses;
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

/**
 * The server's answers to the simulation panel (src/extension/simulatePanel.ts asks through the
 * requests in src/protocol/server.ts): the runbook model with the errors that stop a simulation
 * (the page simulates it in its own worker), and the text edits that write a what-if into the runbook.
 */
import { insertHotfixStepBefore, setMoveConcurrency, type TextEdit } from '../core/edits';
import { FIELD_LIMITS } from '../core/format/generated/fieldLimits';
import { simulationBlockers } from '../core/lint';
import { exposedMoves } from '../core/model/state';
import { serverKey, type Runbook } from '../core/model/types';
import type { BlockingProblem, RunbookChange } from '../protocol/panel';
import type { PanelEditsResult, RunbookModel } from '../protocol/server';
import type { RunbookState } from './documents';

/** How many blocking errors the panel lists (the Problems panel has them all). */
const LISTED_PROBLEMS = 5;

export function runbookModelFor(state: RunbookState): RunbookModel {
  // Only the errors that stop the simulation (an EXR001 does not).
  const errors = state.simulatable ? [] : simulationBlockers(state.analysis);
  const blockingProblems: BlockingProblem[] = errors
    .slice(0, LISTED_PROBLEMS)
    .map((diagnostic) => ({ code: diagnostic.code, message: diagnostic.message, line: diagnostic.range.start.line }));
  return {
    version: state.version,
    runbook: state.analysis.runbook,
    simulatable: state.simulatable,
    blockingProblems,
    errorCount: errors.length,
    assumptions: state.settings.assumptions,
    maxEvents: state.settings.maxEvents,
  };
}

/** The edits for a change the page asked for; the page shows runbook text, so its request is checked like any input. */
export function panelEditsFor(state: RunbookState, change: unknown): PanelEditsResult {
  const { version } = state;
  if (!isRunbookChange(change)) return { version, problem: 'The panel asked for a change it cannot make.' };
  const outcome = editsForChange(state.analysis.parsed.text, state.analysis.runbook, change);
  if ('problem' in outcome) return { version, problem: outcome.problem };
  const lines = state.analysis.parsed.lines;
  return {
    version,
    edits: outcome.edits.map((edit) => ({ range: lines.rangeOf(edit.span), newText: edit.newText })),
    description: outcome.description,
  };
}

function isRunbookChange(change: unknown): change is RunbookChange {
  if (!change || typeof change !== 'object') return false;
  const { kind, server, concurrency } = change as Record<string, unknown>;
  return (kind === 'hotfix' && typeof server === 'string') || (kind === 'concurrency' && typeof concurrency === 'number');
}

/** The index of the first move off `server` that registers held flushes (exposed to KB924567), or undefined. */
export function firstExposedMove(runbook: Runbook, server: string): number | undefined {
  const key = serverKey(server);
  return exposedMoves(runbook).find((move) => move.key === key)?.step.index;
}

export type ChangeOutcome = { edits: TextEdit[]; description: string } | { edits: []; problem: string };

/** The edits that write a what-if change into the runbook text (comments and layout kept by the core edits). */
export function editsForChange(text: string, runbook: Runbook, change: RunbookChange): ChangeOutcome {
  if (change.kind === 'hotfix') {
    const stepIndex = firstExposedMove(runbook, change.server);
    if (stepIndex === undefined)
      return { edits: [], problem: `No move off ${change.server} is exposed to KB924567 in the runbook now; nothing to insert.` };
    const declared =
      runbook.servers.find((server) => server.name && serverKey(server.name.value) === serverKey(change.server))?.name?.value ??
      change.server;
    const edits = insertHotfixStepBefore(text, runbook, stepIndex, declared);
    const stepId = runbook.steps[stepIndex].id?.value ?? `step ${stepIndex + 1}`;
    return edits.length
      ? { edits, description: `Inserted the KB924567 hotfix for ${declared} before ${stepId}.` }
      : { edits: [], problem: `The hotfix step for ${declared} could not be inserted.` };
  }
  const concurrency = change.concurrency;
  const { minimum, maximum } = FIELD_LIMITS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < minimum || concurrency > maximum)
    return { edits: [], problem: `A move concurrency must be a whole number from ${minimum} to ${maximum} (got ${concurrency}).` };
  const edits: TextEdit[] = [];
  for (const step of runbook.steps) {
    if (step.action?.value !== 'move-mailboxes' || step.concurrency?.value === concurrency) continue;
    edits.push(...setMoveConcurrency(text, runbook, step.index, concurrency));
  }
  if (edits.length === 0) return { edits: [], problem: `Every move already has concurrency ${concurrency}.` };
  return { edits, description: `Set the concurrency of the moves to ${concurrency}.` };
}

/**
 * The simulation panel's host-side logic that needs no VS Code API (so tests run it as is):
 * the runbook message the extension posts, and the text edits "Apply to runbook" makes.
 * src/extension/simulatePanel.ts wires these to the editor.
 */
import { simulationBlockers, type Analysis } from '../core/lint';
import { FIELD_LIMITS } from '../core/format/generated/fieldLimits';
import { insertHotfixStepBefore, setMoveConcurrency, type TextEdit } from '../core/edits';
import type { Assumptions } from '../core/model/assumptions';
import { exposedMoves } from '../core/model/state';
import { serverKey, type Runbook } from '../core/model/types';
import type { BlockingProblem, RunbookChange, RunbookMessage } from '../protocol/panel';

/** How many blocking errors the panel lists (the Problems panel has them all). */
const LISTED_PROBLEMS = 5;

export interface LintOutcome {
  analysis: Analysis;
  simulatable: boolean;
}

export function buildRunbookMessage(
  lint: LintOutcome,
  document: { uri: string; fileName: string; version: number },
  settings: { assumptions: Partial<Assumptions>; maxEvents: number },
  focusStepIndex?: number,
): RunbookMessage {
  // Only the errors that stop the simulation (an EXR001 does not).
  const errors = lint.simulatable ? [] : simulationBlockers(lint.analysis);
  const blockingProblems: BlockingProblem[] = errors
    .slice(0, LISTED_PROBLEMS)
    .map((diagnostic) => ({ code: diagnostic.code, message: diagnostic.message, line: diagnostic.range.start.line }));
  return {
    type: 'runbook',
    documentUri: document.uri,
    fileName: document.fileName,
    documentVersion: document.version,
    // A JSON round trip guarantees what crosses postMessage is plain data.
    runbook: JSON.parse(JSON.stringify(lint.analysis.runbook)) as Runbook,
    simulatable: lint.simulatable,
    blockingProblems,
    errorCount: errors.length,
    assumptions: settings.assumptions,
    maxEvents: settings.maxEvents,
    ...(focusStepIndex === undefined ? {} : { focusStepIndex }),
  };
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

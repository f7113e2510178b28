/**
 * The simulation panel's host-side logic that needs no VS Code API (so tests run it as is): the
 * message the page gets, made from the language server's model of the runbook (the host does no
 * analysis) and the document it belongs to. src/extension/simulatePanel.ts wires it to the editor.
 */
import type { PlansMessage, PlanView, RunbookMessage } from '../protocol/panel';
import type { FindPlansResult, PlanSummary, RunbookModel } from '../protocol/server';

export function runbookMessage(model: RunbookModel, document: { uri: string; fileName: string }, focusStepIndex?: number): RunbookMessage {
  const { version, ...view } = model;
  return {
    type: 'runbook',
    documentUri: document.uri,
    fileName: document.fileName,
    documentVersion: version,
    ...view,
    ...(focusStepIndex === undefined ? {} : { focusStepIndex }),
  };
}

/** The file's base name, for titles and export file names. */
export function baseName(path: string): string {
  return path.split('/').pop() || 'runbook';
}

/**
 * The page's message for the server's plans: each plan without its text edits (the host keeps
 * those and applies the one the page names), everything else as the server sent it, so a field
 * the server adds reaches the page's list unchanged.
 */
export function plansMessage(result: FindPlansResult | null | undefined, documentVersion: number): PlansMessage {
  if (!result) return { type: 'plans', documentVersion, problem: 'The language server does not have this runbook open; see its output.' };
  if ('problem' in result) return { type: 'plans', documentVersion: result.version, problem: result.problem };
  const view = ({ edits: _edits, ...rest }: PlanSummary): PlanView => rest;
  return {
    type: 'plans',
    documentVersion: result.version,
    plans: result.plans.map(view),
    ...(result.bestPartial ? { bestPartial: view(result.bestPartial) } : {}),
    asWrittenProblems: result.asWritten?.problems ?? [],
    searched: result.searched,
    stopped: result.stopped,
  };
}

/** What "Apply" says it wrote: the plan and its changes in words. */
export function planDescription(plan: PlanView, index: number): string {
  return `Applied plan ${index + 1}${plan.changes.length > 0 ? ` (${plan.changes.join('; ')})` : ''}.`;
}

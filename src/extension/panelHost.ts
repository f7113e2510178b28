/**
 * The simulation panel's host-side logic that needs no VS Code API (so tests run it as is): the
 * message the page gets, made from the language server's model of the runbook (the host does no
 * analysis) and the document it belongs to. src/extension/simulatePanel.ts wires it to the editor.
 */
import type { RunbookMessage } from '../protocol/panel';
import type { RunbookModel } from '../protocol/server';

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

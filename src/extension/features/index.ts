import * as vscode from 'vscode';
import type { RunbookDocuments } from '../runbookDocuments';
import { LANGUAGE_ID } from '../settings';
import { RunbookCodeActions } from './codeActions';
import { RunbookCodeLens } from './codeLens';
import { COMPLETION_TRIGGERS, RunbookCompletion } from './completion';
import { RunbookHover } from './hover';
import { RunbookFolding, RunbookSymbols } from './outline';

/** Registers quick fixes, hover, completion, outline, folding and CodeLens for runbooks. The logic lives in src/core/features. */
export function registerEditorFeatures(context: vscode.ExtensionContext, documents: RunbookDocuments): void {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const codeLens = new RunbookCodeLens(documents);
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(selector, new RunbookCodeActions(documents), RunbookCodeActions.metadata),
    vscode.languages.registerHoverProvider(selector, new RunbookHover(documents, context.extensionUri)),
    vscode.languages.registerCompletionItemProvider(selector, new RunbookCompletion(documents), ...COMPLETION_TRIGGERS),
    vscode.languages.registerDocumentSymbolProvider(selector, new RunbookSymbols(documents), { label: 'Runbook' }),
    vscode.languages.registerFoldingRangeProvider(selector, new RunbookFolding()),
    codeLens,
    vscode.languages.registerCodeLensProvider(selector, codeLens),
  );
}

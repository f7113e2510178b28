/**
 * "New runbook": an untitled document in the runbook language holding the commented skeleton,
 * inserted as a snippet so Tab walks through its placeholders. The skeleton is the one the
 * server's completion and the empty-file quick fix use (snippets/exchange-runbook.json).
 */
import * as vscode from 'vscode';
import snippets from '../../snippets/exchange-runbook.json';
import { LANGUAGE_ID } from './client';

export const NEW_RUNBOOK_COMMAND = 'exrunbook.newRunbook';

export async function newRunbook(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: '' });
  const editor = await vscode.window.showTextDocument(document);
  await editor.insertSnippet(new vscode.SnippetString(snippets['New runbook'].body.join('\n')));
}

import * as vscode from 'vscode';
import { completions, type CompletionKind } from '../../core/features';
import type { RunbookDocuments } from '../runbookDocuments';
import { toVsRangeFromSpan } from './shared';

const KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  field: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  server: vscode.CompletionItemKind.Reference,
  kb: vscode.CompletionItemKind.Constant,
  action: vscode.CompletionItemKind.Function,
};

export const COMPLETION_TRIGGERS = [':', ' ', '-'];

export class RunbookCompletion implements vscode.CompletionItemProvider {
  constructor(private readonly documents: RunbookDocuments) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    // The last analysis is enough for server details; the text itself decides what fits at the cursor.
    const analysis = this.documents.peek(document.uri)?.analysis;
    return completions(document.getText(), document.offsetAt(position), analysis).map((item) => {
      const result = new vscode.CompletionItem(item.label, KIND[item.kind]);
      result.detail = item.detail;
      if (item.documentation) result.documentation = new vscode.MarkdownString(item.documentation);
      result.insertText = item.insertText;
      if (item.range) result.range = toVsRangeFromSpan(document, item.range);
      result.sortText = item.sortText;
      return result;
    });
  }
}

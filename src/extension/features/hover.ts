import * as vscode from 'vscode';
import { hover } from '../../core/features';
import { ruleDocPath } from '../../core/rules';
import type { RunbookDocuments } from '../runbookDocuments';
import { shownDiagnostics, toVsRangeFromSpan } from './shared';

export class RunbookHover implements vscode.HoverProvider {
  constructor(
    private readonly documents: RunbookDocuments,
    private readonly extensionUri: vscode.Uri,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const state = this.documents.current(document);
    const result = hover(state.analysis, document.offsetAt(position), {
      diagnostics: shownDiagnostics(document),
      ruleDocLink: (code) => vscode.Uri.joinPath(this.extensionUri, ruleDocPath(code)).toString(),
    });
    if (!result) return undefined;
    // Not trusted, no HTML: the core escapes runbook text, and nothing in a hover may run a command.
    const markdown = new vscode.MarkdownString(result.contents);
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return new vscode.Hover(markdown, toVsRangeFromSpan(document, result.span));
  }
}

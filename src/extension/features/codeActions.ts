import * as vscode from 'vscode';
import type { RunbookDiagnostic } from '../../core/diagnostics';
import { codeActions } from '../../core/features';
import type { RunbookDocuments } from '../runbookDocuments';
import { coreDiagnostics, diagnosticCode, toVsRangeFromSpan } from './shared';

/** Quick fixes: the core computes the edits; this turns them into WorkspaceEdits tied to the editor's diagnostics. */
export class RunbookCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly documents: RunbookDocuments) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((diagnostic) => diagnostic.source === 'exrunbook' && diagnosticCode(diagnostic) !== undefined);
    if (ours.length === 0) return [];
    const state = this.documents.current(document);
    // Indexed once: a comment naming thousands of codes puts thousands of diagnostics at one cursor.
    const key = (code: string, start: number, end: number, message: string) => `${code}|${start}|${end}|${message}`;
    const known = new Map(coreDiagnostics(document, state).map((d) => [key(d.code, d.span.start, d.span.end, d.message), d]));
    const pairs = new Map<RunbookDiagnostic, vscode.Diagnostic>();
    for (const diagnostic of ours) {
      const span = { start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end) };
      const code = diagnosticCode(diagnostic)!;
      // The core diagnostic carries the data the fix needs; one from the simulation (EXR005) is rebuilt from the editor's.
      const core = known.get(key(code, span.start, span.end, diagnostic.message)) ?? {
        code,
        severity: 'warning',
        message: diagnostic.message,
        span,
        range: { start: diagnostic.range.start, end: diagnostic.range.end },
      };
      pairs.set(core, diagnostic);
    }
    return codeActions(state.analysis, [...pairs.keys()]).map((item) => {
      const action = new vscode.CodeAction(item.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const textEdit of item.edits) edit.replace(document.uri, toVsRangeFromSpan(document, textEdit.span), textEdit.newText);
      action.edit = edit;
      action.diagnostics = [pairs.get(item.diagnostic)!];
      action.isPreferred = item.isPreferred;
      return action;
    });
  }
}

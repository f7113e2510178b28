import * as vscode from 'vscode';
import type { RunbookDiagnostic, Span } from '../../core/diagnostics';
import { toDiagnostics } from '../../core/lint';
import type { RunbookState } from '../runbookDocuments';
import { readSettings } from '../settings';

export function toVsRangeFromSpan(document: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}

/** The core diagnostics of the document now, with the settings' severities (EXR005 comes from the editor's list). */
export function coreDiagnostics(document: vscode.TextDocument, state: RunbookState): RunbookDiagnostic[] {
  return toDiagnostics(state.analysis, { severities: readSettings(document.uri).severities });
}

export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

/** The diagnostics the editor shows now (EXR005 from the simulation included), as core diagnostics for hovers. */
export function shownDiagnostics(document: vscode.TextDocument): RunbookDiagnostic[] {
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((diagnostic) => diagnostic.source === 'exrunbook' && diagnosticCode(diagnostic) !== undefined)
    .map((diagnostic) => ({
      code: diagnosticCode(diagnostic)!,
      severity: 'information',
      message: diagnostic.message,
      span: { start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end) },
      range: { start: diagnostic.range.start, end: diagnostic.range.end },
    }));
}

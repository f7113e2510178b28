import * as vscode from 'vscode';
import type { Range, RunbookDiagnostic, Severity } from '../core/diagnostics';
import { ruleDocPath, ruleInfo } from '../core/rules';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toVsRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** A core diagnostic as VS Code shows it; the code links to the rule's page shipped in the extension (works offline). */
export function toVsDiagnostic(diagnostic: RunbookDiagnostic, document: vscode.TextDocument, extensionUri: vscode.Uri): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toVsRange(diagnostic.range), diagnostic.message, SEVERITY[diagnostic.severity]);
  result.source = 'exrunbook';
  result.code = { value: diagnostic.code, target: vscode.Uri.joinPath(extensionUri, ruleDocPath(diagnostic.code)) };
  if (diagnostic.related?.length) {
    result.relatedInformation = diagnostic.related.map(
      (related) => new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, toVsRange(related.range)), related.message),
    );
  }
  if (ruleInfo(diagnostic.code)?.fadesText) result.tags = [vscode.DiagnosticTag.Unnecessary];
  return result;
}

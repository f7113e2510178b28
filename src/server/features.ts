/**
 * The editor features in LSP terms: each is a core feature (src/core/features) over the
 * document's analysis, its spans turned into LSP ranges with the analysis' own line index (so a
 * result always matches the text it was computed from).
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { RunbookDiagnostic, Severity, Span } from '../core/diagnostics';
import {
  codeActions,
  codeLenses,
  completions,
  documentSymbols,
  foldingRanges,
  hover,
  type CodeLensItem,
  type CompletionKind,
  type DocumentSymbolItem,
  type SymbolKind as CoreSymbolKind,
} from '../core/features';
import type { Analysis } from '../core/lint';
import { ruleDocPath, ruleInfo } from '../core/rules';
import { SHOW_RULE_COMMAND } from '../protocol/server';
import { EARLIER_VERSION, type RunbookState } from './documents';
import { limitSymbols } from './limits';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'exrunbook';

/** A core diagnostic in LSP terms; the code links to its rule page when the server knows where the pages are (or how to show them). */
export function toLspDiagnostic(diagnostic: RunbookDiagnostic, uri: string, ruleLink: ((code: string) => string) | undefined): Diagnostic {
  const result: Diagnostic = {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    message: diagnostic.message,
  };
  if (ruleLink) result.codeDescription = { href: ruleLink(diagnostic.code) };
  if (diagnostic.related?.length)
    result.relatedInformation = diagnostic.related.map((related) => ({
      location: { uri, range: related.range },
      message: related.message,
    }));
  if (ruleInfo(diagnostic.code)?.fadesText) result.tags = [DiagnosticTag.Unnecessary];
  return result;
}

/** A `command:` link that asks the client to show a rule page rendered. */
export function ruleCommandLink(code: string): string {
  return `command:${SHOW_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([code]))}`;
}

/** A rule's page under `base` (the extension's or the package's folder). */
export function ruleDocUrl(base: string, code: string): string {
  return `${base.replace(/\/$/, '')}/${ruleDocPath(code)}`;
}

function rangeOf(analysis: Analysis, span: Span): Range {
  return analysis.parsed.lines.rangeOf(span);
}

export function hoverFor(state: RunbookState, position: Position, ruleDocLink: (code: string) => string): Hover | null {
  const { analysis } = state;
  const result = hover(analysis, analysis.parsed.lines.offsetAt(position), { diagnostics: state.diagnostics, ruleDocLink });
  // Markdown that the core escaped: runbook text in it cannot become a link or HTML.
  return result ? { contents: { kind: MarkupKind.Markdown, value: result.contents }, range: rangeOf(analysis, result.span) } : null;
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  server: CompletionItemKind.Reference,
  kb: CompletionItemKind.Constant,
  action: CompletionItemKind.Function,
  snippet: CompletionItemKind.Snippet,
};

/** Completion works on the text as it is now (often half-typed); `analysis` may be of an earlier version. */
export function completionsFor(document: TextDocument, position: Position, analysis: Analysis | undefined): CompletionItem[] {
  const text = document.getText();
  return completions(text, document.offsetAt(position), analysis).map((item) => {
    const result: CompletionItem = { label: item.label, kind: COMPLETION_KIND[item.kind], detail: item.detail, sortText: item.sortText };
    if (item.filterText) result.filterText = item.filterText;
    if (item.snippet) result.insertTextFormat = InsertTextFormat.Snippet;
    // The editor shows the detail above the documentation: never the same sentence twice.
    if (item.documentation && !item.detail?.startsWith(item.documentation.replace(/\.$/, '')))
      result.documentation = { kind: MarkupKind.Markdown, value: item.documentation };
    if (item.range)
      result.textEdit = {
        range: { start: document.positionAt(item.range.start), end: document.positionAt(item.range.end) },
        newText: item.insertText,
      };
    else result.insertText = item.insertText;
    return result;
  });
}

/**
 * Quick fixes and suppressions for the diagnostics the client sent. Each is matched to the
 * server's own diagnostic (which carries the data the fix needs) by code and range; one the
 * server no longer has (the text moved on) is rebuilt from what the client sent.
 */
export function codeActionsFor(state: RunbookState, uri: string, sent: readonly Diagnostic[]): CodeAction[] {
  const { analysis } = state;
  // Indexed once: a comment naming thousands of codes puts thousands of diagnostics at one cursor.
  const key = (code: string, range: Range, message: string) =>
    `${code}|${range.start.line}:${range.start.character}|${range.end.line}:${range.end.character}|${message}`;
  const known = new Map(state.diagnostics.map((d) => [key(d.code, d.range, d.message), d]));
  const pairs = new Map<RunbookDiagnostic, Diagnostic>();
  for (const diagnostic of sent) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code === undefined) continue;
    const code = String(diagnostic.code);
    const core = known.get(key(code, diagnostic.range, diagnostic.message)) ?? {
      code,
      severity: 'warning',
      message: diagnostic.message,
      span: { start: analysis.parsed.lines.offsetAt(diagnostic.range.start), end: analysis.parsed.lines.offsetAt(diagnostic.range.end) },
      range: diagnostic.range,
    };
    // A finding of an earlier, well-formed version: the text it was about has changed.
    if (core.data?.[EARLIER_VERSION] !== undefined) continue;
    pairs.set(core, diagnostic);
  }
  return codeActions(analysis, [...pairs.keys()]).map((item) => ({
    title: item.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [pairs.get(item.diagnostic)!],
    isPreferred: item.isPreferred,
    // Tied to the version the edits were computed for: an editor that moved on refuses them instead of garbling the text.
    edit: {
      documentChanges: [
        {
          textDocument: { uri, version: state.version },
          edits: item.edits.map((edit) => ({ range: rangeOf(analysis, edit.span), newText: edit.newText })),
        },
      ],
    },
  }));
}

const SYMBOL_KIND: Record<CoreSymbolKind, SymbolKind> = {
  namespace: SymbolKind.Namespace,
  server: SymbolKind.Object,
  step: SymbolKind.Event,
  property: SymbolKind.Property,
  object: SymbolKind.Module,
};

export function symbolsFor(state: RunbookState): DocumentSymbol[] {
  const { analysis } = state;
  const convert = (item: DocumentSymbolItem): DocumentSymbol => {
    const range = rangeOf(analysis, item.span);
    const inside = item.selectionSpan.start >= item.span.start && item.selectionSpan.end <= item.span.end;
    return {
      name: item.name,
      detail: item.detail,
      kind: SYMBOL_KIND[item.kind],
      range,
      // LSP requires the selection inside the range.
      selectionRange: inside ? rangeOf(analysis, item.selectionSpan) : { start: range.start, end: range.start },
      children: item.children.map(convert),
    };
  };
  return limitSymbols(documentSymbols(analysis)).map(convert);
}

/** The folding ranges of the text, at most `limit` of them (limits.ts). */
export function foldingFor(text: string, limit: number): FoldingRange[] {
  return foldingRanges(text)
    .limited(limit)
    .map((range) => ({
      startLine: range.startLine,
      endLine: range.endLine,
      ...(range.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : {}),
    }));
}

/**
 * "▶ Simulate" (for a client that has the command) and the last simulation's prediction above
 * each move step. A lens that only informs carries an empty command, which editors show as text.
 */
export function codeLensesFor(state: RunbookState, uri: string, client: { simulateCommand: boolean }): CodeLens[] {
  const { analysis } = state;
  const simulating = state.settings.simulationEnabled && state.simulatable;
  const blocked = state.settings.simulationEnabled ? state.blocked : undefined;
  const lines = analysis.parsed.lines;
  const result: CodeLens[] = [];
  for (const lens of codeLenses(analysis, { simulation: state.simulation, simulating, blocked })) {
    if (!client.simulateCommand && lens.command) continue;
    const offset = lens.span.start;
    const stepIndex = lens.stepIndex;
    const known = LSP_LENSES.get(lens);
    // Last time's CodeLens while it is at the same line and character (a lens per move, asked after every edit).
    if (
      known &&
      known.uri === uri &&
      known.stepIndex === stepIndex &&
      known.line < lines.lineCount &&
      lines.lineStart(known.line) + known.character === offset &&
      offset <= lines.lineEnd(known.line)
    ) {
      result.push(known.lens);
      continue;
    }
    const start = lines.positionAt(offset);
    const converted: CodeLens = {
      range: { start, end: { ...start } },
      command: lens.command
        ? { title: lens.title, command: lens.command, arguments: [uri, stepIndex] }
        : { title: lens.title, command: '' },
    };
    LSP_LENSES.set(lens, { lens: converted, uri, stepIndex, line: start.line, character: start.character });
    result.push(converted);
  }
  return result;
}

/** Each core lens's CodeLens as last sent (core lenses are reused from edit to edit: codeLens.ts). */
const LSP_LENSES = new WeakMap<CodeLensItem, { lens: CodeLens; uri: string; stepIndex: number; line: number; character: number }>();

/**
 * How much the server sends the client about one document, at most.
 *
 * Why: a runbook may be 8 MB (the core's limit), which is some 160,000 steps. Everything the
 * server answers is parsed and converted in the editor's extension host, which every other
 * extension of the window shares, and then drawn by the workbench: 160,000 outline symbols
 * (VS Code asks for them for the outline, the breadcrumbs and sticky scroll) or a diagnostic per
 * step would hold the host for seconds after every analysis, and no one reads past the first
 * thousand problems or scrolls an outline of 160,000 rows. So the server trims what it sends; the
 * analysis itself (and `exrunbook lint`) still sees everything. The e2e scenario
 * `host-answers-while-server-busy` times the host with an 8 MB runbook open.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { RunbookDiagnostic, Severity } from '../core/diagnostics';
import type { DocumentSymbolItem } from '../core/features';
import { formatCount } from '../core/format/numbers';

/** Diagnostics published per document; the most severe first, then one more saying how many were left out. */
export const MAX_DIAGNOSTICS = 1_000;
/** Symbols in a document's outline, counting every level (servers, steps and databases). */
export const MAX_DOCUMENT_SYMBOLS = 5_000;
/**
 * Folding ranges when the client does not say how many it wants (`foldingRange.rangeLimit`, which
 * VS Code sends as 5,000, its own `editor.foldingMaximumRegions`); a client that does gets its own.
 */
export const DEFAULT_FOLDING_RANGE_LIMIT = 5_000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The diagnostics to publish: all when there are at most `limit`, else the `limit` most severe (in their own order) and how many were left out. */
export function limitDiagnostics(
  diagnostics: readonly RunbookDiagnostic[],
  limit = MAX_DIAGNOSTICS,
): { shown: RunbookDiagnostic[]; omitted: RunbookDiagnostic[] } {
  if (diagnostics.length <= limit) return { shown: [...diagnostics], omitted: [] };
  const order = diagnostics.map((_, index) => index);
  order.sort((a, b) => SEVERITY_RANK[diagnostics[a].severity] - SEVERITY_RANK[diagnostics[b].severity] || a - b);
  const kept = new Uint8Array(diagnostics.length);
  for (let index = 0; index < limit; index++) kept[order[index]] = 1;
  const shown: RunbookDiagnostic[] = [];
  const omitted: RunbookDiagnostic[] = [];
  diagnostics.forEach((diagnostic, index) => (kept[index] ? shown : omitted).push(diagnostic));
  return { shown, omitted };
}

const SEVERITY_WORDS: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  information: ['information message', 'information messages'],
  hint: ['hint', 'hints'],
};

/** The information diagnostic at the top of the file that says what `limitDiagnostics` left out. */
export function omittedDiagnosticsNote(omitted: readonly RunbookDiagnostic[], source: string, limit = MAX_DIAGNOSTICS): Diagnostic {
  const counts = new Map<Severity, number>();
  for (const diagnostic of omitted) counts.set(diagnostic.severity, (counts.get(diagnostic.severity) ?? 0) + 1);
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((severity) => counts.has(severity))
    .map((severity) => {
      const count = counts.get(severity)!;
      return `${formatCount(count)} ${SEVERITY_WORDS[severity][count === 1 ? 0 : 1]}`;
    });
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source,
    message:
      `${formatCount(omitted.length)} more ${omitted.length === 1 ? 'problem is' : 'problems are'} not shown (${parts.join(', ')}): ` +
      `the editor is sent at most ${formatCount(limit)} per runbook, the most severe first. \`exrunbook lint\` lists them all.`,
  };
}

/**
 * The outline with at most `limit` symbols, taken level by level (every top-level key, then the
 * servers and steps in order, then the databases), so a huge runbook keeps its shape; a symbol
 * whose children were cut says how many of them the outline shows.
 */
export function limitSymbols(symbols: readonly DocumentSymbolItem[], limit = MAX_DOCUMENT_SYMBOLS): DocumentSymbolItem[] {
  const roots: DocumentSymbolItem[] = [];
  let budget = limit;
  let level: { from: readonly DocumentSymbolItem[]; into: DocumentSymbolItem[]; owner?: DocumentSymbolItem }[] = [
    { from: symbols, into: roots },
  ];
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { from, into, owner } of level) {
      for (const item of from) {
        if (budget === 0) break;
        budget--;
        const copy = { ...item, children: [] };
        into.push(copy);
        if (item.children.length > 0) next.push({ from: item.children, into: copy.children, owner: copy });
      }
      if (owner && into.length < from.length) {
        const shown = `${formatCount(into.length)} of ${formatCount(from.length)} shown`;
        owner.detail = owner.detail ? `${owner.detail} (${shown})` : shown;
      }
    }
    level = next;
  }
  return roots;
}

/**
 * Every editor feature in src/core/features run over one text, and what each must keep for any
 * input (docs/reliability.md): no throw, every span inside the document, no symbol without a name
 * (VS Code rejects the whole outline for one), selection ranges inside their symbol, folding on
 * lines that exist, quick-fix edits inside the text that leave text the core still reads.
 */
import type { RunbookDiagnostic, Span } from '../../src/core/diagnostics';
import { applyEdits } from '../../src/core/edits';
import {
  codeActions,
  codeLenses,
  completions,
  diagnosticsAt,
  documentSymbols,
  foldingRanges,
  hover,
  type DocumentSymbolItem,
} from '../../src/core/features';
import { analyze, toDiagnostics, type Analysis } from '../../src/core/lint';
import { lineStartsOf } from './invariants';

/** A few offsets worth asking at: the ends, the middle, and where the first diagnostics start. */
export function probeOffsets(text: string, diagnostics: readonly RunbookDiagnostic[]): number[] {
  const offsets = new Set([0, Math.floor(text.length / 3), Math.floor(text.length / 2), Math.floor((2 * text.length) / 3), text.length]);
  for (const d of diagnostics.slice(0, 4)) offsets.add(d.span.start);
  return [...offsets].sort((a, b) => a - b);
}

/** Every way the editor features break their contract on `text`; empty when they keep it. Exceptions propagate. */
export function featureProblems(
  text: string,
  analysis: Analysis = analyze(text),
  diagnostics: readonly RunbookDiagnostic[] = toDiagnostics(analysis),
  offsets: readonly number[] = probeOffsets(text, diagnostics),
): string[] {
  const problems: string[] = [];
  const inside = (span: Span | undefined, what: string) => {
    if (span === undefined) return;
    if (!(
      Number.isInteger(span.start) &&
      Number.isInteger(span.end) &&
      span.start >= 0 &&
      span.start <= span.end &&
      span.end <= text.length
    ))
      problems.push(`${what}: span ${span.start}-${span.end} outside the document (length ${text.length})`);
  };

  const checkSymbol = (symbol: DocumentSymbolItem, path: string) => {
    const where = `symbol ${path}${JSON.stringify(symbol.name)}`;
    if (typeof symbol.name !== 'string' || symbol.name.trim() === '') problems.push(`${where}: empty name`);
    inside(symbol.span, where);
    inside(symbol.selectionSpan, `${where} selection`);
    if (symbol.selectionSpan.start < symbol.span.start || symbol.selectionSpan.end > symbol.span.end)
      problems.push(
        `${where}: selection ${symbol.selectionSpan.start}-${symbol.selectionSpan.end} outside ${symbol.span.start}-${symbol.span.end}`,
      );
    for (const child of symbol.children) checkSymbol(child, `${path}${symbol.name} > `);
  };
  for (const symbol of documentSymbols(analysis)) checkSymbol(symbol, '');

  const lineCount = lineStartsOf(text).length;
  for (const range of foldingRanges(text)) {
    if (!(range.startLine >= 0 && range.startLine <= range.endLine && range.endLine < lineCount))
      problems.push(`folding ${range.startLine}-${range.endLine} outside the document's ${lineCount} lines`);
  }

  for (const lens of codeLenses(analysis, { simulating: true })) inside(lens.span, `code lens "${lens.title}"`);

  for (const offset of offsets) {
    const shown = hover(analysis, offset, { diagnostics });
    if (shown) {
      inside(shown.span, `hover at ${offset}`);
      if (shown.contents.trim() === '') problems.push(`hover at ${offset}: empty contents`);
    }
    for (const item of completions(text, offset, analysis)) {
      inside(item.range, `completion "${item.label}" at ${offset}`);
      if (item.label.trim() === '') problems.push(`completion at ${offset}: empty label`);
    }
    for (const action of codeActions(analysis, diagnosticsAt(diagnostics, { start: offset, end: offset }))) {
      for (const edit of action.edits) inside(edit.span, `quick fix "${action.title}" at ${offset}`);
      // The fixed text must still be text the core reads without throwing.
      toDiagnostics(analyze(applyEdits(text, action.edits)));
    }
  }
  return problems;
}

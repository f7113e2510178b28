/** The outline (servers and steps) and folding ranges of a runbook. */
import { isMap, isPair, isScalar } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Span } from '../diagnostics';
import type { Analysis } from '../lint';
import { formatCount } from '../format/numbers';
import { exchangeLabel } from '../model/facts';
import { commonPrefix, commonSuffix } from '../incremental/incrementalAnalyzer';
import type { DatabaseDecl, ServerDecl, Step } from '../model/types';
import { sameEnds, StepListMemo } from './stepMemo';

export type SymbolKind = 'namespace' | 'server' | 'step' | 'property' | 'object';

export interface DocumentSymbolItem {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** The whole entry, from its key or `-` to its last value. */
  span: Span;
  /** The part to reveal and highlight: the key, or the name / id value. */
  selectionSpan: Span;
  children: DocumentSymbolItem[];
}

/** "Servers" > EXCH01…, "Steps" > wave1 (action as detail), plus the other top-level keys. */
export function documentSymbols(analysis: Analysis): DocumentSymbolItem[] {
  const { text } = analysis.parsed;
  // The incremental analyzer's top-level mapping when there is one: the outline needs no step's nodes.
  const root = analysis.parsed.topLevel ?? analysis.parsed.doc.contents;
  if (!isMap(root)) return [];
  const symbols: DocumentSymbolItem[] = [];
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    const pair = item as Pair<Node, Node | null>;
    const keySpan = spanOf(pair.key);
    if (!keySpan) continue;
    const key = String((pair.key as unknown as { value: unknown }).value);
    const valueEnd = pair.value?.range ? endOfContent(text, pair.value.range[0], pair.value.range[1]) : keySpan.end;
    const span = { start: keySpan.start, end: Math.max(keySpan.end, valueEnd) };
    if (key === 'servers') {
      const children = analysis.runbook.servers.map((server) => serverSymbol(text, server));
      symbols.push({
        name: 'Servers',
        detail: `${formatCount(children.length)} declared`,
        kind: 'namespace',
        span,
        selectionSpan: keySpan,
        children,
      });
    } else if (key === 'steps') {
      const children = stepSymbols(text, analysis.runbook.steps);
      symbols.push({
        name: 'Steps',
        detail: `${formatCount(children.length)} in order`,
        kind: 'namespace',
        span,
        selectionSpan: keySpan,
        children,
      });
    } else {
      const detail = isScalar(pair.value) ? String(pair.value.value ?? '').slice(0, 80) : '';
      // An empty key (`"": x`) is named as written: VS Code rejects a symbol without a name, and the whole outline with it.
      const name = nonBlank(key) ?? nonBlank(text.slice(keySpan.start, keySpan.end)) ?? '(empty key)';
      symbols.push({ name, detail, kind: isMap(pair.value) ? 'object' : 'property', span, selectionSpan: keySpan, children: [] });
    }
  }
  return symbols;
}

function serverSymbol(text: string, server: ServerDecl): DocumentSymbolItem {
  const span = { start: dashBefore(text, server.span.start), end: endOfContent(text, server.span.start, server.span.end) };
  const version = server.exchange ? exchangeLabel(server.exchange.value, server.servicePack?.value) : '';
  return {
    name: nonBlank(server.name?.value) ?? `server ${server.index + 1}`,
    detail: version,
    kind: 'server',
    span,
    selectionSpan: selectionWithin(text, span, server.name?.span),
    children: (server.databases ?? []).map((db, index) => databaseSymbol(text, db, index)),
  };
}

/** A database under its server: its name, and its storage group and kind as detail. */
function databaseSymbol(text: string, db: DatabaseDecl, index: number): DocumentSymbolItem {
  const span = { start: db.span.start, end: endOfContent(text, db.span.start, db.span.end) };
  const detail = [db.storageGroup?.value, db.kind?.value ?? 'mailbox'].filter((part) => part !== undefined).join(' · ');
  return {
    name: nonBlank(db.name?.value) ?? `database ${index + 1}`,
    detail,
    kind: 'object',
    span,
    selectionSpan: selectionWithin(text, span, db.name?.span),
    children: [],
  };
}

/**
 * The outline is asked for after every edit, and most steps are the objects they were last time:
 * the steps' symbols of the last outline, by step, so that an edit touches only the steps it
 * changed (by identity: the unchanged steps before and after them are last time's symbols, the
 * array copied around the new ones). A step that moved inside the list is found in STEP_SYMBOLS.
 */
const OUTLINES = new StepListMemo<{ steps: readonly Step[]; children: DocumentSymbolItem[] }>();
const STEP_SYMBOLS = new WeakMap<Step, DocumentSymbolItem>();

function stepSymbols(text: string, steps: readonly Step[]): DocumentSymbolItem[] {
  const last = OUTLINES.get(steps);
  const [prefix, suffix] = last ? sameEnds(last.steps, steps) : [0, 0];
  if (last && prefix === steps.length && prefix === last.steps.length) return last.children;
  const children = last && prefix > 0 ? last.children.slice(0, prefix) : [];
  for (let i = prefix; i < steps.length - suffix; i++) children.push(cachedStepSymbol(text, steps[i]));
  for (let i = last ? last.steps.length - suffix : 0; i < (last?.steps.length ?? 0); i++) children.push(last!.children[i]);
  OUTLINES.set({ steps: steps.slice(), children });
  return children;
}

function cachedStepSymbol(text: string, step: Step): DocumentSymbolItem {
  let symbol = STEP_SYMBOLS.get(step);
  if (!symbol) STEP_SYMBOLS.set(step, (symbol = stepSymbol(text, step)));
  return symbol;
}

/**
 * A step's symbol is a view of the step: its spans are read from the step's `itemStart` and its
 * positional name from its `index` when asked, so the same object stays right when the incremental
 * analyzer moves the step (it shifts the step in place; the step's own text, which the offsets
 * inside it come from, is unchanged while it is the same object). Like the Step objects, the
 * outline of an earlier analysis follows the latest one.
 */
function stepSymbol(text: string, step: Step): DocumentSymbolItem {
  const base = step.itemStart;
  const span = { start: base, end: endOfContent(text, step.span.start, step.span.end) };
  const selection = selectionWithin(text, span, step.id?.span);
  const end = span.end - base;
  const selectionStart = selection.start - base;
  const selectionEnd = selection.end - base;
  const detail = step.action?.value ?? '';
  const id = nonBlank(step.id?.value);
  // Written out twice (no spread, which would read the accessors once): a step with an id is named by it.
  if (id !== undefined)
    return {
      name: id,
      detail,
      kind: 'step',
      get span() {
        return { start: step.itemStart, end: step.itemStart + end };
      },
      get selectionSpan() {
        return { start: step.itemStart + selectionStart, end: step.itemStart + selectionEnd };
      },
      children: [],
    };
  return {
    get name() {
      return `step ${step.index + 1}`;
    },
    detail,
    kind: 'step',
    get span() {
      return { start: step.itemStart, end: step.itemStart + end };
    },
    get selectionSpan() {
      return { start: step.itemStart + selectionStart, end: step.itemStart + selectionEnd };
    },
    children: [],
  };
}

/**
 * The part to highlight, inside the symbol as editors require: a block scalar's range runs past its
 * last line break, beyond the symbol's end (which stops at the last character).
 */
function selectionWithin(text: string, span: Span, selection: Span | undefined): Span {
  if (!selection) return { start: span.start, end: span.start };
  const start = Math.min(Math.max(selection.start, span.start), span.end);
  return { start, end: Math.min(Math.max(endOfContent(text, start, selection.end), start), span.end) };
}

/** The text, unless it is empty or only white space (no name an outline can show). */
function nonBlank(text: string | undefined): string | undefined {
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

function spanOf(node: Node | null | undefined): Span | undefined {
  return node?.range ? { start: node.range[0], end: node.range[1] } : undefined;
}

/** Block ranges end after their final line break; the symbol should end at the last character. */
function endOfContent(text: string, start: number, end: number): number {
  let i = Math.min(end, text.length);
  while (i > start && /\s/.test(text[i - 1])) i--;
  return i;
}

function dashBefore(text: string, contentStart: number): number {
  let i = contentStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return i >= 0 && text[i] === '-' ? i : contentStart;
}

// ---------------------------------------------------------------------------------------------
// Folding

export interface FoldingRangeItem {
  /** 0-based lines, inclusive. */
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

/**
 * Folding from the block structure: a line folds over the lines indented deeper than it (a `- `
 * item over its keys; a `key:` over its block, including `- ` items at its own indentation), and a
 * run of two or more comment lines folds as a comment. Works on any text, well-formed or not.
 */
/**
 * The shape of the line [start, end) as far as folding reads it: BLANK, COMMENT, or for content its
 * indentation, whether it is a `-` item and whether it is a `key:` that may open a list, as one number.
 * Folding is a function of the sequence of line shapes alone.
 */
const BLANK = -1;
const COMMENT = -2;
function lineShape(text: string, start: number, end: number): number {
  let indent = start;
  while (indent < end && text.charCodeAt(indent) === 32) indent++;
  const first = indent < end ? text.charCodeAt(indent) : -1;
  if (first === -1) return BLANK;
  if (first === 35 /* # */) return COMMENT;
  if (!(first > 32 && first < 127)) {
    const line = text.slice(start, end);
    if (/^\s*$/.test(line)) return BLANK;
    if (/^\s*#/.test(line)) return COMMENT;
  }
  const isItem = first === 45 /* - */ && (indent + 1 === end || /\s/.test(text[indent + 1]));
  // `key:` with nothing after it may hold a list whose `-` items sit at its own indentation.
  const opensList = !isItem && endsWithColon(text, start, end);
  return (indent - start) * 4 + (isItem ? 1 : 0) + (opensList ? 2 : 0);
}

/**
 * The last text folded and its ranges: asked after every edit, folding is last time's when the
 * edit keeps the number of lines and the shape of every line it touched (typing inside a value),
 * checked on the changed lines only.
 */
let lastFolding: { text: string; ranges: FoldingRangeItem[] } | undefined;

export function foldingRanges(text: string): FoldingRangeItem[] {
  const last = lastFolding;
  if (last && (last.text === text || sameLineShapes(last.text, text))) {
    lastFolding = { text, ranges: last.ranges };
    return last.ranges.map((range) => ({ ...range }));
  }
  const ranges = foldingRangesAfresh(text);
  lastFolding = { text, ranges };
  return ranges.map((range) => ({ ...range }));
}

/** Whether `after` has the lines of `before`, each of the same shape (lineShape): compared on the changed lines only. */
function sameLineShapes(before: string, after: string): boolean {
  const prefix = commonPrefix(before, after);
  const suffix = commonSuffix(before, after, prefix);
  // From the start of the line of the first change to the end of the line of the last (a \n or the end in both,
  // as what follows is common), in both texts; a \r nearby (\r\n or \r line breaks) is left to a full pass.
  let from = prefix;
  while (from > 0 && before.charCodeAt(from - 1) !== 10) from--;
  let beforeEnd = before.length - suffix;
  while (beforeEnd < before.length && before.charCodeAt(beforeEnd) !== 10) beforeEnd++;
  const afterEnd = beforeEnd - before.length + after.length;
  if (afterEnd < prefix) return false;
  if (from > 0 && before.charCodeAt(from - 1) !== 10) return false;
  for (const [text, end] of [
    [before, beforeEnd],
    [after, afterEnd],
  ] as const) {
    for (let i = Math.max(0, from - 1); i < Math.min(text.length, end + 1); i++) if (text.charCodeAt(i) === 13) return false;
  }
  let a = from;
  let b = from;
  for (;;) {
    let aEnd = a;
    while (aEnd < beforeEnd && before.charCodeAt(aEnd) !== 10) aEnd++;
    let bEnd = b;
    while (bEnd < afterEnd && after.charCodeAt(bEnd) !== 10) bEnd++;
    if (lineShape(before, a, aEnd) !== lineShape(after, b, bEnd)) return false;
    const aDone = aEnd >= beforeEnd;
    const bDone = bEnd >= afterEnd;
    if (aDone || bDone) return aDone && bDone;
    a = aEnd + 1;
    b = bEnd + 1;
  }
}

/** Folding computed over every line, without last time's ranges (what `foldingRanges` must equal). */
export function foldingRangesAfresh(text: string): FoldingRangeItem[] {
  const ranges: FoldingRangeItem[] = [];
  // Asked after every edit, on every line: lines are read in place (no split) and classified by
  // their first characters, with the regular expressions only for what is not plain ASCII.
  const comments: number[] = [];
  // One pass with a stack of open blocks, so deep or long files stay linear.
  const open: { line: number; indent: number; opensList: boolean }[] = [];
  let previous = -1;
  const close = (block: { line: number }) => {
    if (previous > block.line) ranges.push({ startLine: block.line, endLine: previous });
  };
  let index = 0;
  let start = 0;
  for (;;) {
    // The line's end: lines break at \r\n, \r or \n (as split(/\r\n|\r|\n/)).
    let end = start;
    let c = 0;
    while (end < text.length && (c = text.charCodeAt(end)) !== 10 && c !== 13) end++;
    const shape = lineShape(text, start, end);
    if (shape === COMMENT) comments.push(index);
    if (shape >= 0) {
      const width = shape >> 2;
      const isItem = (shape & 1) !== 0;
      while (open.length > 0) {
        const top = open[open.length - 1];
        if (width > top.indent || (top.opensList && width === top.indent && isItem)) break;
        close(open.pop()!);
      }
      open.push({ line: index, indent: width, opensList: (shape & 2) !== 0 });
      previous = index;
    }
    if (end >= text.length) break;
    start = end + (c === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    index++;
  }
  while (open.length > 0) close(open.pop()!);
  for (let i = 0; i < comments.length; i++) {
    let j = i;
    while (j + 1 < comments.length && comments[j + 1] === comments[j] + 1) j++;
    if (j > i) ranges.push({ startLine: comments[i], endLine: comments[j], kind: 'comment' });
    i = j;
  }
  return ranges.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** `/:\s*(#.*)?$/` on the line: without a `#`, that is its last character before trailing white space being `:`. */
function endsWithColon(text: string, start: number, end: number): boolean {
  let last = end - 1;
  while (last >= start && text.charCodeAt(last) === 32) last--;
  const c = last >= start ? text.charCodeAt(last) : -1;
  let hash = false;
  for (let i = start; i < end && !hash; i++) hash = text.charCodeAt(i) === 35;
  if (!hash && c === 58 /* : */) return true;
  if (!hash && c > 32 && c < 127) return false;
  return /:\s*(#.*)?$/.test(text.slice(start, end));
}

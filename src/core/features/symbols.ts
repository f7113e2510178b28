/** The outline (servers and steps) and folding ranges of a runbook. */
import { isMap, isPair, isScalar } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Span } from '../diagnostics';
import type { Analysis } from '../lint';
import { formatCount } from '../format/numbers';
import { exchangeLabel } from '../model/facts';
import { commonPrefix, commonSuffix } from '../incremental/incrementalAnalyzer';
import type { DatabaseDecl, ServerDecl, Step } from '../model/types';
import { lastAtOrBefore, unchangedEnds } from '../arrays';
import { StepListMemo } from './stepMemo';

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
 * the steps' symbols of the last outline, by step, so that an edit builds symbols only for the
 * steps it changed (by identity: the unchanged steps before and after them keep last time's
 * symbols, the array copied around the new ones; a step that moved inside the list is found in
 * STEP_SYMBOLS). A kept symbol is moved in place with its step (`moveWithStep`): one pass of
 * number comparisons, and plain objects (accessors per object would be slow to make and to read).
 */
const OUTLINES = new StepListMemo<{
  steps: readonly Step[];
  children: DocumentSymbolItem[];
  /** Each symbol's start as last answered (its step's `itemStart` then), and whether it is named by position. */
  starts: Int32Array;
  positional: Uint8Array;
}>();
const STEP_SYMBOLS = new WeakMap<Step, DocumentSymbolItem>();

function stepSymbols(text: string, steps: readonly Step[]): DocumentSymbolItem[] {
  const last = OUTLINES.get(steps);
  const [prefix, suffix] = last ? unchangedEnds(last.steps, steps) : [0, 0];
  if (last && prefix === steps.length && prefix === last.steps.length) {
    moveWithSteps(steps, last.children, last.starts, last.positional, 0, steps.length, false);
    return last.children;
  }
  const children = last && prefix > 0 ? last.children.slice(0, prefix) : [];
  const starts = new Int32Array(steps.length);
  const positional = new Uint8Array(steps.length);
  if (last && prefix > 0) {
    starts.set(last.starts.subarray(0, prefix));
    positional.set(last.positional.subarray(0, prefix));
  }
  const middleEnd = steps.length - suffix;
  for (let i = prefix; i < middleEnd; i++) {
    const symbol = cachedStepSymbol(text, steps[i]);
    children.push(symbol);
    starts[i] = symbol.span.start;
    positional[i] = symbol.name === steps[i].id?.value ? 0 : 1;
  }
  if (last && suffix > 0) {
    const from = last.steps.length - suffix;
    for (let i = from; i < last.steps.length; i++) children.push(last.children[i]);
    starts.set(last.starts.subarray(from), middleEnd);
    positional.set(last.positional.subarray(from), middleEnd);
  }
  // A step found in STEP_SYMBOLS may have moved too; after the edit, indices change with the number of steps.
  const renamedTo = last && steps.length === last.steps.length ? middleEnd : steps.length;
  moveWithSteps(steps, children, starts, positional, 0, prefix, false);
  moveWithSteps(steps, children, starts, positional, prefix, renamedTo, true);
  moveWithSteps(steps, children, starts, positional, renamedTo, steps.length, false);
  OUTLINES.set({ steps, children, starts, positional });
  return children;
}

function cachedStepSymbol(text: string, step: Step): DocumentSymbolItem {
  let symbol = STEP_SYMBOLS.get(step);
  if (!symbol) STEP_SYMBOLS.set(step, (symbol = stepSymbol(text, step)));
  return symbol;
}

/**
 * Kept symbols brought to where their steps are now: the incremental analyzer shifts a Step in
 * place when text before it changes (its own text, which the offsets inside the symbol come from,
 * is unchanged while it is the same object), and sets its index, which names a step without an id
 * (`names`: for the steps whose index may have changed). One pass reading each step's start
 * against the recorded one (`starts`), writing only the symbols that moved: plain objects
 * (accessors per object would be slow to make and to read). Like the Step objects, the outline of
 * an earlier analysis follows the latest one.
 */
function moveWithSteps(
  steps: readonly Step[],
  children: DocumentSymbolItem[],
  starts: Int32Array,
  positional: Uint8Array,
  from: number,
  to: number,
  names: boolean,
): void {
  for (let i = from; i < to; i++) {
    const step = steps[i];
    const delta = step.itemStart - starts[i];
    if (delta !== 0) {
      const symbol = children[i];
      symbol.span.start += delta;
      symbol.span.end += delta;
      symbol.selectionSpan.start += delta;
      symbol.selectionSpan.end += delta;
      starts[i] = step.itemStart;
    }
    if (names && positional[i] === 1) children[i].name = `step ${step.index + 1}`;
  }
}

function stepSymbol(text: string, step: Step): DocumentSymbolItem {
  const span = { start: step.itemStart, end: endOfContent(text, step.span.start, step.span.end) };
  return {
    name: nonBlank(step.id?.value) ?? `step ${step.index + 1}`,
    detail: step.action?.value ?? '',
    kind: 'step',
    span,
    selectionSpan: selectionWithin(text, span, step.id?.span),
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
 * A document's folding ranges, in the order of their start lines (at most one range starts on a
 * line: a structural one on a content line, a comment one on a comment line), kept as a number
 * per line rather than an object per range: asked after every edit, the editor is sent at most
 * its `rangeLimit` of them (`limited`), and no object is made for the others.
 */
export class FoldingRanges implements Iterable<FoldingRangeItem> {
  /**
   * @param shapes each line's `lineShape`
   * @param ends for each line, how many lines the range that starts there spans after it, or -1
   *   (relative, so that the lines after an edit keep their numbers when lines are inserted above)
   * @param length how many ranges there are (lines whose end is not -1)
   */
  constructor(
    private readonly shapes: Int32Array,
    private readonly ends: Int32Array,
    readonly length: number,
  ) {}

  /** Each line's relative end (see the constructor): read by the next fold. */
  get relativeEnds(): Int32Array {
    return this.ends;
  }

  [Symbol.iterator](): Iterator<FoldingRangeItem> {
    return this.toArray()[Symbol.iterator]();
  }

  toArray(): FoldingRangeItem[] {
    const items: FoldingRangeItem[] = [];
    for (let line = 0; line < this.ends.length; line++) if (this.ends[line] >= 0) items.push(this.item(line));
    return items;
  }

  /**
   * At most `limit` ranges: the outermost first (by nesting depth), then in the order of the text,
   * returned in the order of the text. The same choice as the plain reference it is tested against
   * (`limitFoldingRanges`, test/unit/server/foldingReference.ts) makes over the whole list, in
   * passes over the lines.
   */
  limited(limit: number): FoldingRangeItem[] {
    if (this.length <= limit) return this.toArray();
    if (limit <= 0) return [];
    const { ends } = this;
    const depths = new Int32Array(this.length);
    const openEnds = new Int32Array(this.length);
    const perDepth: number[] = [];
    let open = 0;
    let index = 0;
    for (let line = 0; line < ends.length; line++) {
      if (ends[line] < 0) continue;
      while (open > 0 && openEnds[open - 1] < line) open--;
      depths[index++] = open;
      perDepth[open] = (perDepth[open] ?? 0) + 1;
      openEnds[open++] = line + ends[line];
    }
    // Every range shallower than `depth`, and the first `left` at `depth`.
    let depth = 0;
    let left = limit;
    while (left > perDepth[depth]) left -= perDepth[depth++];
    const items: FoldingRangeItem[] = [];
    index = 0;
    for (let line = 0; line < ends.length; line++) {
      if (ends[line] < 0) continue;
      const at = depths[index++];
      if (at < depth || (at === depth && left-- > 0)) items.push(this.item(line));
    }
    return items;
  }

  private item(line: number): FoldingRangeItem {
    const endLine = line + this.ends[line];
    return this.shapes[line] === COMMENT ? { startLine: line, endLine, kind: 'comment' } : { startLine: line, endLine };
  }
}

/**
 * The last text folded, its line starts and its ranges (with its lines' shapes). Asked after every
 * edit, folding reads again only the lines the edit touched (found by comparing the texts), takes
 * every other line's shape from last time, and folds the shapes (numbers, no text) again, unless
 * the lines kept their number and their shapes, when the ranges are last time's object. A text with
 * a `\r` is folded afresh (and not kept), as `\r` and `\r\n` break lines too.
 */
let lastFolding: { text: string; lineStarts: Int32Array; shapes: Int32Array; ranges: FoldingRanges } | undefined;

export function foldingRanges(text: string): FoldingRanges {
  const last = lastFolding;
  if (last && last.text === text) return last.ranges;
  const folded = (last && refold(last, text)) ?? foldText(text);
  lastFolding = folded.lineStarts ? { ...folded, lineStarts: folded.lineStarts, text } : undefined;
  return folded.ranges;
}

type Folded = { lineStarts?: Int32Array; shapes: Int32Array; ranges: FoldingRanges };

/** Every line's shape read from the text; the line starts too when the text has no `\r`. */
function foldText(text: string): Folded {
  const starts: number[] = [];
  const shapes: number[] = [];
  let cr = false;
  let start = 0;
  for (;;) {
    // The line's end: lines break at \r\n, \r or \n (as split(/\r\n|\r|\n/)).
    let end = start;
    let c = 0;
    while (end < text.length && (c = text.charCodeAt(end)) !== 10 && c !== 13) end++;
    starts.push(start);
    shapes.push(lineShape(text, start, end));
    if (end >= text.length) break;
    if (c === 13) cr = true;
    start = end + (c === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
  const lineShapes = Int32Array.from(shapes);
  return { lineStarts: cr ? undefined : Int32Array.from(starts), shapes: lineShapes, ranges: foldShapes(lineShapes) };
}

/** `text` folded from `last` (a text without `\r`): undefined when the edit brings a `\r`. */
function refold(
  last: { text: string; lineStarts: Int32Array; shapes: Int32Array; ranges: FoldingRanges },
  text: string,
): Folded | undefined {
  const before = last.text;
  const prefix = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, prefix);
  const oldEnd = before.length - suffix;
  const newEnd = text.length - suffix;
  for (let i = prefix; i < newEnd; i++) if (text.charCodeAt(i) === 13) return undefined;
  const starts = last.lineStarts;
  // Lines first .. oldLast of the old text are first .. newLast of the new one; the lines before and after are the same.
  const first = lastAtOrBefore(starts, prefix);
  const oldLast = lastAtOrBefore(starts, oldEnd);
  const regionStarts: number[] = [];
  for (let i = starts[first]; i < newEnd; i++) if (text.charCodeAt(i) === 10) regionStarts.push(i + 1);
  const newLast = first + regionStarts.length;
  const lineCount = starts.length + newLast - oldLast;
  const lineStarts = new Int32Array(lineCount);
  lineStarts.set(starts.subarray(0, first + 1));
  for (let k = 0; k < regionStarts.length; k++) lineStarts[first + 1 + k] = regionStarts[k];
  const delta = text.length - before.length;
  for (let line = oldLast + 1, to = newLast + 1; line < starts.length; line++, to++) lineStarts[to] = starts[line] + delta;
  const regionShapes = new Int32Array(newLast - first + 1);
  let sameShapes = newLast === oldLast;
  for (let line = first; line <= newLast; line++) {
    const start = lineStarts[line];
    const end = line + 1 < lineCount ? lineStarts[line + 1] - 1 : text.length;
    regionShapes[line - first] = lineShape(text, start, end);
    sameShapes &&= regionShapes[line - first] === last.shapes[line];
  }
  if (sameShapes) return { lineStarts, shapes: last.shapes, ranges: last.ranges };
  const shapes = new Int32Array(lineCount);
  shapes.set(last.shapes.subarray(0, first));
  shapes.set(regionShapes, first);
  shapes.set(last.shapes.subarray(oldLast + 1), newLast + 1);
  return { lineStarts, shapes, ranges: refoldShapes(last.shapes, last.ranges, shapes, first, oldLast, newLast) };
}

/**
 * The folding of `shapes`, which are `oldShapes` with lines first..oldLast replaced by first..newLast:
 * the lines before `first` fold as before, except the blocks still open there (and a comment run
 * reaching it), whose ends are found again. Two folders, one over the old lines and one over the
 * new, start from the blocks open at `first` and go through the changed lines, then on together
 * over the same lines until their open blocks are alike (indentation and kind, level by level):
 * from there everything folds as before, so the ranges of the later lines are last time's (their
 * ends are relative) and a block open then ends where its old counterpart ended, moved.
 */
function refoldShapes(
  oldShapes: Int32Array,
  old: FoldingRanges,
  shapes: Int32Array,
  first: number,
  oldLast: number,
  newLast: number,
): FoldingRanges {
  const oldEnds = old.relativeEnds;
  const count = shapes.length;
  const moved = newLast - oldLast;
  const ends = new Int32Array(count);
  ends.set(oldEnds.subarray(0, first));
  const start = Folder.openAt(shapes, first);
  const before = start.copy(oldShapes, undefined);
  const after = start.copy(shapes, ends);
  for (let line = first; line <= oldLast; line++) before.line(line);
  for (let line = first; line <= newLast; line++) {
    ends[line] = -1;
    after.line(line);
  }
  let line = newLast + 1;
  let synced = false;
  for (; line < count; line++) {
    ends[line] = -1;
    before.line(line - moved);
    after.line(line);
    if (shapes[line] >= 0 && after.alike(before)) {
      synced = true;
      break;
    }
  }
  if (!synced) {
    before.finish(oldShapes.length);
    after.finish(count);
    return new FoldingRanges(shapes, ends, old.length - before.emitted + after.emitted);
  }
  // Lines after `line` are last time's (relative ends); each open block ends where its counterpart did, moved.
  ends.set(oldEnds.subarray(line - moved + 1), line + 1);
  for (let level = 0; level < after.depth; level++) {
    const was = before.openLine(level);
    const is = after.openLine(level);
    const end = oldEnds[was];
    ends[is] = end < 0 ? -1 : was + end + moved - is;
  }
  // Every old range the old folder closed is gone and every one the new folder closed is new; the rest are
  // last time's (an open block's range has an old counterpart, moved).
  return new FoldingRanges(shapes, ends, old.length - before.emitted + after.emitted);
}

/**
 * The fold of the lines' shapes, one line at a time: the stack of open blocks (a line folds over the
 * following lines indented deeper than it: a `- ` item over its keys, a `key:` over its block,
 * including `- ` items at its own indentation), the last content line, and the comment run going
 * on (two or more comment lines fold as a comment). Writes each range's relative end into `ends`
 * (and -1 for a block or run that closes without one) and counts the ranges it closes.
 */
class Folder {
  emitted = 0;
  private constructor(
    private readonly shapes: Int32Array,
    private readonly ends: Int32Array | undefined,
    private readonly openLines: number[],
    private readonly openShapes: number[],
    private previous: number,
    private commentRun: number,
  ) {}

  /**
   * The folder as it is before `line`: the blocks open there found walking back (a line is open when
   * no content line after it closes it), the last content line, and the comment run reaching it.
   */
  static openAt(shapes: Int32Array, line: number): Folder {
    const lines: number[] = [];
    let previous = -1;
    let commentRun = -1;
    for (let at = line - 1; at >= 0 && shapes[at] === COMMENT; at--) commentRun = at;
    // The narrowest content line seen since (walking back), and whether every line that narrow is a `-` item.
    let narrowest = Infinity;
    let onlyItems = true;
    for (let at = line - 1; at >= 0; at--) {
      const shape = shapes[at];
      if (shape < 0) continue;
      if (previous < 0) previous = at;
      const width = shape >> 2;
      // Open when no content line after it closes it: none at most as wide, but `- ` items under a `key:` as wide.
      if (width < narrowest || (width === narrowest && onlyItems && (shape & 2) !== 0)) lines.push(at);
      if (width < narrowest) {
        narrowest = width;
        onlyItems = (shape & 1) !== 0;
      } else if (width === narrowest) onlyItems &&= (shape & 1) !== 0;
      if (narrowest === 0 && !onlyItems) break;
    }
    lines.reverse();
    return new Folder(
      shapes,
      undefined,
      lines,
      lines.map((at) => shapes[at]),
      previous,
      commentRun,
    );
  }

  copy(shapes: Int32Array, ends: Int32Array | undefined): Folder {
    return new Folder(shapes, ends, [...this.openLines], [...this.openShapes], this.previous, this.commentRun);
  }

  get depth(): number {
    return this.openLines.length;
  }

  openLine(level: number): number {
    return this.openLines[level];
  }

  /** Whether the open blocks are alike: from here on, the same lines fold the same way. */
  alike(other: Folder): boolean {
    if (other.openShapes.length !== this.openShapes.length) return false;
    for (let level = 0; level < this.openShapes.length; level++) if (other.openShapes[level] !== this.openShapes[level]) return false;
    return true;
  }

  line(line: number): void {
    const shape = this.shapes[line];
    if (shape === COMMENT) {
      if (this.commentRun < 0) this.commentRun = line;
      return;
    }
    if (this.commentRun >= 0) this.close(this.commentRun, line - 1);
    this.commentRun = -1;
    if (shape < 0) return;
    const width = shape >> 2;
    const isItem = (shape & 1) !== 0;
    const { openLines, openShapes } = this;
    while (openLines.length > 0) {
      const top = openShapes[openShapes.length - 1];
      const indent = top >> 2;
      if (width > indent || ((top & 2) !== 0 && width === indent && isItem)) break;
      openShapes.pop();
      this.close(openLines.pop()!, this.previous);
    }
    openLines.push(line);
    openShapes.push(shape);
    this.previous = line;
  }

  /** Closes what is open at the end of the text (`count` lines). */
  finish(count: number): void {
    if (this.commentRun >= 0) this.close(this.commentRun, count - 1);
    this.commentRun = -1;
    while (this.openLines.length > 0) {
      this.openShapes.pop();
      this.close(this.openLines.pop()!, this.previous);
    }
  }

  private close(start: number, end: number): void {
    if (end > start) this.emitted++;
    if (this.ends) this.ends[start] = end > start ? end - start : -1;
  }
}

/** Folding from the lines' shapes, every line. */
function foldShapes(shapes: Int32Array): FoldingRanges {
  const ends = new Int32Array(shapes.length).fill(-1);
  const folder = Folder.openAt(shapes, 0).copy(shapes, ends);
  for (let line = 0; line < shapes.length; line++) folder.line(line);
  folder.finish(shapes.length);
  return new FoldingRanges(shapes, ends, folder.emitted);
}

/**
 * Folding computed from the text, over every line, without last time's anything (what `foldingRanges`
 * must equal; the tests' reference). Works on any text, well-formed or not.
 */
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

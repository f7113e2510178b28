/**
 * Splits a runbook's text into top-level blocks (keys at column 0) and the `steps:` block sequence
 * into items (lines starting with `-` at the sequence's indentation), by looking at the first
 * characters of each line only. Returns undefined when the text has a shape where such a split
 * could disagree with a YAML parser (tabs in indentation, `---`, content before the first key,
 * keys that are not plain words, duplicate top-level keys); the caller then parses the whole text.
 */

export interface TopBlock {
  key: string;
  /** Offset of the key's line; the block runs to the next top-level key (or the end). */
  start: number;
  end: number;
}

export interface StepsSplit {
  /** Index of the `steps` block in `blocks`. */
  blockIndex: number;
  /** Offsets of the item lines (the `-` line's start, indentation included). */
  itemStarts: number[];
}

export interface Layout {
  blocks: TopBlock[];
  /** Present when the `steps` block is a block sequence that splits safely into items. */
  steps?: StepsSplit;
  /** Line start offsets as LineIndex computes them; undefined when the text holds a `\r` (LineIndex then scans itself). */
  lineStarts?: number[];
}

const TOP_LEVEL_KEY = /([A-Za-z_][A-Za-z0-9_-]*) *:(?=[ \r\n]|$)/y;
/** What may follow `steps:` on its line for the block to split: nothing or a comment. */
const EMPTY_REST = /^ *(#.*)?\r?$/;

const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const DASH = 45;

export function scanLayout(text: string): Layout | undefined {
  const length = text.length;
  const trackLines = !text.includes('\r');
  const lineStarts: number[] | undefined = trackLines ? [0] : undefined;
  const blocks: TopBlock[] = [];
  const keys = new Set<string>();
  let steps: StepsSplit | undefined;
  /** While inside a `steps` block that may still split: its item indentation (-1 before the first item). */
  let stepsIndent = -1;
  let splitting = false;
  let pos = 0;
  for (;;) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline < 0 ? length : newline;
    let first = pos;
    while (first < lineEnd && text.charCodeAt(first) === SPACE) first++;
    const c = first < lineEnd ? text.charCodeAt(first) : -1;
    if (c === TAB) return undefined;
    const blank = c === -1 || (c === CR && first === lineEnd - 1);
    if (!blank && c !== HASH) {
      const indent = first - pos;
      if (indent === 0 && c !== DASH) {
        TOP_LEVEL_KEY.lastIndex = pos;
        const match = TOP_LEVEL_KEY.exec(text);
        if (!match || keys.has(match[1])) return undefined;
        keys.add(match[1]);
        if (blocks.length > 0) blocks[blocks.length - 1].end = pos;
        blocks.push({ key: match[1], start: pos, end: length });
        splitting = match[1] === 'steps' && EMPTY_REST.test(text.slice(TOP_LEVEL_KEY.lastIndex, lineEnd));
        stepsIndent = -1;
        if (splitting) steps = { blockIndex: blocks.length - 1, itemStarts: [] };
      } else if (blocks.length === 0) {
        return undefined;
      } else if (indent === 0 && text.startsWith('---', pos)) {
        return undefined;
      } else if (splitting) {
        const next = first + 1 < lineEnd ? text.charCodeAt(first + 1) : -1;
        const isItem = c === DASH && (next === -1 || next === SPACE || next === CR);
        if (stepsIndent < 0 ? isItem : indent === stepsIndent && isItem) {
          stepsIndent = indent;
          steps!.itemStarts.push(pos);
        } else if (stepsIndent < 0 || indent <= stepsIndent) {
          splitting = false;
          steps = undefined;
        }
      }
    }
    if (newline < 0) break;
    pos = newline + 1;
    lineStarts?.push(pos);
  }
  if (blocks.length === 0) return undefined;
  if (steps && steps.itemStarts.length === 0) steps = undefined;
  return { blocks, steps, lineStarts };
}

/**
 * The layout of `text` from the layout of `previous` when they differ only in
 * [prefix, previous.length - suffix): the lines around the change are scanned again and the
 * offsets after it shifted, instead of scanning every line. Undefined when the change could alter
 * the structure (a top-level key, an item line, an indentation at or left of the items', a tab, a
 * CR anywhere) or the previous text did not split: then call scanLayout.
 */
export function rescanLayout(layout: Layout, previous: string, text: string, prefix: number, suffix: number): Layout | undefined {
  const steps = layout.steps;
  const oldStarts = layout.lineStarts;
  if (!steps || !oldStarts || text.includes('\r')) return undefined;
  const oldEnd = previous.length - suffix;
  const delta = text.length - previous.length;
  // The changed lines: from the start of the line holding `prefix` to the end of the line holding the change's end.
  const lineIndex = lastAtOrBefore(oldStarts, prefix);
  const from = oldStarts[lineIndex];
  let oldTo = previous.indexOf('\n', oldEnd);
  if (oldTo < 0) oldTo = previous.length;
  const newTo = oldTo + delta;
  const items = steps.itemStarts;
  const stepsBlock = layout.blocks[steps.blockIndex];
  // Only inside the items of the steps block, the first line of an item left an item line at the same indentation.
  if (from < items[0] || from >= stepsBlock.end || oldTo >= stepsBlock.end) return undefined;
  const stepsIndent = indentAt(previous, items[0]);
  const firstItem = lastAtOrBefore(items, oldTo);
  if (items[firstItem] > from) return undefined;
  const itemLine = items[firstItem] === from;
  const newStarts: number[] = [];
  for (let pos = from; pos <= newTo;) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline < 0 || newline > newTo ? newTo : newline;
    let first = pos;
    while (first < lineEnd && text.charCodeAt(first) === 32) first++;
    const c = first < lineEnd ? text.charCodeAt(first) : -1;
    if (c === 9) return undefined;
    if (c !== -1 && c !== 35 /* # */) {
      const indent = first - pos;
      const next = first + 1 < lineEnd ? text.charCodeAt(first + 1) : -1;
      const isItem = c === 45 && (next === -1 || next === 32);
      // Deeper than the items: part of the item. The item's own first line may stay an item line; nothing else may change level.
      if (pos === from && itemLine ? indent !== stepsIndent || !isItem : indent <= stepsIndent) return undefined;
    } else if (pos === from && itemLine) {
      return undefined;
    }
    if (newline < 0 || newline >= newTo) break;
    newStarts.push(newline + 1);
    pos = newline + 1;
  }
  const shift = (offset: number) => (offset > oldTo ? offset + delta : offset);
  const lineStarts = oldStarts.slice(0, lineIndex + 1);
  for (const start of newStarts) lineStarts.push(start);
  for (let i = lastAtOrBefore(oldStarts, oldTo) + 1; i < oldStarts.length; i++) lineStarts.push(oldStarts[i] + delta);
  return {
    blocks: layout.blocks.map((block) => ({ key: block.key, start: shift(block.start), end: shift(block.end) })),
    steps: { blockIndex: steps.blockIndex, itemStarts: items.map(shift) },
    lineStarts,
  };
}

/** Index of the last value at or before `offset` in an ascending array whose first value is at or before it. */
function lastAtOrBefore(values: readonly number[], offset: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (values[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  return i - lineStart;
}

/**
 * Splits a runbook's text into top-level blocks (keys at column 0) and the `steps:` block sequence
 * into items (lines starting with `-` at the sequence's indentation), by looking at the first
 * characters of each line only. Returns undefined when the text has a shape where such a split
 * could disagree with a YAML parser (tabs in indentation, `---`, content before the first key,
 * keys that are not plain words, duplicate top-level keys); the caller then parses the whole text.
 */

import { firstAbove, lastAtOrBefore } from '../arrays';

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
  itemStarts: Int32Array;
}

export interface Layout {
  blocks: TopBlock[];
  /** Present when the `steps` block is a block sequence that splits safely into items. */
  steps?: StepsSplit;
  /** Line start offsets as LineIndex computes them; undefined when the text holds a `\r` (LineIndex then scans itself). */
  lineStarts?: Int32Array;
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
  const lineStarts = trackLines ? new Offsets() : undefined;
  lineStarts?.push(0);
  const blocks: TopBlock[] = [];
  const keys = new Set<string>();
  let steps: { blockIndex: number; itemStarts: Offsets } | undefined;
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
        if (splitting) steps = { blockIndex: blocks.length - 1, itemStarts: new Offsets() };
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
  return {
    blocks,
    steps: steps && steps.itemStarts.length > 0 ? { blockIndex: steps.blockIndex, itemStarts: steps.itemStarts.done() } : undefined,
    lineStarts: lineStarts?.done(),
  };
}

/** A growing list of offsets, handed out as an Int32Array of its length (texts are at most MAX_RUNBOOK_CHARS). */
class Offsets {
  private values = new Int32Array(1024);
  length = 0;

  push(offset: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = offset;
  }

  done(): Int32Array {
    return this.values.slice(0, this.length);
  }
}

/**
 * The layout of `text` from the layout of `previous` when they differ only in
 * [prefix, previous.length - suffix): the lines around the change are scanned again and the
 * offsets after it shifted, instead of scanning every line. Item lines may appear and disappear
 * in the changed lines (a step inserted, deleted or pasted). Undefined when the change could alter
 * the structure (a top-level key, the first item line, a line at or left of the items'
 * indentation that is not an item, a tab, a CR) or the previous text did not split: then call
 * scanLayout.
 */
export function rescanLayout(layout: Layout, previous: string, text: string, prefix: number, suffix: number): Layout | undefined {
  const steps = layout.steps;
  const oldStarts = layout.lineStarts;
  if (!steps || !oldStarts) return undefined;
  const oldEnd = previous.length - suffix;
  const delta = text.length - previous.length;
  // The previous text held no CR (it has line starts): only the inserted text can bring one.
  for (let i = prefix; i < oldEnd + delta; i++) if (text.charCodeAt(i) === CR) return undefined;
  // The changed lines: from the start of the line holding `prefix` to the end of the line holding the change's end.
  const lineIndex = lastAtOrBefore(oldStarts, prefix);
  const from = oldStarts[lineIndex];
  let oldTo = previous.indexOf('\n', oldEnd);
  if (oldTo < 0) oldTo = previous.length;
  const newTo = oldTo + delta;
  const items = steps.itemStarts;
  const stepsBlock = layout.blocks[steps.blockIndex];
  const lastBlock = steps.blockIndex === layout.blocks.length - 1;
  // Only inside the items of the steps block (to its last line when it ends the text): the lines
  // before and after the change keep their meaning, and the first item its line.
  if (from < items[0] || (from >= stepsBlock.end && !(lastBlock && from === previous.length))) return undefined;
  if (oldTo >= stepsBlock.end && !(lastBlock && oldTo === previous.length)) return undefined;
  const stepsIndent = indentAt(previous, items[0]);
  const added: number[] = [];
  const newLines: number[] = [];
  for (let pos = from; pos <= newTo;) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline < 0 || newline > newTo ? newTo : newline;
    let first = pos;
    while (first < lineEnd && text.charCodeAt(first) === SPACE) first++;
    const c = first < lineEnd ? text.charCodeAt(first) : -1;
    if (c === TAB) return undefined;
    if (c !== -1 && c !== HASH) {
      const indent = first - pos;
      const next = first + 1 < lineEnd ? text.charCodeAt(first + 1) : -1;
      // An item line at the items' indentation; anything else deeper is part of an item; nothing may be left of it.
      if (indent === stepsIndent && c === DASH && (next === -1 || next === SPACE)) added.push(pos);
      else if (indent <= stepsIndent) return undefined;
    }
    // The first item stays where it is: a comment or continuation before it would end the split.
    if (pos === from && from === items[0] && added[0] !== from) return undefined;
    if (newline < 0 || newline >= newTo) break;
    newLines.push(newline + 1);
    pos = newline + 1;
  }
  return {
    blocks: layout.blocks.map((block, index) =>
      index < steps.blockIndex
        ? block
        : { key: block.key, start: index === steps.blockIndex ? block.start : block.start + delta, end: block.end + delta },
    ),
    steps: { blockIndex: steps.blockIndex, itemStarts: spliceOffsets(items, from, oldTo, added, delta) },
    lineStarts: spliceOffsets(oldStarts, from + 1, oldTo, newLines, delta),
  };
}

/**
 * Ascending offsets with those in [low, high] replaced by `inserted` (ascending, between them) and
 * those after `high` moved by `delta`: a copy, the previous layout's arrays stay as they were.
 */
function spliceOffsets(offsets: Int32Array, low: number, high: number, inserted: readonly number[], delta: number): Int32Array {
  const head = firstAbove(offsets, low - 1);
  const tail = firstAbove(offsets, high);
  const result = new Int32Array(offsets.length - (tail - head) + inserted.length);
  result.set(offsets.subarray(0, head));
  for (let i = 0; i < inserted.length; i++) result[head + i] = inserted[i];
  const at = head + inserted.length - tail;
  for (let i = tail; i < offsets.length; i++) result[at + i] = offsets[i] + delta;
  return result;
}

function indentAt(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  return i - lineStart;
}

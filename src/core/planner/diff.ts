/**
 * Line differences between a runbook and a plan's version of it: the unified diff `exrunbook plan`
 * prints, and the minimal text edits an editor applies (whole lines, so comments and formatting
 * outside them stay byte for byte).
 */

import { unchangedEnds } from '../arrays';
import type { TextEdit } from '../edits';

/** Lines `[aStart, aEnd)` of the old text became lines `[bStart, bEnd)` of the new one (0-based). */
export interface DiffHunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Lines with their line breaks, so joining them gives the text back. */
function splitKeepingBreaks(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Past this many lines between the common start and end, the middle is one hunk (the table would be too large). */
const MAX_TABLE_CELLS = 4_000_000;

/** The changed line ranges, in order: common lines at both ends trimmed, the middle by longest common subsequence. */
export function lineDiff(a: string, b: string): DiffHunk[] {
  const x = splitKeepingBreaks(a);
  const y = splitKeepingBreaks(b);
  const [head, tail] = unchangedEnds(x, y);
  const n = x.length - head - tail;
  const m = y.length - head - tail;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_TABLE_CELLS) return [{ aStart: head, aEnd: head + n, bStart: head, bEnd: head + m }];
  // lcs[i][j]: the longest common subsequence of x[head+i..] and y[head+j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        x[head + i] === y[head + j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const hunks: DiffHunk[] = [];
  let i = 0;
  let j = 0;
  let open: DiffHunk | undefined;
  const close = () => {
    if (open) hunks.push(open);
    open = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[head + i] === y[head + j]) {
      close();
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i * width + j + 1] >= lcs[(i + 1) * width + j])) {
      open ??= { aStart: head + i, aEnd: head + i, bStart: head + j, bEnd: head + j };
      open.bEnd = head + ++j;
    } else {
      open ??= { aStart: head + i, aEnd: head + i, bStart: head + j, bEnd: head + j };
      open.aEnd = head + ++i;
    }
  }
  close();
  return hunks;
}

/** The hunks as text edits of the old text: each replaces whole old lines with the new ones. */
export function textEditsFromDiff(a: string, hunks: readonly DiffHunk[], b?: string): TextEdit[] {
  const x = splitKeepingBreaks(a);
  const offsets = [0];
  for (const line of x) offsets.push(offsets[offsets.length - 1] + line.length);
  const y = b === undefined ? undefined : splitKeepingBreaks(b);
  return hunks.map((hunk) => ({
    span: { start: offsets[hunk.aStart], end: offsets[hunk.aEnd] },
    newText: y ? y.slice(hunk.bStart, hunk.bEnd).join('') : '',
  }));
}

/** A unified diff (3 lines of context) from `a` to `b`, with the given file names. Empty when equal. */
export function unifiedDiff(a: string, b: string, fromName: string, toName: string): string {
  const hunks = lineDiff(a, b);
  if (hunks.length === 0) return '';
  const x = splitKeepingBreaks(a).map(withoutBreak);
  const y = splitKeepingBreaks(b).map(withoutBreak);
  const context = 3;
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  let k = 0;
  while (k < hunks.length) {
    // Hunks closer than twice the context print as one.
    let last = k;
    while (last + 1 < hunks.length && hunks[last + 1].aStart - hunks[last].aEnd <= 2 * context) last++;
    const aFrom = Math.max(0, hunks[k].aStart - context);
    const aTo = Math.min(x.length, hunks[last].aEnd + context);
    const bFrom = hunks[k].bStart - (hunks[k].aStart - aFrom);
    const bTo = hunks[last].bEnd + (aTo - hunks[last].aEnd);
    out.push(`@@ -${aFrom + 1},${aTo - aFrom} +${bFrom + 1},${bTo - bFrom} @@`);
    let at = aFrom;
    for (let h = k; h <= last; h++) {
      const hunk = hunks[h];
      for (; at < hunk.aStart; at++) out.push(` ${x[at]}`);
      for (let i = hunk.aStart; i < hunk.aEnd; i++) out.push(`-${x[i]}`);
      for (let j = hunk.bStart; j < hunk.bEnd; j++) out.push(`+${y[j]}`);
      at = hunk.aEnd;
    }
    for (; at < aTo; at++) out.push(` ${x[at]}`);
    k = last + 1;
  }
  return out.join('\n') + '\n';
}

function withoutBreak(line: string): string {
  return line.replace(/\r?\n$|\r$/, '');
}

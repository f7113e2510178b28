import type { FoldingRangeItem } from '../../../src/core/features';

/**
 * The reference the core's `FoldingRanges.limited` (what the server sends) is tested against, stated
 * plainly over a list: at most `limit` folding ranges, the outermost first (as VS Code keeps them
 * when it has too many), then in the order of the text, returned in the order they came.
 */
export function limitFoldingRanges(ranges: readonly FoldingRangeItem[], limit: number): FoldingRangeItem[] {
  if (ranges.length <= limit) return [...ranges];
  if (limit <= 0) return [];
  // Nesting depth: by start line (the longer range first at the same line), a stack of the ends still open.
  const byStart = ranges
    .map((_, index) => index)
    .sort((a, b) => ranges[a].startLine - ranges[b].startLine || ranges[b].endLine - ranges[a].endLine);
  const depth = new Uint32Array(ranges.length);
  const openEnds: number[] = [];
  for (const index of byStart) {
    const range = ranges[index];
    while (openEnds.length > 0 && openEnds[openEnds.length - 1] < range.startLine) openEnds.pop();
    depth[index] = openEnds.length;
    openEnds.push(range.endLine);
  }
  const position = new Uint32Array(ranges.length);
  byStart.forEach((index, at) => (position[index] = at));
  const chosen = ranges.map((_, index) => index).sort((a, b) => depth[a] - depth[b] || position[a] - position[b]);
  const kept = new Uint8Array(ranges.length);
  for (let at = 0; at < limit; at++) kept[chosen[at]] = 1;
  return ranges.filter((_, index) => kept[index] === 1);
}

/**
 * A time axis that folds the quiet stretches a run skipped (SimulationResult.skipped): each is drawn
 * a narrow strip instead of its real length, so two moves eleven months apart both get the width
 * of the chart rather than two pixels at its edges. Pure (no DOM): uPlot takes `fwd`/`bwd` as a
 * custom scale (distr 100) and `splits` for the ticks.
 */

export interface Stretch {
  start: number;
  end: number;
}

export interface FoldedTime {
  /** The skipped stretches the axis folds, in order. */
  folds: Stretch[];
  /** Real minutes → axis position (minutes of shown time, folds drawn narrow). */
  fwd(minutes: number): number;
  bwd(position: number): number;
  /** Tick times for the range, each shown stretch with its own step (from `increments`, minutes) so ticks are `space` px apart. */
  splits(min: number, max: number, widthPx: number, increments: readonly number[], space: number): number[];
}

/** A fold is drawn this wide, as a share of the time shown. */
const FOLD_SHARE = 0.03;

/**
 * The folded axis for these skipped stretches (of every run on the chart: only time that all of
 * them skipped folds), or null when there is nothing to fold.
 */
export function foldedTime(skippedByRun: Stretch[][], end: number): FoldedTime | null {
  const folds = intersectAll(skippedByRun).filter((fold) => fold.end > fold.start);
  if (folds.length === 0) return null;
  const skippedTotal = folds.reduce((sum, fold) => sum + (fold.end - fold.start), 0);
  const shown = Math.max(1, end - skippedTotal);
  const foldWidth = (fold: Stretch) => Math.min(fold.end - fold.start, (shown * FOLD_SHARE) / folds.length);

  const fwd = (minutes: number): number => {
    let position = minutes;
    for (const fold of folds) {
      if (minutes <= fold.start) break;
      const length = fold.end - fold.start;
      const inside = Math.min(minutes, fold.end) - fold.start;
      position -= inside * (1 - foldWidth(fold) / length);
    }
    return position;
  };
  const bwd = (position: number): number => {
    let minutes = position;
    let removed = 0;
    for (const fold of folds) {
      const foldStart = fold.start - removed;
      if (position <= foldStart) break;
      const width = foldWidth(fold);
      const length = fold.end - fold.start;
      if (position < foldStart + width) return fold.start + ((position - foldStart) * length) / width;
      removed += length - width;
      minutes = position + removed;
    }
    return minutes;
  };
  const splits = (min: number, max: number, widthPx: number, increments: readonly number[], space: number): number[] => {
    const pxPerPosition = widthPx / Math.max(1e-9, fwd(max) - fwd(min));
    const ticks: number[] = [];
    for (const [from, to] of shownStretches(folds, min, max)) {
      const increment = increments.find((step) => step * pxPerPosition >= space) ?? increments[increments.length - 1];
      for (let tick = Math.ceil(from / increment) * increment; tick <= to; tick += increment) ticks.push(tick);
    }
    return ticks;
  };
  return { folds, fwd, bwd, splits };
}

/** The parts of [min, max] outside every fold. */
function shownStretches(folds: Stretch[], min: number, max: number): [number, number][] {
  const shown: [number, number][] = [];
  let from = min;
  for (const fold of folds) {
    if (fold.end <= from) continue;
    if (fold.start >= max) break;
    if (fold.start > from) shown.push([from, fold.start]);
    from = Math.max(from, fold.end);
  }
  if (from < max) shown.push([from, max]);
  return shown;
}

/** Time every list skipped: the intersection of sorted, disjoint lists. */
function intersectAll(lists: Stretch[][]): Stretch[] {
  if (lists.length === 0) return [];
  return lists.slice(1).reduce((common, list) => {
    const out: Stretch[] = [];
    let i = 0;
    let j = 0;
    while (i < common.length && j < list.length) {
      const start = Math.max(common[i].start, list[j].start);
      const end = Math.min(common[i].end, list[j].end);
      if (end > start) out.push({ start, end });
      if (common[i].end < list[j].end) i++;
      else j++;
    }
    return out;
  }, lists[0]);
}

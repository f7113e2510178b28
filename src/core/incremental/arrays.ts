/** Array helpers for the incremental paths: what an edit left alone, and where an offset falls. */

/**
 * How many items at the start and at the end (not overlapping) are the same objects in both lists:
 * the unchanged steps before and after an edit, found by pointer comparisons alone.
 *
 * The last answer is remembered by the two arrays' identity: after an edit the state cache, the
 * schedule, the rules and the features each ask it for the same two step lists (last time's
 * `runbook.steps`, which they keep as it is, and this time's), and the first asks pay the pass.
 * So an array handed here must not change afterwards (a runbook's `steps` never does).
 */
export function unchangedEnds<T>(before: readonly T[], after: readonly T[]): [head: number, tail: number] {
  if (lastEnds && before === lastEnds.before.deref() && after === lastEnds.after.deref()) return [lastEnds.head, lastEnds.tail];
  const limit = Math.min(before.length, after.length);
  let head = 0;
  while (head < limit && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < limit - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  lastEnds = { before: new WeakRef(before), after: new WeakRef(after), head, tail };
  return [head, tail];
}

// Weakly: a closed document's steps are not kept alive by the last question asked about them.
let lastEnds: { before: WeakRef<readonly unknown[]>; after: WeakRef<readonly unknown[]>; head: number; tail: number } | undefined;

/** Index of the first value above `offset` in an ascending array (its length when none is). */
export function firstAbove(values: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the last value at or before `offset` in an ascending array whose first value is at or before it. */
export function lastAtOrBefore(values: ArrayLike<number>, offset: number): number {
  return firstAbove(values, offset) - 1;
}

/** Array helpers for the incremental paths: what an edit left alone, where a value falls, a range replaced. */

/**
 * How many items at the start and at the end (not overlapping) are the same objects in both lists:
 * the unchanged steps before and after an edit, found by pointer comparisons alone.
 *
 * The last answer is remembered by the two arrays' identity: after an edit the state cache, the
 * schedule, the rules and the features each ask it for the same two step lists (last time's
 * `runbook.steps`, which they keep as it is, and this time's), and only the first to ask pays for
 * the pass. So an array handed here must not change afterwards (a runbook's `steps` never does).
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

/**
 * The first index in [0, count) where `reached` holds, `count` when it holds nowhere: a binary
 * search, for a `reached` that is false up to some index and true from there on.
 */
export function firstIndexWhere(count: number, reached: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (reached(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Index of the first value above `offset` in an ascending array (its length when none is). */
export function firstAbove(values: ArrayLike<number>, offset: number): number {
  return firstIndexWhere(values.length, (i) => values[i] > offset);
}

/** Index of the last value at or before `offset` in an ascending array whose first value is at or before it. */
export function lastAtOrBefore(values: ArrayLike<number>, offset: number): number {
  return firstAbove(values, offset) - 1;
}

/**
 * Replaces `removed` values at `at` with `inserted`, in place. A long insertion (the first analysis
 * of a large runbook) goes through a copy of the rest: a spread has an argument limit.
 */
export function replaceRange<T>(values: T[], at: number, removed: number, inserted: readonly T[]): void {
  if (inserted.length < 4096) {
    values.splice(at, removed, ...inserted);
    return;
  }
  const rest = values.slice(at + removed);
  values.length = at;
  for (const value of inserted) values.push(value);
  for (const value of rest) values.push(value);
}

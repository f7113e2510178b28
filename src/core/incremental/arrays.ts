/** Array helpers for the incremental paths: what an edit left alone, and where an offset falls. */

/**
 * How many items at the start and at the end (not overlapping) are the same objects in both lists:
 * the unchanged steps before and after an edit, found by pointer comparisons alone.
 */
export function unchangedEnds<T>(before: readonly T[], after: readonly T[]): [head: number, tail: number] {
  const limit = Math.min(before.length, after.length);
  let head = 0;
  while (head < limit && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < limit - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return [head, tail];
}

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

/** Words in messages: "did you mean …?" for a misspelt name, and lists in prose. */

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The candidates closest to `word` when they are close enough to be a typo of it (at most a third
 * of its letters wrong, and never more than 2 for short words): every candidate at the best
 * distance, in the order given, so ties are all shown. `key` normalises both sides before comparing.
 */
export function closestMatches(word: string, candidates: Iterable<string>, key: (text: string) => string = (text) => text): string[] {
  const target = key(word);
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string[] = [];
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, key(candidate));
    if (distance > limit || distance > bestDistance) continue;
    if (distance < bestDistance) {
      best = [];
      bestDistance = distance;
    }
    if (!best.includes(candidate)) best.push(candidate);
  }
  return best;
}

/** "A", "A and B", "A, B and C" (or "A, B or C"). */
export function listInWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * A server's hotfixes through the steps, without copying the set at every install: the sets made
 * from one another share an append-only log of installed KBs, and each is the inventory's set
 * plus the first `count` entries of that log. Adding to the newest set appends (O(1)); adding to
 * an older one (a branch: another walk over the same states) copies once into a log of its own.
 * Iteration order is the order of `new Set(old).add(kb)`: the inventory's, then installs in order.
 * (Issue 14: at 10,000 steps the state pass copied 470,630 entries per edit.)
 */
export class HotfixSet implements ReadonlySet<string> {
  private constructor(
    private readonly base: ReadonlySet<string>,
    private readonly log: { kbs: string[]; at: Map<string, number> },
    private readonly count: number,
  ) {}

  /** `set` with `kb` added: `set` itself when it holds `kb` already. */
  static with(set: ReadonlySet<string>, kb: string): ReadonlySet<string> {
    if (set.has(kb)) return set;
    let from = set instanceof HotfixSet ? set : new HotfixSet(set, { kbs: [], at: new Map() }, 0);
    // Not the newest set of its log: later entries belong to another branch.
    if (from.count !== from.log.kbs.length) from = new HotfixSet(new Set(from), { kbs: [], at: new Map() }, 0);
    from.log.at.set(kb, from.count);
    from.log.kbs.push(kb);
    return new HotfixSet(from.base, from.log, from.count + 1);
  }

  get size(): number {
    return this.base.size + this.count;
  }

  has(kb: string): boolean {
    if (this.base.has(kb)) return true;
    const at = this.log.at.get(kb);
    return at !== undefined && at < this.count;
  }

  *values(): SetIterator<string> {
    yield* this.base;
    for (let i = 0; i < this.count; i++) yield this.log.kbs[i];
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *entries(): SetIterator<[string, string]> {
    for (const kb of this.values()) yield [kb, kb];
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const kb of this.values()) callback.call(thisArg, kb, kb, this);
  }
}

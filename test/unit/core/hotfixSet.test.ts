import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../bench/runbookGenerator';
import { HotfixSet } from '../../../src/core/model/hotfixSet';

describe('HotfixSet (hotfixes through the steps without a copy per install)', () => {
  it('behaves as `new Set(old).add(kb)`, newest or older sets, branches included (fixed seed)', () => {
    const random = seededRandom(14);
    const kbs = ['KB924567', 'KB898060', 'KB1', 'KB2', 'KB3', 'KB4', 'KB5'];
    for (let round = 0; round < 200; round++) {
      const inventory = new Set(kbs.filter(() => random() < 0.2));
      // Pairs of (shared-log set, plain set) made from one another in random order.
      const sets: [ReadonlySet<string>, Set<string>][] = [[inventory, new Set(inventory)]];
      for (let step = 0; step < 12; step++) {
        const [shared, plain] = sets[Math.floor(random() * sets.length)];
        const kb = kbs[Math.floor(random() * kbs.length)];
        sets.push([HotfixSet.with(shared, kb), new Set(plain).add(kb)]);
      }
      for (const [shared, plain] of sets) {
        assert.deepEqual([...shared], [...plain]);
        assert.equal(shared.size, plain.size);
        for (const kb of kbs) assert.equal(shared.has(kb), plain.has(kb), kb);
      }
    }
  });
});

import assert from 'node:assert/strict';
import type { MailboxOrder } from '../../../src/core/model/types';
import { simulate } from '../../../src/core/simulator';
import { mailboxOrder } from '../../../src/core/simulator/store';
import { makeRunbook, type StepSpec } from './runbooks';

/** One move of `mailboxes` from A to B, two at a time at 30 MB/min, with no other load. */
function moveEnd(mailboxes: StepSpec['mailboxes'], order?: MailboxOrder): number {
  const runbook = makeRunbook(
    [
      { name: 'A', taskThreads: 10 },
      { name: 'B', taskThreads: 10 },
    ],
    [
      {
        id: 'move',
        action: 'move-mailboxes',
        from: 'A',
        to: 'B',
        mailboxes,
        concurrency: 2,
        throughputMBPerMinute: 30,
        mailboxOrder: order,
      },
    ],
    { serviceTime: 'deterministic' },
  );
  return simulate(runbook, { series: false }).steps[0].end;
}

describe('mailboxOrder (largest mailboxes first or last)', () => {
  it('orders the listed mailboxes by size, ties as listed', () => {
    assert.equal(mailboxOrder([5, 9, 1], undefined), null);
    assert.equal(mailboxOrder([5, 9, 1], 'as-listed'), null);
    assert.deepEqual([...mailboxOrder([5, 9, 1, 9], 'largest-first')!], [1, 3, 0, 2]);
    assert.deepEqual([...mailboxOrder([5, 9, 1, 9], 'largest-last')!], [2, 0, 1, 3]);
  });

  it('changes the tail of a listed move: one large mailbox listed late', () => {
    // 300 MB takes 10 minutes, each 30 MB mailbox one; two lanes.
    const sizes = [30, 30, 30, 300, 30, 30];
    const asListed = moveEnd(sizes);
    const first = moveEnd(sizes, 'largest-first');
    const last = moveEnd(sizes, 'largest-last');
    assert.equal(moveEnd(sizes, 'as-listed'), asListed);
    // Largest first: the 300 MB mailbox on one lane while the other takes the five small ones (10 min);
    // as listed it starts at minute 1 (11 min); largest last it starts at minute 2 (12 min).
    assert.ok(Math.abs(first - 10) < 0.1, `largest first ends at ${first}`);
    assert.ok(Math.abs(asListed - 11) < 0.1, `as listed ends at ${asListed}`);
    assert.ok(Math.abs(last - 12) < 0.1, `largest last ends at ${last}`);
  });

  it('changes nothing for { count, averageSizeMB }: every mailbox has the same size', () => {
    const set = { count: 7, averageSizeMB: 60 };
    const asListed = moveEnd(set);
    assert.equal(moveEnd(set, 'largest-first'), asListed);
    assert.equal(moveEnd(set, 'largest-last'), asListed);
  });
});

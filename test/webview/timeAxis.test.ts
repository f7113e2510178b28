import assert from 'node:assert/strict';
import { foldedTime } from '../../src/webview/timeAxis';

const INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 720, 1440];

describe('the folded time axis of a run with skipped quiet stretches', () => {
  it('nothing to fold without skipped stretches, or when the runs skipped different times', () => {
    assert.equal(foldedTime([[]], 100), null);
    assert.equal(foldedTime([[{ start: 100, end: 200 }], [{ start: 300, end: 400 }]], 500), null);
  });

  it('draws a skipped stretch narrow and keeps the shown time to scale, both ways', () => {
    const axis = foldedTime([[{ start: 200, end: 100_200 }]], 100_400)!;
    assert.equal(axis.fwd(100), 100);
    assert.equal(axis.fwd(200), 200);
    // 400 minutes shown: the fold is 3 % of them wide.
    assert.ok(Math.abs(axis.fwd(100_200) - 212) < 1e-9);
    assert.ok(Math.abs(axis.fwd(100_300) - 312) < 1e-9);
    for (const minutes of [0, 150, 200, 50_000, 100_200, 100_399]) assert.ok(Math.abs(axis.bwd(axis.fwd(minutes)) - minutes) < 1e-6);
  });

  it('folds only what every run skipped', () => {
    const axis = foldedTime([[{ start: 200, end: 10_000 }], [{ start: 500, end: 9_000 }]], 10_500)!;
    assert.deepEqual(axis.folds, [{ start: 500, end: 9_000 }]);
  });

  it('puts ticks in the shown stretches only, spaced for the width', () => {
    const axis = foldedTime([[{ start: 200, end: 100_200 }]], 100_400)!;
    const ticks = axis.splits(0, 100_400, 412, INCREMENTS, 60);
    assert.deepEqual(ticks, [0, 60, 120, 180, 100_200, 100_260, 100_320, 100_380]);
  });
});

import assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint';
import { intervalAt, nextInterval, windowIntervals } from '../../../src/core/model/window';
import { simulate, simulationFindings } from '../../../src/core/simulator';
import { readExample } from '../../support';

const utc = (iso: string) => Date.parse(iso);

function windowOf(lines: string): NonNullable<ReturnType<typeof lintText>['runbook']['window']> {
  const text = readExample('kb924567-exposed.runbook.yaml').replace(/^servers:/m, `${lines}\nservers:`);
  const window = lintText(text).runbook.window;
  assert.ok(window, 'the window is in the model');
  return window;
}

describe('maintenance window (model/window.ts)', () => {
  it('reads a daily window in its time zone, following the clock change', () => {
    const window = windowOf('window:\n  timeZone: Europe/London\n  daily: { from: "22:00", to: "06:00" }');
    // December: GMT, so 22:00 local is 22:00 UTC; July: BST, so 22:00 local is 21:00 UTC.
    assert.deepEqual(intervalAt(window, utc('2026-12-05T23:00:00Z')), {
      start: utc('2026-12-05T22:00:00Z'),
      end: utc('2026-12-06T06:00:00Z'),
    });
    assert.deepEqual(intervalAt(window, utc('2026-07-04T21:30:00Z')), {
      start: utc('2026-07-04T21:00:00Z'),
      end: utc('2026-07-05T05:00:00Z'),
    });
    assert.equal(intervalAt(window, utc('2026-12-06T06:00:00Z')), undefined, 'the close is outside');
    assert.equal(nextInterval(window, utc('2026-12-06T12:00:00Z'))!.start, utc('2026-12-06T22:00:00Z'));
  });

  it('merges explicit intervals with the daily ones', () => {
    const window = windowOf(
      'window:\n  daily: { from: "22:00", to: "06:00" }\n  intervals:\n    - { start: 2026-12-06T05:00:00Z, end: 2026-12-06T09:00:00Z }',
    );
    const intervals = windowIntervals(window, utc('2026-12-05T00:00:00Z'), utc('2026-12-06T12:00:00Z'));
    assert.deepEqual(
      intervals.map((i) => [new Date(i.start).toISOString(), new Date(i.end).toISOString()]),
      [
        ['2026-12-04T22:00:00.000Z', '2026-12-05T06:00:00.000Z'],
        ['2026-12-05T22:00:00.000Z', '2026-12-06T09:00:00.000Z'],
      ],
    );
  });

  it('EXR008 gives the overrun of a move measured by the simulation, and nothing without a window', () => {
    const base = readExample('kb924567-exposed.runbook.yaml');
    const text = base.replace(/^servers:/m, 'window:\n  daily: { from: "22:00", to: "06:00" }\nservers:');
    const { runbook } = lintText(text);
    const result = simulate(runbook, { series: false });
    const findings = simulationFindings(runbook, result).filter((f) => f.code === 'EXR008');
    assert.equal(findings.length, 1);
    const end = result.clockOrigin! + result.steps[0].end * 60000;
    const overrun = Math.round((end - utc('2026-12-06T06:00:00Z')) / 60000);
    assert.equal(findings[0].data?.overrunMinutes, overrun);
    assert.match(findings[0].message, /after the maintenance window closes at 2026-12-06 06:00 UTC/);
    const plain = lintText(base).runbook;
    assert.deepEqual(
      simulationFindings(plain, simulate(plain, { series: false })).filter((f) => f.code === 'EXR008'),
      [],
    );
  });
});

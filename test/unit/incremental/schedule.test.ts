import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../bench/runbookGenerator';
import { withAssumptions } from '../../../src/core/model/assumptions';
import { buildSchedule, IncrementalSchedule, type Schedule } from '../../../src/core/model/schedule';
import type { Runbook, Step } from '../../../src/core/model/types';

/**
 * IncrementalSchedule (the analyzer's schedule cache) against buildSchedule after every edit of a
 * list of steps: the same numbers, unchanged timings kept as objects, and last time's Schedule
 * object when no time changed.
 */

const span = () => ({ start: 0, end: 0 });
const DAY = Date.UTC(2026, 11, 1, 22);

function step(random: () => number): Step {
  const minutes = [0, 5, 30, 90, 0.1, 1e12][Math.floor(random() * 6)];
  const made: Step = {
    index: 0,
    span: span(),
    itemStart: 0,
    action: { value: 'wait', span: span() },
    duration: { value: minutes, span: span() },
  };
  // Explicit starts, some before the chain's beginning (the normalisation moves t = 0 back).
  if (random() < 0.15) made.start = { value: DAY + Math.floor(random() * 40 - 20) * 3_600_000, span: span() };
  return made;
}

function runbookOf(steps: Step[]): Runbook {
  steps.forEach((s, index) => (s.index = index));
  return { steps } as unknown as Runbook;
}

describe('IncrementalSchedule equals buildSchedule', () => {
  it('after random insertions, deletions and changed steps (fixed seed)', () => {
    const assumptions = withAssumptions({});
    let reusedSchedules = 0;
    let reusedTimings = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed * 31);
      let steps = Array.from({ length: 5 + Math.floor(random() * 60) }, () => step(random));
      const schedule = new IncrementalSchedule();
      let last: Schedule | undefined;
      for (let round = 0; round < 80; round++) {
        const kind = random();
        const at = Math.floor(random() * (steps.length + 1));
        steps = steps.slice();
        if (kind < 0.25) steps.splice(at, 0, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => step(random)));
        else if (kind < 0.5 && steps.length > 0) steps.splice(Math.min(at, steps.length - 1), 1 + Math.floor(random() * 3));
        else if (kind < 0.75 && at < steps.length) steps[at] = step(random);
        else if (kind < 0.9 && at < steps.length) steps[at] = { ...steps[at] }; // a new object, the same times
        const runbook = runbookOf(steps);
        const got = schedule.of(runbook, assumptions);
        const want = buildSchedule(runbook, assumptions);
        assert.deepEqual(got, want, `seed ${seed}, round ${round}`);
        if (last) {
          if (got === last) reusedSchedules++;
          const times = (s: Schedule) => s.steps.map((t) => [t.start, t.end]);
          if (
            last.steps.length === got.steps.length &&
            JSON.stringify(times(last)) === JSON.stringify(times(got)) &&
            last.clockOrigin === got.clockOrigin &&
            last.end === got.end
          )
            assert.equal(got, last, `seed ${seed}, round ${round}: no time changed, same object`);
          for (const timing of got.steps) if (last.steps.includes(timing)) reusedTimings++;
        }
        last = got;
      }
    }
    assert.ok(reusedSchedules > 50, `${reusedSchedules} schedules reused`);
    assert.ok(reusedTimings > 1000, `${reusedTimings} timings reused`);
  });

  it('asks again for the duration of steps with a mailbox list file, and for every step when the assumptions change', () => {
    const random = seededRandom(5);
    const steps = Array.from({ length: 40 }, () => step(random));
    const listed = steps[20] as Step & { mailboxFile?: unknown };
    listed.mailboxFile = { value: 'a.csv', span: span() };
    const schedule = new IncrementalSchedule();
    const assumptions = withAssumptions({});
    const runbook = runbookOf(steps);
    schedule.of(runbook, assumptions);
    listed.duration = { value: 777, span: span() };
    assert.deepEqual(schedule.of(runbook, assumptions), buildSchedule(runbook, assumptions));
    const other = withAssumptions({ rebootMinutes: 3 });
    assert.deepEqual(schedule.of(runbook, other), buildSchedule(runbook, other));
  });
});

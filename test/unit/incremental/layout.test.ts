import { strict as assert } from 'node:assert';
import { generateRunbook, seededRandom } from '../../../bench/runbookGenerator';
import { commonPrefix, commonSuffix } from '../../../src/core/incremental/incrementalAnalyzer';
import { rescanLayout, scanLayout } from '../../../src/core/incremental/layout';

const INSERTS = [
  'x',
  'x',
  '7',
  'ab',
  ' ',
  '  ',
  '\n',
  '\n    title: t',
  '\n  - id: new\n',
  '  - id: a\n    action: wait\n',
  '  - id: b\n    action: reboot\n    server: EXCH01\n  - id: c\n    action: wait\n',
  '  # note\n  - id: d\n',
  '\n  -\n',
  '    title: t\n',
  '- ',
  '#',
  '\t',
  '\r',
  'steps:',
  '\nname: x\n',
  ':',
];

/** Item lines of the steps block (as the generator writes them). */
function itemLines(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('\n  - ', text.indexOf('\nsteps:')); at >= 0; at = text.indexOf('\n  - ', at + 1)) starts.push(at + 1);
  return starts;
}

/** A random edit: a character or a piece inserted, a few characters deleted, steps deleted, inserted or replaced whole, or text appended. */
function edit(text: string, at: number, random: () => number): string {
  const kind = random();
  if (kind < 0.45) return text.slice(0, at) + INSERTS[Math.floor(random() * INSERTS.length)] + text.slice(at);
  if (kind < 0.7) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 8)));
  const items = itemLines(text);
  if (items.length === 0) return text;
  const first = Math.floor(random() * items.length);
  const last = Math.min(items.length, first + 1 + Math.floor(random() * 3));
  const end = last < items.length ? items[last] : text.length;
  if (kind < 0.8) return text.slice(0, items[first]) + text.slice(end);
  if (kind < 0.9) {
    const copy = text.slice(items[first], end);
    const to = items[Math.floor(random() * items.length)];
    return text.slice(0, to) + (copy.endsWith('\n') ? copy : copy + '\n') + text.slice(to);
  }
  if (kind < 0.95) return text.slice(0, items[first] + 2) + '- id: x\n    action: wait\n  ' + text.slice(items[first] + 2);
  return text + (text.endsWith('\n') ? '' : '\n') + '  - id: appended\n    action: wait\n';
}

describe('rescanLayout (only the lines around an edit scanned again)', () => {
  it('equals scanLayout of the edited text whenever it answers (fixed seed)', () => {
    const random = seededRandom(1402);
    let answered = 0;
    let edits = 0;
    for (let seed = 1; seed <= 8; seed++) {
      let text = generateRunbook({ steps: 60, servers: 5, seed });
      let layout = scanLayout(text)!;
      for (let round = 0; round < 60; round++) {
        // Mostly inside the steps, where typing happens.
        const stepsAt = text.indexOf('\nsteps:');
        const at =
          random() < 0.7 && stepsAt >= 0
            ? stepsAt + Math.floor(random() * (text.length - stepsAt))
            : Math.floor(random() * (text.length + 1));
        const edited = edit(text, at, random);
        const prefix = commonPrefix(text, edited);
        const suffix = commonSuffix(text, edited, prefix);
        const full = scanLayout(edited);
        const again = layout ? rescanLayout(layout, text, edited, prefix, suffix) : undefined;
        edits++;
        if (again) {
          answered++;
          assert.deepEqual(again, full, `seed ${seed}, round ${round}`);
        }
        // Keep editing a text that splits, as an editor's text mostly does.
        if (full) {
          text = edited;
          layout = full;
        }
      }
    }
    assert.ok(answered > edits / 8, `answered ${answered} of ${edits}`);
  });

  it('answers for steps inserted, deleted, replaced and appended on a clean runbook', () => {
    for (const trailing of [true, false]) {
      let text = generateRunbook({ steps: 40, servers: 4, seed: 3 });
      if (!trailing) text = text.replace(/\n+$/, '');
      const random = seededRandom(77);
      for (let round = 0; round < 200; round++) {
        const items = itemLines(text);
        const first = 1 + Math.floor(random() * (items.length - 1));
        const last = Math.min(items.length, first + 1 + Math.floor(random() * 3));
        const end = last < items.length ? items[last] : text.length;
        const piece = '  - id: x\n    action: wait\n    duration: 5m\n';
        const edited = [
          () => text.slice(0, items[first]) + text.slice(end),
          () => text.slice(0, items[first]) + piece + text.slice(items[first]),
          () => text.slice(0, items[first]) + piece + piece + text.slice(end),
          () => text + (text.endsWith('\n') ? '' : '\n') + piece.trimEnd(),
        ][round % 4]();
        const prefix = commonPrefix(text, edited);
        const again = rescanLayout(scanLayout(text)!, text, edited, prefix, commonSuffix(text, edited, prefix));
        assert.ok(again, `round ${round}`);
        assert.deepEqual(again, scanLayout(edited), `round ${round}`);
        text = edited;
      }
    }
  });
});

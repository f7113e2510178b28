/**
 * Planner benchmark: `findPlans` on every example, as written and with a nightly 22:00–06:00
 * window. Prints, per runbook, the wall time of the search, the candidates simulated (plans
 * searched) per second, the events simulated and the best plan's finish. Printed, never asserted.
 * Run: node out/bench/plan.js (npm run bench:plan)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatClock, formatOffset } from '../src/core/format/duration';
import { findPlans } from '../src/core/planner';

const examples = resolve(__dirname, '..', '..', 'examples');
const NIGHT = 'window:\n  daily: { from: "22:00", to: "06:00" }\nservers:';

function main(): void {
  const rows: string[][] = [['runbook', 'window', 'wall', 'searched', 'plans/s', 'events', 'safe plans', 'best finish', 'stopped']];
  // Warm-up: let the JIT optimise the simulator before the first figure.
  findPlans(readFileSync(resolve(examples, 'kb924567-fixed.runbook.yaml'), 'utf8'), { maxPlans: 1 });
  for (const name of readdirSync(examples)
    .filter((file) => file.endsWith('.runbook.yaml'))
    .sort()) {
    const plain = readFileSync(resolve(examples, name), 'utf8');
    for (const [label, text] of [
      ['none', plain],
      ['22:00–06:00', plain.replace(/^servers:/m, NIGHT)],
    ] as const) {
      const started = performance.now();
      const search = findPlans(text, { now: () => performance.now() });
      const seconds = (performance.now() - started) / 1000;
      const best = search.plans[0];
      rows.push([
        name.replace('.runbook.yaml', ''),
        label,
        `${seconds.toFixed(2)} s`,
        String(search.searched),
        (search.searched / seconds).toFixed(1),
        search.events.toLocaleString('en-US'),
        String(search.plans.length),
        best ? (best.finishIsClock ? formatClock(best.finish) : formatOffset(best.finish)) : search.refused ? 'refused' : 'none',
        search.stopped,
      ]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

main();

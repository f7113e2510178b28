/** `npm run golden:update`: rewrites every test/golden/*.out from what `exrunbook lint` prints now, and says which changed. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expectedPath, goldenCases, lintOutput } from './golden';

let changed = 0;
for (const runbook of goldenCases()) {
  const path = expectedPath(runbook);
  const output = lintOutput(runbook);
  if (existsSync(path) && readFileSync(path, 'utf8') === output) continue;
  writeFileSync(path, output);
  changed++;
  console.log(`updated ${basename(path)}`);
}
console.log(`${changed} of ${goldenCases().length} golden outputs changed; review them with git diff test/golden`);

/**
 * Golden tests, in the style of actionlint's testdata/: each `NAME.runbook.yaml` here sits beside
 * `NAME.out`, the exact text `exrunbook lint NAME.runbook.yaml` prints for it (run in this folder).
 * test/unit/golden.test.ts compares them; `npm run golden:update` rewrites the .out files for review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run, type CliIo } from '../../src/cli/main';
import { repoRoot } from '../support';

export const GOLDEN_DIR = resolve(repoRoot, 'test', 'golden');

/** The runbooks of the golden tests, by file name. */
export function goldenCases(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((name) => name.endsWith('.runbook.yaml'))
    .sort();
}

export function expectedPath(runbook: string): string {
  return resolve(GOLDEN_DIR, runbook.replace(/\.runbook\.yaml$/, '.out'));
}

/** What `exrunbook lint RUNBOOK` prints on standard output, run in test/golden (the CLI's own code, in process). */
export function lintOutput(runbook: string): string {
  let out = '';
  const io: CliIo = {
    out: (text) => (out += text),
    err: (text) => (out += text),
    readFile: (path) => readFileSync(resolve(GOLDEN_DIR, path), 'utf8'),
    readStdin: () => {
      throw new Error('the golden tests read files only');
    },
    cwd: () => GOLDEN_DIR,
  };
  // A first line `# exrunbook lint --enable EXR016` gives the options the case is run with (a rule that is off by default).
  const options = /^# exrunbook lint (.*)$/m.exec(readFileSync(resolve(GOLDEN_DIR, runbook), 'utf8').split('\n')[0])?.[1].split(' ') ?? [];
  run(['lint', ...options, runbook], io);
  return out;
}

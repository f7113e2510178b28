/**
 * The built CLI (bin/exrunbook.js → dist/cli.js) run as a child process on a fuzz case, the way a
 * pipeline feeds it: through standard input (a pipe), through a FIFO, or from a device that never
 * ends (/dev/zero, /dev/urandom) or is empty (/dev/null). What must hold: it exits 0, 1 or 2 on its
 * own, within the bound; no stack trace and no internal error; exit 2 comes with exactly one line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SeededRandom } from './mutate';

export type CliSource = 'stdin' | 'fifo' | '/dev/zero' | '/dev/urandom' | '/dev/null';
const SOURCES: readonly CliSource[] = ['stdin', 'stdin', 'fifo', '/dev/zero', '/dev/urandom', '/dev/null'];

const repoRoot = resolve(__dirname, '..', '..', '..');
const bin = resolve(repoRoot, 'bin', 'exrunbook.js');

/** Whether the built CLI is there to run (the fuzzer skips this check without it, and says so). */
export function cliBuilt(): boolean {
  return existsSync(resolve(repoRoot, 'dist', 'cli.js'));
}

/** Runs the CLI on `text` from a source picked by `random`; returns the source and every broken promise. */
export function cliProcessProblems(text: string, random: SeededRandom, timeoutMs: number): { source: CliSource; problems: string[] } {
  const source = random.pick(SOURCES);
  const command = random.chance(1, 2) ? ['lint', '--format', 'json', '--no-simulate'] : ['simulate', '--json'];
  let child: ReturnType<typeof spawnSync>;
  if (source === 'stdin') {
    child = spawnSync(process.execPath, [bin, ...command, '--stdin-filename', 'fuzz.runbook.yaml', '-'], {
      input: text,
      timeout: timeoutMs,
      maxBuffer: 256 * 1024 * 1024,
    });
  } else if (source === 'fifo') {
    const dir = mkdtempSync(join(tmpdir(), 'exrunbook-fuzz-'));
    try {
      const fifo = join(dir, 'case.fifo');
      // cat copies standard input into the FIFO while the CLI reads it from the other end.
      const script = 'f="$0"; mkfifo "$f" || exit 99; cat > "$f" & "$@"; code=$?; wait; exit $code';
      child = spawnSync('sh', ['-c', script, fifo, process.execPath, bin, ...command, fifo], {
        input: text,
        timeout: timeoutMs,
        maxBuffer: 256 * 1024 * 1024,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    child = spawnSync(process.execPath, [bin, ...command, source], { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  }
  const problems: string[] = [];
  const stdout = String(child.stdout ?? '');
  const stderr = String(child.stderr ?? '');
  if (child.signal !== null) problems.push(`the CLI was killed by ${child.signal} (over ${timeoutMs} ms or out of memory)`);
  else if (![0, 1, 2].includes(child.status ?? -1)) problems.push(`exit code ${String(child.status)}`);
  if (/internal error|\n\s+at /.test(stderr)) problems.push(`stderr: ${stderr.split('\n').slice(0, 3).join(' | ')}`);
  if (child.status === 2 && !/^exrunbook: [^\n]+\n$/.test(stderr))
    problems.push(`exit 2 needs exactly one line on stderr, got: ${JSON.stringify(stderr.slice(0, 300))}`);
  if (source === '/dev/zero' || source === '/dev/urandom') {
    if (child.status !== 2 || !/holds more than \d+ MB/.test(stderr))
      problems.push(`${source}: not refused at the read limit (${String(child.status)})`);
  }
  if (command[0] === 'lint' && (child.status === 0 || child.status === 1)) {
    try {
      const report = JSON.parse(stdout) as { files: { diagnostics: { severity: string }[] }[] };
      const hasError = report.files.some((file) => file.diagnostics.some((d) => d.severity === 'error'));
      if ((child.status === 1) !== hasError) problems.push(`exit ${child.status} but errors: ${hasError}`);
    } catch {
      problems.push(`lint printed output that is not JSON: ${stdout.slice(0, 120)}`);
    }
  }
  return { source, problems };
}

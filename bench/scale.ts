/**
 * `exrunbook lint` and `exrunbook simulate --json` on runbooks large in servers or long in time
 * (issue 16): 1,000 and 10,000 servers with two steps, 80 and 20 servers with two moves 11 months
 * apart (the 20 with delivery load on every server). Each command runs in a child process of its
 * own, so the figures are that command's: wall time, CPU time (user + system: on a shared machine
 * closer to what an idle one shows) and peak resident memory. Prints figures; asserts nothing.
 *
 *   npm run bench:scale
 *   node out/bench/scale.js [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/cli/main';
import { spreadRunbook, type SpreadRunbookOptions } from './runbookGenerator';

const CASES: { label: string; options: SpreadRunbookOptions }[] = [
  { label: '1,000 servers, move + hotfix', options: { servers: 1_000, monthsApart: 0, mtaDisabled: true } },
  { label: '10,000 servers, move + hotfix', options: { servers: 10_000, monthsApart: 0, mtaDisabled: true } },
  { label: '80 servers, moves 11 months apart', options: { servers: 80, monthsApart: 11 } },
  { label: '20 servers with load, 11 months apart', options: { servers: 20, monthsApart: 11, deliveryPerMinute: 300 } },
];

interface Probe {
  exitCode: number;
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
  outputMB: number;
}

/** In the child: runs one CLI command in this process, discarding its output, and prints what it cost. */
function probe(argv: string[]): void {
  const started = process.hrtime.bigint();
  let outputChars = 0;
  const exitCode = run(argv, {
    out: (text) => (outputChars += text.length),
    err: (text) => process.stderr.write(text),
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin: () => {
      throw new Error('the benchmark reads files only');
    },
    cwd: () => process.cwd(),
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const usage = process.resourceUsage();
  const result: Probe = {
    exitCode,
    wallMs,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    maxRssMB: usage.maxRSS / 1024,
    outputMB: outputChars / 1e6,
  };
  process.stdout.write(JSON.stringify(result));
}

function measure(argv: string[], runs: number): Probe[] {
  const probes: Probe[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, [__filename, '--probe', ...argv], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`probe failed (${child.status}): ${child.stderr}`);
    probes.push(JSON.parse(child.stdout) as Probe);
  }
  return probes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--probe') return probe(argv.slice(1));
  const runsIndex = argv.indexOf('--runs');
  const runs = runsIndex >= 0 ? Math.max(1, Number(argv[runsIndex + 1])) : 3;
  const dir = mkdtempSync(join(tmpdir(), 'exrunbook-scale-'));
  console.log(`exrunbook on large and long runbooks: median of ${runs} runs, each in a fresh process; node ${process.version}`);
  console.log('  (wall: the command itself; CPU and peak RSS: the whole process, Node start-up included)');
  for (const { label, options } of CASES) {
    const file = join(dir, `${options.servers}-${options.monthsApart}.runbook.yaml`);
    const text = spreadRunbook(options);
    writeFileSync(file, text);
    console.log(`${label} (${(text.length / 1024).toFixed(1)} KB)`);
    for (const command of [
      ['lint', file],
      ['simulate', '--json', file],
    ]) {
      const probes = measure(command, runs);
      const name = command.slice(0, -1).join(' ').padEnd(16);
      console.log(
        `  ${name} exit ${probes[0].exitCode}  wall ${median(probes.map((p) => p.wallMs))
          .toFixed(0)
          .padStart(5)} ms  ` +
          `CPU ${median(probes.map((p) => p.cpuMs))
            .toFixed(0)
            .padStart(5)} ms  ` +
          `peak RSS ${median(probes.map((p) => p.maxRssMB))
            .toFixed(0)
            .padStart(4)} MB  ` +
          `output ${median(probes.map((p) => p.outputMB)).toFixed(1)} MB`,
      );
    }
  }
}

if (require.main === module) main();

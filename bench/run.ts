/**
 * Lint performance against yaml-language-server (issue 14's "Done means").
 *
 *   npm run bench                                     (sizes 1000, 10000, 50000 steps)
 *   node out/bench/run.js --sizes 1000,10000 [--runs 20] [--edits-only]
 *
 * `--edits-only` measures only our side after an edit (no cold lint, no yaml-language-server):
 * minutes instead of most of an hour at 50,000 steps.
 *
 * For each generated runbook (20 servers, mixed actions and comments) it prints:
 *
 * - cold lint, whole process: `node dist/cli.js lint --no-simulate --format json FILE` against a
 *   fresh process that loads yaml-language-server and runs doValidation on the same file (wall
 *   time of the process, start to exit, median of 3; peak RSS of each process);
 * - after an edit, for four edit kinds (a title character, a `from:` server changed, a step
 *   inserted, a step deleted): IncrementalAnalyzer.update + toDiagnostics ("edit → diagnostics"),
 *   and that plus documentSymbols, codeLenses and foldingRanges ("edit bundle": what VS Code asks
 *   after an edit), median and p95 of the runs after a warm-up, wall and CPU; beside it
 *   yaml-language-server's doValidation of the edited text as a new version.
 *
 * Each run applies the edit to the text before it (the reverse edit is applied untimed between
 * runs). Prints figures; asserts nothing. This machine is shared: CPU time is the steadier figure.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeLenses } from '../src/core/features/codeLens';
import { documentSymbols, foldingRanges } from '../src/core/features/symbols';
import { IncrementalAnalyzer } from '../src/core/incremental/incrementalAnalyzer';
import { toDiagnostics } from '../src/core/lint';
import { LanguageServerValidator } from './languageServer';
import { generateRunbook } from './runbookGenerator';

const PROJECT_ROOT = join(__dirname, '..', '..');
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
/** Preloaded into each cold-lint process: prints its peak RSS (KB) to stderr as it exits. */
const RSS_ON_EXIT = "process.on('exit', () => process.stderr.write('rss ' + process.resourceUsage().maxRSS + '\\n'));";

interface Arguments {
  sizes: number[];
  runs: number;
  /** Only the edit measurements of our side: no cold lint, no yaml-language-server. */
  editsOnly: boolean;
  /** Internal: validate FILE with yaml-language-server in this (fresh) process, then exit. */
  lsCold?: string;
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { sizes: [1000, 10000, 50000], runs: 20, editsOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sizes') args.sizes = argv[++i].split(',').map((size) => Number(size.trim()));
    else if (argv[i] === '--runs') args.runs = Math.max(2, Number(argv[++i]));
    else if (argv[i] === '--ls-cold') args.lsCold = argv[++i];
    else if (argv[i] === '--edits-only') args.editsOnly = true;
  }
  if (args.sizes.some((size) => !Number.isInteger(size) || size < 10))
    throw new Error('--sizes takes step counts, e.g. --sizes 1000,10000');
  return args;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const median = (values: number[]) => quantile(values, 0.5);

interface Timing {
  wall: number[];
  cpu: number[];
}

async function measure(runs: number, warmups: number, run: () => unknown, between?: () => unknown): Promise<Timing> {
  const timing: Timing = { wall: [], cpu: [] };
  for (let round = 0; round < warmups + runs; round++) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await run();
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    if (round >= warmups) {
      timing.wall.push(elapsed);
      timing.cpu.push((cpu.user + cpu.system) / 1000);
    }
    await between?.();
  }
  return timing;
}

// ---------------------------------------------------------------------------------------------
// Edits

interface EditKind {
  name: string;
  /** The edited text; `text` is the generated runbook of `steps` steps. */
  apply(text: string, steps: number): string;
}

/** Offset of the `  - id: step-N` line of the step nearest the middle that matches `test`. */
function middleStep(text: string, steps: number, test: (item: string) => boolean = () => true): { start: number; end: number } {
  for (let delta = 0; delta < steps; delta++) {
    for (const n of [Math.ceil(steps / 2) + delta, Math.ceil(steps / 2) - delta]) {
      const start = text.indexOf(`  - id: step-${n}\n`);
      if (start < 0) continue;
      const next = text.indexOf('\n  - id: ', start + 1);
      const nextComment = text.indexOf('\n  # ', start + 1);
      const end = Math.min(next < 0 ? text.length : next + 1, nextComment < 0 ? text.length : nextComment + 1);
      if (test(text.slice(start, end))) return { start, end };
    }
  }
  throw new Error('no step fits');
}

const EDIT_KINDS: EditKind[] = [
  {
    name: 'title character',
    apply(text, steps) {
      const step = middleStep(text, steps, (item) => item.includes('    title: '));
      const at = text.indexOf('    title: ', step.start) + '    title: Step'.length;
      return text.slice(0, at) + 'x' + text.slice(at);
    },
  },
  {
    name: '`from:` server',
    apply(text, steps) {
      const step = middleStep(text, steps, (item) => item.includes('    from: EXCH'));
      const at = text.indexOf('    from: EXCH', step.start) + '    from: EXCH'.length;
      const digits = text.slice(at, at + 2);
      return text.slice(0, at) + (digits === '01' ? '02' : '01') + text.slice(at + 2);
    },
  },
  {
    name: 'step inserted',
    apply(text, steps) {
      const step = middleStep(text, steps);
      const inserted = '  - id: inserted-step\n    action: install-hotfix\n    server: EXCH03\n    hotfix: KB924567\n';
      return text.slice(0, step.start) + inserted + text.slice(step.start);
    },
  },
  {
    name: 'step deleted',
    apply(text, steps) {
      const step = middleStep(text, steps);
      return text.slice(0, step.start) + text.slice(step.end);
    },
  },
];

async function measureEdit(
  text: string,
  edited: string,
  runs: number,
  warmups: number,
  server: LanguageServerValidator | undefined,
  serverRuns: number,
) {
  const analyzer = new IncrementalAnalyzer();
  toDiagnostics(analyzer.update(text));
  let incremental = true;
  const back = () => toDiagnostics(analyzer.update(text));
  const diagnostics = await measure(
    runs,
    warmups,
    () => {
      toDiagnostics(analyzer.update(edited));
      incremental &&= analyzer.lastUpdate === 'incremental';
    },
    back,
  );
  const bundle = await measure(
    runs,
    warmups,
    () => {
      const analysis = analyzer.update(edited);
      toDiagnostics(analysis);
      documentSymbols(analysis);
      codeLenses(analysis, { simulating: false });
      foldingRanges(analysis.parsed.text);
      incremental &&= analyzer.lastUpdate === 'incremental';
    },
    back,
  );
  const serverTiming = server
    ? await measure(
        serverRuns,
        0,
        () => server.validate(edited),
        () => server.validate(text),
      )
    : undefined;
  return { diagnostics, bundle, server: serverTiming, incremental };
}

// ---------------------------------------------------------------------------------------------
// Cold lint, whole process

interface ProcessRun {
  wall: number;
  rssMB?: number;
  ok: boolean;
}

function runProcess(args: string[]): ProcessRun {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, NODE_OPTIONS: `--require ${PRELOAD}` },
  });
  const wall = performance.now() - start;
  const match = /rss (\d+)/.exec(child.stderr ?? '');
  return { wall, rssMB: match ? Number(match[1]) / 1024 : undefined, ok: child.status === 0 || child.status === 1 };
}

let PRELOAD = '';

interface ColdRow {
  ours: ProcessRun[];
  server: ProcessRun[];
}

function coldLint(file: string, runs: number): ColdRow {
  const ours: ProcessRun[] = [];
  const server: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(runProcess([CLI, 'lint', '--no-simulate', '--format', 'json', file]));
    server.push(runProcess([__filename, '--ls-cold', file]));
  }
  return { ours, server };
}

async function lsCold(file: string): Promise<void> {
  const server = new LanguageServerValidator(PROJECT_ROOT);
  await server.validate(readFileSync(file, 'utf8'));
}

// ---------------------------------------------------------------------------------------------

const fixed = (value: number, digits = 1) => (value >= 100 ? value.toFixed(0) : value.toFixed(digits));
const TARGETS: Record<number, number> = { 1000: 10, 10000: 20, 50000: 60 };

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (args.lsCold !== undefined) return lsCold(args.lsCold);
  console.log(`node ${process.version}, ${process.platform} ${process.arch}; sizes ${args.sizes.join(', ')} steps`);
  const dir = mkdtempSync(join(tmpdir(), 'exrunbook-bench-'));
  PRELOAD = join(dir, 'rss-on-exit.js');
  writeFileSync(PRELOAD, RSS_ON_EXIT);
  const server = args.editsOnly ? undefined : new LanguageServerValidator(PROJECT_ROOT);
  const cold: string[] = [];
  const edits: string[] = [];
  try {
    for (const steps of args.sizes) {
      process.stdout.write(`${steps} steps…\n`);
      const text = generateRunbook({ steps });
      const file = join(dir, `generated-${steps}.runbook.yaml`);
      writeFileSync(file, text);
      const big = steps >= 50000;
      const row = args.editsOnly ? undefined : coldLint(file, 3);
      if (row) {
        const oursWall = median(row.ours.map((run) => run.wall));
        const serverWall = median(row.server.map((run) => run.wall));
        const rss = (runs: ProcessRun[]) => Math.max(...runs.map((run) => run.rssMB ?? NaN));
        cold.push(
          [
            steps.toLocaleString('en-US'),
            fixed(text.length / 1024, 0),
            fixed(oursWall) + (row.ours.every((run) => run.ok) ? '' : ' (failed!)'),
            fixed(serverWall) + (row.server.every((run) => run.ok) ? '' : ' (failed!)'),
            fixed(serverWall / oursWall, 2),
            `${fixed(rss(row.ours), 0)} / ${fixed(rss(row.server), 0)}`,
          ].join(' | '),
        );
      }
      for (const kind of EDIT_KINDS) {
        const edited = kind.apply(text, steps);
        const result = await measureEdit(text, edited, big ? Math.min(args.runs, 10) : args.runs, big ? 3 : 10, server, big ? 1 : 3);
        const ms = (timing: Timing) =>
          `${fixed(median(timing.wall), 1)} / ${fixed(quantile(timing.wall, 0.95), 1)} (${fixed(median(timing.cpu), 1)} / ${fixed(quantile(timing.cpu, 0.95), 1)})`;
        const target = TARGETS[steps];
        const bundleMedian = median(result.bundle.wall);
        edits.push(
          [
            steps.toLocaleString('en-US'),
            kind.name,
            ms(result.diagnostics) + (result.incremental ? '' : ' (full!)'),
            ms(result.bundle),
            result.server ? fixed(median(result.server.wall)) : '–',
            result.server ? fixed(median(result.server.wall) / bundleMedian, 0) : '–',
            target === undefined ? '–' : `< ${target}: ${bundleMedian < target ? 'met' : 'missed'}`,
          ].join(' | '),
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nCold lint, whole process (median of 3 wall ms; peak RSS of the process):\n');
  console.log('| steps | KB | `exrunbook lint` ms | yaml-language-server ms | LS ÷ ours | peak RSS MB ours / LS |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const line of cold) console.log(`| ${line} |`);
  console.log('\nAfter an edit (median / p95 wall ms, CPU ms in parentheses):\n');
  console.log(
    '| steps | edit | edit → diagnostics | edit bundle (+ symbols, code lens, folding) | LS after the edit ms | LS ÷ bundle | bundle target ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const line of edits) console.log(`| ${line} |`);
  console.log(
    '\nLS: yaml-language-server 1.25 doValidation against schemas/runbook.schema.json (schema errors only; no outline, ' +
      'code lens or folding), of the edited text as a new document version.',
  );
  console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

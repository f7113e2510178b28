/**
 * Lint performance against yaml-language-server, side by side in one process.
 *
 *   npm run bench                                   (sizes 100, 1000, 10000, 50000 steps)
 *   node out/bench/run.js --sizes 100,1000 [--runs 10]
 *
 * For each generated runbook (20 servers, mixed actions and comments) it measures, as the median
 * of the runs after a warm-up: our cold lint of the whole text (analyze + toDiagnostics; every rule,
 * EXR005's simulation excluded); our lint after a one-character edit inside one step
 * (IncrementalAnalyzer.update + toDiagnostics); yaml-language-server's doValidation against
 * schemas/runbook.schema.json of the text and of the edited text; and the floors `yaml`
 * parseDocument and JSON.parse of the same data. Our peak RSS is measured in a child process
 * that only lints (the language server's memory would hide ours). Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { IncrementalAnalyzer } from '../src/core/incremental/incrementalAnalyzer';
import { analyze, toDiagnostics } from '../src/core/lint';
import { LanguageServerValidator } from './languageServer';
import { generateRunbook } from './runbookGenerator';

const PROJECT_ROOT = join(__dirname, '..', '..');

interface Arguments {
  sizes: number[];
  runs: number;
  /** Internal: lint one size and print our peak RSS (run in a child process). */
  rssProbe?: number;
  mode: 'whole' | 'split';
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { sizes: [100, 1000, 10000, 50000], runs: 10, mode: 'whole' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sizes') args.sizes = argv[++i].split(',').map((size) => Number(size.trim()));
    else if (argv[i] === '--runs') args.runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === '--rss-probe') args.rssProbe = Number(argv[++i]);
    else if (argv[i] === '--mode') args.mode = argv[++i] === 'split' ? 'split' : 'whole';
  }
  if (args.sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new Error('--sizes takes step counts, e.g. --sizes 100,1000');
  return args;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Timing {
  /** Median wall-clock ms. */
  wall: number;
  /** Median CPU ms of this process (user + system): on a shared machine, closer to what an idle one would show. */
  cpu: number;
}

async function measure(runs: number, warmups: number, run: (round: number) => unknown): Promise<Timing> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let round = 0; round < warmups + runs; round++) {
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    await run(round);
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuBefore);
    if (round >= warmups) {
      walls.push(elapsed);
      cpus.push((cpu.user + cpu.system) / 1000);
    }
  }
  return { wall: median(walls), cpu: median(cpus) };
}

/** Two texts that differ by one character inside the middle step's id: alternating them makes every update an edit. */
function editedPair(text: string, steps: number): [string, string] {
  const marker = `id: step-${Math.ceil(steps / 2)}\n`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error('generated runbook has no middle step');
  const end = at + marker.length - 1;
  return [text, text.slice(0, end) + 'x' + text.slice(end)];
}

/** Runs of the whole-text measurements at a size: fewer at 50,000 steps, where one language-server run takes seconds. */
function wholeTextRuns(steps: number, runs: number): number {
  return steps >= 50000 ? Math.min(runs, 3) : runs;
}

interface Row {
  steps: number;
  kilobytes: number;
  coldLint: Timing;
  /** The same cold lint through a fresh IncrementalAnalyzer: items parsed one by one (what the extension's first update costs). */
  coldSplit: Timing;
  editLint: Timing;
  editIncremental: boolean;
  server: Timing;
  serverEdited: Timing;
  parseDocument: Timing;
  jsonParse: Timing;
  wholeRuns: number;
  editRuns: number;
  rssWholeMB?: number;
  rssSplitMB?: number;
}

async function benchmarkSize(steps: number, runs: number, server: LanguageServerValidator): Promise<Row> {
  const text = generateRunbook({ steps });
  const [original, edited] = editedPair(text, steps);
  const wholeRuns = wholeTextRuns(steps, runs);
  const warmups = steps >= 50000 ? 1 : 3;
  const coldLint = await measure(wholeRuns, warmups, () => toDiagnostics(analyze(text)));
  const coldSplit = await measure(wholeRuns, warmups, () => toDiagnostics(new IncrementalAnalyzer().update(text)));

  const analyzer = new IncrementalAnalyzer();
  toDiagnostics(analyzer.update(original));
  let allIncremental = true;
  const editRuns = Math.max(runs, 10);
  // Edits are cheap: warm up until the JIT has optimized the update path (about 20 updates).
  const editLint = await measure(editRuns, 20, (round) => {
    toDiagnostics(analyzer.update(round % 2 === 0 ? edited : original));
    allIncremental &&= analyzer.lastUpdate === 'incremental';
  });

  const serverTime = await measure(wholeRuns, warmups, () => server.validate(text));
  const serverEdited = await measure(wholeRuns, 0, (round) => server.validate(round % 2 === 0 ? edited : original));
  const parseTime = await measure(wholeRuns, warmups, () => parseDocument(text));
  const json = JSON.stringify(parseDocument(text).toJS());
  const jsonParse = await measure(wholeRuns, warmups, () => JSON.parse(json));
  return {
    steps,
    kilobytes: text.length / 1024,
    coldLint,
    coldSplit,
    editLint,
    editIncremental: allIncremental,
    server: serverTime,
    serverEdited,
    parseDocument: parseTime,
    jsonParse,
    wholeRuns,
    editRuns,
  };
}

/** Our peak RSS linting one size in a fresh process: with analyze(), or with an IncrementalAnalyzer (cold, then 5 edits). */
function ourPeakRss(steps: number, mode: 'whole' | 'split'): number | undefined {
  const child = spawnSync(process.execPath, [__filename, '--rss-probe', String(steps), '--mode', mode], { encoding: 'utf8' });
  const match = /rss (\d+)/.exec(child.stdout ?? '');
  return match ? Number(match[1]) / 1024 : undefined;
}

function rssProbe(steps: number, mode: 'whole' | 'split'): void {
  const text = generateRunbook({ steps });
  const [original, edited] = editedPair(text, steps);
  if (mode === 'whole') {
    toDiagnostics(analyze(text));
  } else {
    const analyzer = new IncrementalAnalyzer();
    for (let round = 0; round < 6; round++) toDiagnostics(analyzer.update(round % 2 === 0 ? original : edited));
  }
  console.log(`rss ${process.resourceUsage().maxRSS}`);
}

const fixed = (value: number, digits = 1) => (value >= 100 ? value.toFixed(0) : value.toFixed(digits));

function printTable(rows: Row[]): void {
  const header = [
    'steps',
    'KB',
    'cold analyze() ms (CPU)',
    'LS ÷ analyze',
    'cold analyzer ms (CPU)',
    'MB/s',
    'LS ÷ analyzer',
    'after edit ms (CPU)',
    'LS edit ÷ edit',
    'LS ms (CPU)',
    'LS edit ms',
    'parseDocument ms',
    'JSON.parse ms',
    'RSS MB analyze / analyzer',
    'runs',
  ];
  const both = (timing: Timing, digits = 1) => `${fixed(timing.wall, digits)} (${fixed(timing.cpu, digits)})`;
  const lines = rows.map((row) => [
    row.steps.toLocaleString('en-US'),
    fixed(row.kilobytes, 0),
    both(row.coldLint),
    fixed(row.server.wall / row.coldLint.wall, 2),
    both(row.coldSplit),
    fixed(row.kilobytes / 1024 / (row.coldSplit.wall / 1000)),
    fixed(row.server.wall / row.coldSplit.wall, 2),
    both(row.editLint, 2) + (row.editIncremental ? '' : ' (full!)'),
    fixed(row.serverEdited.wall / row.editLint.wall, 0),
    both(row.server),
    fixed(row.serverEdited.wall),
    fixed(row.parseDocument.wall),
    fixed(row.jsonParse.wall, 2),
    `${row.rssWholeMB === undefined ? '?' : fixed(row.rssWholeMB, 0)} / ${row.rssSplitMB === undefined ? '?' : fixed(row.rssSplitMB, 0)}`,
    `${row.wholeRuns}/${row.editRuns}`,
  ]);
  console.log('| ' + header.join(' | ') + ' |');
  console.log('|' + header.map(() => ' --- |').join(''));
  for (const line of lines) console.log('| ' + line.join(' | ') + ' |');
  console.log(
    '\nmedian wall-clock ms after warm-up, median CPU ms of the process in parentheses; "LS ÷ …": ' +
      'how many times faster than yaml-language-server (cold lint vs doValidation of the text; ' +
      'after edit vs doValidation of the edited text);',
  );
  console.log(
    'cold analyzer: a fresh IncrementalAnalyzer().update(text), which parses and validates the ' +
      "steps one by one (the extension's first lint); MB/s is for it.",
  );
  console.log(
    'runs: whole-text runs / one-character-edit runs; RSS: peak of a fresh process that only lints, ' +
      'with analyze() / with an IncrementalAnalyzer (cold, then 5 edits).',
  );
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (args.rssProbe !== undefined) return rssProbe(args.rssProbe, args.mode);
  console.log(`node ${process.version}, ${process.platform} ${process.arch}; sizes ${args.sizes.join(', ')} steps`);
  const server = new LanguageServerValidator(PROJECT_ROOT);
  const rows: Row[] = [];
  for (const steps of args.sizes) {
    process.stdout.write(`${steps} steps…\n`);
    const row = await benchmarkSize(steps, args.runs, server);
    row.rssWholeMB = ourPeakRss(steps, 'whole');
    row.rssSplitMB = ourPeakRss(steps, 'split');
    rows.push(row);
  }
  console.log('');
  printTable(rows);
  console.log(`\npeak RSS of this process (ours and the language server's): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

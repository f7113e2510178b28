/**
 * `npm run fuzz -- [--cases N] [--seed S] [--time-bound-ms MS] [--max-events N] [--only I] [--save DIR]`
 * Prints cases run, failures and the slowest case; exit 1 when any case failed. Every 200th case is a
 * generated runbook of many servers with steps months apart, every 250th also runs the built CLI on a
 * pipe, a FIFO or a device (`npm run build` first).
 * The long run documented in docs/reliability.md: `npm run fuzz -- --cases 100000`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_FUZZ_OPTIONS, runFuzz, summarize, type FuzzOptions } from './fuzz';

const USAGE =
  'usage: node out/test/fuzz/run.js [--cases N] [--seed S] [--time-bound-ms MS] [--max-events N] [--only I] [--save DIR] ' +
  '[--examples DIR] [--long-span-every N] [--max-servers N] [--max-span-days D] [--cli-every N] [--memory-bound-mb MB]';

function parse(argv: string[]): { options: FuzzOptions; only?: number; save?: string } {
  const repoRoot = resolve(__dirname, '..', '..', '..');
  const options: FuzzOptions = {
    ...DEFAULT_FUZZ_OPTIONS,
    examplesDir: resolve(repoRoot, 'examples'),
    progressEvery: 10_000,
  };
  let only: number | undefined;
  let save: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const number = () => {
      const parsed = Number(value);
      if (value === undefined || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${flag} needs a number ≥ 0\n${USAGE}`);
      i++;
      return parsed;
    };
    if (flag === '--cases') options.cases = Math.floor(number());
    else if (flag === '--seed') options.seed = Math.floor(number());
    else if (flag === '--time-bound-ms') options.timeBoundMs = number();
    else if (flag === '--max-events') options.maxEvents = Math.floor(number());
    else if (flag === '--only') only = Math.floor(number());
    else if (flag === '--long-span-every') options.longSpanEvery = Math.floor(number());
    else if (flag === '--max-servers') options.longSpan = { ...options.longSpan, maxServers: Math.max(2, Math.floor(number())) };
    else if (flag === '--max-span-days') options.longSpan = { ...options.longSpan, maxSpanDays: number() };
    else if (flag === '--cli-every') options.cliEvery = Math.floor(number());
    else if (flag === '--memory-bound-mb') options.memoryBoundMb = number();
    else if (flag === '--save' && value !== undefined) {
      save = resolve(value);
      i++;
    } else if (flag === '--examples' && value !== undefined) {
      options.examplesDir = resolve(value);
      i++;
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return { options, only, save };
}

function main(): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const { options, only, save } = parsed;
  options.onProgress = (done, failures) => process.stderr.write(`… ${done} cases, ${failures} failures\n`);
  options.onFailure = (failure) => {
    process.stderr.write(`FAIL case #${failure.caseIndex} ${failure.kind}: ${failure.detail.split('\n')[0]}\n`);
    if (save) {
      mkdirSync(save, { recursive: true });
      writeFileSync(resolve(save, `case-${failure.caseIndex}-${failure.kind}.runbook.yaml`), failure.text);
    }
  };
  process.stdout.write(
    `fuzzing: seed ${options.seed}, ` +
      `${only === undefined ? `${options.cases} cases` : `case ${only} only`}, time bound ` +
      `${options.timeBoundMs} ms, ${options.maxEvents} events per simulation\n`,
  );
  const report = runFuzz(options, only);
  process.stdout.write(summarize(report) + '\n');
  if (save && report.failures.length > 0) process.stdout.write(`failing inputs saved in ${save}\n`);
  return report.failures.length > 0 ? 1 : 0;
}

process.exitCode = main();

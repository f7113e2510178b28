/**
 * `exrunbook lint|simulate`: the command-line adapter around the core. Exit codes (docs/runbook-format.md):
 * lint 0 = no error-severity diagnostic, 1 = at least one, 2 = usage or I/O problem;
 * simulate 0 = simulated (even when exhaustion is predicted), 1 = too broken to simulate, 2 = usage or I/O.
 */
import { readFileSync, statSync } from 'node:fs';
import { version } from '../../package.json';
import type { Finding } from '../core/diagnostics';
import { lintText, toDiagnostics } from '../core/lint';
import type { Runbook } from '../core/model/types';
import { applyWhatIf, exhaustionFindings, hotfixEverySource, simulate, SimulationError } from '../core/simulator';
import { formatJson, formatSarif, formatText, type FileDiagnostics } from './format';
import { formatSimulation, formatWhatIf } from './simulate';

const USAGE = `Usage:
  exrunbook lint [--format text|json|sarif] [--no-simulate] FILE…
  exrunbook simulate [--json] [--what-if hotfix] [--seed N] FILE
  exrunbook --help | --version

lint       checks runbooks; exit 0 when no errors, 1 when there are errors, 2 on a usage or I/O problem
simulate   runs the migration simulator and prints a per-server summary`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
}

class UsageError extends Error {}
class InputError extends Error {}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

const nodeIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile(path) {
    let size: number;
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) throw new InputError(`${path} is a directory, not a runbook file`);
      size = stat.size;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`cannot read ${path}: ${describeIoError(error)}`);
    }
    if (size > MAX_FILE_BYTES)
      throw new InputError(`${path} is ${Math.round(size / 1048576)} MB; runbooks over ${MAX_FILE_BYTES / 1048576} MB are not read`);
    try {
      // Non-UTF-8 bytes become U+FFFD instead of failing: the schema check then points at them.
      return new TextDecoder('utf-8').decode(readFileSync(path));
    } catch (error) {
      throw new InputError(`cannot read ${path}: ${describeIoError(error)}`);
    }
  },
};

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return String((error as Error)?.message ?? error).split('\n')[0];
}

interface ParsedArgs {
  command: string;
  files: string[];
  flags: Map<string, string | true>;
}

const FLAGS_WITH_VALUES = new Set(['--format', '--what-if', '--seed']);
const KNOWN_FLAGS: Record<string, Set<string>> = {
  lint: new Set(['--format', '--no-simulate']),
  simulate: new Set(['--json', '--what-if', '--seed']),
};

function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      files.push(...rest.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.split(/=(.*)/s, 2);
      if (!KNOWN_FLAGS[command]?.has(name)) throw new UsageError(`unknown option ${name} for \`${command}\``);
      if (FLAGS_WITH_VALUES.has(name)) {
        const value = inline ?? rest[++i];
        if (value === undefined) throw new UsageError(`${name} needs a value`);
        flags.set(name, value);
      } else flags.set(name, true);
    } else files.push(arg);
  }
  return { command, files, flags };
}

/** Runs the CLI; returns the exit code. Never throws for bad input. */
export function run(argv: string[], io: CliIo = nodeIo): number {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      (argv.length === 0 ? io.err : io.out)(USAGE + '\n');
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === '--version') {
      io.out(`exrunbook ${version}\n`);
      return 0;
    }
    const args = parseArgs(argv);
    if (args.command === 'lint') return lintCommand(args, io);
    if (args.command === 'simulate') return simulateCommand(args, io);
    throw new UsageError(`unknown command \`${args.command}\` (expected lint or simulate)`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`exrunbook: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.err(`exrunbook: ${error.message}\n`);
      return 2;
    }
    io.err(`exrunbook: internal error: ${String((error as Error)?.message ?? error).split('\n')[0]}\n`);
    return 2;
  }
}

function lintCommand(args: ParsedArgs, io: CliIo): number {
  const format = (args.flags.get('--format') ?? 'text') as string;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not ${format}`);
  if (args.files.length === 0) throw new UsageError('lint needs at least one FILE');
  const texts = args.files.map((file) => io.readFile(file)); // all readable before any output
  const results: FileDiagnostics[] = args.files.map((file, index) => {
    // EXR005 comes from the simulation; until it has run, a suppression of it is not "unused".
    const first = lintText(texts[index], { pendingCodes: ['EXR005'] });
    if (args.flags.has('--no-simulate') || !first.simulatable) return { file, diagnostics: first.diagnostics };
    const extraFindings = predictedExhaustion(first.runbook);
    if (extraFindings === undefined) return { file, diagnostics: first.diagnostics };
    return { file, diagnostics: toDiagnostics(first.analysis, { extraFindings }) };
  });
  io.out(format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, version) : formatText(results));
  return results.some((result) => result.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** EXR005 findings, or undefined when the run is refused (event budget): lint stays fast and never fails on that. */
function predictedExhaustion(runbook: Runbook): Finding[] | undefined {
  try {
    return exhaustionFindings(runbook, simulate(runbook, { maxEvents: LINT_SIMULATION_MAX_EVENTS }));
  } catch (error) {
    if (error instanceof SimulationError) return undefined;
    throw error;
  }
}

/** `lint` simulates only runbooks that simulate in about a second; `simulate` takes the full budget. */
const LINT_SIMULATION_MAX_EVENTS = 20_000_000;

function simulateCommand(args: ParsedArgs, io: CliIo): number {
  if (args.files.length !== 1) throw new UsageError('simulate needs exactly one FILE');
  const whatIf = args.flags.get('--what-if');
  if (whatIf !== undefined && whatIf !== 'hotfix') throw new UsageError(`--what-if takes \`hotfix\`, not ${String(whatIf)}`);
  const seedFlag = args.flags.get('--seed');
  const seed = seedFlag === undefined ? undefined : Number(seedFlag);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new UsageError('--seed must be a whole number from 0 to 4294967295');
  const file = args.files[0];
  const lint = lintText(io.readFile(file));
  if (!lint.simulatable) {
    const blocking = lint.diagnostics.filter((d) => d.severity === 'error');
    io.err(`exrunbook: ${file} has errors that stop the simulation:\n`);
    io.err(formatText([{ file, diagnostics: blocking }]));
    return 1;
  }
  try {
    const plain = simulate(lint.runbook, { seed });
    if (whatIf === 'hotfix') {
      const alternative = simulate(applyWhatIf(lint.runbook, hotfixEverySource(lint.runbook)), { seed });
      io.out(
        args.flags.has('--json')
          ? JSON.stringify({ plain, whatIf: { hotfix: alternative } }, null, 2) + '\n'
          : formatWhatIf(plain, alternative, lint.runbook, 'with KB924567 and Gateway Out Threads 0 on every source server'),
      );
    } else {
      io.out(args.flags.has('--json') ? JSON.stringify(plain, null, 2) + '\n' : formatSimulation(plain, lint.runbook));
    }
    return 0;
  } catch (error) {
    if (error instanceof SimulationError) {
      io.err(`exrunbook: ${file}: ${error.message}\n`);
      return error.kind === 'budget' ? 1 : 2;
    }
    throw error;
  }
}

/**
 * `exrunbook lint|simulate|plan|lsp`: the command-line adapter around the core. Exit codes (docs/runbook-format.md):
 * lint 0 = no error-severity diagnostic, 1 = at least one, 2 = usage or I/O problem;
 * simulate 0 = simulated (even when exhaustion is predicted), 1 = too broken to simulate, 2 = usage or I/O;
 * plan 0 = a safe plan exists, 1 = none fits (or the runbook cannot be simulated), 2 = usage or I/O.
 */
import { writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { version } from '../../package.json';
import type { Finding, Severity } from '../core/diagnostics';
import { lintOnce } from '../core/incremental/incrementalAnalyzer';
import { mailboxFilesOf, simulationBlockers, toDiagnostics, type LintOptions } from '../core/lint';
import { findPlans } from '../core/planner';
import { RULES, ruleInfo, SIMULATED_CODES } from '../core/rules';
import type { Runbook } from '../core/model/types';
import { applyWhatIf, hotfixEverySource, simulate, simulationFindings, SimulationError } from '../core/simulator';
import { formatJson, formatSarif, formatText, type FileDiagnostics } from './format';
import { decodeRunbook, describeIoError, InputError, readFdBounded, readPathBounded } from './read';
import { formatPlans, plansJson } from './plan';
import { formatSimulation, formatWhatIf } from './simulate';

const USAGE = `Usage:
  exrunbook lint [--format text|json|sarif] [--sarif-root DIR] [--no-simulate] [--enable CODE,…] [--stdin-filename NAME] FILE…
  exrunbook simulate [--json] [--what-if hotfix] [--seed N] [--stdin-filename NAME] FILE
  exrunbook plan [--json] [--write] [--seed N] [--stdin-filename NAME] FILE
  exrunbook lsp --stdio
  exrunbook --help | --version

lint       checks runbooks; exit 0 when no errors, 1 when there are errors, 2 on a usage or I/O problem
simulate   runs the migration simulator and prints a per-server summary
plan       searches for changes that avoid thread exhaustion and fit the maintenance window; prints the
           plans and the best as a diff (--write applies it); exit 0 when a safe plan exists, 1 when none fits
lsp        runs the language server over stdin/stdout, for editors other than VS Code
FILE       a runbook path, or - for standard input (named NAME in messages; <stdin> by default)`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The decoded text of a file; throws InputError (or a Node error with a `code`) when it cannot be read. */
  readFile(path: string): string;
  /** The decoded text of standard input (FILE `-`), called `name` in messages. */
  readStdin(name: string): string;
  /** The directory relative paths are relative to: SARIF's `%SRCROOT%` unless `--sarif-root`. */
  cwd(): string;
  /** Replaces a file's text (`plan --write`); throws a Node error with a `code` when it cannot. */
  writeFile?(path: string, text: string): void;
  /** Milliseconds of a clock, for `plan`'s time budget. */
  now?(): number;
}

class UsageError extends Error {}

const nodeIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readFile: (path) => decodeRunbook(readPathBounded(path)),
  readStdin: (name) => decodeRunbook(readFdBounded(0, name)),
  cwd: () => process.cwd(),
  writeFile: (path, text) => writeFileSync(path, text, 'utf8'),
  now: () => Date.now(),
};

interface ParsedArgs {
  command: string;
  files: string[];
  flags: Map<string, string | true>;
}

/** Each command's options: `value` options take the next argument (or `--name=value`), `flag` options none. */
const OPTIONS: Record<string, Record<string, 'value' | 'flag'>> = {
  lint: { '--format': 'value', '--sarif-root': 'value', '--no-simulate': 'flag', '--enable': 'value', '--stdin-filename': 'value' },
  simulate: { '--json': 'flag', '--what-if': 'value', '--seed': 'value', '--stdin-filename': 'value' },
  plan: { '--json': 'flag', '--write': 'flag', '--seed': 'value', '--stdin-filename': 'value' },
  lsp: { '--stdio': 'flag' },
};

const STDIN = '-';
const DEFAULT_STDIN_NAME = '<stdin>';

function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  // Own keys only: `constructor` or `toString` as a command must not find Object.prototype's.
  const options = Object.hasOwn(OPTIONS, command) ? OPTIONS[command] : undefined;
  if (!options) throw new UsageError(`unknown command \`${command}\` (expected lint, simulate, plan or lsp)`);
  const files: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--') {
      files.push(...rest.slice(i + 1));
      break;
    }
    // `-` alone is standard input; anything else starting with `-` is an option, never a file name (use ./-x or --).
    if (arg === STDIN || !arg.startsWith('-')) {
      files.push(arg);
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      flags.set('--help', true);
      continue;
    }
    const [name, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const kind = options[name];
    if (kind === undefined) throw new UsageError(`unknown option ${name} for \`${command}\``);
    if (kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  if (files.filter((file) => file === STDIN).length > 1) throw new UsageError('standard input (-) can be read only once');
  if (flags.has('--stdin-filename') && !files.includes(STDIN))
    throw new UsageError('--stdin-filename names standard input: give - as the FILE');
  return { command, files, flags };
}

/** A whole number written in decimal digits only: no sign, spaces, exponent, hex or fraction. */
function wholeNumberOption(args: ParsedArgs, name: string, max: number): number | undefined {
  const value = args.flags.get(name);
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) > max)
    throw new UsageError(`${name} must be a whole number from 0 to ${max} in decimal digits, not "${text}"`);
  return Number(text);
}

/** The name a FILE argument goes by in messages and reports. */
function displayName(args: ParsedArgs, file: string): string {
  return file === STDIN ? String(args.flags.get('--stdin-filename') ?? DEFAULT_STDIN_NAME) : file;
}

/** Reads one FILE argument; every way it can fail becomes an InputError naming it. */
function readInput(io: CliIo, args: ParsedArgs, file: string): string {
  try {
    return file === STDIN ? io.readStdin(displayName(args, file)) : io.readFile(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException)?.code !== undefined)
      throw new InputError(`cannot read ${displayName(args, file)}: ${describeIoError(error)}`);
    throw error;
  }
}

/**
 * The mailbox list files the runbook names, read next to it (standard input: from the working
 * directory) with the same bounded read as runbooks; a file that cannot be read carries why.
 */
function readMailboxFiles(io: CliIo, file: string, text: string): LintOptions['mailboxFiles'] {
  // Most runbooks name no list file: skip the extra analysis for them.
  if (!/\bfile\s*:/.test(text)) return undefined;
  const names = mailboxFilesOf(lintOnce(text).runbook);
  if (names.length === 0) return undefined;
  const base = file === STDIN ? '' : dirname(file);
  const files: Record<string, { text: string } | { error: string }> = {};
  for (const name of names) {
    try {
      files[name] = { text: io.readFile(isAbsolute(name) || base === '' ? name : join(base, name)) };
    } catch (error) {
      const known = error instanceof InputError || (error as NodeJS.ErrnoException)?.code !== undefined;
      if (!known) throw error;
      // The message names the file already: keep only why.
      files[name] = { error: error instanceof InputError ? error.message.replace(/^cannot read .*?: /, '') : describeIoError(error) };
    }
  }
  return files;
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
    if (args.flags.has('--help')) {
      io.out(USAGE + '\n');
      return 0;
    }
    if (args.command === 'lsp') return lspCommand(args);
    if (args.command === 'plan') return planCommand(args, io);
    return args.command === 'lint' ? lintCommand(args, io) : simulateCommand(args, io);
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

/** Starts the language server; the process then lives until the client says `exit` or closes stdin. */
function lspCommand(args: ParsedArgs): number {
  if (!args.flags.has('--stdio') || args.files.length > 0) throw new UsageError('lsp takes --stdio (the only transport) and no FILE');
  // Loaded only here: lint and simulate do not pay for the server's libraries.
  void import('../server/node').then(({ startStdioServer }) => startStdioServer());
  return 0;
}

const FORMATS = ['text', 'json', 'sarif'];

function lintCommand(args: ParsedArgs, io: CliIo): number {
  const format = String(args.flags.get('--format') ?? 'text');
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be text, json or sarif, not ${format}`);
  if (args.flags.has('--sarif-root') && format !== 'sarif') throw new UsageError('--sarif-root applies to --format sarif only');
  if (args.files.length === 0) throw new UsageError('lint needs at least one FILE');
  const severities = enabledRules(args);
  // A file that cannot be read gets one line on stderr and exit 2; the others are still linted and reported.
  const results: FileDiagnostics[] = [];
  let unreadable = 0;
  for (const file of args.files) {
    let text: string;
    try {
      text = readInput(io, args, file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.err(`exrunbook: ${error.message}\n`);
      unreadable++;
      continue;
    }
    results.push(lintOne(displayName(args, file), text, args.flags.has('--no-simulate'), severities, readMailboxFiles(io, file, text)));
  }
  if (results.length > 0) {
    const cwd = io.cwd();
    const root = String(args.flags.get('--sarif-root') ?? cwd);
    io.out(
      format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, version, { cwd, root }) : formatText(results),
    );
  }
  if (unreadable > 0) return 2;
  return results.some((result) => result.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** `--enable CODE,…`: rules that are off unless turned on (rules/rule.ts enabledByDefault), at their own severity. */
function enabledRules(args: ParsedArgs): Record<string, Severity> | undefined {
  const value = args.flags.get('--enable');
  if (value === undefined) return undefined;
  const severities: Record<string, Severity> = {};
  for (const code of String(value)
    .split(',')
    .map((part) => part.trim().toUpperCase())) {
    const rule = ruleInfo(code);
    if (!rule || rule.enabledByDefault !== false) {
      const off = RULES.filter((r) => r.enabledByDefault === false).map((r) => r.code);
      throw new UsageError(`--enable takes the codes that are off by default (${off.join(', ')}), not "${code}"`);
    }
    severities[code] = rule.defaultSeverity;
  }
  return severities;
}

function lintOne(
  file: string,
  text: string,
  noSimulate: boolean,
  severities: Record<string, Severity> | undefined,
  mailboxFiles: LintOptions['mailboxFiles'],
): FileDiagnostics {
  // EXR005 comes from the simulation; until it has run, a suppression of it is not "unused".
  const first = lintOnce(text, { pendingCodes: SIMULATED_CODES, severities, mailboxFiles });
  if (noSimulate || !first.simulatable) return { file, diagnostics: first.diagnostics, analysis: first.analysis };
  const extraFindings = predictedExhaustion(first.runbook);
  if (extraFindings === undefined) return { file, diagnostics: first.diagnostics, analysis: first.analysis };
  return { file, diagnostics: toDiagnostics(first.analysis, { extraFindings, severities, mailboxFiles }), analysis: first.analysis };
}

/** EXR005 and EXR008 findings, or undefined when the run is refused (event budget): lint stays fast and never fails on that. */
function predictedExhaustion(runbook: Runbook): Finding[] | undefined {
  try {
    return simulationFindings(runbook, simulate(runbook, { maxEvents: LINT_SIMULATION_MAX_EVENTS, series: false }));
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
  const seed = wholeNumberOption(args, '--seed', 0xffffffff);
  const file = displayName(args, args.files[0]);
  const text = readInput(io, args, args.files[0]);
  const lint = lintOnce(text, { mailboxFiles: readMailboxFiles(io, args.files[0], text) });
  if (!lint.simulatable) {
    const blocking = simulationBlockers(lint.analysis);
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

function planCommand(args: ParsedArgs, io: CliIo): number {
  if (args.files.length !== 1) throw new UsageError('plan needs exactly one FILE');
  const write = args.flags.has('--write');
  if (write && args.files[0] === STDIN) throw new UsageError('--write replaces a file: give a path, not -');
  if (write && args.flags.has('--json')) throw new UsageError('--write and --json do not go together');
  const seed = wholeNumberOption(args, '--seed', 0xffffffff);
  const file = displayName(args, args.files[0]);
  const text = readInput(io, args, args.files[0]);
  const started = io.now?.();
  const mailboxFiles = readMailboxFiles(io, args.files[0], text);
  const search = findPlans(text, { seed, mailboxFiles, now: io.now ? () => io.now!() : undefined });
  if (search.refused) {
    io.err(`exrunbook: ${file}: ${search.refused}\n`);
    return 1;
  }
  const seconds = started !== undefined ? (io.now!() - started) / 1000 : 0;
  io.out(args.flags.has('--json') ? plansJson(search, file, text) : formatPlans(search, file, text, seconds));
  const best = search.plans[0];
  if (write && best && best.text !== text) {
    if (!io.writeFile) throw new InputError(`cannot write ${file}: no file system`);
    try {
      io.writeFile(args.files[0], best.text);
    } catch (error) {
      throw new InputError(`cannot write ${file}: ${describeIoError(error)}`);
    }
    io.err(`exrunbook: wrote plan 1 to ${file}\n`);
  }
  return best ? 0 : 1;
}

/**
 * The program: `node dist/cli.js …` and bin/exrunbook.js both come here. Output into a closed pipe
 * (`exrunbook simulate --json x | head -c 10`) ends quietly with the command's own exit code.
 */
export function main(argv = process.argv.slice(2)): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  process.exitCode = run(argv);
}

// Run when executed directly (`node dist/cli.js lint FILE`); importing the module (bin, tests) runs nothing.
if (require.main === module) main();

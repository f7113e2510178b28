import { isAlias, isMap, isPair, isScalar, isSeq, Pair, parseDocument, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Finding, Span } from '../diagnostics';
import { validateStep } from '../format/generated/runbookValidator';
import {
  MAX_ALIAS_COUNT,
  MAX_RUNBOOK_CHARS,
  parseText,
  YAML_PARSE_OPTIONS,
  type ParsedDocument,
  type ParsedText,
  type TextPiece,
} from '../format/parse';
import { readSubset } from '../format/subsetReader';
import { checkSchema, schemaFindings, type SchemaError } from '../format/schemaCheck';
import { LineIndex } from '../format/text';
import {
  analyze,
  isSimulatable,
  runSemanticRules,
  SemanticCaches,
  toDiagnostics,
  type Analysis,
  type DiagnosticsOptions,
  type LintOptions,
  type LintResult,
} from '../lint';
import { buildRunbook, buildStep, placeholderStep } from '../model/build';
import type { Step } from '../model/types';
import { firstAbove, lastAtOrBefore, replaceRange } from '../arrays';
import { rescanLayout, scanLayout, type Layout, type TopBlock } from './layout';

/** One item of `steps`, parsed alone; offsets are absolute in the text of the latest update. */
interface ItemRecord {
  start: number;
  end: number;
  /** The step model, when the item is a mapping. Its spans are shifted in place when text before it changes. */
  step?: Step;
  /** Every span object of the step (its own, each field's and key's), each once: what a shift moves. */
  spans: Span[];
  /** The item's `-` and the end of its value: the `steps` sequence's span runs from the first to the last. */
  dash: number;
  valueEnd: number;
  /** Schema findings for the item at `findingsIndex` (their messages name the step by id, or by position when it has none). */
  findings: Finding[];
  findingsIndex: number;
  /** Kept only when the findings depend on the item's position (no id), to redo them when it moves. */
  positional?: { doc: ParsedDocument; node: unknown; data: unknown; errors: SchemaError[] };
}

/** A top-level block parsed alone, its nodes shifted to absolute offsets. */
interface BlockRecord {
  start: number;
  source: string;
  pair: Pair;
  value: unknown;
}

/**
 * Analyses a runbook again after each edit, re-parsing and re-validating only the top-level
 * blocks and `steps` items whose text changed, and reusing (shifting) the rest. The result is the
 * same Analysis `analyze()` returns for the same text; whenever the text cannot be split safely
 * (broken YAML, anchors and aliases, tabs, `---`, flow-style `steps`, ...) it is exactly `analyze()`.
 *
 * The Step objects of a result are reused by the next update, which shifts their spans in place:
 * keep only the latest Analysis.
 */
export class IncrementalAnalyzer {
  private text = '';
  private items: (ItemRecord | undefined)[] = [];
  private blocks = new Map<string, BlockRecord>();
  private layout: Layout | undefined;
  /** How many of `items` could not be analysed alone (undefined). */
  private broken = 0;
  /** Each item's step, spliced with `items` (every parsed item has one): the runbook's steps without a pass over the items. */
  private steps: Step[] = [];
  /** How many items have schema findings (few do): the findings are gathered only when some have. */
  private itemsWithFindings = 0;
  private semantic: SemanticCaches | undefined;
  /**
   * How the last update was computed: piece by piece (reusing what it could), or by the whole-text analyze().
   * Benchmarks and tests read it.
   */
  lastUpdate: 'incremental' | 'full' = 'full';

  /** How many times a result's `parsed.doc` or `parsed.data` was asked for and parsed the whole text (tests read it). */
  readonly wholeParses = { count: 0 };

  /**
   * `once`: for a single update (the CLI's lint). The semantic pass then keeps nothing for a next
   * update, as in `analyze()`: the caches' records would only raise the peak memory of a one-shot run.
   */
  constructor(private readonly options: { once?: boolean } = {}) {
    this.semantic = options.once ? undefined : new SemanticCaches();
  }

  /** Forgets everything cached (the next update parses the whole text). */
  reset(): void {
    this.text = '';
    this.layout = undefined;
    this.items = [];
    this.steps = [];
    this.itemsWithFindings = 0;
    this.broken = 0;
    this.blocks.clear();
    this.semantic = this.options.once ? undefined : new SemanticCaches();
  }

  update(text: string, options: LintOptions = {}): Analysis {
    // A text over the size limit is refused by analyze() before any parsing: never split it.
    if (text.length > MAX_RUNBOOK_CHARS) {
      this.reset();
      this.lastUpdate = 'full';
      return analyze(text, options);
    }
    try {
      const result = this.analyzeIncrementally(text, options);
      if (result) {
        this.lastUpdate = 'incremental';
        return result;
      }
    } catch {
      // Never worse than a full analysis: anything unexpected here falls back to it.
      this.reset();
    }
    this.lastUpdate = 'full';
    return analyze(text, options);
  }

  private analyzeIncrementally(text: string, options: LintOptions): Analysis | undefined {
    const previousText = this.text;
    const prefix = commonPrefix(previousText, text);
    const suffix = commonSuffix(previousText, text, prefix);
    // Only the lines around the change are scanned again when the previous layout still holds.
    const layout = (this.layout && rescanLayout(this.layout, previousText, text, prefix, suffix)) || scanLayout(text);
    if (!layout) {
      this.reset();
      return undefined;
    }
    this.text = text;
    this.layout = layout;
    const safeItems = layout.steps
      ? this.updateItems(previousText, text, layout, prefix, suffix)
      : ((this.items = []), (this.steps = []), (this.itemsWithFindings = 0), (this.broken = 0), true);
    // A broken piece keeps the others cached: the edit that repairs it is incremental again.
    if (!safeItems) return undefined;
    const skeleton = this.buildSkeleton(text, layout);
    if (!skeleton) return undefined;

    const findings = checkSchema(skeleton.doc, skeleton.data);
    const runbook = buildRunbook(skeleton.doc, text);
    if (layout.steps) {
      // A copy: the caches keep last time's array to compare with.
      runbook.steps = this.steps.slice();
      if (this.itemsWithFindings > 0) for (const item of this.items) for (const finding of item!.findings) findings.push(finding);
    }
    const context = runSemanticRules(runbook, options, findings, this.semantic);
    const parsed = lazyParsedText(text, layout, this.wholeParses);
    parsed.topLevel = skeleton.doc.contents;
    parsed.pieceAt = (offset) => (this.text === text ? this.pieceAt(text, layout, offset) : undefined);
    return { parsed, runbook, context, findings };
  }

  /**
   * Brings the item records up to date with `text`; false when an item cannot be analysed alone.
   * The records wholly before the change stay as they are, those wholly after it are shifted in
   * place (a few number writes each), and only the items in between are parsed: the array is
   * spliced, not rebuilt.
   */
  private updateItems(previousText: string, text: string, layout: Layout, prefix: number, suffix: number): boolean {
    const starts = layout.steps!.itemStarts;
    const stepsEnd = layout.blocks[layout.steps!.blockIndex].end;
    const delta = text.length - previousText.length;
    const unchangedAfter = text.length - suffix;
    const items = this.items;
    const count = starts.length;
    const oldCount = items.length;
    const endOf = (index: number) => (index + 1 < count ? starts[index + 1] : stepsEnd);
    // Before the change: the items that end at or before it (their lines are the same text), the last one checked.
    const atOrBefore = firstAbove(starts, prefix);
    let head = Math.min(oldCount, atOrBefore === count && stepsEnd <= prefix ? count : Math.max(0, atOrBefore - 1));
    while (head > 0 && !sameRecord(items[head - 1], starts[head - 1], endOf(head - 1))) head--;
    // After it: from the last item back, while each is the old record at the same place from the end, moved by delta.
    // Each is shifted and renumbered as it is found (a shifted record is past, never compared again).
    const moved = count - oldCount;
    let tail = 0;
    for (let index = count - 1; index >= head && index - moved >= head; index--) {
      const start = starts[index];
      const item = items[index - moved];
      if (start < unchangedAfter || !sameRecord(item, start - delta, endOf(index) - delta)) break;
      if (delta !== 0) shiftItem(item!, delta);
      if (item!.step) item!.step.index = index;
      if (item!.findingsIndex !== index) refreshPositionalFindings(item!, index);
      tail++;
    }
    const parsed: (ItemRecord | undefined)[] = [];
    for (let index = head; index < count - tail; index++) parsed.push(parseItem(text, starts[index], endOf(index), index));
    const removed = oldCount - tail - head;
    for (let index = head; index < head + removed; index++) if (items[index]?.findings.length) this.itemsWithFindings--;
    for (const item of parsed) if (item?.findings.length) this.itemsWithFindings++;
    const parsedSteps = parsed.map((item) => item?.step as Step);
    replaceRange(items, head, removed, parsed);
    replaceRange(this.steps, head, removed, parsedSteps);
    // A broken item before the change is tried again (the edit may be elsewhere, the text is the same).
    if (this.broken > 0)
      for (let index = 0; index < head; index++) {
        if (this.items[index]) continue;
        const item = parseItem(text, starts[index], endOf(index), index);
        this.items[index] = item;
        this.steps[index] = item?.step as Step;
        if (item?.findings.length) this.itemsWithFindings++;
      }
    let broken = 0;
    if (this.broken > 0 || parsed.includes(undefined)) for (const item of this.items) if (!item) broken++;
    this.broken = broken;
    return broken === 0;
  }

  /** The top-level mapping with every block but the steps items: what the whole-document schema check and model read. */
  private buildSkeleton(text: string, layout: Layout): { doc: ParsedDocument; data: Record<string, unknown> } | undefined {
    const root = new YAMLMap();
    const data: Record<string, unknown> = {};
    const blocks = new Map<string, BlockRecord>();
    for (let index = 0; index < layout.blocks.length; index++) {
      const block = layout.blocks[index];
      const split = layout.steps?.blockIndex === index;
      const end = split ? layout.steps!.itemStarts[0] : block.end;
      const record = this.block(text, block, end);
      if (!record) return undefined;
      blocks.set(block.key, record);
      if (split) {
        const first = this.items[0]!;
        const last = this.items[this.items.length - 1]!;
        const seq = new YAMLSeq();
        seq.range = [first.dash, last.valueEnd, last.valueEnd];
        root.items.push(new Pair(record.pair.key, seq));
        data[block.key] = [];
      } else {
        root.items.push(record.pair);
        // An own property even for `__proto__`, as the parser's data has it.
        Object.defineProperty(data, block.key, { value: record.value, enumerable: true, writable: true, configurable: true });
      }
    }
    this.blocks = blocks;
    const firstKey = (root.items[0].key as Node).range!;
    root.range = [firstKey[0], text.length, text.length];
    return { doc: { contents: root } as unknown as ParsedDocument, data };
  }

  /** The top-level block or step item around `offset`, parsed alone (nodes at absolute offsets). */
  private pieceAt(text: string, layout: Layout, offset: number): TextPiece | 'none' | undefined {
    const index = layout.blocks.findIndex((block, i) => block.start <= offset && (offset < block.end || i === layout.blocks.length - 1));
    if (index < 0) return 'none';
    const block = layout.blocks[index];
    const starts = layout.steps?.blockIndex === index ? layout.steps.itemStarts : undefined;
    if (starts && offset >= starts[0]) {
      const stepIndex = lastAtOrBefore(starts, offset);
      const item = this.items[stepIndex];
      if (!item) return undefined;
      const parsed = parseAlone(text.slice(item.start, item.end));
      if (!parsed) return undefined;
      shiftNode(parsed.doc.contents as Node, item.start);
      return { doc: parsed.doc, rootPath: (path) => ['steps', stepIndex, ...path.slice(1)] };
    }
    const record = this.blocks.get(block.key);
    if (!record || record.start !== block.start) return undefined;
    const contents = new YAMLMap();
    contents.items.push(record.pair);
    return { doc: { contents } as unknown as ParsedDocument, rootPath: (path) => path };
  }

  private block(text: string, block: TopBlock, end: number): BlockRecord | undefined {
    const source = text.slice(block.start, end);
    const known = this.blocks.get(block.key);
    if (known && known.start === block.start && known.source === source) return known;
    const parsed = parseAlone(source);
    if (!parsed || !isMap(parsed.doc.contents) || parsed.doc.contents.items.length !== 1) return undefined;
    const pair = parsed.doc.contents.items[0];
    if (!isScalar(pair.key) || pair.key.value !== block.key) return undefined;
    const value = (parsed.data as Record<string, unknown> | undefined)?.[block.key];
    shiftNode(pair.key as Node, block.start);
    shiftNode(pair.value as Node | null, block.start);
    return { start: block.start, source, pair, value };
  }
}

/**
 * Text → diagnostics in one call, as `lintText` but through the analyzer's piecewise path and the
 * subset reader (the same result; the CLI's lint, in a fraction of the time and memory).
 */
export function lintOnce(text: string, options: DiagnosticsOptions = {}): LintResult {
  const analysis = new IncrementalAnalyzer({ once: true }).update(text, options);
  return { diagnostics: toDiagnostics(analysis, options), analysis, runbook: analysis.runbook, simulatable: isSimulatable(analysis) };
}

/**
 * Parses a piece of the text as its own document, with the subset reader when it takes the piece
 * (most runbook text) and with `yaml` otherwise; undefined when it does not stand alone cleanly.
 */
function parseAlone(source: string): { doc: ParsedDocument; data: unknown } | undefined {
  const read = readSubset(source);
  if (read) return read;
  let doc: ParsedDocument;
  try {
    doc = parseDocument(source, YAML_PARSE_OPTIONS) as ParsedDocument;
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  // Anchors and aliases reach across pieces: only the whole document resolves them.
  if ((source.includes('&') || source.includes('*')) && usesAnchors(doc)) return undefined;
  return { doc, data: toData(doc) };
}

function usesAnchors(doc: ParsedDocument): boolean {
  let found = false;
  visit(doc, (_key, node) => {
    if (isAlias(node) || ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor)) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

function toData(doc: ParsedDocument): unknown {
  return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
}

function parseItem(text: string, start: number, end: number, index: number): ItemRecord | undefined {
  const source = text.slice(start, end);
  const parsed = parseAlone(source);
  if (!parsed) return undefined;
  const doc = parsed.doc;
  if (!isSeq(doc.contents) || doc.contents.items.length !== 1 || !doc.contents.range) return undefined;
  const node = doc.contents.items[0];
  const stepData = (parsed.data as unknown[])[0];
  const step: Step = isMap(node) ? buildStep(doc, source, node as YAMLMap, index) : placeholderStep(source, node, index);
  const spans = spansOf(step);
  shiftStep(step, spans, start);
  const valid = validateStep(stepData) as boolean;
  const errors = valid ? [] : ([...((validateStep as unknown as { errors?: SchemaError[] }).errors ?? [])] as SchemaError[]);
  const item: ItemRecord = {
    start,
    end,
    step,
    spans,
    dash: doc.contents.range[0] + start,
    valueEnd: doc.contents.range[1] + start,
    findings: [],
    findingsIndex: index,
  };
  const named = hasId(stepData);
  // A step with an id is named by it in messages, so its findings do not depend on its position.
  const findings = itemFindings(doc, node, stepData, errors, named ? 0 : index);
  item.findings = findings.map((finding) => shiftFinding(finding, start));
  if (!named && findings.length > 0) item.positional = { doc, node, data: stepData, errors };
  return item;
}

function hasId(data: unknown): boolean {
  const id = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && id.length > 0;
}

/** The schema findings of one step, through the same translation as the whole document, with the step at `index` of `steps`. */
function itemFindings(doc: ParsedDocument, node: unknown, stepData: unknown, errors: SchemaError[], index: number): Finding[] {
  const seq = new YAMLSeq();
  seq.items[index] = node;
  const root = new YAMLMap();
  root.items.push(new Pair(new Scalar('steps'), seq));
  const steps: unknown[] = [];
  steps[index] = stepData;
  const prefixed = errors.map((error) => ({ ...error, instancePath: `/steps/${index}${error.instancePath}` }));
  return schemaFindings({ contents: root, errors: [], warnings: [] } as unknown as ParsedDocument, { steps }, prefixed);
}

function refreshPositionalFindings(item: ItemRecord, index: number): void {
  item.findingsIndex = index;
  if (!item.positional) return;
  const { doc, node, data, errors } = item.positional;
  const base = item.dash - (doc.contents as YAMLSeq).range![0];
  item.findings = itemFindings(doc, node, data, errors, index).map((finding) => shiftFinding(finding, base));
}

function shiftItem(item: ItemRecord, delta: number): void {
  item.start += delta;
  item.end += delta;
  item.dash += delta;
  item.valueEnd += delta;
  if (item.step) shiftStep(item.step, item.spans, delta);
  if (item.findings.length > 0) item.findings = item.findings.map((finding) => shiftFinding(finding, delta));
}

/**
 * The span objects of a step model as parsed: its own and each field's value and key, each once.
 * Fields set later (a list file's `mailboxes`, rules/exr009.ts) take the span of a field read here.
 */
function spansOf(step: Step): Span[] {
  const spans = [step.span];
  const fields = step as unknown as Record<string, { span?: Span; keySpan?: Span } | undefined>;
  for (const key in fields) {
    const field = fields[key];
    if (field === undefined || field === null || typeof field !== 'object' || !field.span) continue;
    if (!spans.includes(field.span)) spans.push(field.span);
    if (field.keySpan && !spans.includes(field.keySpan)) spans.push(field.keySpan);
  }
  return spans;
}

/** Shifts every span of a step model in place (number writes only), and its item start. */
function shiftStep(step: Step, spans: readonly Span[], delta: number): void {
  step.itemStart += delta;
  for (let i = 0; i < spans.length; i++) {
    spans[i].start += delta;
    spans[i].end += delta;
  }
}

function sameRecord(item: ItemRecord | undefined, start: number, end: number): boolean {
  return item !== undefined && item.start === start && item.end === end;
}

function shiftFinding(finding: Finding, delta: number): Finding {
  const shift = (span: Span) => ({ start: span.start + delta, end: span.end + delta });
  return { ...finding, span: shift(finding.span), related: finding.related?.map((related) => ({ ...related, span: shift(related.span) })) };
}

function shiftNode(node: Node | null | undefined, delta: number): void {
  if (!node) return;
  if (node.range) node.range = [node.range[0] + delta, node.range[1] + delta, node.range[2] + delta];
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        shiftNode(item.key as Node, delta);
        shiftNode(item.value as Node, delta);
      } else {
        shiftNode(item as Node, delta);
      }
    }
  }
}

/** ParsedText whose whole-document YAML tree is only built if someone asks for it. */
function lazyParsedText(text: string, layout: Layout, wholeParses: { count: number }): ParsedText {
  const lines = layout.lineStarts ? new LineIndex(text, layout.lineStarts) : new LineIndex(text);
  let full: ParsedText | undefined;
  const whole = () => {
    if (!full) wholeParses.count++;
    return (full ??= parseText(text));
  };
  return {
    text,
    lines,
    syntaxFindings: [],
    get doc() {
      return whole().doc;
    },
    get data() {
      return whole().data;
    },
  };
}

const CHUNK = 8192;

/** Length of the common prefix, comparing whole chunks natively first. */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix that does not overlap the first `prefix` characters of either. */
export function commonSuffix(a: string, b: string, prefix: number): number {
  const max = Math.min(a.length, b.length) - prefix;
  let n = 0;
  while (n + CHUNK <= max && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

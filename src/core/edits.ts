/**
 * Minimal text edits to a runbook, computed from the YAML node offsets. They keep comments,
 * indentation (block or flow style, as the surrounding sequence uses), key order and line
 * endings: everything outside the edited span stays byte for byte. Used by quick fixes and by
 * the webview's "Apply to runbook".
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { Span } from './diagnostics';
import { formatDurationSetting } from './format/duration';
import { parseText, resolveNode, YAML_PARSE_OPTIONS, type ParsedDocument } from './format/parse';
import { KB924567 } from './model/facts';
import { statesThroughSteps, type StateTimeline } from './model/state';
import { serverKey, type DatabaseDecl, type Runbook, type ServerState, type Step } from './model/types';

export interface TextEdit {
  span: Span;
  newText: string;
}

/** Applies edits (non-overlapping; inserts at the same offset keep their order). Overlapping edits are skipped, never garbled. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const ordered = edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.span.start - b.edit.span.start || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    const start = Math.max(0, Math.min(edit.span.start, text.length));
    const end = Math.max(start, Math.min(edit.span.end, text.length));
    if (start < cursor) continue;
    out += text.slice(cursor, start) + edit.newText;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** A key and its value as YAML text; a list of pairs is a nested mapping. */
type FieldValue = string | number | FieldList;
type FieldList = [string, FieldValue][];

/**
 * Inserts a KB924567 install step before step `stepIndex`, and after it, when Gateway Out Threads is
 * not 0 then, a set-mta step that sets it to 0: the change is planned as a step of the runbook,
 * in view, never an edit of the inventory (which says how the server is now).
 */
export function insertHotfixStepBefore(
  text: string,
  runbook: Runbook,
  stepIndex: number,
  server: string,
  states?: StateTimeline,
  options: { start?: string } = {},
): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const name = declaredName(runbook, server);
  const ids = new StepIds(runbook);
  const steps: FieldList[] = [
    [
      ['id', ids.unique(`kb924567-${slug(name)}`)],
      ['title', `Install KB924567 on ${name} (restarts the Information Store, Microsoft Search and IIS Admin services; no reboot)`],
      ['action', 'install-hotfix'],
      ['server', name],
      ['hotfix', KB924567],
    ],
  ];
  if (hotfixNeedsGatewayOutThreadsZero(runbook, stepIndex, name, states)) steps.push(gatewayOutThreadsZeroStep(name, ids));
  // The planner's variant: the first inserted step takes the move's start, and the move follows it.
  if (options.start !== undefined) steps[0].push(['start', rawValue(options.start)]);
  return [insertStepsEdit(target, steps)];
}

/** Whether insertHotfixStepBefore also plans a set-mta step (Gateway Out Threads is not 0 before the move). */
export function hotfixNeedsGatewayOutThreadsZero(runbook: Runbook, stepIndex: number, server: string, states?: StateTimeline): boolean {
  const state = stateBefore(runbook, stepIndex, declaredName(runbook, server), states);
  return state !== undefined && state.gatewayOutThreads !== 0;
}

/** Sets (or adds) `concurrency` on a move step. No edits when it already has that value. */
export function setMoveConcurrency(text: string, runbook: Runbook, stepIndex: number, concurrency: number): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target || !Number.isFinite(concurrency)) return [];
  const edit = setMapKey(target.layout, target.map, 'concurrency', String(concurrency));
  return edit ? [edit] : [];
}

/** Sets a step's scalar field to `yamlText` (written as is), adding it when absent. No edits when it already reads so. */
export function setStepField(text: string, runbook: Runbook, stepIndex: number, key: string, yamlText: string): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const edit = setMapKey(target.layout, target.map, key, yamlText);
  return edit ? [edit] : [];
}

/** Removes a step's field (its key, value and line in block style; the entry and a comma in flow style). */
export function removeStepField(text: string, runbook: Runbook, stepIndex: number, key: string): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const index = target.map.items.findIndex((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  if (index < 0) return [];
  const pair = target.map.items[index] as Pair;
  const keyNode = pair.key as Node;
  const valueNode = pair.value as Node | null;
  if (!keyNode.range) return [];
  const end = valueNode?.range ? lastContentOffset(text, valueNode.range[0], valueNode.range[1]) + 1 : keyNode.range[1] + 1;
  if (!target.map.flow) {
    // The first pair shares its line with the item's `-`: only its own lines go when it is not the first.
    if (index === 0) return [];
    const start = lineStart(text, keyNode.range[0]);
    const last = lineEnd(text, end - 1);
    return [{ span: { start, end: last + eolLength(text, last) }, newText: '' }];
  }
  const next = target.map.items[index + 1] as Pair | undefined;
  if (next && (next.key as Node).range) return [{ span: { start: keyNode.range[0], end: (next.key as Node).range![0] }, newText: '' }];
  const previous = target.map.items[index - 1] as Pair | undefined;
  const previousEnd = (previous?.value as Node | null)?.range?.[1] ?? (previous?.key as Node | undefined)?.range?.[1];
  return [{ span: { start: previousEnd ?? keyNode.range[0], end }, newText: '' }];
}

/** A batch of a split move: how many mailboxes, and what comes before it (a wait, or a start of its own). */
export interface MoveBatch {
  count: number;
  /** A `wait` step of this many minutes goes before the batch (flushes drain meanwhile). */
  waitMinutes?: number;
  /** The batch's own `start` (a time as the format writes it), e.g. the next night's window. */
  start?: string;
}

/**
 * Splits a `{ count, averageSizeMB }` move into batches: the step itself keeps `firstCount`
 * mailboxes, and the batches follow it as new move steps with the same servers, concurrency and
 * throughput (each after its wait, or at its own start). No edits for a move given as a list.
 */
export function splitMoveIntoBatches(
  text: string,
  runbook: Runbook,
  stepIndex: number,
  firstCount: number,
  batches: MoveBatch[],
): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  const step = runbook.steps[stepIndex];
  const mailboxes = step?.mailboxes?.value;
  if (!target || !step || !mailboxes || mailboxes.sizesMB || !step.from || !step.to || batches.length === 0) return [];
  const mailboxesPair = findPair(target.map, 'mailboxes');
  const mailboxesMap = mailboxesPair ? target.resolve(mailboxesPair.value) : undefined;
  if (!isMap(mailboxesMap)) return [];
  const countEdit = setMapKey(target.layout, mailboxesMap as YAMLMap, 'count', String(firstCount));
  if (!countEdit) return [];
  const ids = new StepIds(runbook);
  const base = step.id?.value ?? 'move';
  const steps: FieldList[] = [];
  batches.forEach((batch, i) => {
    if (batch.waitMinutes !== undefined && batch.waitMinutes > 0) {
      steps.push([
        ['id', ids.unique(`${base}-drain-${i + 1}`)],
        ['title', 'Let the transit-mail flushes of the batch before time out'],
        ['action', 'wait'],
        ['duration', formatDurationSetting(batch.waitMinutes)],
      ]);
    }
    const fields: FieldList = [
      ['id', ids.unique(`${base}-batch-${i + 2}`)],
      ['action', 'move-mailboxes'],
      ['from', step.from!.value],
      ['to', step.to!.value],
      [
        'mailboxes',
        [
          ['count', batch.count],
          ['averageSizeMB', mailboxes.averageSizeMB],
        ],
      ],
    ];
    if (step.concurrency) fields.push(['concurrency', step.concurrency.value]);
    if (step.throughputMBPerMinute) fields.push(['throughputMBPerMinute', step.throughputMBPerMinute.value]);
    if (batch.start !== undefined) fields.push(['start', rawValue(batch.start)]);
    steps.push(fields);
  });
  return [countEdit, insertStepsAfterEdit(target, steps)];
}

/** Plans Gateway Out Threads 0 for the move at `stepIndex`: a set-mta step inserted before it (the inventory says how the server is now). */
export function setGatewayOutThreadsZeroBefore(text: string, runbook: Runbook, stepIndex: number, server: string): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  return [insertStepsEdit(target, [gatewayOutThreadsZeroStep(declaredName(runbook, server), new StepIds(runbook))])];
}

/** Inserts a set-mta step that runs the MTA service (and gives Gateway Out Threads a non-zero value) before step `stepIndex`. */
export function insertEnableMtaStepBefore(
  text: string,
  runbook: Runbook,
  stepIndex: number,
  server: string,
  states?: StateTimeline,
): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const name = declaredName(runbook, server);
  const state = stateBefore(runbook, stepIndex, name, states);
  const ids = new StepIds(runbook);
  // Gateway Out Threads 0 alone marks the MTA as disabled (KB810489), so a running service needs another value.
  const fields: FieldList =
    state?.mtaService === 'running'
      ? [
          ['id', ids.unique(`gateway-out-threads-${slug(name)}`)],
          ['title', `Set Gateway Out Threads to 1 on ${name} so its running MTA takes the flushes`],
          ['action', 'set-mta'],
          ['server', name],
          ['gatewayOutThreads', 1],
        ]
      : [
          ['id', ids.unique(`mta-on-${slug(name)}`)],
          ['title', `Run the MTA service on ${name} during the move`],
          ['action', 'set-mta'],
          ['server', name],
          ['service', 'running'],
          ...(state?.gatewayOutThreads === 0 ? ([['gatewayOutThreads', 1]] as FieldList) : []),
        ];
  return [insertStepsEdit(target, [fields])];
}

/** Inserts an install-service-pack step before step `stepIndex`. */
export function insertServicePackStepBefore(
  text: string,
  runbook: Runbook,
  stepIndex: number,
  server: string,
  servicePack: number,
): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const name = declaredName(runbook, server);
  const fields: FieldList = [
    ['id', new StepIds(runbook).unique(`sp${servicePack}-${slug(name)}`)],
    ['title', `Install Exchange Service Pack ${servicePack} on ${name}`],
    ['action', 'install-service-pack'],
    ['server', name],
    ['servicePack', servicePack],
  ];
  return [insertStepsEdit(target, [fields])];
}

/** Removes a whole step, with a suppression comment directly above it (it would suppress nothing afterwards). */
export function removeStep(text: string, runbook: Runbook, stepIndex: number): TextEdit[] {
  const target = locateStep(text, runbook, stepIndex);
  if (!target) return [];
  const { layout, map: item, step } = target;
  const itemEnd = item.range![1];
  if (layout.text[step.itemStart] === '-') {
    let start = lineStart(layout.text, step.itemStart);
    for (
      let above = previousLine(layout.text, start);
      above !== undefined && /^\s*#\s*exrunbook-disable-next-line\b/.test(lineAt(layout.text, above));
      above = previousLine(layout.text, above)
    )
      start = above;
    const lastLineEnd = lineEnd(layout.text, lastContentOffset(layout.text, item.range![0], itemEnd));
    return [{ span: { start, end: lastLineEnd + eolLength(layout.text, lastLineEnd) }, newText: '' }];
  }
  // Flow sequence: take the item with the comma after it, or before it when it is the last.
  const { previousEnd, nextStart } = target.neighbours ?? {};
  if (nextStart !== undefined) return [{ span: { start: item.range![0], end: nextStart }, newText: '' }];
  return [{ span: { start: previousEnd ?? item.range![0], end: itemEnd }, newText: '' }];
}

/** `# exrunbook-disable-next-line CODE` above step `stepIndex` (or added to the directive already there). */
export function suppressForStep(text: string, runbook: Runbook, stepIndex: number, code: string): TextEdit[] {
  const step = runbook.steps[stepIndex];
  if (!step || !/^[A-Za-z0-9]+$/.test(code)) return [];
  return suppressAtLine(text, step.itemStart, code);
}

/** The same directive above the line holding `offset`, when the finding is not about a step. */
export function suppressAtLine(text: string, offset: number, code: string): TextEdit[] {
  const start = lineStart(text, offset);
  const indent = /^[ ]*/.exec(text.slice(start, lineEnd(text, start)))![0];
  const above = previousLine(text, start);
  if (above !== undefined) {
    const directive = /^(\s*#\s*exrunbook-disable-next-line\b[^#\r\n]*?)\s*$/.exec(lineAt(text, above));
    if (directive) {
      if (
        directive[1]
          .toUpperCase()
          .split(/[\s,]+/)
          .includes(code.toUpperCase())
      )
        return [];
      const at = above + directive[1].length;
      return [{ span: { start: at, end: at }, newText: `, ${code}` }];
    }
  }
  return [{ span: { start, end: start }, newText: `${indent}# exrunbook-disable-next-line ${code}${eolAt(text, start)}` }];
}

/**
 * Takes one code out of an `# exrunbook-disable-next-line` comment at `span` (the comment text),
 * or the whole comment when that code is its only one (or `code` is undefined). A comment alone on
 * its line goes with its line. `codeSpan`, where the code is written (the EXR102 finding knows it),
 * keeps the edit's cost independent of how many codes the comment names.
 */
export function removeSuppression(text: string, span: Span, code?: string, codeSpan?: Span): TextEdit[] {
  const keyword = /^#\s*exrunbook-disable-next-line\b/.exec(text.slice(span.start, Math.min(span.end, span.start + 100)));
  if (!keyword) return [];
  const listStart = span.start + keyword[0].length;
  let target: Span | undefined;
  if (code !== undefined) {
    const given = codeSpan && codeSpan.start >= listStart && codeSpan.end <= span.end ? codeSpan : undefined;
    target =
      given && text.slice(given.start, given.end).toUpperCase() === code.toUpperCase()
        ? given
        : findCode(text, { start: listStart, end: span.end }, code);
    if (!target) return [];
    const isSeparator = (char: string) => char === ' ' || char === '\t' || char === ',';
    let before = target.start;
    while (before > listStart && isSeparator(text[before - 1])) before--;
    let after = target.end;
    while (after < span.end && isSeparator(text[after])) after++;
    const isFirst = before === listStart;
    // Remove the code with the separator before it (or after it, for the first code); the only code takes the comment.
    if (!(isFirst && after === span.end)) {
      return [
        isFirst ? { span: { start: target.start, end: after }, newText: '' } : { span: { start: before, end: target.end }, newText: '' },
      ];
    }
  }
  const start = lineStart(text, span.start);
  const end = lineEnd(text, span.start);
  if (/^\s*$/.test(text.slice(start, span.start)) && /^\s*$/.test(text.slice(span.end, end))) {
    return [{ span: { start, end: end + eolLength(text, end) }, newText: '' }];
  }
  let from = span.start;
  while (from > start && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return [{ span: { start: from, end: span.end }, newText: '' }];
}

function findCode(text: string, list: Span, code: string): Span | undefined {
  for (const match of text.slice(list.start, list.end).matchAll(/[^\s,]+/g)) {
    if (match[0].toUpperCase() === code.toUpperCase())
      return { start: list.start + match.index!, end: list.start + match.index! + match[0].length };
  }
  return undefined;
}

/** A step id that no other step uses, based on `id`. */
export function uniqueStepId(runbook: Runbook, id: string): string {
  return new StepIds(runbook).unique(id);
}

// ---------------------------------------------------------------------------------------------
// Locating nodes
//
// A fix costs what the step it edits costs, not what the file costs: the step's (or server's)
// mapping is parsed from its own lines. Only when that is not safe (the item sits in a flow
// sequence, or shares its node with another item through an alias) is the whole text parsed.

interface Layout {
  text: string;
  eol: string;
}

/** A mapping with absolute node ranges, and how to read an alias inside it. */
interface LocatedMap {
  map: YAMLMap;
  resolve(node: unknown): unknown;
}

interface StepTarget extends LocatedMap {
  layout: Layout;
  step: Step;
  /** In a flow sequence: where the item before it ends and the one after it starts. */
  neighbours?: { previousEnd?: number; nextStart?: number };
}

function locateStep(text: string, runbook: Runbook, stepIndex: number): StepTarget | undefined {
  const step = runbook.steps[stepIndex];
  if (!step) return undefined;
  const layout = { text, eol: eolAt(text, step.itemStart) };
  const blockItem = text[step.itemStart] === '-';
  const own = blockItem && ownNode(text, step, step.itemStart, runbook.stepsSpan) ? mappingFromOwnText(text, step.span) : undefined;
  if (own) return { layout, step, ...own };
  const whole = wholeDocument(text);
  const seq = whole && rootValue(whole, 'steps');
  if (!whole || !isSeq(seq)) return undefined;
  const item = seq.items[step.index] as Node | undefined;
  // The model must describe this very text: a stale runbook gives no edits rather than wrong ones.
  if (!isMap(item) || !item.range || item.range[0] !== step.span.start) return undefined;
  const next = seq.items[step.index + 1] as Node | undefined;
  const previous = seq.items[step.index - 1] as Node | undefined;
  return {
    layout,
    step,
    map: item as YAMLMap,
    resolve: (node) => resolveNode(whole, node),
    neighbours: { previousEnd: previous?.range?.[1], nextStart: next?.range?.[0] },
  };
}

function locateServerMap(text: string, runbook: Runbook, name: string): LocatedMap | undefined {
  const server = runbook.servers.find((decl) => decl.name && serverKey(decl.name.value) === serverKey(name));
  if (!server) return undefined;
  const dash = lineContentStart(text, server.span.start);
  const own = text[dash] === '-' && ownNode(text, server, dash, runbook.serversSpan) ? mappingFromOwnText(text, server.span) : undefined;
  if (own) return own;
  const whole = wholeDocument(text);
  const seq = whole && rootValue(whole, 'servers');
  if (!whole || !isSeq(seq)) return undefined;
  const item = seq.items[server.index];
  if (!isMap(item) || !item.range || item.range[0] !== server.span.start) return undefined;
  return { map: item as YAMLMap, resolve: (node) => resolveNode(whole, node) };
}

/**
 * An item is its own node when it lies inside its sequence and carries no anchor (`- &name {…}`):
 * only an anchored item can be shared with another item through an alias.
 */
function ownNode(text: string, item: { span: Span }, itemStart: number, sequence: Span | undefined): boolean {
  const { span } = item;
  if (!sequence || span.start < sequence.start || span.end > sequence.end || span.end <= span.start) return false;
  return !text.slice(itemStart, span.start).includes('&');
}

/**
 * Parses the mapping at `span` from its own lines: the text from the start of its first line,
 * with the `- ` before it blanked, parses to the same mapping at the same column. Undefined when
 * it does not parse cleanly alone (an alias to an anchor elsewhere, a stale model).
 */
function mappingFromOwnText(text: string, span: Span): LocatedMap | undefined {
  const from = lineStart(text, span.start);
  const prefix = text.slice(from, span.start);
  if (!/^[ -]*$/.test(prefix)) return undefined;
  const fragment = ' '.repeat(prefix.length) + text.slice(span.start, span.end);
  const doc = parseDocument(fragment, YAML_PARSE_OPTIONS);
  const map = doc.contents;
  if (doc.errors.length > 0 || !isMap(map) || !map.range || map.range[0] !== prefix.length) return undefined;
  shiftRanges(map, from);
  return { map: map as YAMLMap, resolve: (node) => (isAlias(node) ? undefined : node) };
}

/** Moves every node range under `node` by `offset` (a fragment's nodes to positions in the whole text). */
function shiftRanges(node: unknown, offset: number): void {
  if (isPair(node)) {
    shiftRanges(node.key, offset);
    shiftRanges(node.value, offset);
    return;
  }
  if (!isNode(node)) return;
  if (node.range) node.range = [node.range[0] + offset, node.range[1] + offset, node.range[2] + offset];
  if (isMap(node) || isSeq(node)) for (const item of node.items) shiftRanges(item, offset);
}

function wholeDocument(text: string): ParsedDocument | undefined {
  const parsed = parseText(text);
  return parsed.syntaxFindings.length > 0 || !isMap(parsed.doc.contents) ? undefined : parsed.doc;
}

function rootValue(doc: ParsedDocument, key: string): unknown {
  const pair = findPair(doc.contents as YAMLMap, key);
  return pair ? resolveNode(doc, pair.value) : undefined;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((item): item is Pair => isPair(item) && isScalar(item.key) && item.key.value === key);
}

/** The first character at or before `offset` on its line that is not a space: the `-` of a block item. */
function lineContentStart(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Gateway Out Threads

/**
 * Gateway Out Threads 0 belongs in the inventory when nothing before the move touches that
 * server's MTA and no earlier move leaves it (changing the starting value would change what
 * those steps see); otherwise a set-mta step goes right before the move.
 */
/** The set-mta step that gives Gateway Out Threads 0 (KB810489): planned as a step, never an edit of the inventory. */
function gatewayOutThreadsZeroStep(name: string, ids: StepIds): FieldList {
  return [
    ['id', ids.unique(`gateway-out-threads-${slug(name)}`)],
    ['title', `Set Gateway Out Threads to 0 on ${name}, as KB924567 requires with the MTA disabled (KB810489)`],
    ['action', 'set-mta'],
    ['server', name],
    ['gatewayOutThreads', 0],
  ];
}

/** The server's state before the step: from the analysis when the caller has it, else carried through the steps. */
function stateBefore(runbook: Runbook, stepIndex: number, name: string, states?: StateTimeline): ServerState | undefined {
  return (states ?? statesThroughSteps(runbook)).before[stepIndex]?.get(serverKey(name));
}

function declaredName(runbook: Runbook, name: string): string {
  return runbook.servers.find((decl) => decl.name && serverKey(decl.name.value) === serverKey(name))?.name?.value ?? name;
}

// ---------------------------------------------------------------------------------------------
// Writing YAML in the file's style

/** Inserts whole steps before the target step, in the sequence's style (block items, flow items, or a flow sequence). */
function insertStepsEdit(target: StepTarget, steps: FieldList[]): TextEdit {
  const { layout, map: item, step } = target;
  const { text, eol } = layout;
  if (text[step.itemStart] !== '-') {
    // A flow sequence: `steps: [ {…}, {…} ]`.
    return { span: { start: item.range![0], end: item.range![0] }, newText: steps.map((fields) => flowMap(fields) + ', ').join('') };
  }
  const dashLine = lineStart(text, step.itemStart);
  const dashColumn = step.itemStart - dashLine;
  const indent = text.slice(dashLine, step.itemStart).replace(/[^ ]/g, ' ');
  // Comments directly above the item at its indentation belong to it: the new steps go above them.
  let at = dashLine;
  for (let above = previousLine(text, at); above !== undefined; above = previousLine(text, above)) {
    const line = lineAt(text, above);
    if (!/^\s*#/.test(line) || line.length - line.trimStart().length !== dashColumn) break;
    at = above;
  }
  let block: string;
  if (item.flow) {
    block = steps.map((fields) => `${indent}- ${flowMap(fields)}${eol}`).join('');
  } else {
    const contentColumn = item.range![0] - lineStart(text, item.range![0]);
    const gap = Math.max(1, contentColumn - dashColumn - 1);
    const keyIndent = ' '.repeat(dashColumn + 1 + gap);
    block = steps
      .map(
        (fields) =>
          blockLines(fields, keyIndent, 2)
            .map((line, i) => (i === 0 ? `${indent}-${' '.repeat(gap)}${line.slice(keyIndent.length)}` : line))
            .join(eol) + eol,
      )
      .join('');
  }
  return { span: { start: at, end: at }, newText: block };
}

/** Inserts whole steps right after the target step, in the sequence's style. */
function insertStepsAfterEdit(target: StepTarget, steps: FieldList[]): TextEdit {
  const { layout, map: item, step } = target;
  const { text, eol } = layout;
  const itemEnd = lastContentOffset(text, item.range![0], item.range![1]) + 1;
  if (text[step.itemStart] !== '-') {
    return { span: { start: itemEnd, end: itemEnd }, newText: steps.map((fields) => ', ' + flowMap(fields)).join('') };
  }
  const at = lineEnd(text, itemEnd - 1);
  const dashColumn = step.itemStart - lineStart(text, step.itemStart);
  const indent = ' '.repeat(dashColumn);
  if (item.flow) return { span: { start: at, end: at }, newText: steps.map((fields) => `${eol}${indent}- ${flowMap(fields)}`).join('') };
  const contentColumn = item.range![0] - lineStart(text, item.range![0]);
  const gap = Math.max(1, contentColumn - dashColumn - 1);
  const keyIndent = ' '.repeat(dashColumn + 1 + gap);
  const block = steps
    .map(
      (fields) =>
        eol +
        blockLines(fields, keyIndent, 2)
          .map((line, i) => (i === 0 ? `${indent}-${' '.repeat(gap)}${line.slice(keyIndent.length)}` : line))
          .join(eol),
    )
    .join('');
  return { span: { start: at, end: at }, newText: block };
}

/** Sets `key` in a mapping: replaces its value, or adds the pair at the end of the mapping. */
function setMapKey(layout: Layout, map: YAMLMap, key: string, value: string | FieldList): TextEdit | undefined {
  const { text, eol } = layout;
  const pair = findPair(map, key);
  if (pair) {
    if (typeof value !== 'string') return undefined;
    const node = pair.value as Node | null;
    if (node?.range && node.range[1] > node.range[0]) {
      if (text.slice(node.range[0], node.range[1]) === value) return undefined;
      return { span: { start: node.range[0], end: node.range[1] }, newText: value };
    }
    // `key:` with nothing after it.
    const colon = text.indexOf(':', (pair.key as Node).range![1]);
    if (colon < 0) return undefined;
    return { span: { start: colon + 1, end: colon + 1 }, newText: ' ' + value };
  }
  const range = map.range!;
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1] - 1);
    if (close < range[0]) return undefined;
    let last = close - 1;
    while (last > range[0] && /\s/.test(text[last])) last--;
    const empty = text[last] === '{';
    const trailingComma = text[last] === ',';
    const entry = `${key}: ${typeof value === 'string' ? value : flowMap(value)}`;
    return { span: { start: last + 1, end: last + 1 }, newText: `${empty || trailingComma ? ' ' : ', '}${entry}${empty ? ' ' : ''}` };
  }
  const first = map.items[0] as Pair | undefined;
  const firstKey = first?.key as Node | undefined;
  if (!firstKey?.range) return undefined;
  const keyIndent = ' '.repeat(firstKey.range[0] - lineStart(text, firstKey.range[0]));
  const end = lineEnd(text, lastContentOffset(text, range[0], range[1]));
  const lines = blockLines([[key, typeof value === 'string' ? rawValue(value) : value]], keyIndent, 2);
  return { span: { start: end, end }, newText: eol + lines.join(eol) };
}

/** A marker for a value already written as YAML text. */
const RAW = '\u0000raw:';
function rawValue(text: string): string {
  return RAW + text;
}

function blockLines(fields: FieldList, indent: string, indentStep: number): string[] {
  const lines: string[] = [];
  for (const [key, value] of fields) {
    if (Array.isArray(value)) {
      lines.push(`${indent}${key}:`);
      lines.push(...blockLines(value, indent + ' '.repeat(indentStep), indentStep));
    } else {
      lines.push(`${indent}${key}: ${scalar(value, false)}`);
    }
  }
  return lines;
}

function flowMap(fields: FieldList): string {
  return `{ ${fields.map(([key, value]) => `${key}: ${Array.isArray(value) ? flowMap(value) : scalar(value, true)}`).join(', ')} }`;
}

/** A value as a YAML scalar: plain when that reads back as the same string, else double-quoted. */
function scalar(value: string | number, inFlow: boolean): string {
  if (typeof value === 'number') return String(value);
  if (value.startsWith(RAW)) return value.slice(RAW.length);
  const plain = inFlow ? /^[A-Za-z][A-Za-z0-9 ._()/;—–-]*$/ : /^[A-Za-z][A-Za-z0-9 ._()/;,—–-]*$/;
  const ambiguous = /^(true|false|null|yes|no|on|off|y|n)$/i.test(value) || / $/.test(value);
  return plain.test(value) && !ambiguous ? value : JSON.stringify(value);
}

/** Step ids in use, read once per runbook model: a fix asks for a new id without a pass over every step. */
const idsInUse = new WeakMap<Runbook, ReadonlySet<string>>();

class StepIds {
  private readonly taken: ReadonlySet<string>;
  private readonly added = new Set<string>();
  constructor(runbook: Runbook) {
    let taken = idsInUse.get(runbook);
    if (!taken) {
      const ids = new Set<string>();
      for (const step of runbook.steps) if (step.id) ids.add(step.id.value);
      idsInUse.set(runbook, (taken = ids));
    }
    this.taken = taken;
  }
  unique(base: string): string {
    let id = base;
    for (let n = 2; this.taken.has(id) || this.added.has(id); n++) id = `${base}-${n}`;
    this.added.add(id);
    return id;
  }
}

/** A server name as a step id part: lower-case letters, digits and hyphens. */
function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'server'
  );
}

// ---------------------------------------------------------------------------------------------
// Lines

/** The line ending of the line at `offset` (else the line before it): what an insert there uses, found without reading the file. */
export function eolAt(text: string, offset: number): string {
  let end = lineEnd(text, offset);
  if (end >= text.length) end = lineEnd(text, lineStart(text, offset) - 2);
  return text[end] === '\r' && text[end + 1] === '\n' ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

export function lineEnd(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function eolLength(text: string, end: number): number {
  if (text.startsWith('\r\n', end)) return 2;
  return end < text.length ? 1 : 0;
}

/** The start of the line before the one starting at `start`, if any. */
function previousLine(text: string, start: number): number | undefined {
  if (start === 0) return undefined;
  let end = start - 1;
  if (text[end] === '\n' && text[end - 1] === '\r') end--;
  return lineStart(text, end);
}

function lineAt(text: string, start: number): string {
  return text.slice(start, lineEnd(text, start));
}

/** The last non-blank character of a node's range (block ranges end after their final line break). */
function lastContentOffset(text: string, start: number, end: number): number {
  let i = end - 1;
  while (i > start && /\s/.test(text[i])) i--;
  return i;
}

// ---------------------------------------------------------------------------------------------
// Database Gateway In/Out Threads (KB810489)

/** Where a database's Gateway In/Out Threads are set to 0: where it is declared, on the step that creates it, or in new steps. */
export type DatabaseGatewayTarget =
  | { kind: 'inventory'; server: string; database: DatabaseDecl }
  | { kind: 'step'; stepIndex: number }
  | { kind: 'before'; stepIndex: number; server: string; databases: string[] };

/** Sets Gateway In Threads and Gateway Out Threads to 0 (KB810489) on a database, in its declaration or step, or as set-database steps. */
export function setDatabaseGatewayZero(text: string, runbook: Runbook, target: DatabaseGatewayTarget): TextEdit[] {
  const zeroKeys = (layout: Layout, map: YAMLMap): TextEdit[] => {
    const edits: TextEdit[] = [];
    for (const key of ['gatewayInThreads', 'gatewayOutThreads']) {
      const edit = setMapKey(layout, map, key, '0');
      if (edit) edits.push(edit);
    }
    return edits;
  };
  if (target.kind === 'step') {
    const step = locateStep(text, runbook, target.stepIndex);
    return step ? zeroKeys(step.layout, step.map) : [];
  }
  if (target.kind === 'inventory') {
    const server = locateServerMap(text, runbook, target.server);
    const map = server && databaseMap(server, target.database.span.start);
    return map ? zeroKeys({ text, eol: eolAt(text, target.database.span.start) }, map) : [];
  }
  const step = locateStep(text, runbook, target.stepIndex);
  if (!step) return [];
  const name = declaredName(runbook, target.server);
  const ids = new StepIds(runbook);
  const steps: FieldList[] = target.databases.map((database) => [
    ['id', ids.unique(`gateway-threads-${slug(database)}`)],
    ['title', `Set Gateway In and Out Threads to 0 on ${database} (KB810489)`],
    ['action', 'set-database'],
    ['server', name],
    ['database', database],
    ['gatewayInThreads', 0],
    ['gatewayOutThreads', 0],
  ]);
  return steps.length > 0 ? [insertStepsEdit(step, steps)] : [];
}

/** The mapping of the database declared at `start` under the server's storageGroups. */
function databaseMap(server: LocatedMap, start: number): YAMLMap | undefined {
  const groups = server.resolve(findPair(server.map, 'storageGroups')?.value);
  if (!isSeq(groups)) return undefined;
  for (const group of groups.items) {
    const groupMap = server.resolve(group);
    if (!isMap(groupMap)) continue;
    const databases = server.resolve(findPair(groupMap as YAMLMap, 'databases')?.value);
    if (!isSeq(databases)) continue;
    for (const item of databases.items) {
      const map = server.resolve(item);
      if (isMap(map) && map.range?.[0] === start) return map as YAMLMap;
    }
  }
  return undefined;
}

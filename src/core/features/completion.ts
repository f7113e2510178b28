/**
 * Completion while typing. Works from the text lines and their indentation, not the YAML tree,
 * because the text is usually incomplete while someone types (`action: ` with nothing after it,
 * a half-typed key); the analysis, when there is one, only adds what it knows (server details).
 */
import { firstIndexWhere } from '../arrays';
import type { Span } from '../diagnostics';
import type { Analysis } from '../lint';
import { ACTION_TABLE, ACTIONS } from '../model/actions';
import { exchangeLabel, KNOWN_KBS } from '../model/facts';
import { serverKey } from '../model/types';
import { SNIPPETS, type Snippet } from '../snippets';
import { fieldSchema, mappingSchema, typeLabel, type PathSegment, type SchemaNode } from './yamlPath';

export type CompletionKind = 'field' | 'value' | 'enum' | 'server' | 'kb' | 'action' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** The text the item replaces (the half-typed word); absent means "insert at the cursor". */
  range?: Span;
  /** Orders the list (required fields first). */
  sortText?: string;
  /** What the typed word is matched against, when not the label (a snippet's prefix). */
  filterText?: string;
  /** `insertText` is in snippet syntax (`${1:EXCH01}`); only items of kind `snippet`. */
  snippet?: boolean;
}

/** Whole-item snippets are offered only where such an item may start, so a step snippet never lands in a value. */
const SNIPPET_LABELS: Record<string, string> = { runbook: 'runbook skeleton', server: 'server entry' };

interface Line {
  start: number;
  text: string;
}

/** Objects that get their own indented block when completed as a key. */
const BLOCK_KEYS = new Set(['mta', 'store', 'load', 'simulation', 'window', 'daily']);
const BLOCK_LIST_KEYS = new Set(['servers', 'steps']);

export function completions(text: string, offset: number, analysis?: Analysis): CompletionItem[] {
  const lines = splitLines(text);
  const lineNo = lineOf(lines, offset);
  const line = lines[lineNo];
  const before = line.text.slice(0, offset - line.start);
  const after = line.text.slice(offset - line.start);
  if (/(^|\s)#/.test(before)) return [];
  const wordAfter = /^[A-Za-z0-9-]*/.exec(after)![0];
  const snippets = snippetItems(lines, lineNo, before, offset, wordAfter.length);

  // A value after `key:` (possibly half-typed, possibly inside a flow list `[KB…`).
  const valueMatch = /^(\s*)((?:-\s+)*)([A-Za-z][A-Za-z0-9]*)\s*:(\s*)(.*)$/.exec(before);
  if (valueMatch && !valueMatch[5].includes('#')) {
    const [, indent, dashes, key, space, typed] = valueMatch;
    const mapPath = mappingPath(lines, lineNo, indent.length, dashes);
    if (!mapPath) return [];
    const word = /[A-Za-z0-9-]*$/.exec(typed)![0];
    const range = { start: offset - word.length, end: offset + wordAfter.length };
    const inList = /^\[/.test(typed.trimStart());
    if (!inList && /[\s,{[]/.test(typed.slice(0, typed.length - word.length))) return [];
    const prefix = space === '' ? ' ' : '';
    const context = siblingFields(lines, lineNo, indent.length + dashes.length);
    return valueItems(lines, [...mapPath, key], context.values.get('action'), analysis).map((item) => ({
      ...item,
      insertText: prefix + item.insertText,
      range,
    }));
  }

  // A key (or a scalar list item) at the start of a line.
  const keyMatch = /^(\s*)((?:-\s*)*)([A-Za-z0-9]*)$/.exec(before);
  if (!keyMatch) return snippets;
  const [, indent, dashes, word] = keyMatch;
  // Renaming a key that already has its colon: complete the name only.
  const colonFollows = /^\s*:/.test(after.slice(wordAfter.length));
  if (dashes !== '' && !/\s$/.test(dashes)) return [];
  const range = { start: offset - word.length, end: offset + wordAfter.length };
  const column = indent.length + dashes.length;
  const mapPath = mappingPath(lines, lineNo, indent.length, dashes);
  if (!mapPath) return snippets;
  if (dashes !== '') {
    // `- ` under a list of strings (hotfixes, services): values, not keys.
    const listSchema = fieldSchema(mapPath.slice(0, -1), () => undefined);
    if (listSchema?.items && !listSchema.items.properties && !listSchema.items.$ref) {
      return valueItems(lines, mapPath.slice(0, -1), undefined, analysis).map((item) => ({ ...item, range }));
    }
  }
  const fields = siblingFields(lines, lineNo, column);
  // Inside a step's nested mapping (`mailboxes:`), the schema still depends on the step's action.
  const action = mapPath.length > 2 && mapPath[0] === 'steps' ? stepAction(lines, lineNo, column) : fields.values.get('action');
  const schema = mappingSchema(mapPath, () => action, fields.keys);
  if (!schema?.properties) return snippets;
  const required = new Set(schema.required ?? []);
  const childIndent = ' '.repeat(column + 2);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const items: CompletionItem[] = [];
  for (const [key, property] of Object.entries(schema.properties)) {
    if (fields.keys.has(key)) continue;
    const field = fieldSchema([...mapPath, key], () => action) ?? property;
    const insertText = colonFollows
      ? key
      : BLOCK_LIST_KEYS.has(key)
        ? `${key}:${eol}${childIndent}- `
        : BLOCK_KEYS.has(key)
          ? `${key}:${eol}${childIndent}`
          : `${key}: `;
    items.push({
      label: key,
      kind: 'field',
      detail: `${typeLabel(field)}${required.has(key) ? ' (required)' : ''}`,
      documentation: field.description,
      insertText,
      range,
      sortText: `${required.has(key) ? 0 : 1}${key}`,
    });
  }
  return [...items, ...snippets];
}

// ---------------------------------------------------------------------------------------------
// Snippets: a whole step, server or runbook, only where one may start

function snippetItems(lines: Line[], lineNo: number, before: string, offset: number, wordAfter: number): CompletionItem[] {
  const match = /^( *)(-[ ]+)?([A-Za-z-]*)$/.exec(before);
  if (!match) return [];
  const [, indent, dash = '', word] = match;
  const range = { start: offset - word.length, end: offset + wordAfter };
  const make = (snippet: Snippet, body: string[], order: number): CompletionItem => ({
    label: SNIPPET_LABELS[snippet.prefix] ?? `${snippet.prefix} step`,
    kind: 'snippet',
    detail: snippet.description,
    insertText: body.join('\n'),
    range,
    filterText: snippet.prefix,
    // After the fields: a key typed at `- ` is the commoner wish.
    sortText: `9${order}`,
    snippet: true,
  });
  // An empty runbook (comments at most): the skeleton.
  if (lines.every((line, i) => i === lineNo || /^\s*(#.*)?$/.test(line.text))) {
    if (indent !== '' || dash !== '') return [];
    return SNIPPETS.filter((s) => s.prefix === 'runbook').map((s) => make(s, s.body, 0));
  }
  const block = topLevelBlock(lines, lineNo);
  if (block === undefined || (indent === '' && dash === '')) return [];
  const itemColumn = firstItemColumn(lines, lineNo, block.line);
  if (itemColumn !== undefined && indent.length !== itemColumn) return [];
  // A `-` whose item already has fields below it is being edited, not started.
  const next = lines.slice(lineNo + 1).find((line) => !/^\s*(#.*)?$/.test(line.text));
  if (next && /^ */.exec(next.text)![0].length > indent.length && !/^\s*-/.test(next.text.slice(indent.length))) return [];
  const wanted =
    block.key === 'steps' ? (s: Snippet) => ACTIONS.includes(s.prefix as never) : (s: Snippet) => s.prefix === block.key.replace(/s$/, '');
  // Typed `- ` already: the body without its own `- `; the editor indents the other lines like this one.
  return SNIPPETS.filter(wanted).map((s, order) =>
    make(s, dash === '' ? s.body : [s.body[0].replace(/^- /, ''), ...s.body.slice(1)], order),
  );
}

/** The `steps:` or `servers:` block (key and line) the line is inside, if any. */
function topLevelBlock(lines: Line[], lineNo: number): { key: 'steps' | 'servers'; line: number } | undefined {
  for (let i = lineNo - 1; i >= 0; i--) {
    const text = lines[i].text;
    if (!/^[A-Za-z]/.test(text)) continue;
    const key = /^(steps|servers)\s*:\s*(#.*)?$/.exec(text)?.[1];
    return key === 'steps' || key === 'servers' ? { key, line: i } : undefined;
  }
  return undefined;
}

/** The column of the block's item dashes, from its first item other than the current line. */
function firstItemColumn(lines: Line[], lineNo: number, blockLine: number): number | undefined {
  for (let i = blockLine + 1; i < lines.length; i++) {
    if (i === lineNo) continue;
    const text = lines[i].text;
    if (/^[A-Za-z]/.test(text)) return undefined;
    const dash = /^( *)-(\s|$)/.exec(text);
    if (dash) return dash[1].length;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

function valueItems(
  lines: Line[],
  fieldPath: PathSegment[],
  action: string | undefined,
  analysis: Analysis | undefined,
): Omit<CompletionItem, 'range'>[] {
  const key = fieldPath[fieldPath.length - 1];
  const inStep = fieldPath[0] === 'steps' && fieldPath.length === 3;
  const inServer = fieldPath[0] === 'servers' && fieldPath.length === 3;
  if (inStep && key === 'action') {
    return ACTIONS.map((name) => ({
      label: name,
      kind: 'action',
      detail: ACTION_TABLE[name].summary,
      documentation: `**${name}**: ${ACTION_TABLE[name].description}`,
      insertText: name,
    }));
  }
  if (inStep && (key === 'server' || key === 'from' || key === 'to')) {
    return declaredServers(lines, analysis).map(({ name, detail }) => ({ label: name, kind: 'server', detail, insertText: name }));
  }
  if ((inStep && key === 'hotfix') || (inServer && key === 'hotfixes')) {
    return Object.entries(KNOWN_KBS).map(([kb, info]) => ({
      label: kb,
      kind: 'kb',
      detail: info.title,
      documentation: info.summary,
      insertText: kb,
    }));
  }
  const schema = fieldSchema(fieldPath, () => action);
  return enumValues(schema).map((value) => ({
    label: String(value),
    kind: 'enum',
    detail: schema?.description,
    insertText: String(value),
  }));
}

function enumValues(schema: SchemaNode | undefined): unknown[] {
  if (!schema) return [];
  if (schema.enum) return schema.enum;
  if (schema.const !== undefined) return [schema.const];
  if (schema.type === 'integer' && schema.minimum !== undefined && schema.maximum !== undefined && schema.maximum - schema.minimum <= 3) {
    return Array.from({ length: schema.maximum - schema.minimum + 1 }, (_, i) => schema.minimum! + i);
  }
  return [];
}

/** Server names declared under `servers`, from the text (it may not parse while typing) and the analysis. */
function declaredServers(lines: Line[], analysis: Analysis | undefined): { name: string; detail?: string }[] {
  const found = new Map<string, { name: string; detail?: string }>();
  for (const server of analysis?.runbook.servers ?? []) {
    // A blank name (`name: ""`, reported by the schema) is nothing to offer: an item needs a label.
    if (!server.name || server.name.value.trim() === '') continue;
    const version = server.exchange ? exchangeLabel(server.exchange.value, server.servicePack?.value) : undefined;
    found.set(serverKey(server.name.value), { name: server.name.value, detail: version });
  }
  let inServers = false;
  for (const line of lines) {
    if (/^[A-Za-z]/.test(line.text)) inServers = /^servers\s*:/.test(line.text);
    if (!inServers) continue;
    for (const match of line.text.matchAll(/(?:^|[\s{,-])name\s*:\s*["']?([A-Za-z0-9-]{1,15})["']?\s*(?=$|[,}#\s])/g)) {
      if (!found.has(serverKey(match[1]))) found.set(serverKey(match[1]), { name: match[1] });
    }
  }
  return [...found.values()];
}

// ---------------------------------------------------------------------------------------------
// Where the cursor is, from indentation

interface LineShape {
  indent: number;
  /** Column of the content after any `- ` markers. */
  contentColumn: number;
  hasDash: boolean;
  /** Column of the innermost `-` (when hasDash). */
  dashColumn: number;
  key?: string;
  /** True when the key has nothing after its colon (a nested block follows). */
  opensBlock: boolean;
}

function shapeOf(text: string): LineShape | undefined {
  if (/^\s*(#.*)?$/.test(text)) return undefined;
  const indent = /^ */.exec(text)![0].length;
  const dashes = /^(?:-(?:\s+|$))*/.exec(text.slice(indent))![0];
  const contentColumn = indent + dashes.length;
  const lastDash = dashes.lastIndexOf('-');
  const keyMatch = /^([A-Za-z][A-Za-z0-9]*)\s*:(?=\s|$)/.exec(text.slice(contentColumn));
  return {
    indent,
    contentColumn,
    hasDash: dashes !== '',
    dashColumn: indent + Math.max(0, lastDash),
    key: keyMatch?.[1],
    opensBlock: keyMatch !== null && /^\s*(#.*)?$/.test(text.slice(contentColumn + keyMatch[0].length)),
  };
}

/**
 * The path of keys (a number for a list item) to the mapping a key typed at this place belongs to.
 * `indent` and `dashes` describe the current line before the word being typed.
 */
function mappingPath(lines: Line[], lineNo: number, indent: number, dashes: string): PathSegment[] | undefined {
  const path: PathSegment[] = [];
  let kind: 'map' | 'seq';
  let column: number;
  if (dashes !== '') {
    path.unshift(0);
    kind = 'seq';
    column = indent + Math.max(0, dashes.lastIndexOf('-'));
  } else {
    kind = 'map';
    column = indent;
  }
  for (let i = lineNo - 1; i >= 0; i--) {
    const shape = shapeOf(lines[i].text);
    if (!shape) continue;
    // A line may answer more than one question: `- key:` is both a list item and a parent key.
    for (let settled = false; !settled;) {
      settled = true;
      if (kind === 'map') {
        if (shape.hasDash && shape.contentColumn === column) {
          path.unshift(0);
          kind = 'seq';
          column = shape.dashColumn;
        } else if (shape.contentColumn < column) {
          if (!shape.key || !shape.opensBlock) return undefined;
          path.unshift(shape.key);
          column = shape.contentColumn;
          settled = false;
        }
      } else if (shape.contentColumn < column || (shape.contentColumn === column && !shape.hasDash)) {
        if (!shape.key || !shape.opensBlock) return undefined;
        path.unshift(shape.key);
        kind = 'map';
        column = shape.contentColumn;
        settled = false;
      } else if (shape.hasDash && shape.dashColumn < column && shape.contentColumn > column) {
        return undefined;
      }
    }
    if (kind === 'map' && column === 0) return path;
  }
  return kind === 'map' && column === 0 ? path : undefined;
}

/** The keys (and their inline values) of the mapping whose keys sit at `column` around `lineNo`. */
function siblingFields(lines: Line[], lineNo: number, column: number): { keys: Set<string>; values: Map<string, string> } {
  const keys = new Set<string>();
  const values = new Map<string, string>();
  const record = (text: string, shape: LineShape) => {
    if (!shape.key || shape.contentColumn !== column) return;
    keys.add(shape.key);
    const value = /:\s*([^#\s]+)/.exec(text.slice(shape.contentColumn))?.[1];
    if (value) values.set(shape.key, value.replace(/^["']|["']$/g, ''));
  };
  const current = shapeOf(lines[lineNo].text);
  const currentStartsItem = current?.hasDash === true && current.contentColumn === column;
  if (!currentStartsItem) {
    for (let i = lineNo - 1; i >= 0; i--) {
      const shape = shapeOf(lines[i].text);
      if (!shape) continue;
      if (shape.contentColumn < column && !(shape.hasDash && shape.contentColumn === column)) break;
      if (shape.hasDash && shape.contentColumn === column) {
        record(lines[i].text, shape);
        break;
      }
      if (shape.indent === column) record(lines[i].text, shape);
    }
  }
  for (let i = lineNo + 1; i < lines.length; i++) {
    const shape = shapeOf(lines[i].text);
    if (!shape) continue;
    if (shape.indent < column) break;
    if (shape.indent === column && !shape.hasDash) record(lines[i].text, shape);
  }
  return { keys, values };
}

/** The `action` of the step item that encloses a line whose content sits at `column`. */
function stepAction(lines: Line[], lineNo: number, column: number): string | undefined {
  for (let i = lineNo - 1; i >= 0; i--) {
    const shape = shapeOf(lines[i].text);
    if (!shape || shape.contentColumn >= column) continue;
    if (shape.indent === 0 && !shape.hasDash) return undefined;
    if (!shape.hasDash) continue;
    const onItemLine = /(?:^|\s)action\s*:\s*["']?([a-z-]+)/.exec(lines[i].text.slice(shape.contentColumn))?.[1];
    return onItemLine ?? siblingFields(lines, i, shape.contentColumn).values.get('action');
  }
  return undefined;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    lines.push({ start, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  lines.push({ start, text: text.slice(start) });
  return lines;
}

function lineOf(lines: Line[], offset: number): number {
  return Math.max(0, firstIndexWhere(lines.length, (i) => lines[i].start > offset) - 1);
}

import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { ParsedDocument } from './parse';

/*
 * yaml's node constructors mark each instance with Object.defineProperty, a tenth of a cold lint
 * by itself. These subclasses carry the same mark on their prototype and skip the constructors:
 * isMap/isSeq/isScalar/isPair and instanceof answer as for yaml's own nodes.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
type Range3 = [number, number, number];

class ReadScalar {
  constructor(
    public value: unknown,
    public range: Range3,
    public source: string,
    public type: Scalar.Type,
  ) {}
}
class ReadMap {
  items: Pair[] = [];
  range: Range3 | undefined = undefined;
  flow = false;
}
class ReadSeq {
  items: unknown[] = [];
  range: Range3 | undefined = undefined;
  flow = false;
}
class ReadPair {
  constructor(
    public key: unknown,
    public value: unknown,
  ) {}
}
function inherit(lite: { prototype: object }, real: { prototype: object }, type: string): void {
  Object.setPrototypeOf(lite.prototype, real.prototype);
  Object.defineProperty(lite.prototype, NODE_TYPE, { value: Symbol.for(type) });
}
inherit(ReadScalar, Scalar, 'yaml.scalar');
inherit(ReadMap, YAMLMap, 'yaml.map');
inherit(ReadSeq, YAMLSeq, 'yaml.seq');
inherit(ReadPair, Pair, 'yaml.pair');

function newScalar(value: unknown, range: Range3, source: string, type: Scalar.Type): Scalar {
  return new ReadScalar(value, range, source, type) as unknown as Scalar;
}
const newMap = () => new ReadMap() as unknown as YAMLMap;
const newSeq = () => new ReadSeq() as unknown as YAMLSeq;
const newPair = (key: unknown, value: unknown) => new ReadPair(key, value) as unknown as Pair;
/** Names a plain object already answers to (`__proto__`, `toString`…): toJS defines those as own properties. */
const INHERITED_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/**
 * A reader for the subset of YAML runbooks are written in: block mappings and sequences, plain
 * and quoted one-line scalars, one-line flow mappings and sequences, comments and blank lines. It
 * builds the same nodes (with the same ranges) and the same plain data as `parseDocument` +
 * `toJS` with YAML_PARSE_OPTIONS, without `yaml`'s lexer, CST and composer, which are most of a
 * cold lint's time. Anything else (anchors, aliases, tags, block scalars, multi-line scalars or
 * flow collections, explicit keys, directives, tabs, CR line breaks, keys that are not strings,
 * duplicate keys, anything doubtful) makes it return undefined: the caller then asks `yaml`.
 *
 * The trailing comments and blank lines after a value are attributed as `yaml`'s parser does
 * (which decides where a collection's range ends): see `trailing`. A differential test
 * (test/unit/format/subsetReader.test.ts) compares both on generated runbooks, their mutations
 * and the YAML test suite, whenever this reader accepts an input.
 */
export interface SubsetRead {
  doc: ParsedDocument;
  data: unknown;
}

/** Characters that make the whole piece doubtful: tabs, CR, controls, BOM, line separators. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const DOUBTFUL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
/** A plain scalar may not start with an indicator (`-`, `?`, `:` only when followed by a non-space: hand those over too). */
const INDICATOR_START = /[-?:,[\]{}#&*!|>'"%@`]/;
const NULL_TEXT = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_TEXT = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const SPACE = 32;
const HASH = 35;
const NL = 10;

class Doubtful extends Error {}
const DOUBT = new Doubtful();
function doubt(): never {
  throw DOUBT;
}

/** A line of the source: where it starts and ends (before its `\n`), its indentation, and what it holds. */
interface Line {
  start: number;
  end: number;
  /** Offset after the line break (or the end of the source). */
  next: number;
  indent: number;
  /** 'content', 'blank' or 'comment' (a comment alone on its line). */
  kind: 0 | 1 | 2;
}
const CONTENT = 0;
const BLANK = 1;
const COMMENT = 2;

/** What came after a node: the open collections see the trailing trivia lines as yaml's parser does. */
interface Built {
  node: Scalar | YAMLMap | YAMLSeq;
  data: unknown;
  /** The node is a scalar or flow collection (yaml's tokens for it carry `end`, which can absorb indented comments). */
  leaf: boolean;
}

export function readSubset(source: string): SubsetRead | undefined {
  if (DOUBTFUL.test(source)) return undefined;
  try {
    return new Reader(source).read();
  } catch (error) {
    if (error instanceof Doubtful) return undefined;
    // A stack overflow on absurd nesting, or a mistake here: yaml decides.
    return undefined;
  }
}

class Reader {
  private readonly lines: Line[] = [];
  /** Index of the next line to read. */
  private at = 0;

  constructor(private readonly src: string) {
    let pos = 0;
    const length = src.length;
    for (;;) {
      const newline = src.indexOf('\n', pos);
      const end = newline < 0 ? length : newline;
      let first = pos;
      while (first < end && src.charCodeAt(first) === SPACE) first++;
      const kind = first === end ? BLANK : src.charCodeAt(first) === HASH ? COMMENT : CONTENT;
      if (kind === CONTENT && first === pos && (src.startsWith('---', pos) || src.startsWith('...', pos))) doubt();
      this.lines.push({ start: pos, end, next: newline < 0 ? length : newline + 1, indent: first - pos, kind });
      if (newline < 0) break;
      pos = newline + 1;
    }
  }

  read(): SubsetRead {
    this.skipTrivia();
    if (this.at >= this.lines.length) return doubt();
    const line = this.lines[this.at];
    const built = this.block(line.indent, line.start + line.indent, -1);
    // What trails the contents belongs to the document, whose own range nobody reads.
    if (this.at < this.lines.length) doubt();
    const doc = { contents: built.node, errors: [], warnings: [] } as unknown as ParsedDocument;
    return { doc, data: built.data };
  }

  private skipTrivia(): void {
    while (this.at < this.lines.length && this.lines[this.at].kind !== CONTENT) this.at++;
  }

  /** The next content line's index, or lines.length. */
  private nextContent(from: number): number {
    let i = from;
    while (i < this.lines.length && this.lines[i].kind !== CONTENT) i++;
    return i;
  }

  /**
   * A block node starting at offset `start` (on the current line) with indentation `indent`: a
   * sequence when it starts with `- `, a mapping when the line holds `key:`, else a doubt.
   * `parentIndent` is the enclosing collection's indentation.
   */
  private block(indent: number, start: number, parentIndent: number): Built {
    if (indent <= parentIndent) doubt();
    if (this.isSeqItem(start)) return this.sequence(indent, start);
    return this.mapping(indent, start);
  }

  private isSeqItem(offset: number): boolean {
    if (this.src.charCodeAt(offset) !== 45 /* - */) return false;
    const next = this.src.charCodeAt(offset + 1);
    return Number.isNaN(next) || next === SPACE || next === NL;
  }

  private sequence(indent: number, start: number): Built {
    const seq = newSeq();
    const data: unknown[] = [];
    let itemStart = start;
    for (;;) {
      const line = this.lines[this.at];
      // After `- `: the item's value on the same line.
      let pos = itemStart + 1;
      while (pos < line.end && this.src.charCodeAt(pos) === SPACE) pos++;
      let built: Built;
      if (pos >= line.end) {
        // `-` alone: a null item, unless a block follows (handed over) or a comment (its range would move).
        const following = this.nextContent(this.at + 1);
        for (let i = this.at + 1; i < following; i++) if (this.lines[i].kind === COMMENT) doubt();
        if (following < this.lines.length && this.lines[following].indent > indent) doubt();
        built = { node: emptyScalar(pos), data: null, leaf: false };
        this.at++;
      } else if (this.src.charCodeAt(pos) === HASH) {
        return doubt();
      } else if (this.isSeqItem(pos)) {
        return doubt();
      } else if (this.keyEnd(pos, line.end) >= 0) {
        built = this.mapping(pos - line.start, pos);
      } else {
        built = this.inlineValue(pos, line);
      }
      seq.items.push(built.node);
      data.push(built.data);
      // What follows the item: trivia, then the next item at this indentation, or the end of the sequence.
      const following = this.nextContent(this.at);
      if (built.node instanceof Scalar || built.leaf) this.trailing(indent, built);
      const next = following < this.lines.length ? this.lines[following] : undefined;
      if (next && next.indent > indent) doubt();
      if (!next || next.indent < indent || !this.isSeqItem(next.start + next.indent)) {
        if (next && next.indent === indent) doubt();
        this.finish(seq, indent, start);
        return { node: seq, data, leaf: false };
      }
      // Trivia before the next item are that item's: in no range.
      this.pendingTrivia = undefined;
      this.at = following;
      itemStart = next.start + next.indent;
    }
  }

  private mapping(indent: number, start: number): Built {
    const map = newMap();
    const data: Record<string, unknown> = {};
    const keys = new Set<string>();
    let keyStart = start;
    for (;;) {
      const line = this.lines[this.at];
      const colon = this.keyEnd(keyStart, line.end);
      if (colon < 0) doubt();
      const key = this.plainKey(keyStart, colon);
      if (keys.has(key.value as string)) doubt();
      keys.add(key.value as string);
      let pos = colon + 1;
      while (pos < line.end && this.src.charCodeAt(pos) === SPACE) pos++;
      let built: Built;
      if (pos >= line.end) {
        // `key:` alone: a nested block on the next lines, or a null value.
        const following = this.nextContent(this.at + 1);
        const next = following < this.lines.length ? this.lines[following] : undefined;
        if (next && next.indent > indent) {
          this.at = following;
          built = this.block(next.indent, next.start + next.indent, indent);
        } else {
          if (next && next.indent === indent && this.isSeqItem(next.start + next.indent)) doubt();
          // A comment after an empty value moves its range in ways not worth modelling.
          for (let i = this.at + 1; i < following; i++) if (this.lines[i].kind === COMMENT) doubt();
          built = { node: emptyScalar(pos), data: null, leaf: false };
          this.at++;
        }
      } else if (this.src.charCodeAt(pos) === HASH) {
        return doubt();
      } else {
        built = this.inlineValue(pos, line);
      }
      map.items.push(newPair(key, built.node));
      setKey(data, key.value as string, built.data);
      const following = this.nextContent(this.at);
      if (built.node instanceof Scalar || built.leaf) this.trailing(indent, built);
      const next = following < this.lines.length ? this.lines[following] : undefined;
      if (next && next.indent > indent) doubt();
      if (!next || next.indent < indent) {
        this.finish(map, indent, start);
        return { node: map, data, leaf: false };
      }
      if (this.isSeqItem(next.start + next.indent)) doubt();
      this.pendingTrivia = undefined;
      this.at = following;
      keyStart = next.start + next.indent;
    }
  }

  /**
   * The trivia lines after a leaf value (scalar or flow collection) of `open[0]`, which is the
   * innermost open collection: yaml's parser appends a comment line indented deeper than that
   * collection (with only blank lines before it) to the value's own end, and everything else to a
   * trivia item of the collection, whose end becomes the collection's when the collection closes
   * (see `finish`). This extends the value's range[2] accordingly and leaves `pendingTrivia` set.
   */
  private trailing(collectionIndent: number, built: Built): void {
    const following = this.nextContent(this.at);
    let triviaEnd = -1;
    const commentIndents: number[] = [];
    const range = (built.node as { range: [number, number, number] }).range;
    for (let i = this.at; i < following; i++) {
      const line = this.lines[i];
      if (line.kind === COMMENT && built.leaf && line.indent > collectionIndent && commentIndents.length === 0) {
        // atIndentedComment: the blank lines before it and this comment join the value's end.
        range[2] = line.next;
        triviaEnd = -1;
        continue;
      }
      triviaEnd = line.next;
      if (line.kind === COMMENT) commentIndents.push(line.indent);
    }
    // The next content line's indentation reaches the parser (as a space token) while this collection is still open.
    if (triviaEnd >= 0 && following < this.lines.length) triviaEnd = this.lines[following].start + this.lines[following].indent;
    this.pendingTrivia = triviaEnd >= 0 ? { end: triviaEnd, commentIndents } : undefined;
    this.at = following;
  }

  private pendingTrivia: { end: number; commentIndents: number[] } | undefined;

  /**
   * Closes a collection at `indent`. Its range ends at its last item's range[2]; trivia after it
   * stay its own (range[2] only) unless yaml's parser hands them to the parent: a collection at
   * indentation 0, or trivia whose comments are all less indented.
   */
  private finish(node: YAMLMap | YAMLSeq, indent: number, start: number): void {
    const items = node.items as unknown[];
    const last = items[items.length - 1];
    const lastNode = (last instanceof Pair ? last.value : last) as { range: [number, number, number] };
    const end = lastNode.range[2];
    node.range = [start, end, end];
    const trivia = this.pendingTrivia;
    if (!trivia) return;
    if (trivia.commentIndents.length === 0) {
      // Blank lines only: nothing yaml puts in a range (they have no comment to keep).
      this.pendingTrivia = undefined;
      return;
    }
    if (indent === 0 || trivia.commentIndents.every((comment) => comment < indent)) return;
    node.range[2] = trivia.end;
    this.pendingTrivia = undefined;
  }

  /** Offset of the `:` that ends a plain implicit key starting at `start`, or -1 when the line is no `key: …`. */
  private keyEnd(start: number, end: number): number {
    const src = this.src;
    const c = src.charCodeAt(start);
    if (INDICATOR_START.test(src[start]) || c === SPACE) return -1;
    for (let i = start; i < end; i++) {
      const ch = src.charCodeAt(i);
      if (ch === 58 /* : */) {
        const after = i + 1 < end ? src.charCodeAt(i + 1) : -1;
        if (after === -1 || after === SPACE) return i;
      } else if (ch === HASH && src.charCodeAt(i - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** A plain key: a string by the core schema, one line, under 1024 characters. */
  private plainKey(start: number, colon: number): Scalar {
    let valueEnd = colon;
    while (valueEnd > start && this.src.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    if (colon - start > 1000) doubt();
    const text = this.src.slice(start, valueEnd);
    if (text === '<<' || typeof resolvePlain(text) !== 'string') doubt();
    return newScalar(text, [start, valueEnd, valueEnd], text, 'PLAIN');
  }

  /** A value on the rest of a block line: a plain or quoted scalar or a one-line flow collection, then an optional comment. */
  private inlineValue(pos: number, line: Line): Built {
    const src = this.src;
    const c = src.charCodeAt(pos);
    let built: Built;
    let end: number;
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const flow = this.flow(pos, line.end);
      built = { node: flow.node, data: flow.data, leaf: true };
      end = flow.end;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const quoted = this.quoted(pos, line.end);
      built = { node: quoted.node, data: quoted.node.value, leaf: true };
      end = quoted.end;
    } else {
      if (INDICATOR_START.test(src[pos])) doubt();
      // To the end of the line or a comment; a `: ` inside would be a nested mapping (an error).
      // Only this line is searched for a comment: searching the rest of the source made reading quadratic.
      let valueEnd = line.end;
      for (let i = pos + 1; i < line.end; i++) {
        if (src.charCodeAt(i) === HASH && src.charCodeAt(i - 1) === SPACE) {
          valueEnd = i - 1;
          break;
        }
      }
      while (valueEnd > pos && src.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
      const text = src.slice(pos, valueEnd);
      if (text.includes(': ') || text.endsWith(':')) doubt();
      const scalar = newScalar(resolvePlain(text), [pos, valueEnd, line.next], text, 'PLAIN');
      built = { node: scalar, data: scalar.value, leaf: true };
      this.at++;
      return built;
    }
    // After a quoted scalar or flow collection: spaces, then the end of the line or a comment.
    let after = end;
    while (after < line.end && src.charCodeAt(after) === SPACE) after++;
    if (after < line.end && (src.charCodeAt(after) !== HASH || after === end)) doubt();
    (built.node as { range: [number, number, number] }).range[2] = line.next;
    this.at++;
    return built;
  }

  private quoted(pos: number, lineEnd: number): { node: Scalar; end: number } {
    const src = this.src;
    const quote = src[pos];
    let i = pos + 1;
    let value = '';
    for (;;) {
      const close = src.indexOf(quote, i);
      if (close < 0 || close >= lineEnd) doubt();
      if (quote === '"') {
        const chunk = src.slice(i, close);
        if (chunk.includes('\\')) doubt();
        value += chunk;
        i = close + 1;
        break;
      }
      value += src.slice(i, close);
      if (src[close + 1] === "'") {
        value += "'";
        i = close + 2;
        continue;
      }
      i = close + 1;
      break;
    }
    const scalar = newScalar(value, [pos, i, i], value, quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE');
    return { node: scalar, end: i };
  }

  /** A flow collection closed on the same line. range[2] is set by the caller (block) or here (nested: spaces after it). */
  private flow(pos: number, lineEnd: number): { node: YAMLMap | YAMLSeq; data: unknown; end: number } {
    const src = this.src;
    const isMap = src.charCodeAt(pos) === 123;
    const close = isMap ? 125 : 93;
    const node = isMap ? newMap() : newSeq();
    node.flow = true;
    const data: unknown = isMap ? {} : [];
    const keys = new Set<string>();
    let i = skipSpaces(src, pos + 1, lineEnd);
    if (src.charCodeAt(i) === close) {
      node.range = [pos, i + 1, i + 1];
      return { node, data, end: i + 1 };
    }
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(i, lineEnd, true);
        if (!(key.node instanceof Scalar) || typeof key.node.value !== 'string' || key.node.type !== 'PLAIN') doubt();
        const name = key.node.value;
        if (name === '<<' || keys.has(name)) doubt();
        keys.add(name);
        if (src.charCodeAt(key.next) !== 58 || src.charCodeAt(key.next + 1) !== SPACE) doubt();
        const valueAt = skipSpaces(src, key.next + 1, lineEnd);
        const value = this.flowValue(valueAt, lineEnd);
        (node as YAMLMap).items.push(newPair(key.node, value.node));
        setKey(data as Record<string, unknown>, name, value.data);
        i = value.next;
      } else {
        const value = this.flowValue(i, lineEnd);
        // `[a: b]` is a mapping inside the sequence: handed over.
        if (src.charCodeAt(value.next) === 58) doubt();
        (node as YAMLSeq).items.push(value.node);
        (data as unknown[]).push(value.data);
        i = value.next;
      }
      const c = src.charCodeAt(i);
      if (c === close) {
        node.range = [pos, i + 1, i + 1];
        return { node, data, end: i + 1 };
      }
      if (c !== 44 /* , */) doubt();
      i = skipSpaces(src, i + 1, lineEnd);
      // A trailing comma, or an empty entry: handed over.
      if (src.charCodeAt(i) === close || src.charCodeAt(i) === 44) doubt();
    }
  }

  /** A value inside a flow collection; `next` is after it and the spaces that follow. */
  private flowValue(pos: number, lineEnd: number): { node: Scalar | YAMLMap | YAMLSeq; data: unknown; next: number } {
    const c = this.src.charCodeAt(pos);
    if (c === 123 || c === 91) {
      const flow = this.flow(pos, lineEnd);
      const next = skipSpaces(this.src, flow.end, lineEnd);
      flow.node.range![2] = next;
      return { node: flow.node, data: flow.data, next };
    }
    const scalar = this.flowScalar(pos, lineEnd, false);
    return { node: scalar.node, data: scalar.node.value, next: scalar.next };
  }

  /** A plain or quoted scalar inside a flow collection. */
  private flowScalar(pos: number, lineEnd: number, asKey: boolean): { node: Scalar; next: number } {
    const src = this.src;
    const c = src.charCodeAt(pos);
    if (c === 34 || c === 39) {
      if (asKey) doubt();
      const quoted = this.quoted(pos, lineEnd);
      const next = skipSpaces(src, quoted.end, lineEnd);
      quoted.node.range![2] = next;
      return { node: quoted.node, next };
    }
    if (pos >= lineEnd || INDICATOR_START.test(src[pos])) doubt();
    let i = pos;
    for (; i < lineEnd; i++) {
      const ch = src.charCodeAt(i);
      if (ch === 44 || ch === 93 || ch === 125) break;
      if (ch === 91 || ch === 123) doubt();
      if (ch === 58 /* : */) {
        const after = src.charCodeAt(i + 1);
        if (after === SPACE || after === 44 || after === 93 || after === 125 || i + 1 >= lineEnd) break;
      }
      if (ch === HASH && src.charCodeAt(i - 1) === SPACE) doubt();
    }
    let valueEnd = i;
    while (valueEnd > pos && src.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    const text = src.slice(pos, valueEnd);
    const value = resolvePlain(text);
    if (asKey && typeof value !== 'string') doubt();
    // A key's range stops at its text; a value's takes the spaces up to the next indicator.
    const scalar = newScalar(value, [pos, valueEnd, asKey ? valueEnd : i], text, 'PLAIN');
    return { node: scalar, next: i };
  }
}

function skipSpaces(src: string, pos: number, end: number): number {
  while (pos < end && src.charCodeAt(pos) === SPACE) pos++;
  return pos;
}

function emptyScalar(pos: number): Scalar {
  return newScalar(null, [pos, pos, pos], '', 'PLAIN');
}

/** As toJS builds a mapping: an own property even for `__proto__` and the names Object.prototype has. */
function setKey(data: Record<string, unknown>, key: string, value: unknown): void {
  if (INHERITED_NAMES.has(key)) Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true });
  else data[key] = value;
}

/** A plain scalar's value by the YAML 1.2 core schema, as `yaml` resolves it (same tests, same order). */
export function resolvePlain(text: string): unknown {
  if (NULL_TEXT.test(text)) return null;
  if (BOOL_TEXT.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(text)) return parseFloat(text);
  if (FLOAT.test(text)) return parseFloat(text);
  return text;
}

import * as YAML from 'yaml';
import { Document, parseDocument, visit } from 'yaml';
import type { Node } from 'yaml';
import type { Finding, Span } from '../diagnostics';
import { LineIndex } from './text';

// Bound once: the bundle reaches a CommonJS module's exports through a getter on every access (resolveNode runs per key).
const { isAlias, isMap, isScalar, isSeq } = YAML;

export type ParsedDocument = Document.Parsed;

export interface ParsedText {
  text: string;
  lines: LineIndex;
  doc: ParsedDocument;
  /** Findings (EXR101) about YAML that is not well-formed; when any exist, nothing else is judged. */
  syntaxFindings: Finding[];
  /** The document as plain data for schema validation; undefined when YAML is broken or expands too far. */
  data: unknown;
  /**
   * The top-level mapping as the incremental analyzer assembles it: each top-level block's nodes,
   * the `steps` sequence with its range but without its items. Absent after a whole-text parse,
   * whose `doc.contents` is that mapping in full. The outline reads it rather than `doc`, which on
   * the incremental path parses the whole text.
   */
  topLevel?: unknown;
  /**
   * The piece of the text around `offset` (a top-level block or one step) parsed alone, nodes at
   * absolute offsets, and how a path inside it reads from the document's root. Absent after a
   * whole-text parse; `none` where no piece is (between blocks, in comments before the first key).
   */
  pieceAt?: (offset: number) => TextPiece | 'none' | undefined;
}

export interface TextPiece {
  doc: ParsedDocument;
  /** A path found in `doc` as the path from the whole document's root. */
  rootPath(path: (string | number)[]): (string | number)[];
}

/** Aliases may expand to at most this many nodes each: a billion-laughs file must not blow up memory. */
export const MAX_ALIAS_COUNT = 100;

/** How every runbook YAML text is parsed (the incremental analyzer parses its pieces the same way). */
// logLevel 'error': the parser's warnings (a list used as a key…) would otherwise go to the console/stderr;
// the schema check reports such keys.
export const YAML_PARSE_OPTIONS = {
  prettyErrors: false,
  keepSourceTokens: false,
  uniqueKeys: true,
  strict: true,
  logLevel: 'error',
} as const;

/**
 * Longer texts are refused before parsing (docs/reliability.md): the YAML parser needs about a second
 * and ~100 MB per MB of runbook, and pathological files far more. The largest runbooks we support
 * (50,000 steps, bench/) are ~7 MB.
 */
export const MAX_RUNBOOK_CHARS = 8 * 1024 * 1024;

const FRIENDLY_YAML_ERRORS: Record<string, string> = {
  MULTIPLE_DOCS:
    'this file holds more than one YAML document; a runbook is one document (remove the `---` ' +
    'separator and what follows, or split the file)',
  TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces only',
  BAD_ALIAS: 'this alias (`*name`) refers to no anchor',
  ALIAS_PROPS: 'an alias cannot have an anchor or tag',
  RESOURCE_EXHAUSTION: 'lists or mappings are nested here far more deeply than a runbook ever needs, too deeply to read',
};

export function parseText(text: string): ParsedText {
  const lines = new LineIndex(text);
  const syntaxFindings: Finding[] = [];
  if (text.length > MAX_RUNBOOK_CHARS) {
    syntaxFindings.push({
      code: 'EXR101',
      span: firstLineSpan(lines),
      message:
        `This file holds ${(text.length / 1048576).toFixed(1)} MB of text; files over ` +
        `${MAX_RUNBOOK_CHARS / 1048576} MB are not checked. A runbook is far smaller: split it into ` +
        `several runbooks or remove what is not part of it.`,
    });
    return { text, lines, doc: parseDocument('') as ParsedDocument, syntaxFindings, data: undefined };
  }
  let doc: ParsedDocument;
  try {
    doc = parseDocument(text, YAML_PARSE_OPTIONS);
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack.
    const empty = parseDocument('') as ParsedDocument;
    syntaxFindings.push({ code: 'EXR101', span: firstLineSpan(lines), message: `the YAML could not be read: ${describeThrown(error)}` });
    return { text, lines, doc: empty, syntaxFindings, data: undefined };
  }
  for (const error of doc.errors) {
    const span = { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0]) };
    const friendly = error.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(text, span) : FRIENDLY_YAML_ERRORS[error.code];
    const detail = firstLine(error.message);
    syntaxFindings.push({
      code: 'EXR101',
      span: widenEmpty(span, text),
      message: friendly ? `Not well-formed YAML: ${friendly}.` : `Not well-formed YAML: ${detail}`,
    });
  }
  let data: unknown;
  if (syntaxFindings.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const alias = firstAlias(doc);
      syntaxFindings.push({
        code: 'EXR101',
        span: alias ?? firstLineSpan(lines),
        message: /alias/i.test(String((error as Error)?.message))
          ? 'YAML aliases here expand to far too much data (a "billion laughs" alias bomb?); the file is not read further.'
          : `the YAML could not be read: ${describeThrown(error)}`,
      });
    }
  }
  return { text, lines, doc, syntaxFindings, data };
}

/** Names the repeated key: "`from` appears twice in this mapping; …". */
function duplicateKeyMessage(text: string, span: Span): string {
  // The parser points at the key's first character; the key runs to its `:`.
  const key = /^("[^"\r\n]*"|'[^'\r\n]*'|[^:#\r\n]+?)\s*:/.exec(text.slice(span.start, span.start + 200))?.[1];
  const shown = key ? `\`${key}\`` : 'this key';
  return `${shown} appears twice in this mapping; YAML keys must be unique`;
}

function firstAlias(doc: ParsedDocument): Span | undefined {
  let found: Span | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) found = { start: node.range[0], end: node.range[1] };
      return visit.BREAK;
    },
  });
  return found;
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

function describeThrown(error: unknown): string {
  if (error instanceof RangeError) return 'it is nested too deeply';
  return firstLine(String((error as Error)?.message ?? error));
}

function firstLineSpan(lines: LineIndex): Span {
  return { start: 0, end: lines.lineEnd(0) };
}

/**
 * A zero-width error at a position is widened to one character so editors can show it: the one
 * after it, else the one before it, never a line break (half a CRLF is no position in an editor).
 */
function widenEmpty(span: Span, text: string): Span {
  if (span.end > span.start) return span;
  const isBreak = (offset: number) => text[offset] === '\n' || text[offset] === '\r';
  if (span.start < text.length && !isBreak(span.start)) return { start: span.start, end: span.start + 1 };
  if (span.start > 0 && span.start <= text.length && !isBreak(span.start - 1)) return { start: span.start - 1, end: span.start };
  return span;
}

/** The span of a node's value (without trailing comments). */
export function nodeSpan(node: Node | null | undefined): Span | undefined {
  if (!node || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1] };
}

/**
 * A span without the indentation of the line after it. A mapping whose last entry is an explicit
 * key with no value (`? x`) ends where the parser looked for the value: after the next line's
 * indentation when the text goes on, at the line break when it stops there. The whole-text parse
 * and the incremental analyzer's parse of one step alone must give the same span, so both trim it
 * here: in the model (build.ts) and where findings become diagnostics (lint.ts).
 */
export function withoutTrailingIndent(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  if (end === span.end || end === span.start) return span;
  const before = text.charCodeAt(end - 1);
  return before === 10 || before === 13 ? { start: span.start, end } : span;
}

/** Resolves an alias to what it points at, one level, so `from: *src` reads as the anchored scalar. */
export function resolveNode(doc: ParsedDocument, node: unknown): unknown {
  if (isAlias(node)) {
    try {
      return node.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return node;
}

export { isMap, isScalar, isSeq };

import { Document, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Node } from 'yaml';
import type { Finding, Span } from '../diagnostics';
import { LineIndex } from './text';

export type ParsedDocument = Document.Parsed;

export interface ParsedText {
  text: string;
  lines: LineIndex;
  doc: ParsedDocument;
  /** Findings (EXR101) about YAML that is not well-formed; when any exist, nothing else is judged. */
  syntaxFindings: Finding[];
  /** The document as plain data for schema validation; undefined when YAML is broken or expands too far. */
  data: unknown;
}

/** Aliases may expand to at most this many nodes each: a billion-laughs file must not blow up memory. */
const MAX_ALIAS_COUNT = 100;

const FRIENDLY_YAML_ERRORS: Record<string, string> = {
  DUPLICATE_KEY: 'this key appears twice in the same mapping; YAML keys must be unique',
  MULTIPLE_DOCS: 'this file holds more than one YAML document; a runbook is one document (remove the `---` separator and what follows, or split the file)',
  TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces only',
  BAD_ALIAS: 'this alias (`*name`) refers to no anchor',
  ALIAS_PROPS: 'an alias cannot have an anchor or tag',
};

export function parseText(text: string): ParsedText {
  const lines = new LineIndex(text);
  const syntaxFindings: Finding[] = [];
  let doc: ParsedDocument;
  try {
    doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: true, strict: true });
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack.
    const empty = parseDocument('') as ParsedDocument;
    syntaxFindings.push({ code: 'EXR101', span: firstLineSpan(lines), message: `the YAML could not be read: ${describeThrown(error)}` });
    return { text, lines, doc: empty, syntaxFindings, data: undefined };
  }
  for (const error of doc.errors) {
    const span = { start: error.pos[0], end: Math.max(error.pos[1], error.pos[0]) };
    const friendly = FRIENDLY_YAML_ERRORS[error.code];
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

/** A zero-width error at a position is widened to one character so editors can show it. */
function widenEmpty(span: Span, text: string): Span {
  if (span.end > span.start) return span;
  if (span.start < text.length) return { start: span.start, end: span.start + 1 };
  return { start: Math.max(0, text.length - 1), end: text.length };
}

/** The span of a node's value (without trailing comments). */
export function nodeSpan(node: Node | null | undefined): Span | undefined {
  if (!node || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1] };
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

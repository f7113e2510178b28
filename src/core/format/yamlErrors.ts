/**
 * YAML syntax errors in plain words, at the line that is wrong, the first cause rather than its
 * echoes. The parser reports what it could not read, often on the line above the mistake ("Nested
 * mappings are not allowed in compact mappings" on the value before an over-indented key) and
 * again for every line after it (one tab gives a dozen errors). The text itself says more: the
 * first line indented with a tab, or a key indented further than the `key: value` above it.
 */
import type { Finding } from '../diagnostics';

const PREFIX = 'Not well-formed YAML: ';

/** Parser messages that follow from the structure around them (and echo an earlier mistake). */
const STRUCTURAL = [
  /Nested mappings are not allowed in compact mappings/,
  /Implicit keys need to be on a single line/,
  /All mapping items must start at the same column/,
  /All collection items must start at the same column/,
  /must be sufficiently indented/,
  /Implicit map keys need to be followed by map values/,
  /Unexpected .* at node end/,
  /Sequence items are not allowed on the same line with map keys/,
  /a tab is used for indentation/,
  /A block sequence may not be used as an implicit map key/,
];

const PLAIN_WORDS: [RegExp, string][] = [
  [
    /All (mapping|collection) items must start at the same column/,
    'this line does not line up with the lines of its mapping or list above',
  ],
  [
    /Nested mappings are not allowed in compact mappings|Implicit keys need to be on a single line/,
    'a `key: value` line cannot hold a second key; check the indentation of the line after it',
  ],
];

/**
 * The EXR101 findings of a parse, explained: when the text shows the first cause (a tab, an
 * over-indented key) at or before the first structural error, that cause replaces the structural
 * errors; otherwise the first structural error stays, in plainer words where we know them. Other
 * findings (a repeated key, a second document, an alias) are kept: they are no echoes.
 */
export function explainSyntaxErrors(text: string, findings: Finding[]): Finding[] {
  const isStructural = (finding: Finding) =>
    finding.code === 'EXR101' && finding.message.startsWith(PREFIX) && STRUCTURAL.some((pattern) => pattern.test(finding.message));
  const structural = findings.filter(isStructural);
  if (structural.length === 0) return findings;
  const others = findings.filter((finding) => !isStructural(finding));
  const first = structural.reduce((a, b) => (b.span.start < a.span.start ? b : a));
  // The parser reports an over-indented key on the line above it: look one line further.
  const cause = firstCause(text, lineEndAfter(text, first.span.start));
  return [cause ?? inPlainWords(first), ...others].sort((a, b) => a.span.start - b.span.start);
}

function inPlainWords(finding: Finding): Finding {
  const known = PLAIN_WORDS.find(([pattern]) => pattern.test(finding.message));
  return known ? { ...finding, message: `${PREFIX}${known[1]}.` } : finding;
}

/** The end of the line after the one holding `offset`. */
function lineEndAfter(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end < 0) return text.length;
  end = text.indexOf('\n', end + 1);
  return end < 0 ? text.length : end;
}

interface Line {
  start: number;
  text: string;
  indent: number;
}

/** The first tab-indented line or over-indented key that starts before `limit`. */
function firstCause(text: string, limit: number): Finding | undefined {
  let previous: Line | undefined;
  let blockScalarIndent: number | undefined;
  for (let start = 0; start < limit && start <= text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const raw = text.slice(start, end).replace(/\r$/, '');
    const indent = /^[ \t]*/.exec(raw)![0];
    const content = raw.slice(indent.length);
    const line: Line = { start, text: raw, indent: indent.length };
    start = end + 1;
    if (content === '' || content.startsWith('#')) continue;
    // Lines of a `|` or `>` block are text, tabs and all.
    if (blockScalarIndent !== undefined) {
      if (line.indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    const tab = indent.indexOf('\t');
    if (tab >= 0) {
      return {
        code: 'EXR101',
        span: { start: line.start + tab, end: line.start + indent.length },
        message:
          `${PREFIX}this line is indented with a tab; YAML indents with spaces only. Replace the tab with spaces ` +
          '(in a runbook the Tab key inserts spaces).',
      };
    }
    const overIndented = previous && overIndent(previous, line);
    if (overIndented) return overIndented;
    if (/:\s*[|>][-+0-9]*\s*(#.*)?$/.test(content)) blockScalarIndent = line.indent;
    previous = line;
  }
  return undefined;
}

/** A key indented further than the `key: value` line above it, which cannot hold it. */
function overIndent(previous: Line, line: Line): Finding | undefined {
  const above = /^((?:-\s+)*)([A-Za-z_][\w-]*)\s*:\s+(\S.*)$/.exec(previous.text.slice(previous.indent));
  if (!above) return undefined;
  const value = above[3];
  // A value that goes on (an open flow collection, a quoted string, a block scalar) may continue below.
  if (/^[[{"'|>&!*]/.test(value)) return undefined;
  const keyColumn = previous.indent + above[1].length;
  const here = /^([A-Za-z_][\w-]*)\s*:(\s|$)/.exec(line.text.slice(line.indent));
  if (!here || line.indent <= keyColumn) return undefined;
  const extra = line.indent - keyColumn;
  return {
    code: 'EXR101',
    span: { start: line.start + keyColumn, end: line.start + line.indent + here[1].length },
    message:
      `${PREFIX}\`${here[1]}\` is indented ${extra} space${extra === 1 ? '' : 's'} more than \`${above[2]}\` on the line ` +
      `above; keys of one mapping start in the same column. Remove ${extra === 1 ? 'the space' : `${extra} spaces`}.`,
  };
}

/**
 * What must hold for every input, however hostile (docs/reliability.md): diagnostics are well
 * formed and lie inside the document, and nothing changes the built-in prototypes.
 * Line positions are computed here independently of the core's LineIndex, so a bug there shows.
 */
import type { Position, RelatedInformation, RunbookDiagnostic } from '../../src/core/diagnostics';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** Line starts of a text, breaking at CRLF, LF and lone CR (as VS Code and LSP do). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  const breaks = /\r\n|\r|\n/g;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) starts.push(match.index + match[0].length);
  return starts;
}

/** Offset → position as LSP has it: 0-based line, UTF-16 character within the line's content (between CR and LF is the line's end). */
function positionOf(text: string, starts: number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: Math.min(offset - starts[low], lineContentLength(text, starts, low)) };
}

function lineContentLength(text: string, starts: number[], line: number): number {
  const start = starts[line];
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return end - start;
}

function positionProblems(text: string, starts: number[], position: Position, what: string): string[] {
  if (!Number.isInteger(position.line) || !Number.isInteger(position.character))
    return [`${what} is not whole numbers: ${JSON.stringify(position)}`];
  if (position.line < 0 || position.line >= starts.length)
    return [`${what} line ${position.line} is outside the document's ${starts.length} lines`];
  const length = lineContentLength(text, starts, position.line);
  if (position.character < 0 || position.character > length)
    return [`${what} character ${position.character} is outside line ${position.line} (length ${length})`];
  return [];
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Every way a list of diagnostics breaks the contract for `text`; empty when it keeps it. */
export function diagnosticProblems(text: string, diagnostics: readonly RunbookDiagnostic[], starts = lineStartsOf(text)): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const label = `${d.code}@${d.span?.start}-${d.span?.end}`;
    if (!/^EXR[0-9]{3}$/.test(d.code)) problems.push(`${label}: code ${JSON.stringify(d.code)} is not EXRnnn`);
    if (!SEVERITIES.has(d.severity)) problems.push(`${label}: severity ${JSON.stringify(d.severity)}`);
    if (typeof d.message !== 'string' || d.message.trim().length === 0) problems.push(`${label}: empty message`);
    const { start, end } = d.span;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length)) {
      problems.push(`${label}: span outside the document (length ${text.length})`);
      continue;
    }
    problems.push(
      ...positionProblems(text, starts, d.range.start, `${label} range start`),
      ...positionProblems(text, starts, d.range.end, `${label} range end`),
    );
    if (!before(d.range.start, d.range.end)) problems.push(`${label}: range ends before it starts`);
    const expectedStart = positionOf(text, starts, start);
    const expectedEnd = positionOf(text, starts, end);
    if (
      expectedStart.line !== d.range.start.line ||
      expectedStart.character !== d.range.start.character ||
      expectedEnd.line !== d.range.end.line ||
      expectedEnd.character !== d.range.end.character
    ) {
      problems.push(
        `${label}: range ${JSON.stringify(d.range)} does not match its span (expected ` +
          `${JSON.stringify({ start: expectedStart, end: expectedEnd })})`,
      );
    }
    for (const related of d.related ?? ([] as RelatedInformation[])) {
      problems.push(
        ...positionProblems(text, starts, related.range.start, `${label} related start`),
        ...positionProblems(text, starts, related.range.end, `${label} related end`),
      );
      if (!before(related.range.start, related.range.end)) problems.push(`${label}: related range ends before it starts`);
    }
  }
  problems.push(...identicalDuplicates(diagnostics));
  return problems;
}

/** Diagnostics identical to an earlier one (code, severity, range and message): an editor would show one twice. */
export function identicalDuplicates(diagnostics: readonly RunbookDiagnostic[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const d of diagnostics) {
    const { start, end } = d.range;
    const key = `${d.code}|${d.severity}|${start.line}:${start.character}-${end.line}:${end.character}|${d.message}`;
    if (seen.has(key)) problems.push(`${d.code}@${start.line}:${start.character}: identical duplicate of an earlier diagnostic`);
    seen.add(key);
  }
  return problems;
}

const WATCHED: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
];

/** A fingerprint of the built-in prototypes: their own keys and what each holds. */
export function prototypeSnapshot(): Map<string, unknown> {
  const snapshot = new Map<string, unknown>();
  for (const [name, prototype] of WATCHED) {
    snapshot.set(`${name} prototype-of`, Object.getPrototypeOf(prototype));
    for (const key of Reflect.ownKeys(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, key)!;
      snapshot.set(`${name}.${String(key)}`, descriptor.value ?? descriptor.get);
    }
  }
  return snapshot;
}

/** How `after` differs from `before`: added, removed or replaced prototype members. */
export function prototypeChanges(beforeSnapshot: Map<string, unknown>, afterSnapshot = prototypeSnapshot()): string[] {
  const changes: string[] = [];
  for (const [key, value] of afterSnapshot) {
    if (!beforeSnapshot.has(key)) changes.push(`added ${key}`);
    else if (beforeSnapshot.get(key) !== value) changes.push(`changed ${key}`);
  }
  for (const key of beforeSnapshot.keys()) if (!afterSnapshot.has(key)) changes.push(`removed ${key}`);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'hotfixes', 'name', 'action', 'seed', 'service']) {
    if (probe[key] !== undefined) changes.push(`{}.${key} is now ${String(probe[key])}`);
  }
  return changes;
}

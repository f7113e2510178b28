import type { Finding, Span } from './diagnostics';
import type { LineIndex } from './format/text';
import type { Step } from './model/types';

/** `# exrunbook-disable-next-line EXR003[, EXR007]`: silences those codes on the next line or step. */
const DIRECTIVE = /#\s*exrunbook-disable-next-line\b([^#\r\n]*)/g;

export interface Suppression {
  /** Codes named by the comment (upper-cased); empty means every code. */
  codes: string[];
  /** Where each of `codes` is written, so a quick fix removes one without reading the comment again. */
  codeSpans: Span[];
  /** The comment text, for the unused-suppression report. */
  span: Span;
  /** The text the comment covers: a whole step when it stands before one, else the next line. */
  covers: Span;
  /** Codes that silenced at least one finding. */
  used: Set<string>;
}

export function findSuppressions(text: string, lines: LineIndex, steps: readonly Step[]): Suppression[] {
  if (!text.includes('exrunbook-disable-next-line')) return [];
  const stepByLine = new Map<number, Step>();
  for (const step of steps) stepByLine.set(lines.positionAt(step.itemStart).line, step);
  const suppressions: Suppression[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const start = match.index ?? 0;
    const commentLine = lines.positionAt(start).line;
    // The comment must be the only thing on its line, or follow content (then it still means the next line).
    let target = commentLine + 1;
    while (target < lines.lineCount && /^\s*(#.*)?$/.test(lines.lineText(target))) target++;
    if (target >= lines.lineCount) target = commentLine + 1;
    const step = stepByLine.get(target);
    const covers = step ? { start: step.itemStart, end: step.span.end } : { start: lines.lineStart(target), end: lines.lineEnd(target) };
    const listStart = start + match[0].length - match[1].length;
    const codes: string[] = [];
    const codeSpans: Span[] = [];
    for (const code of match[1].matchAll(/[^\s,]+/g)) {
      codes.push(code[0].toUpperCase());
      codeSpans.push({ start: listStart + code.index!, end: listStart + code.index! + code[0].length });
    }
    suppressions.push({ codes, codeSpans, span: { start, end: start + match[0].trimEnd().length }, covers, used: new Set() });
  }
  return suppressions;
}

/** Whether a finding is not silenced by any of the suppressions; one that is marks the first that covers it as used. */
export function suppressionFilter(suppressions: Suppression[]): (finding: Finding) => boolean {
  const named = suppressions.map((suppression) => new Set(suppression.codes));
  return (finding) => {
    for (let i = 0; i < suppressions.length; i++) {
      const suppression = suppressions[i];
      if (finding.span.start < suppression.covers.start || finding.span.start > suppression.covers.end) continue;
      if (suppression.codes.length > 0 && !named[i].has(finding.code)) continue;
      suppression.used.add(finding.code);
      return false;
    }
    return true;
  };
}

/** EXR102 for each named code (or whole comment) that silenced nothing. */
export function unusedSuppressionFindings(
  suppressions: Suppression[],
  knownCodes: ReadonlySet<string>,
  notYetKnown: ReadonlySet<string>,
  /** What a comment naming no code may be waiting for: `notYetKnown` without the codes only off by default (rules/rule.ts). */
  bareNotYetKnown: ReadonlySet<string> = notYetKnown,
): Finding[] {
  const findings: Finding[] = [];
  for (const suppression of suppressions) {
    if (suppression.codes.length === 0) {
      if (suppression.used.size === 0 && bareNotYetKnown.size === 0) {
        findings.push({
          code: 'EXR102',
          span: suppression.span,
          message:
            'This `exrunbook-disable-next-line` comment silences nothing: there is no diagnostic on ' +
            'the line or step after it. Remove the comment.',
          data: { comment: suppression.span },
        });
      }
      continue;
    }
    suppression.codes.forEach((code, index) => {
      if (suppression.used.has(code) || notYetKnown.has(code)) return;
      const message = knownCodes.has(code)
        ? `This comment suppresses ${code}, but there is no ${code} on the line or step after it. Remove ${code} from the comment.`
        : `${code} is not a rule code of this extension (codes look like EXR001); this suppression does nothing.`;
      findings.push({
        code: 'EXR102',
        span: suppression.span,
        message,
        data: { suppressedCode: code, codeSpan: suppression.codeSpans[index], comment: suppression.span },
      });
    });
  }
  return findings;
}

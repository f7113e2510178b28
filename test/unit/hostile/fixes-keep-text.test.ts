/**
 * Quick fixes never lose text: for fuzzed runbooks (the examples with comments scattered through
 * them, situations that invite every fix, edge values, CRLF), every offered fix is applied and
 * the result must keep every comment and every line outside the fix's own region, keep the line
 * endings, and still be well-formed YAML.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunbookDiagnostic } from '../../../src/core/diagnostics';
import { applyEdits, type TextEdit } from '../../../src/core/edits';
import { codeActions, type CodeActionItem } from '../../../src/core/features/codeActions';
import { analyze, toDiagnostics, type Analysis } from '../../../src/core/lint';
import { lineStartsOf } from '../../fuzz/invariants';
import { mutateEdges, SeededRandom } from '../../fuzz/mutate';
import { examplesDir } from '../../support';

const CASES = 250;
const DIRECTIVE = /#\s*exrunbook-disable-next-line\b/;

function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The original line numbers each edit replaces or deletes text on (pure insertions touch none). */
function touchedLines(text: string, edits: TextEdit[]): Set<number> {
  const starts = lineStartsOf(text);
  const lineAt = (offset: number) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return line;
  };
  const touched = new Set<number>();
  for (const edit of edits) {
    if (edit.span.end <= edit.span.start) continue;
    const last = lineAt(edit.span.end - 1);
    for (let line = lineAt(edit.span.start); line <= last; line++) touched.add(line);
  }
  return touched;
}

/** Lines a fix for `diagnostic` may change: its own lines, its step, the server it names, and suppression comments. */
function expectedRegion(analysis: Analysis, diagnostic: RunbookDiagnostic): Set<number> {
  const { lines, text } = analysis.parsed;
  const region = new Set<number>();
  const addSpan = (start: number, end: number) => {
    for (let line = lines.positionAt(start).line; line <= lines.positionAt(end).line; line++) region.add(line);
  };
  addSpan(diagnostic.span.start, diagnostic.span.end);
  const steps = analysis.runbook.steps;
  const stepIndex =
    typeof diagnostic.data?.stepIndex === 'number'
      ? diagnostic.data.stepIndex
      : steps.findIndex((step) => step.itemStart <= diagnostic.span.start && diagnostic.span.start <= step.span.end);
  if (steps[stepIndex]) addSpan(steps[stepIndex].itemStart, steps[stepIndex].span.end);
  const server = diagnostic.data?.server;
  for (const declared of analysis.runbook.servers) {
    if (typeof server === 'string' && declared.name?.value.toUpperCase() === server.toUpperCase())
      addSpan(declared.span.start, declared.span.end);
  }
  linesOf(text).forEach((line, index) => {
    if (DIRECTIVE.test(line)) region.add(index);
  });
  return region;
}

/** Is `needles` an ordered sub-list of `haystack`? */
function isSubsequence(needles: string[], haystack: string[]): string | undefined {
  let at = 0;
  for (const needle of needles) {
    while (at < haystack.length && haystack[at] !== needle) at++;
    if (at === haystack.length) return needle;
    at++;
  }
  return undefined;
}

function lineEndingKinds(text: string): Set<string> {
  return new Set((text.match(/\r\n|\r|\n/g) ?? []).map((eol) => JSON.stringify(eol)));
}

/** Every way applying `fix` to `text` broke the contract. */
function fixProblems(analysis: Analysis, fix: CodeActionItem): string[] {
  const text = analysis.parsed.text;
  const problems: string[] = [];
  const fixed = applyEdits(text, fix.edits);
  const original = linesOf(text);
  const result = linesOf(fixed);
  const touched = touchedLines(text, fix.edits);
  const allowed = expectedRegion(analysis, fix.diagnostic);
  const outside = [...touched].filter((line) => !allowed.has(line));
  if (outside.length > 0)
    problems.push(
      `changes lines outside its region: ${outside.map((line) => `${line + 1}: ${JSON.stringify(original[line])}`).join(', ')}`,
    );
  const untouched = original.filter((_line, index) => !touched.has(index));
  const lostLine = isSubsequence(untouched, result);
  if (lostLine !== undefined) problems.push(`an untouched line is gone or moved: ${JSON.stringify(lostLine)}`);
  // Comments the user wrote (not suppression directives, not the diagnostic's own lines) always survive,
  // except inside a step the fix removes on purpose (EXR007's "Remove the unneeded reboot").
  const ownLines = new Set<number>();
  for (let line = fix.diagnostic.range.start.line; line <= fix.diagnostic.range.end.line; line++) ownLines.add(line);
  if (fix.edits.length === 1 && fix.edits[0].newText === '' && /^Remove the unneeded/.test(fix.title))
    for (const line of touched) ownLines.add(line);
  original.forEach((line, index) => {
    if (ownLines.has(index) || DIRECTIVE.test(line)) return;
    const comment = /(^|\s)(#.*)$/.exec(line)?.[2];
    if (comment && !fixed.includes(comment)) problems.push(`comment lost: ${JSON.stringify(comment)}`);
  });
  const before = lineEndingKinds(text);
  if (before.size === 1) {
    const after = lineEndingKinds(fixed);
    if (after.size > 1 || (after.size === 1 && [...after][0] !== [...before][0]))
      problems.push(`line endings changed from ${[...before].join()} to ${[...after].join()}`);
  }
  const hadSyntaxErrors = analysis.parsed.syntaxFindings.length > 0;
  const fixedDiagnostics = toDiagnostics(analyze(fixed));
  if (!hadSyntaxErrors && fixedDiagnostics.some((d) => d.code === 'EXR101'))
    problems.push(`the fixed text is not well-formed YAML: ${fixedDiagnostics.find((d) => d.code === 'EXR101')!.message}`);
  return problems;
}

interface Example {
  name: string;
  text: string;
  firstServer: string;
}

function loadExamples(): Example[] {
  return readdirSync(examplesDir)
    .filter((file) => file.endsWith('.runbook.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(resolve(examplesDir, file), 'utf8').replace(/\r\n/g, '\n');
      const firstServer = /^\s+- name: (\S+)/m.exec(text)?.[1] ?? 'EXCH01';
      return { name: file, text, firstServer };
    });
}

/**
 * Steps that invite each kind of fix: a reboot after the hotfix (EXR007), a misspelt server (EXR010),
 * a repeated id (EXR011), a stale suppression (EXR102).
 */
function situations(server: string): string[][] {
  const misspelt = server.slice(0, -1) + (server.endsWith('1') ? '7' : '1');
  return [
    [
      '  - id: hf-extra',
      '    # a comment inside the hotfix step',
      '    action: install-hotfix',
      `    server: ${server}`,
      '    hotfix: KB924567',
      '  - id: rb-extra',
      '    action: reboot   # trailing note on the reboot',
      `    server: ${server}`,
    ],
    ['  - id: typo', '    action: restart-services', `    server: ${misspelt}`, '    services: [MSExchangeIS]'],
    ['  - { id: twin, action: wait, duration: 5m }', '  # between the twins', '  - { id: twin, action: wait, duration: 5m }'],
    ['  # exrunbook-disable-next-line EXR003', '  - id: quiet', '    action: wait', '    duration: 1m'],
  ];
}

function fuzzedRunbook(example: Example, random: SeededRandom): string {
  const lines = example.text.split('\n');
  const stepsLine = lines.findIndex((line) => line === 'steps:');
  const chosen = situations(example.firstServer).filter(() => random.chance(1, 2));
  lines.splice(stepsLine + 1, 0, ...chosen.flat());
  // Comments everywhere: whole lines at the next line's indentation, and after values.
  for (let i = 0, count = 1 + random.below(6); i < count; i++) {
    const at = random.below(lines.length);
    const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
    lines.splice(at, 0, `${indent}# kept comment ${i} — do not lose`);
  }
  for (let i = 0, count = random.below(4); i < count; i++) {
    const at = random.below(lines.length);
    if (/:\s*\S/.test(lines[at]) && !lines[at].includes('#')) lines[at] += `  # kept trailing ${i}`;
  }
  let text = lines.join('\n');
  if (random.chance(1, 3)) text = mutateEdges(text, random);
  if (random.chance(1, 3)) text = text.replace(/\n/g, '\r\n');
  return text;
}

describe('quick fixes never lose text (property over fuzzed runbooks)', function () {
  this.timeout(120_000);

  it(`${CASES} fuzzed runbooks: every offered fix keeps comments, unrelated lines and line endings, and yields well-formed YAML`, () => {
    const examples = loadExamples();
    const random = new SeededRandom(924567);
    const failures: string[] = [];
    const fixedCodes = new Map<string, number>();
    for (let index = 0; index < CASES; index++) {
      const example = random.pick(examples);
      const text = fuzzedRunbook(example, random);
      const analysis = analyze(text);
      const diagnostics = toDiagnostics(analysis);
      for (const fix of codeActions(analysis, diagnostics)) {
        fixedCodes.set(fix.diagnosticCode, (fixedCodes.get(fix.diagnosticCode) ?? 0) + 1);
        for (const problem of fixProblems(analysis, fix))
          failures.push(`case ${index} (${example.name}), "${fix.title}" for ${fix.diagnosticCode}: ${problem}`);
      }
    }
    // The fuzzing must reach the fixes it means to test.
    for (const code of ['EXR001', 'EXR004', 'EXR007', 'EXR010', 'EXR011', 'EXR102'])
      assert.ok((fixedCodes.get(code) ?? 0) > 0, `no fix for ${code} was exercised: ${JSON.stringify([...fixedCodes])}`);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} problems`);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lintText, type LintResult } from '../src/core/lint';
import type { RunbookDiagnostic } from '../src/core/diagnostics';

/** The repository root (tests run from out/test/…). */
export const repoRoot = resolve(__dirname, '..', '..');
/** The example runbooks shipped in the repository. */
export const examplesDir = resolve(repoRoot, 'examples');

export function readExample(name: string): string {
  return readFileSync(resolve(examplesDir, name), 'utf8');
}

export function lint(text: string): LintResult {
  return lintText(text);
}

export function codes(diagnostics: RunbookDiagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

/** Builds a runbook text from lines, so fixtures read like files. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: RunbookDiagnostic): string {
  return text.slice(d.span.start, d.span.end);
}

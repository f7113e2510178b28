/**
 * Quick fixes for diagnostics: each rule declares its own (rules/exrNNN.ts, `fixes`), looked up
 * here by code; every code a comment may silence also gets "Suppress …". Each fix is a minimal
 * text edit (src/core/edits.ts) that removes its diagnostic and adds none. A request costs what the
 * diagnostics at the cursor cost: fixes read the analysis already made and parse only the step
 * they edit, never the whole text.
 */
import type { RunbookDiagnostic, Span } from '../diagnostics';
import { suppressAtLine, suppressForStep, type TextEdit } from '../edits';
import type { Analysis } from '../lint';
import type { Step } from '../model/types';
import { ruleInfo, type FixContext } from '../rules';

export interface CodeActionItem {
  title: string;
  kind: 'quickfix';
  diagnosticCode: string;
  /** The diagnostic the action fixes (adapters attach it so the editor links them). */
  diagnostic: RunbookDiagnostic;
  isPreferred?: boolean;
  edits: TextEdit[];
}

/** The quick fixes for the given diagnostics (those at the cursor or selection). */
export function codeActions(analysis: Analysis, diagnostics: readonly RunbookDiagnostic[]): CodeActionItem[] {
  const actions: CodeActionItem[] = [];
  for (const diagnostic of diagnostics) {
    const context = fixContext(analysis, diagnostic);
    const rule = ruleInfo(diagnostic.code);
    for (const fix of rule?.fixes?.(context) ?? []) {
      if (fix.edits.length > 0) actions.push({ kind: 'quickfix', diagnosticCode: diagnostic.code, diagnostic, ...fix });
    }
    if (rule?.offerSuppression === false) continue;
    const suppress = suppression(analysis, context);
    if (suppress && suppress.edits.length > 0) actions.push({ kind: 'quickfix', diagnosticCode: diagnostic.code, diagnostic, ...suppress });
  }
  return actions;
}

/** Diagnostics whose span touches `span` (a cursor is an empty span). */
export function diagnosticsAt(diagnostics: readonly RunbookDiagnostic[], span: Span): RunbookDiagnostic[] {
  return diagnostics.filter((d) => d.span.start <= span.end && span.start <= d.span.end);
}

function fixContext(analysis: Analysis, diagnostic: RunbookDiagnostic): FixContext {
  const step = stepOf(analysis, diagnostic);
  const server = typeof diagnostic.data?.server === 'string' ? diagnostic.data.server : (step?.from?.value ?? step?.server?.value);
  return { analysis, diagnostic, step, server, states: analysis.context?.states };
}

/** `# exrunbook-disable-next-line CODE` above the step the diagnostic is in, or above its line. */
function suppression(analysis: Analysis, { diagnostic, step }: FixContext): { title: string; edits: TextEdit[] } | undefined {
  const { text } = analysis.parsed;
  const { code } = diagnostic;
  if (step && startsItsLine(text, step))
    return { title: `Suppress ${code} for this step`, edits: suppressForStep(text, analysis.runbook, step.index, code) };
  if (!step) return { title: `Suppress ${code} on this line`, edits: suppressAtLine(text, diagnostic.span.start, code) };
  return undefined;
}

/** The step a diagnostic is about: its data says so, or the step whose text holds it (steps are in text order). */
function stepOf(analysis: Analysis, diagnostic: RunbookDiagnostic): Step | undefined {
  const steps = analysis.runbook.steps;
  const fromData = diagnostic.data?.stepIndex;
  if (typeof fromData === 'number' && steps[fromData]) return steps[fromData];
  const offset = diagnostic.span.start;
  let low = 0;
  let high = steps.length - 1;
  let found: Step | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (steps[mid].itemStart <= offset) {
      found = steps[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found && offset <= found.span.end ? found : undefined;
}

/** A suppression comment covers a step only when the step's `-` opens its line (not inside a flow sequence). */
function startsItsLine(text: string, step: Step): boolean {
  let i = step.itemStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return (i < 0 || text[i] === '\n' || text[i] === '\r') && text[step.itemStart] === '-';
}

/** Quick fixes for diagnostics: each a minimal text edit (src/core/edits.ts) that removes its diagnostic and adds none. */
import type { RunbookDiagnostic, Span } from '../diagnostics';
import {
  insertEnableMtaStepBefore,
  insertHotfixStepBefore,
  insertServicePackStepBefore,
  removeStep,
  removeSuppression,
  setGatewayOutThreadsZeroBefore,
  suppressAtLine,
  suppressForStep,
  uniqueStepId,
  type TextEdit,
} from '../edits';
import type { Analysis } from '../lint';
import { serverKey, type Step } from '../model/types';

export interface CodeActionItem {
  title: string;
  kind: 'quickfix';
  diagnosticCode: string;
  /** The diagnostic the action fixes (adapters attach it so the editor links them). */
  diagnostic: RunbookDiagnostic;
  isPreferred?: boolean;
  edits: TextEdit[];
}

/** Codes that cannot be suppressed by a comment: broken YAML, and the report about suppressions themselves. */
const UNSUPPRESSIBLE = new Set(['EXR101', 'EXR102']);

/** The quick fixes for the given diagnostics (those at the cursor or selection). */
export function codeActions(analysis: Analysis, diagnostics: readonly RunbookDiagnostic[]): CodeActionItem[] {
  const actions: CodeActionItem[] = [];
  for (const diagnostic of diagnostics) {
    for (const action of fixesFor(analysis, diagnostic)) if (action.edits.length > 0) actions.push(action);
  }
  return actions;
}

/** Diagnostics whose span touches `span` (a cursor is an empty span). */
export function diagnosticsAt(diagnostics: readonly RunbookDiagnostic[], span: Span): RunbookDiagnostic[] {
  return diagnostics.filter((d) => d.span.start <= span.end && span.start <= d.span.end);
}

function fixesFor(analysis: Analysis, diagnostic: RunbookDiagnostic): CodeActionItem[] {
  const { text } = analysis.parsed;
  const { runbook } = analysis;
  const stepIndex = stepIndexOf(analysis, diagnostic);
  const step = stepIndex === undefined ? undefined : runbook.steps[stepIndex];
  const server = typeof diagnostic.data?.server === 'string' ? diagnostic.data.server : (step?.from?.value ?? step?.server?.value);
  const action = (title: string, edits: TextEdit[], isPreferred?: boolean): CodeActionItem => ({
    title,
    kind: 'quickfix',
    diagnosticCode: diagnostic.code,
    diagnostic,
    isPreferred,
    edits,
  });
  const fixes: CodeActionItem[] = [];
  if (analysis.context && stepIndex !== undefined && server !== undefined) {
    switch (diagnostic.code) {
      case 'EXR001':
        fixes.push(
          action(
            `Insert KB924567 install step on ${server} before this move`,
            insertHotfixStepBefore(text, runbook, stepIndex, server),
            true,
          ),
        );
        fixes.push(
          action(`Enable the MTA service on ${server} before this move`, insertEnableMtaStepBefore(text, runbook, stepIndex, server)),
        );
        break;
      case 'EXR004':
        fixes.push(
          action(`Set Gateway Out Threads to 0 on ${server}`, setGatewayOutThreadsZeroBefore(text, runbook, stepIndex, server), true),
        );
        break;
      case 'EXR002': {
        const state = analysis.context.states.before[stepIndex]?.get(serverKey(server));
        // A service pack only helps an Exchange 2003 server; other versions cannot take this hotfix at all.
        if (state?.exchange === 2003)
          fixes.push(
            action(
              'Insert install-service-pack 2 before the hotfix',
              insertServicePackStepBefore(text, runbook, stepIndex, server, 2),
              true,
            ),
          );
        break;
      }
      case 'EXR007':
        fixes.push(action('Remove the unneeded reboot', removeStep(text, runbook, stepIndex), true));
        break;
    }
  }
  if (diagnostic.code === 'EXR010' && typeof diagnostic.data?.suggestion === 'string') {
    const suggestion = diagnostic.data.suggestion;
    fixes.push(action(`Change to the declared server ${suggestion}`, [{ span: diagnostic.span, newText: suggestion }], true));
  }
  if (diagnostic.code === 'EXR011' && step?.id && diagnostic.span.start === step.id.span.start) {
    const id = uniqueStepId(runbook, step.id.value);
    fixes.push(action(`Rename this step to ${id}`, [{ span: step.id.span, newText: id }], true));
  }
  if (diagnostic.code === 'EXR102') {
    const code = typeof diagnostic.data?.suppressedCode === 'string' ? diagnostic.data.suppressedCode : undefined;
    fixes.push(
      action(
        code ? `Remove ${code} from this suppression comment` : 'Remove this suppression comment',
        removeSuppression(text, diagnostic.span, code),
        true,
      ),
    );
  }
  if (!UNSUPPRESSIBLE.has(diagnostic.code)) {
    if (step && startsItsLine(text, step))
      fixes.push(action(`Suppress ${diagnostic.code} for this step`, suppressForStep(text, runbook, stepIndex!, diagnostic.code)));
    else if (!step)
      fixes.push(action(`Suppress ${diagnostic.code} on this line`, suppressAtLine(text, diagnostic.span.start, diagnostic.code)));
  }
  return fixes;
}

/** The step a diagnostic is about: its data says so, or the step whose text holds it. */
function stepIndexOf(analysis: Analysis, diagnostic: RunbookDiagnostic): number | undefined {
  const steps = analysis.runbook.steps;
  const fromData = diagnostic.data?.stepIndex;
  if (typeof fromData === 'number' && steps[fromData]) return fromData;
  const index = steps.findIndex((step) => step.itemStart <= diagnostic.span.start && diagnostic.span.start <= step.span.end);
  return index >= 0 ? index : undefined;
}

/** A suppression comment covers a step only when the step's `-` opens its line (not inside a flow sequence). */
function startsItsLine(text: string, step: Step): boolean {
  let i = step.itemStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return (i < 0 || text[i] === '\n' || text[i] === '\r') && text[step.itemStart] === '-';
}

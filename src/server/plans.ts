/**
 * `exrunbook/findPlans`: the planner (core/planner) on a document, run here in the language
 * server (never in the extension host), a few simulation slices at a time with a turn of the event
 * loop between them, so the server keeps answering and sees the client's cancellation. Progress
 * goes to the client as `exrunbook/planProgress`.
 */
import type { CancellationToken, Diagnostic } from 'vscode-languageserver';
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { formatClock, formatOffset } from '../core/format/duration';
import { mailCell, planSearch, type PlanOutcome, type PlanProgress } from '../core/planner';
import { ruleInfo } from '../core/rules';
import { FIND_SAFE_PLAN_COMMAND, type FindPlansResult, type PlanSummary } from '../protocol/server';
import type { RunbookState } from './documents';

/** Milliseconds of planning between two turns of the event loop. */
const TURN_MS = 20;

export async function findPlansFor(
  state: RunbookState,
  token: CancellationToken,
  progress: (progress: PlanProgress) => void,
  options: { models?: boolean } = {},
): Promise<FindPlansResult> {
  const { analysis, version, settings, mailboxFiles } = state;
  const search = planSearch(analysis.parsed.text, {
    assumptions: settings.assumptions,
    mailboxFiles,
    maxEventsPerRun: settings.maxEvents,
    now: () => performance.now(),
    shouldCancel: () => token.isCancellationRequested,
    onProgress: progress,
  });
  let turnStarted = performance.now();
  for (;;) {
    const step = search.next();
    if (step.done) {
      const result = step.value;
      if (result.refused) return { version, problem: result.refused };
      return {
        version,
        plans: result.plans.map((plan) => summary(state, plan, options.models)),
        asWritten: result.asWritten && { problems: problemLines(result.asWritten) },
        bestPartial: result.bestPartial && {
          ...summary(state, result.bestPartial, options.models),
          problems: problemLines(result.bestPartial),
        },
        searched: result.searched,
        stopped: result.stopped,
      };
    }
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      turnStarted = performance.now();
    }
  }
}

function problemLines(plan: PlanOutcome): string[] {
  return plan.problems.map((p) => `${p.code} ${p.message}`);
}

function summary(state: RunbookState, plan: PlanOutcome, withModel = false): PlanSummary {
  const lines = state.analysis.parsed.lines;
  return {
    ...(withModel ? { runbook: plan.runbook } : {}),
    finish: plan.finishIsClock ? formatClock(plan.finish) : formatOffset(plan.finish),
    peakThreadsBusy: plan.peakThreadsBusy,
    threadPool: plan.threadPool,
    worstLocalDeliveryQueue: plan.worstDeliveryQueue,
    mailStaysUp: plan.mailStaysUp,
    mail: mailCell(plan.strain),
    mailReason: plan.strain.reason,
    stepsChanged: plan.stepsChanged,
    changes: plan.changes,
    edits: plan.edits.map((edit) => ({ range: lines.rangeOf(edit.span), newText: edit.newText })),
  };
}

/** "Find a safe plan…" for the diagnostics whose rule the planner solves (RuleInfo.plan), once per request. */
export function findPlanAction(uri: string, sent: readonly Diagnostic[]): CodeAction[] {
  const about = sent.filter((d) => d.code !== undefined && ruleInfo(String(d.code))?.plan === 'solves');
  if (about.length === 0) return [];
  return [
    {
      title: 'Find a safe plan…',
      kind: CodeActionKind.QuickFix,
      diagnostics: about,
      command: { title: 'Find a safe plan', command: FIND_SAFE_PLAN_COMMAND, arguments: [uri] },
    },
  ];
}

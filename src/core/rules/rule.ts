import type { Finding, RunbookDiagnostic, Severity } from '../diagnostics';
import type { TextEdit } from '../edits';
import type { Analysis } from '../lint';
import type { Assumptions } from '../model/assumptions';
import type { Schedule } from '../model/schedule';
import type { StateTimeline } from '../model/state';
import type { Runbook, ServerDecl, Step } from '../model/types';

/**
 * What every rule code carries: its contract (docs/rules/EXRnnn.md) and its policy. Policy lives
 * with the rule so that adding a rule touches its own file, its page, its golden test and the list
 * in rules/index.ts, nothing else.
 */
export interface RuleInfo {
  code: string;
  defaultSeverity: Severity;
  /** False: reported only when the `exrunbook.rules` setting (or `exrunbook lint --enable`) turns it on, at `defaultSeverity`. */
  enabledByDefault?: boolean;
  title: string;
  /** Fact ids (docs/domain-facts.md, features/facts.ts) this rule rests on. */
  facts: string[];
  /** What the rule means and why it matters, in a paragraph (SARIF help, hover). */
  explanation: string;
  /** A finding of this code leaves the model too incomplete or ambiguous to simulate (lint.ts isSimulatable). */
  blocksSimulation?: boolean;
  /** False: the editor offers no "Suppress …" quick fix for it (default true). */
  offerSuppression?: boolean;
  /** Its findings come from a simulation, after the others: until one has run, a suppression naming it is not "unused". */
  fromSimulation?: boolean;
  /** The editor fades the text it marks (it does nothing, like unused code). */
  fadesText?: boolean;
  /**
   * What the planner (core/planner) does about it: 'solves' — a plan must leave none of it, and the
   * editor offers "Find a safe plan" on it; 'mustNotAdd' — a plan must not add any (the runbook's own may stay).
   */
  plan?: 'solves' | 'mustNotAdd';
  /** Quick fixes for one diagnostic of this code (features/codeActions.ts asks the rule by code). */
  fixes?: (context: FixContext) => QuickFix[];
}

/** What a rule's quick-fix provider is given: the analysis already made, and what the diagnostic is about. */
export interface FixContext {
  analysis: Analysis;
  diagnostic: RunbookDiagnostic;
  /** The step the diagnostic is about (its data says so, or it lies inside the step), if any. */
  step?: Step;
  /** The server the diagnostic names (its data), else the step's `from` or `server`. */
  server?: string;
  /** Each server's state before each step; undefined while the YAML does not parse. */
  states?: StateTimeline;
}

/** One quick fix: a minimal text edit (src/core/edits.ts). A fix without edits is not offered. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/** Everything the semantic pass knows about a runbook, shared by the rules. */
export interface RuleContext {
  runbook: Runbook;
  /** Each server's state before each step. */
  states: StateTimeline;
  schedule: Schedule;
  assumptions: Assumptions;
  /** Declared servers by serverKey(name) (the first declaration of a name). */
  declared: ReadonlyMap<string, ServerDecl>;
  /**
   * The step ids used by more than one step, each with its steps in order: kept up to date by the
   * incremental analyzer (lint.ts StepIdIndex); when absent, EXR011 finds them (`repeatedStepIds`).
   */
  repeatedIds?: ReadonlyMap<string, readonly Step[]>;
  /**
   * What a rule keeps between analyses of one document, by rule code (the incremental analyzer's,
   * lint.ts SemanticCaches.rules); absent in analyze(), where every rule computes afresh.
   */
  memos?: Map<string, unknown>;
}

/** A rule's memo for this document (RuleContext.memos), made on first use; undefined in analyze(), which keeps none. */
export function ruleMemo<T>(context: RuleContext, code: string, create: () => T): T | undefined {
  if (!context.memos) return undefined;
  let memo = context.memos.get(code) as T | undefined;
  if (memo === undefined) context.memos.set(code, (memo = create()));
  return memo;
}

/** A rule the semantic pass runs over the model; codes produced elsewhere (parser, schema, simulator) are plain RuleInfo. */
export interface SemanticRule extends RuleInfo {
  check(context: RuleContext): Finding[];
  /**
   * For a rule that judges each step on its own (`byStep`): its findings about one step. They may
   * read only the step, the step before it, the states before the step of the servers the step
   * names (`server`, `from`, `to`), the declared servers' names and `simulation.flushTimeout`, and
   * every span they carry lies inside the step: lint.ts caches them per step on exactly that
   * (ARCHITECTURE.md, "the per-step findings cache").
   */
  checkStep?(context: RuleContext, step: Step): Finding[];
  /** With `checkStep`: the findings not about a step (the inventory's), reported before the steps'. */
  checkRunbook?(context: RuleContext): Finding[];
}

/** `check`, `checkStep` and `checkRunbook` of a rule that judges each step on its own (see `checkStep`). */
export function byStep(
  checkStep: (context: RuleContext, step: Step) => Finding[],
  checkRunbook?: (context: RuleContext) => Finding[],
): Pick<SemanticRule, 'check' | 'checkStep' | 'checkRunbook'> {
  return {
    checkStep,
    checkRunbook,
    check(context) {
      const findings = checkRunbook ? checkRunbook(context) : [];
      for (const step of context.runbook.steps) for (const finding of checkStep(context, step)) findings.push(finding);
      return findings;
    },
  };
}

export function isSemanticRule(rule: RuleInfo): rule is SemanticRule {
  return typeof (rule as SemanticRule).check === 'function';
}

/** "`wave1`", or "step 3" for a step without an id. */
export function stepLabel(step: Step): string {
  return step.id ? `\`${step.id.value}\`` : `step ${step.index + 1}`;
}

/** The declared spelling of a server name, falling back to how the step wrote it. */
export function declaredName(context: RuleContext, key: string, fallback: string): string {
  return context.declared.get(key)?.name?.value ?? fallback;
}

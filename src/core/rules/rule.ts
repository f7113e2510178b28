import type { Finding, Severity } from '../diagnostics';
import type { Assumptions } from '../model/assumptions';
import type { Schedule } from '../model/schedule';
import type { StateTimeline } from '../model/state';
import type { Runbook, ServerDecl, Step } from '../model/types';

/** What every rule code carries: the contract in docs/runbook-format.md plus the docs page. */
export interface RuleInfo {
  code: string;
  defaultSeverity: Severity;
  title: string;
  /** Fact ids from docs/domain-facts.md this rule rests on. */
  facts: string[];
  /** What the rule means and why it matters, in a paragraph (SARIF help, hover). */
  explanation: string;
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
}

export interface SemanticRule extends RuleInfo {
  check(context: RuleContext): Finding[];
}

/** "`wave1`", or "step 3" for a step without an id. */
export function stepLabel(step: Step): string {
  return step.id ? `\`${step.id.value}\`` : `step ${step.index + 1}`;
}

/** The declared spelling of a server name, falling back to how the step wrote it. */
export function declaredName(context: RuleContext, key: string, fallback: string): string {
  return context.declared.get(key)?.name?.value ?? fallback;
}

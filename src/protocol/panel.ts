/**
 * The messages between the extension host (src/extension/simulatePanel.ts) and the simulation
 * page (src/webview/main.ts): the one file both sides import, so a renamed field breaks the
 * build instead of the panel. Types and constants only; everything here is plain JSON: it
 * crosses postMessage and is kept by vscode.setState.
 */
import type { Assumptions } from '../core/model/assumptions';
import type { Runbook } from '../core/model/types';
import type { WhatIf } from '../core/simulator/index';

export const SIMULATION_VIEW_TYPE = 'exrunbook.simulation';

/** Why a runbook cannot be simulated, in the words the Problems panel uses. */
export interface BlockingProblem {
  code: string;
  message: string;
  /** 0-based, as LSP. */
  line: number;
}

/** What the panel shows of a runbook: the language server's model of it (src/protocol/server.ts RunbookModel adds the version). */
export interface RunbookView {
  runbook: Runbook;
  /** False when errors stop the simulation. */
  simulatable: boolean;
  /** The errors that stop it (at most a handful), when not simulatable. */
  blockingProblems: BlockingProblem[];
  /** How many errors stop it (blockingProblems lists the first few). */
  errorCount: number;
  /** Assumptions set in the settings (exrunbook.simulation.*), and the event budget. */
  assumptions: Partial<Assumptions>;
  maxEvents: number;
}

/** The runbook the panel shows, sent whenever the document changes (debounced) or the page asks. */
export interface RunbookMessage extends RunbookView {
  type: 'runbook';
  documentUri: string;
  /** The file's base name, for titles and export file names. */
  fileName: string;
  documentVersion: number;
  /** The step a CodeLens was clicked on, to highlight. */
  focusStepIndex?: number;
}

/** The answer to an export or apply request. */
export interface NoticeMessage {
  type: 'notice';
  level: 'info' | 'error';
  message: string;
  /** The document version the notice is about (an edit just applied): the page hides it once a later version arrives. */
  documentVersion?: number;
}

/**
 * One plan the planner found, as the panel lists it (the language server's `exrunbook/findPlans`
 * answer without its text edits, which stay with the host). A field added here is a column away
 * from the panel's list (src/webview/plans.ts PLAN_COLUMNS).
 */
export interface PlanView {
  /** When the last step ends, in words ("23:47 UTC", or a time from the start). */
  finish: string;
  peakThreadsBusy: number;
  threadPool: number;
  worstLocalDeliveryQueue: number;
  /** The local delivery queue stays under the analyzer's line and no server runs out of threads (core/planner/strain.ts). */
  mailStaysUp: boolean;
  /** That in a cell: "up", or the worst queue ("queue 3,067"). */
  mail: string;
  /** Why mail stays up or not, in words ("… reaches 3,067 (above 1,000) at 22:09 UTC … while the store restarts …"). */
  mailReason: string;
  stepsChanged: number;
  /** The changes in words; empty for the runbook as written. */
  changes: string[];
  /** Why it is not safe (codes and messages): only for the closest option when none is safe. */
  problems?: string[];
  /** The plan's runbook model, when asked for (`FindPlansParams.models`): the page simulates it for the overlay. */
  runbook?: Runbook;
}

/** A plan's change in one line, as the panel's list and the QuickPick show it. */
export function describeChange(plan: Pick<PlanView, 'changes'>): string {
  return plan.changes.length > 0 ? plan.changes.join('; ') : 'the runbook as written is safe';
}

/** How far the search is (the server's `exrunbook/planProgress`). */
export interface PlanProgressMessage {
  type: 'planProgress';
  searched: number;
  candidates: number;
  found: number;
}

/** The search's answer for the document at `documentVersion` (or why there is none). */
export type PlansMessage = { type: 'plans'; documentVersion: number } & (
  | {
      plans: PlanView[];
      /** When none is safe: the closest option, its `problems` saying why. */
      bestPartial?: PlanView;
      /** What the runbook as written has against it. */
      asWrittenProblems: string[];
      searched: number;
      stopped: string;
    }
  | { problem: string }
  | { cancelled: true }
);

export type HostToWebview = RunbookMessage | NoticeMessage | PlanProgressMessage | PlansMessage;

/** A what-if change the engineer asks to write into the runbook. */
export type RunbookChange = { kind: 'hotfix'; server: string } | { kind: 'concurrency'; concurrency: number };

export type ExportFormat = 'csv' | 'json' | 'png';

export type WebviewToHost =
  /** The page is up (first load, reload after hiding): send the runbook. */
  | { type: 'ready' }
  | { type: 'apply'; documentUri: string; change: RunbookChange }
  /** `content` is text for csv/json and a base64 PNG (no data: prefix) for png. */
  | { type: 'export'; format: ExportFormat; suggestedName: string; content: string }
  | { type: 'showProblems' }
  | { type: 'revealStep'; documentUri: string; stepIndex: number }
  /** Search for safe plans (in the language server), and stop that search. */
  | { type: 'findPlans'; documentUri: string }
  | { type: 'cancelPlans' }
  /** Write plan `index` of the plans found for `documentVersion` into the runbook. */
  | { type: 'applyPlan'; documentUri: string; documentVersion: number; index: number };

/** What the webview keeps with vscode.setState so a reload (or VS Code restart) looks the same. */
export interface PanelState {
  documentUri?: string;
  whatIf: WhatIf;
  /** The last runbook message, so a restored panel draws before the host answers. */
  lastRunbook?: RunbookMessage;
}

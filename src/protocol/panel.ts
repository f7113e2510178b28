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

export type HostToWebview = RunbookMessage | NoticeMessage;

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
  | { type: 'revealStep'; documentUri: string; stepIndex: number };

/** What the webview keeps with vscode.setState so a reload (or VS Code restart) looks the same. */
export interface PanelState {
  documentUri?: string;
  whatIf: WhatIf;
  /** The last runbook message, so a restored panel draws before the host answers. */
  lastRunbook?: RunbookMessage;
}

/**
 * What the extension (src/extension) and the language server (src/server) say to each other
 * beyond LSP: the simulation panel's requests, the server's status, and the options the
 * extension starts the server with. Other editors need none of it. Types and constants only.
 */
import type { PlanView, RunbookChange, RunbookView } from './panel';

/** `initializationOptions` the extension sends; every field is optional (other clients send nothing). */
export interface ServerInitializationOptions {
  /** The extension's folder as a URI: the rule pages, which diagnostics' code links and hovers open, are under docs/rules there. */
  packageRoot?: string;
  /** The client has the `exrunbook.simulate` command (core/features/codeLens.ts): offer the "▶ Simulate" CodeLens. */
  simulateCommand?: boolean;
  /**
   * The client has the `exrunbook.showRule` command (argument: the code), which shows a rule page
   * rendered: code links and hovers run it instead of opening the page's raw Markdown file.
   */
  showRuleCommand?: boolean;
  /** The client answers `exrunbook/workspaceRunbooks` and `exrunbook/readRunbook`: check the runbooks that are not open. */
  workspaceRunbooks?: boolean;
  /** The client has the `exrunbook.findSafePlan` command: offer "Find a safe plan" as a code action. */
  findSafePlanCommand?: boolean;
  /** The client answers `exrunbook/readFile` (mailbox list files, through its workspace file system) and sends `exrunbook/filesChanged`. */
  readsFiles?: boolean;
}

/** The command that shows a rule page rendered (argument: the code). */
export const SHOW_RULE_COMMAND = 'exrunbook.showRule';

/** `exrunbook/runbookModel`: what the simulation panel shows for a document, at the server's version of it. */
export const RUNBOOK_MODEL_REQUEST = 'exrunbook/runbookModel';

export interface RunbookModelParams {
  uri: string;
}

export interface RunbookModel extends RunbookView {
  /** The document version this was computed from (the client compares it with the editor's). */
  version: number;
}

/** `exrunbook/panelEdits`: the text edits that write a what-if into the runbook. */
export const PANEL_EDITS_REQUEST = 'exrunbook/panelEdits';

export interface PanelEditsParams {
  uri: string;
  change: RunbookChange;
}

export interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

export type PanelEditsResult = { version: number; edits: LspTextEdit[]; description: string } | { version: number; problem: string };

/** `exrunbook/status` (server → client notification): what the server is doing, for the language status item. */
export const STATUS_NOTIFICATION = 'exrunbook/status';

export interface ServerStatus {
  state: 'idle' | 'analysing' | 'simulating';
  /** The document being worked on (analysing, simulating). */
  uri?: string;
  /** The last finished analysis. */
  lastAnalysis?: { uri: string; milliseconds: number; finishedAt: string };
}

/**
 * Background lint of the workspace's runbooks that are not open (src/server/workspace.ts). The
 * server asks the client which runbook files there are (`exrunbook/workspaceRunbooks`, at most
 * `limit`) and for the text of each (`exrunbook/readRunbook`: null when it is over `maxBytes` or
 * unreadable); it analyses them itself, publishes their diagnostics and sends a summary.
 */
export const WORKSPACE_RUNBOOKS_REQUEST = 'exrunbook/workspaceRunbooks';
export const READ_RUNBOOK_REQUEST = 'exrunbook/readRunbook';
export const WORKSPACE_SUMMARY_NOTIFICATION = 'exrunbook/workspaceSummary';

export interface WorkspaceRunbooksParams {
  limit: number;
}

export interface ReadRunbookParams {
  uri: string;
  maxBytes: number;
}

export interface WorkspaceSummary {
  /** Runbooks checked (open ones included), and those with errors or warnings. */
  files: number;
  errors: number;
  warnings: number;
  /** Files found beyond the limit, too large or unreadable: not checked. */
  skipped: number;
}

/** `exrunbook/findPlans`: the planner (core/planner) on a document, run in the server in slices; cancellable. */
export const FIND_PLANS_REQUEST = 'exrunbook/findPlans';

export interface FindPlansParams {
  uri: string;
  /** Send each plan's runbook model too (`PlanView.runbook`): the simulation panel simulates it in its worker for the overlay. */
  models?: boolean;
}

/** One plan, as the client lists it (src/protocol/panel.ts PlanView); `edits` make it in the document at `version`. */
export interface PlanSummary extends PlanView {
  edits: LspTextEdit[];
}

export type FindPlansResult =
  | {
      version: number;
      plans: PlanSummary[];
      asWritten?: { problems: string[] };
      /** When no plan is safe: the option that came closest, with why it is not safe (`problems`). */
      bestPartial?: PlanSummary;
      searched: number;
      stopped: string;
    }
  | { version: number; problem: string };

/** `exrunbook/planProgress` (server → client notification) while a search runs. */
export const PLAN_PROGRESS_NOTIFICATION = 'exrunbook/planProgress';

export interface PlanProgressParams {
  uri: string;
  searched: number;
  candidates: number;
  found: number;
}

/** The client command the "Find a safe plan" code action runs, with the document's URI as its argument. */
export const FIND_SAFE_PLAN_COMMAND = 'exrunbook.findSafePlan';

/** `exrunbook/readFile` (server → client): a mailbox list file next to a runbook, read by the client (bounded). */
export const READ_FILE_REQUEST = 'exrunbook/readFile';

export interface ReadFileParams {
  uri: string;
}

export type ReadFileResult = { text: string } | { error: string };

/** `exrunbook/filesChanged` (client → server): files the server asked for changed; runbooks naming them are read again. */
export const FILES_CHANGED_NOTIFICATION = 'exrunbook/filesChanged';

export interface FilesChangedParams {
  uris: string[];
}

/** The largest mailbox list file a client reads. */
export const MAX_LIST_FILE_BYTES = 16 * 1024 * 1024;

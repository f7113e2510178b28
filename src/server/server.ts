/**
 * The Exchange Runbook language server over any LSP connection (a Node process for VS Code and
 * other editors, a Web Worker for vscode.dev): it holds the documents, runs the core on them and
 * answers in LSP terms. Diagnostics are pushed (`textDocument/publishDiagnostics`): see
 * ARCHITECTURE.md for why not pulled. node.ts and browser.ts make the connection.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type _Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import type { RunbookDiagnostic } from '../core/diagnostics';
import { ruleDocPath } from '../core/rules';
import type { ServerInitializationOptions } from '../protocol/server';
import {
  FILES_CHANGED_NOTIFICATION,
  FIND_PLANS_REQUEST,
  PANEL_EDITS_REQUEST,
  PLAN_PROGRESS_NOTIFICATION,
  READ_RUNBOOK_REQUEST,
  RUNBOOK_MODEL_REQUEST,
  STATUS_NOTIFICATION,
  WORKSPACE_RUNBOOKS_REQUEST,
  WORKSPACE_SUMMARY_NOTIFICATION,
  type ReadRunbookParams,
  type WorkspaceRunbooksParams,
  READ_FILE_REQUEST,
  type ReadFileResult,
} from '../protocol/server';
import { WorkspaceRunbooks } from './workspace';
import { RunbookDocuments } from './documents';
import {
  DIAGNOSTIC_SOURCE,
  codeActionsFor,
  codeLensesFor,
  completionsFor,
  foldingFor,
  hoverFor,
  ruleCommandLink,
  ruleDocUrl,
  symbolsFor,
  toLspDiagnostic,
} from './features';
import { DEFAULT_FOLDING_RANGE_LIMIT, limitDiagnostics, omittedDiagnosticsNote } from './limits';
import { panelEditsFor, runbookModelFor } from './panel';
import { findPlanAction, findPlansFor } from './plans';
import { DEFAULT_SETTINGS, readSettings, type RunbookSettings } from './settings';

export const SERVER_NAME = 'exrunbook-language-server';

/** What this server implements; `initialize` answers with exactly this. */
export const CAPABILITIES: ServerCapabilities = {
  positionEncoding: 'utf-16',
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  completionProvider: { triggerCharacters: [':', ' ', '-'] },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentSymbolProvider: { label: 'Runbook' },
  foldingRangeProvider: true,
  codeLensProvider: { resolveProvider: false },
};

export interface ServerOptions {
  version: string;
  /** LSP's `exit` arrived: end with this code (0 after `shutdown`, 1 without). Node's stdio connection ends the process itself. */
  onExit?: (code: number) => void;
  /** The package folder (rule pages under docs/rules) when the client does not say: the Node server knows its own. */
  defaultPackageRoot?: string;
}

/** What the entry points need to know of a running server. */
export interface RunningServer {
  readonly shutdownReceived: boolean;
}

export function startServer(connection: _Connection, options: ServerOptions): RunningServer {
  const texts = new TextDocuments(TextDocument);
  let packageRoot = options.defaultPackageRoot;
  let simulateCommand = false;
  let showRuleCommand = false;
  let workspace: WorkspaceRunbooks | undefined;
  let findSafePlanCommand = false;
  let readsFiles = false;
  let pullsConfiguration = false;
  let refreshesCodeLens = false;
  let pushedSettings: unknown;
  let shuttingDown = false;
  const settingsCache = new Map<string, Promise<RunbookSettings>>();

  /** The `exrunbook` settings for a document: asked of the client once (workspace/configuration), then cached. */
  const settingsFor = (uri: string): Promise<RunbookSettings> => {
    if (!pullsConfiguration) return Promise.resolve(readSettings(pushedSettings));
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = connection.workspace.getConfiguration({ scopeUri: uri, section: 'exrunbook' }).then(readSettings, (error: unknown) => {
        connection.console.warn(`could not read the exrunbook settings (${String(error)}); using the defaults`);
        return DEFAULT_SETTINGS;
      });
      settingsCache.set(uri, settings);
    }
    return settings;
  };

  // A client that can show a rule page rendered gets a link that asks it to; others get the page's file.
  const docLink = (code: string) =>
    showRuleCommand ? ruleCommandLink(code) : packageRoot ? ruleDocUrl(packageRoot, code) : ruleDocPath(code);
  let foldingRangeLimit = DEFAULT_FOLDING_RANGE_LIMIT;

  /** A document's diagnostics in LSP terms, at most MAX_DIAGNOSTICS of them and a note of the rest (limits.ts). */
  const lspDiagnostics = (uri: string, diagnostics: readonly RunbookDiagnostic[]): Diagnostic[] => {
    const link = showRuleCommand || packageRoot ? docLink : undefined;
    const { shown, omitted } = limitDiagnostics(diagnostics);
    const result = shown.map((d) => toLspDiagnostic(d, uri, link));
    return omitted.length > 0 ? [omittedDiagnosticsNote(omitted, DIAGNOSTIC_SOURCE), ...result] : result;
  };

  const documents = new RunbookDocuments(
    {
      publish: (uri, version, diagnostics) => {
        if (shuttingDown) return;
        void connection.sendDiagnostics({ uri, version, diagnostics: lspDiagnostics(uri, diagnostics) });
        workspace?.documentPublished(uri);
      },
      simulationChanged: () => {
        if (refreshesCodeLens && !shuttingDown) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
      },
      status: (status) => {
        if (!shuttingDown) void connection.sendNotification(STATUS_NOTIFICATION, status);
      },
      log: (message) => connection.console.log(message),
    },
    settingsFor,
    // Mailbox list files are read by the client (its workspace file system works in virtual workspaces too).
    async (uri) =>
      readsFiles
        ? ((await connection.sendRequest(READ_FILE_REQUEST, { uri })) as ReadFileResult)
        : { error: 'this editor does not read files next to the runbook (`exrunbook lint` does)' },
  );
  connection.onNotification(FILES_CHANGED_NOTIFICATION, (params: { uris?: unknown }) => {
    if (Array.isArray(params?.uris)) documents.filesChanged(params.uris.filter((uri): uri is string => typeof uri === 'string'));
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const initialization = (params.initializationOptions ?? {}) as ServerInitializationOptions;
    if (typeof initialization.packageRoot === 'string') packageRoot = initialization.packageRoot;
    simulateCommand = initialization.simulateCommand === true;
    showRuleCommand = initialization.showRuleCommand === true;
    if (initialization.workspaceRunbooks === true) workspace = workspaceRunbooks();
    findSafePlanCommand = initialization.findSafePlanCommand === true;
    readsFiles = initialization.readsFiles === true;
    pullsConfiguration = params.capabilities.workspace?.configuration === true;
    refreshesCodeLens = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    const rangeLimit = params.capabilities.textDocument?.foldingRange?.rangeLimit;
    foldingRangeLimit =
      typeof rangeLimit === 'number' && Number.isInteger(rangeLimit) && rangeLimit > 0 ? rangeLimit : DEFAULT_FOLDING_RANGE_LIMIT;
    return { capabilities: CAPABILITIES, serverInfo: { name: SERVER_NAME, version: options.version } };
  });

  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings ?? {}) as { exrunbook?: unknown };
    pushedSettings = settings.exrunbook;
    settingsCache.clear();
    documents.updateAll();
  });

  connection.onInitialized(() => void workspace?.scan());
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) workspace?.changed(change.uri, change.type === FileChangeType.Deleted);
  });

  /** The runbooks that are not open, found and read through the client, checked here (workspace.ts). */
  function workspaceRunbooks(): WorkspaceRunbooks {
    return new WorkspaceRunbooks({
      list: (limit) => connection.sendRequest<string[]>(WORKSPACE_RUNBOOKS_REQUEST, { limit } satisfies WorkspaceRunbooksParams),
      read: (uri, maxBytes) => connection.sendRequest<string | null>(READ_RUNBOOK_REQUEST, { uri, maxBytes } satisfies ReadRunbookParams),
      settingsFor,
      publish: (uri, diagnostics) => {
        if (shuttingDown) return;
        void connection.sendDiagnostics({ uri, diagnostics: lspDiagnostics(uri, diagnostics) });
      },
      summary: (summary) => {
        if (!shuttingDown) void connection.sendNotification(WORKSPACE_SUMMARY_NOTIFICATION, summary);
      },
      isOpen: (uri) => texts.get(uri) !== undefined,
      openDiagnostics: (uri) => documents.peek(uri)?.diagnostics,
      log: (message) => connection.console.log(message),
    });
  }

  connection.onShutdown(() => {
    shuttingDown = true;
    workspace?.dispose();
    documents.dispose();
  });
  connection.onExit(() => options.onExit?.(shuttingDown ? 0 : 1));

  const fresh = new Set<string>();
  texts.onDidOpen((event) => fresh.add(event.document.uri));
  // Lint at once when a document opens; after an edit, once typing stops.
  texts.onDidChangeContent((event) => documents.update(event.document, fresh.delete(event.document.uri) ? 0 : undefined));
  texts.onDidClose((event) => {
    fresh.delete(event.document.uri);
    settingsCache.delete(event.document.uri);
    documents.close(event.document.uri);
    workspace?.documentClosed(event.document.uri);
  });

  connection.onHover(async (params) => {
    const state = await documents.current(params.textDocument.uri);
    return state ? hoverFor(state, params.position, docLink) : null;
  });
  connection.onCompletion((params) => {
    const document = texts.get(params.textDocument.uri);
    if (!document) return [];
    // The last analysis is enough for server details; the text itself decides what fits at the cursor.
    return completionsFor(document, params.position, documents.peek(document.uri)?.analysis);
  });
  connection.onCodeAction(async (params) => {
    if (params.context.only && !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
    const state = await documents.current(params.textDocument.uri);
    if (!state) return [];
    const actions = codeActionsFor(state, params.textDocument.uri, params.context.diagnostics);
    return findSafePlanCommand ? [...actions, ...findPlanAction(params.textDocument.uri, params.context.diagnostics)] : actions;
  });
  connection.onDocumentSymbol(async (params) => {
    const state = await documents.current(params.textDocument.uri);
    return state ? symbolsFor(state) : [];
  });
  connection.onFoldingRanges((params) => {
    const document = texts.get(params.textDocument.uri);
    return document ? foldingFor(document.getText(), foldingRangeLimit) : [];
  });
  connection.onCodeLens(async (params) => {
    const state = await documents.current(params.textDocument.uri);
    return state ? codeLensesFor(state, params.textDocument.uri, { simulateCommand }) : [];
  });

  connection.onRequest(RUNBOOK_MODEL_REQUEST, async (params: { uri?: unknown }) => {
    const state = typeof params?.uri === 'string' ? await documents.current(params.uri) : undefined;
    return state ? runbookModelFor(state) : null;
  });
  connection.onRequest(PANEL_EDITS_REQUEST, async (params: { uri?: unknown; change?: unknown }) => {
    const state = typeof params?.uri === 'string' ? await documents.current(params.uri) : undefined;
    return state ? panelEditsFor(state, params.change) : null;
  });

  connection.onRequest(FIND_PLANS_REQUEST, async (params: { uri?: unknown; models?: unknown }, token) => {
    const uri = params?.uri;
    const state = typeof uri === 'string' ? await documents.current(uri) : undefined;
    if (!state) return null;
    return findPlansFor(
      state,
      token,
      (progress) => void connection.sendNotification(PLAN_PROGRESS_NOTIFICATION, { uri: uri as string, ...progress }),
      { models: params.models === true },
    );
  });

  texts.listen(connection);
  connection.listen();
  return {
    get shutdownReceived() {
      return shuttingDown;
    },
  };
}

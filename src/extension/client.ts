/**
 * The extension's side of the language server: the client options (which documents, which
 * settings, where the rule pages are), starting it after activation, the panel's requests, and
 * the language status item. The server (src/server) does all the analysis; nothing here reads
 * a runbook. extension.ts (Node) and browserMain.ts (web) differ only in how the server starts.
 */
import * as vscode from 'vscode';
import { State, type BaseLanguageClient, type LanguageClientOptions } from 'vscode-languageclient';
import type { RunbookChange } from '../protocol/panel';
import {
  FILES_CHANGED_NOTIFICATION,
  FIND_PLANS_REQUEST,
  MAX_LIST_FILE_BYTES,
  READ_FILE_REQUEST,
  PANEL_EDITS_REQUEST,
  PLAN_PROGRESS_NOTIFICATION,
  RUNBOOK_MODEL_REQUEST,
  SHOW_RULE_COMMAND,
  STATUS_NOTIFICATION,
  READ_RUNBOOK_REQUEST,
  WORKSPACE_RUNBOOKS_REQUEST,
  WORKSPACE_SUMMARY_NOTIFICATION,
  type LspTextEdit,
  type ReadRunbookParams,
  type WorkspaceRunbooksParams,
  type WorkspaceSummary,
  type FindPlansParams,
  type FindPlansResult,
  type PlanProgressParams,
  type ReadFileParams,
  type ReadFileResult,
  type PanelEditsResult,
  type RunbookModel,
  type ServerInitializationOptions,
  type ServerStatus,
} from '../protocol/server';

export const LANGUAGE_ID = 'exchange-runbook';
const RUNBOOK_GLOB = '**/*.{runbook.yaml,runbook.yml}';
const SETTINGS_SECTION = 'exrunbook';

export type CreateClient = (options: LanguageClientOptions) => BaseLanguageClient;

/** What the simulation panel asks of the server. */
export interface PanelServer {
  runbookModel(uri: vscode.Uri): Promise<RunbookModel | null>;
  panelEdits(uri: vscode.Uri, change: RunbookChange): Promise<PanelEditsResult | null>;
  findPlans(
    uri: vscode.Uri,
    token: vscode.CancellationToken,
    onProgress: (progress: PlanProgressParams) => void,
    options?: { models?: boolean },
  ): Promise<FindPlansResult | null>;
  asRange(range: LspTextEdit['range']): vscode.Range;
}

/** The language client, started once after activation and restarted on request. */
export class RunbookServer implements PanelServer, vscode.Disposable {
  private client: BaseLanguageClient | undefined;
  private starting: Promise<BaseLanguageClient> | undefined;
  private readonly status: ServerStatusItem;
  private readonly summary: WorkspaceSummaryItem;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly createClient: CreateClient,
  ) {
    this.status = new ServerStatusItem();
    this.summary = new WorkspaceSummaryItem();
  }

  /** Starts the server (once); resolves when it has answered `initialize`. */
  start(): Promise<BaseLanguageClient> {
    this.starting ??= this.launch();
    return this.starting;
  }

  private async launch(): Promise<BaseLanguageClient> {
    const started = performance.now();
    const client = this.createClient(this.clientOptions());
    this.client = client;
    client.onDidChangeState((event) => this.status.clientState(event.newState));
    client.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => this.status.serverStatus(status));
    client.onNotification(WORKSPACE_SUMMARY_NOTIFICATION, (summary: WorkspaceSummary) => this.summary.show(summary));
    // The server checks the runbooks that are not open; it has no file system on the web, so the host finds and reads them.
    client.onRequest(WORKSPACE_RUNBOOKS_REQUEST, async ({ limit }: WorkspaceRunbooksParams) =>
      (await vscode.workspace.findFiles(RUNBOOK_GLOB, '**/node_modules/**', limit)).map((uri) => client.code2ProtocolConverter.asUri(uri)),
    );
    client.onRequest(READ_RUNBOOK_REQUEST, async ({ uri, maxBytes }: ReadRunbookParams) => {
      const read = await readBounded(client.protocol2CodeConverter.asUri(uri), maxBytes);
      return 'text' in read ? read.text : null;
    });
    client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => this.readListFile(client, params.uri));
    try {
      await client.start();
    } catch (error) {
      this.output.error(`the language server did not start: ${String((error as Error)?.message ?? error)}`);
      this.status.failed();
      throw error;
    }
    this.output.info(`language server started in ${(performance.now() - started).toFixed(0)} ms`);
    return client;
  }

  /** A mailbox list file the server asked for, through the workspace file system, bounded; watched from then on. */
  private async readListFile(client: BaseLanguageClient, uri: string): Promise<ReadFileResult> {
    const file = client.protocol2CodeConverter.asUri(uri);
    this.watch(client, file);
    return readBounded(file, MAX_LIST_FILE_BYTES);
  }

  private readonly watched = new Map<string, vscode.Disposable>();

  /** Tells the server when a file it read changes, so the runbooks naming it are checked again. */
  private watch(client: BaseLanguageClient, file: vscode.Uri): void {
    const key = file.toString();
    if (this.watched.has(key)) return;
    const folder = vscode.Uri.joinPath(file, '..');
    const name = file.path.slice(file.path.lastIndexOf('/') + 1);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, name));
    const changed = () => void client.sendNotification(FILES_CHANGED_NOTIFICATION, { uris: [client.code2ProtocolConverter.asUri(file)] });
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.watched.set(key, watcher);
    this.context.subscriptions.push(watcher);
  }

  async restart(): Promise<void> {
    if (!this.client) {
      await this.start();
      return;
    }
    await this.client.stop();
    await this.client.start();
  }

  async runbookModel(uri: vscode.Uri): Promise<RunbookModel | null> {
    const client = await this.start();
    return client.sendRequest<RunbookModel | null>(RUNBOOK_MODEL_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri) });
  }

  async panelEdits(uri: vscode.Uri, change: RunbookChange): Promise<PanelEditsResult | null> {
    const client = await this.start();
    return client.sendRequest<PanelEditsResult | null>(PANEL_EDITS_REQUEST, { uri: client.code2ProtocolConverter.asUri(uri), change });
  }

  /**
   * The planner, run in the server; `token` cancels it there, `onProgress` hears how far it is;
   * `models` asks for each plan's runbook model too (the panel simulates it in its worker).
   */
  async findPlans(
    uri: vscode.Uri,
    token: vscode.CancellationToken,
    onProgress: (progress: PlanProgressParams) => void,
    options: { models?: boolean } = {},
  ): Promise<FindPlansResult | null> {
    const client = await this.start();
    const protocolUri = client.code2ProtocolConverter.asUri(uri);
    const listener = client.onNotification(PLAN_PROGRESS_NOTIFICATION, (progress: PlanProgressParams) => {
      if (progress.uri === protocolUri) onProgress(progress);
    });
    try {
      const params: FindPlansParams = { uri: protocolUri, ...(options.models ? { models: true } : {}) };
      return await client.sendRequest<FindPlansResult | null>(FIND_PLANS_REQUEST, params, token);
    } finally {
      listener.dispose();
    }
  }

  asRange(range: LspTextEdit['range']): vscode.Range {
    return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  }

  private clientOptions(): LanguageClientOptions {
    const initializationOptions: ServerInitializationOptions = {
      packageRoot: this.context.extensionUri.toString(),
      simulateCommand: true,
      showRuleCommand: true,
      workspaceRunbooks: true,
      findSafePlanCommand: true,
      readsFiles: true,
    };
    const settingKeys = manifestSettingKeys(this.context);
    return {
      documentSelector: [{ language: LANGUAGE_ID }],
      outputChannel: this.output,
      initializationOptions,
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        // Runbooks that change on disk are checked again (workspace.ts in the server).
        fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{runbook.yaml,runbook.yml}'),
      },
      // Hovers link to rule pages through this one command; nothing else in them may run one.
      markdown: { isTrusted: { enabledCommands: [SHOW_RULE_COMMAND] } },
      middleware: {
        workspace: {
          // The server takes a setting that is present as one the user chose; send only those.
          configuration: (params, token, next) =>
            params.items.every((item) => item.section === SETTINGS_SECTION)
              ? params.items.map((item) => userSettings(settingKeys, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined))
              : next(params, token),
        },
      },
    };
  }

  dispose(): void {
    this.status.dispose();
    this.summary.dispose();
    void this.client?.stop().catch(() => undefined);
  }
}

/** The keys under `exrunbook.` that the manifest declares (`rules`, `lint.debounceMs`, `simulation.maxEvents`, …). */
function manifestSettingKeys(context: vscode.ExtensionContext): string[] {
  const properties = (context.extension.packageJSON as { contributes?: { configuration?: { properties?: object } } }).contributes
    ?.configuration?.properties;
  return Object.keys(properties ?? {})
    .filter((key) => key.startsWith(`${SETTINGS_SECTION}.`))
    .map((key) => key.slice(SETTINGS_SECTION.length + 1));
}

/**
 * The `exrunbook` settings the user set (user, workspace or folder), nested as the section is:
 * `{ rules: {…}, simulation: { storeTaskThreads: 48 } }`. Defaults are left out so that results
 * can say which numbers were assumed. The values are read with get(), which honours workspace
 * trust (an untrusted folder cannot raise the event budget).
 */
function userSettings(keys: readonly string[], scope: vscode.Uri | undefined): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const result: Record<string, unknown> = {};
  for (const key of keys) {
    const inspected = config.inspect(key);
    const setByUser =
      inspected?.globalValue !== undefined || inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
    if (!setByUser) continue;
    const path = key.split('.');
    let target = result;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1]] = config.get(key);
  }
  return result;
}

/** The language status item: the server's state and its last analysis, with "Show output" (as the ESLint extension does). */
class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('exrunbook.server', { language: LANGUAGE_ID });
  private lastAnalysis: ServerStatus['lastAnalysis'];

  constructor() {
    this.item.name = 'Exchange Runbook language server';
    this.item.command = { title: 'Show output', command: 'exrunbook.showOutput' };
    this.show('Starting…', 'The language server is starting.', true);
  }

  clientState(state: State): void {
    if (state === State.Starting) this.show('Starting…', 'The language server is starting.', true);
    else if (state === State.Running) this.show('Ready', this.analysisDetail(), false);
    else this.failed();
  }

  serverStatus(status: ServerStatus): void {
    this.lastAnalysis = status.lastAnalysis ?? this.lastAnalysis;
    const file = status.uri ? ` ${fileName(status.uri)}` : '';
    if (status.state === 'analysing') this.show(`Analysing${file}…`, this.analysisDetail(), true);
    else if (status.state === 'simulating') this.show(`Simulating${file}…`, this.analysisDetail(), true);
    else this.show('Ready', this.analysisDetail(), false);
  }

  failed(): void {
    this.show('Stopped', 'The language server is not running: see the output.', false, vscode.LanguageStatusSeverity.Error);
  }

  private analysisDetail(): string {
    const last = this.lastAnalysis;
    if (!last) return 'No runbook analysed yet.';
    const at = new Date(last.finishedAt).toLocaleTimeString();
    return `Last analysis: ${last.milliseconds.toLocaleString('en-US')} ms at ${at} (${fileName(last.uri)})`;
  }

  private show(text: string, detail: string, busy: boolean, severity = vscode.LanguageStatusSeverity.Information): void {
    this.item.text = text;
    this.item.detail = detail;
    this.item.busy = busy;
    this.item.severity = severity;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function fileName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A file's text, or null when it is larger than `maxBytes` (asked before reading) or cannot be read. */
/** A workspace file's text through the workspace file system (virtual workspaces too), at most `maxBytes`, or why not. */
async function readBounded(uri: vscode.Uri, maxBytes: number): Promise<ReadFileResult> {
  const tooLarge = { error: `it is larger than ${(maxBytes / 1048576).toLocaleString('en-US')} MB` };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { error: 'it is a folder' };
    if (stat.size > maxBytes) return tooLarge;
    const bytes = await vscode.workspace.fs.readFile(uri);
    return bytes.byteLength > maxBytes ? tooLarge : { text: new TextDecoder('utf-8').decode(bytes) };
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { error: 'no such file' };
    return { error: String((error as Error)?.message ?? error) };
  }
}

/** The status bar summary of the workspace's runbooks; a click shows Problems. */
class WorkspaceSummaryItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('exrunbook.workspace', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Exchange runbooks in the workspace';
    this.item.command = 'workbench.actions.view.problems';
  }

  show(summary: WorkspaceSummary): void {
    if (summary.files === 0) {
      this.item.hide();
      return;
    }
    const runbooks = (n: number) => `${n} runbook${n === 1 ? '' : 's'}`;
    const parts = [summary.errors > 0 ? `$(error) ${summary.errors}` : '', summary.warnings > 0 ? `$(warning) ${summary.warnings}` : ''];
    this.item.text = `$(checklist) Runbooks${parts.some(Boolean) ? ` ${parts.filter(Boolean).join(' ')}` : ' $(check)'}`;
    this.item.tooltip =
      `${runbooks(summary.files)} checked: ${summary.errors} with errors, ${summary.warnings} with warnings only.` +
      (summary.skipped > 0 ? ` ${runbooks(summary.skipped)} not checked (too many or too large).` : '') +
      ' Click to show Problems.';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

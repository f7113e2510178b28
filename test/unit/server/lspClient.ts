/**
 * A language client for tests: the real server (startServer) on one end of an in-memory pipe,
 * an LSP protocol connection on the other, answering `workspace/configuration` from `settings`
 * and recording what the server publishes, as an editor would.
 */
import { PassThrough } from 'node:stream';
import {
  CodeLensRefreshRequest,
  ConfigurationRequest,
  createConnection,
  createProtocolConnection,
  ProposedFeatures,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import {
  READ_RUNBOOK_REQUEST,
  STATUS_NOTIFICATION,
  WORKSPACE_RUNBOOKS_REQUEST,
  WORKSPACE_SUMMARY_NOTIFICATION,
  type ServerInitializationOptions,
  type ServerStatus,
  type WorkspaceSummary,
} from '../../../src/protocol/server';
import { startServer } from '../../../src/server/server';

/** Settings that make the tests quick: no debounce before the lint and the background simulation. */
export const QUICK_SETTINGS = { lint: { debounceMs: 0 }, simulation: { debounceMs: 0 } };

export class TestClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly statuses: ServerStatus[] = [];
  readonly summaries: WorkspaceSummary[] = [];
  codeLensRefreshes = 0;
  /** The `exrunbook` section the client answers workspace/configuration with. */
  settings: Record<string, unknown> = { ...QUICK_SETTINGS };
  initializeResult!: InitializeResult;
  private readonly listeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();

  private constructor(readonly connection: ProtocolConnection) {}

  static async start(
    options: {
      initializationOptions?: ServerInitializationOptions;
      capabilities?: ClientCapabilities;
      /** The workspace's runbook files (uri → text) the client lists and reads for the server. */
      files?: Record<string, string>;
    } = {},
  ): Promise<TestClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // Readers and writers rather than streams: a closed stream must not end the test process.
    const serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConnection, { version: 'test' });
    const client = new TestClient(createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)));
    const { connection } = client;
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => client.settings));
    connection.onRequest(CodeLensRefreshRequest.type, () => {
      client.codeLensRefreshes++;
      client.notify();
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.published.push(params);
      client.notify();
    });
    connection.onNotification(STATUS_NOTIFICATION, (status: ServerStatus) => {
      client.statuses.push(status);
      client.notify();
    });
    const files = options.files ?? {};
    connection.onRequest(WORKSPACE_RUNBOOKS_REQUEST, ({ limit }: { limit: number }) => Object.keys(files).slice(0, limit));
    connection.onRequest(READ_RUNBOOK_REQUEST, ({ uri, maxBytes }: { uri: string; maxBytes: number }) =>
      files[uri] === undefined || files[uri].length > maxBytes ? null : files[uri],
    );
    connection.onNotification(WORKSPACE_SUMMARY_NOTIFICATION, (summary: WorkspaceSummary) => {
      client.summaries.push(summary);
      client.notify();
    });
    connection.listen();
    client.initializeResult = await connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, codeLens: { refreshSupport: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'exchange-runbook', version: 1, text },
    });
  }

  /** Sends incremental changes; returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  changeSettings(settings: Record<string, unknown>): void {
    this.settings = settings;
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { exrunbook: settings } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** The latest diagnostics published for `uri` once `accept` likes them. */
  diagnosticsWhere(uri: string, accept: (params: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
    return this.until(() => {
      const latest = this.published.filter((params) => params.uri === uri).pop();
      return latest && accept(latest) ? latest : undefined;
    }, what);
  }

  /** Resolves with `check()`'s first truthy answer, re-checked whenever the server sends something. */
  until<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = () => {
        const value = check();
        if (value === undefined) return;
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(
          new Error(
            `timed out waiting for ${what}; last diagnostics: ${JSON.stringify(this.published.at(-1)?.diagnostics.map((d) => d.code))}`,
          ),
        );
      }, timeoutMs);
      this.listeners.add(listener);
      listener();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  async dispose(): Promise<void> {
    await this.connection.sendRequest('shutdown').catch(() => undefined);
    this.connection.dispose();
  }
}

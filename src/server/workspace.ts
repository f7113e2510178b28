/**
 * The workspace's runbooks that are not open: found and read through the client (the server has
 * no file system on the web), analysed here one at a time between other work, their diagnostics
 * published so Problems lists them, and a summary sent for the status bar. Bounded: at most
 * MAX_FILES files of at most MAX_BYTES each; no simulation (EXR005 needs an open editor).
 */
import { analyze, toDiagnostics } from '../core/lint';
import type { RunbookDiagnostic } from '../core/diagnostics';
import { SIMULATED_CODES } from '../core/rules';
import type { WorkspaceSummary } from '../protocol/server';
import type { RunbookSettings } from './settings';

export const MAX_FILES = 500;
export const MAX_BYTES = 1024 * 1024;

export interface WorkspaceHost {
  list(limit: number): Promise<string[]>;
  read(uri: string, maxBytes: number): Promise<string | null>;
  settingsFor(uri: string): Promise<RunbookSettings>;
  publish(uri: string, diagnostics: RunbookDiagnostic[]): void;
  summary(summary: WorkspaceSummary): void;
  isOpen(uri: string): boolean;
  /** The diagnostics of an open document, as last published. */
  openDiagnostics(uri: string): RunbookDiagnostic[] | undefined;
  log(message: string): void;
}

export class WorkspaceRunbooks {
  private readonly closed = new Map<string, RunbookDiagnostic[]>();
  /** Files too large (or unreadable) to check in the background. */
  private readonly unread = new Set<string>();
  private known: string[] = [];
  private skipped = 0;
  private queue: string[] = [];
  private running = false;
  private disposed = false;

  constructor(private readonly host: WorkspaceHost) {}

  /** Finds the workspace's runbooks and checks those that are not open. */
  async scan(): Promise<void> {
    let uris: string[];
    try {
      uris = await this.host.list(MAX_FILES + 1);
    } catch (error) {
      this.host.log(`could not list the workspace's runbooks: ${String(error)}`);
      return;
    }
    this.skipped = Math.max(0, uris.length - MAX_FILES);
    this.known = uris.slice(0, MAX_FILES);
    this.enqueue(this.known);
  }

  /** A file changed, appeared or went away on disk. */
  changed(uri: string, deleted: boolean): void {
    if (deleted) {
      this.known = this.known.filter((known) => known !== uri);
      this.unread.delete(uri);
      if (this.closed.delete(uri)) this.host.publish(uri, []);
      this.sendSummary();
      return;
    }
    if (!this.known.includes(uri) && this.known.length < MAX_FILES) this.known.push(uri);
    this.enqueue([uri]);
  }

  /** An open document closed: check it again as it is on disk. */
  documentClosed(uri: string): void {
    if (this.known.includes(uri)) this.enqueue([uri]);
    else this.sendSummary();
  }

  /** An open document's diagnostics changed: the summary follows. */
  documentPublished(uri: string): void {
    this.closed.delete(uri);
    this.sendSummary();
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
  }

  private enqueue(uris: string[]): void {
    for (const uri of uris) if (!this.queue.includes(uri)) this.queue.push(uri);
    if (!this.running) void this.drain();
  }

  /** One file at a time, yielding between files so requests for open documents go first. */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let uri = this.queue.shift(); uri !== undefined && !this.disposed; uri = this.queue.shift()) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.host.isOpen(uri)) continue;
        const text = await this.host.read(uri, MAX_BYTES).catch(() => null);
        if (this.disposed || this.host.isOpen(uri)) continue;
        if (text === null) {
          this.unread.add(uri);
          if (this.closed.delete(uri)) this.host.publish(uri, []);
          continue;
        }
        this.unread.delete(uri);
        const settings = await this.host.settingsFor(uri);
        const analysis = analyze(text, { severities: settings.severities, assumptions: settings.assumptions });
        const diagnostics = toDiagnostics(analysis, { severities: settings.severities, pendingCodes: SIMULATED_CODES });
        this.closed.set(uri, diagnostics);
        this.host.publish(uri, diagnostics);
      }
    } finally {
      this.running = false;
      this.sendSummary();
    }
  }

  private sendSummary(): void {
    if (this.disposed) return;
    const files = new Set([...this.known, ...this.closed.keys()].filter((uri) => !this.unread.has(uri) || this.host.isOpen(uri)));
    let errors = 0;
    let warnings = 0;
    for (const uri of files) {
      const diagnostics = this.host.isOpen(uri) ? this.host.openDiagnostics(uri) : this.closed.get(uri);
      if (diagnostics?.some((d) => d.severity === 'error')) errors++;
      else if (diagnostics?.some((d) => d.severity === 'warning')) warnings++;
    }
    const unread = [...this.unread].filter((uri) => !this.host.isOpen(uri)).length;
    this.host.summary({ files: files.size, errors, warnings, skipped: this.skipped + unread });
  }
}

/**
 * The server's open runbooks: one IncrementalAnalyzer per document, a debounced lint after each
 * edit (a newer version makes an older run stale), diagnostics published after each lint, and the
 * background simulation for EXR005 and the CodeLens run in slices after it, cancelled by the next
 * edit. Knows nothing of LSP: src/server/server.ts wires it to a connection.
 */
import type { Finding, RunbookDiagnostic } from '../core/diagnostics';
import { IncrementalAnalyzer } from '../core/incremental/incrementalAnalyzer';
import { blockersSentence, isSimulatable, mailboxFilesOf, simulationBlockers, toDiagnostics, type Analysis } from '../core/lint';
import type { Runbook } from '../core/model/types';
import type { MailboxFileContent } from '../core/rules/exr009';
import { SIMULATED_CODES } from '../core/rules';
import { staleExhaustionFinding } from '../core/rules/exr005';
import { simulationFindings, Simulation, SimulationError } from '../core/simulator';
import type { SimulationResult } from '../core/simulator/result';
import type { ServerStatus } from '../protocol/server';
import type { RunbookSettings } from './settings';

/** A document as the server holds it: its text at a version. */
export interface VersionedText {
  uri: string;
  version: number;
  getText(): string;
}

/** What the server knows about one open runbook at one version. */
export interface RunbookState {
  version: number;
  analysis: Analysis;
  simulatable: boolean;
  settings: RunbookSettings;
  /** The mailbox list files the analysis read (name → content), for the planner to read the same. */
  mailboxFiles?: Record<string, MailboxFileContent>;
  /** The diagnostics as last published (severities, suppressions and EXR005 applied). */
  diagnostics: RunbookDiagnostic[];
  /** Why it cannot be simulated ("1 error blocks the simulation: …"); undefined when it can. */
  blocked?: string;
  /**
   * The last finished background simulation of this version, if any; or, while errors block a new
   * one, the last one of an earlier version with the same steps (`stale`).
   */
  simulation?: { result?: SimulationResult; error?: string; stale?: boolean };
}

/** Where the results go (the LSP connection, or a test). */
export interface DocumentEvents {
  publish(uri: string, version: number, diagnostics: RunbookDiagnostic[]): void;
  /** A simulation finished or was dropped: CodeLens predictions changed. */
  simulationChanged(uri: string): void;
  status(status: ServerStatus): void;
  log(message: string): void;
}

/** Events per slice of background simulation: small enough to answer requests between slices. */
const EVENTS_PER_SLICE = 200_000;

interface Entry {
  document: VersionedText;
  analyzer: IncrementalAnalyzer;
  state?: RunbookState;
  lintTimer?: ReturnType<typeof setTimeout>;
  simulation?: { cancel(): void };
  /** Increases with every update(): a settings answer or analysis for an older one is dropped. */
  generation: number;
  /** The analysis under way (between saying so and doing it), shared by everyone who asks. */
  analysing?: { version: number; promise: Promise<RunbookState> };
  /** The diagnostics of the last version whose YAML was well-formed (shown, marked, while it is not). */
  lastWellFormed?: { version: number; diagnostics: RunbookDiagnostic[] };
  /** Mailbox list files the runbook names (as written): what the client read, and their URIs. */
  files: Map<string, { uri: string; content?: MailboxFileContent; pending?: boolean }>;
}

/** Marks a diagnostic of an earlier, well-formed version: no quick fix applies to it (codeActionsFor). */
export const EARLIER_VERSION = 'earlierVersion';

export class RunbookDocuments {
  private readonly entries = new Map<string, Entry>();
  private lastAnalysis: ServerStatus['lastAnalysis'];
  private simulationsRunning = 0;

  constructor(
    private readonly events: DocumentEvents,
    /** The settings for a document (cached by the caller; asked of the client when not). */
    private readonly settingsFor: (uri: string) => Promise<RunbookSettings>,
    /** Reads a file next to a runbook through the client, when it can (mailbox lists). */
    private readonly readFile?: (uri: string) => Promise<MailboxFileContent>,
  ) {}

  /** Files the client said changed: runbooks that name them read them again. */
  filesChanged(uris: readonly string[]): void {
    const changed = new Set(uris);
    for (const entry of this.entries.values()) {
      let touched = false;
      for (const file of entry.files.values()) {
        if (changed.has(file.uri)) {
          file.content = undefined;
          touched = true;
        }
      }
      if (touched) {
        entry.state = undefined;
        entry.analysing = undefined;
        this.update(entry.document, 0);
      }
    }
  }

  /** A document opened or changed: lint it after the debounce (at once with `delay` 0). */
  update(document: VersionedText, delay?: number): void {
    let entry = this.entries.get(document.uri);
    if (!entry)
      this.entries.set(document.uri, (entry = { document, analyzer: new IncrementalAnalyzer(), generation: 0, files: new Map() }));
    entry.document = document;
    this.stop(entry);
    const generation = ++entry.generation;
    void this.settingsFor(document.uri).then((settings) => {
      if (this.entries.get(document.uri) !== entry || entry.generation !== generation) return;
      entry.lintTimer = setTimeout(() => {
        entry.lintTimer = undefined;
        this.analyse(entry, settings).then(
          (state) => {
            if (entry.generation !== generation || entry.state !== state) return;
            if (settings.simulationEnabled && state.simulatable) this.simulateLater(entry, state);
          },
          (error: unknown) => this.events.log(`the analysis of ${fileName(document.uri)} failed: ${String(error)}`),
        );
      }, delay ?? settings.lintDebounceMs);
    });
  }

  /** Every open document again, at once (the settings changed: an analysis of the same text is no longer current). */
  updateAll(): void {
    for (const entry of this.entries.values()) {
      entry.state = undefined;
      entry.analysing = undefined;
      this.update(entry.document, 0);
    }
  }

  /** The analysis of the document as it is now, computed at once if the debounce has not run yet. */
  async current(uri: string): Promise<RunbookState | undefined> {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    if (entry.state?.version === entry.document.version) return entry.state;
    const settings = await this.settingsFor(uri);
    if (this.entries.get(uri) !== entry) return undefined;
    return this.analyse(entry, settings);
  }

  /**
   * Analyses the document's latest text, once however many ask: says so first (status, and a log
   * line for a large runbook) and lets that reach the client before the analysis holds this thread.
   */
  private analyse(entry: Entry, settings: RunbookSettings): Promise<RunbookState> {
    const { document } = entry;
    if (entry.state?.version === document.version) return Promise.resolve(entry.state);
    if (entry.analysing?.version === document.version) return entry.analysing.promise;
    this.status('analysing', document.uri);
    if (isLarge(document)) this.events.log(`analysing ${fileName(document.uri)} (${sizeOf(document)})…`);
    const promise = new Promise<RunbookState>((resolve, reject) =>
      setTimeout(() => {
        if (entry.analysing?.promise === promise) entry.analysing = undefined;
        // The core never throws on input; should it ever, the request that asked gets the error, not the process.
        try {
          resolve(entry.state?.version === entry.document.version ? entry.state : this.lint(entry, settings));
        } catch (error) {
          reject(error);
        }
      }, 0),
    );
    entry.analysing = { version: document.version, promise };
    return promise;
  }

  /** The last analysis, whatever version it was of (completion needs only the servers it declares). */
  peek(uri: string): RunbookState | undefined {
    return this.entries.get(uri)?.state;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    this.stop(entry);
    this.entries.delete(uri);
    this.events.publish(uri, entry.document.version, []);
    this.status('idle');
  }

  dispose(): void {
    for (const entry of this.entries.values()) this.stop(entry);
    this.entries.clear();
  }

  /** Asks the client for the mailbox list files the runbook names that are not read yet; analyses again when they arrive. */
  private readNamedFiles(entry: Entry, analysis: Analysis): boolean {
    if (!this.readFile) return false;
    let asked = false;
    for (const name of mailboxFilesOf(analysis.runbook)) {
      const known = entry.files.get(name);
      if (known && (known.content || known.pending)) continue;
      let uri: string;
      try {
        uri = new URL(name, entry.document.uri).toString();
      } catch {
        entry.files.set(name, { uri: name, content: { error: 'its path cannot be read as a location next to the runbook' } });
        continue;
      }
      const file = { uri, pending: true };
      entry.files.set(name, file);
      asked = true;
      void this.readFile(uri).then(
        (content) => {
          if (this.entries.get(entry.document.uri) !== entry || entry.files.get(name) !== file) return;
          entry.files.set(name, { uri, content });
          entry.state = undefined;
          entry.analysing = undefined;
          this.update(entry.document, 0);
        },
        (error: unknown) => {
          this.events.log(`reading ${uri} failed: ${String(error)}`);
          if (entry.files.get(name) === file) entry.files.set(name, { uri, content: { error: 'the editor could not read it' } });
        },
      );
    }
    return asked;
  }

  private stop(entry: Entry): void {
    clearTimeout(entry.lintTimer);
    entry.lintTimer = undefined;
    entry.simulation?.cancel();
    entry.simulation = undefined;
  }

  private lint(entry: Entry, settings: RunbookSettings): RunbookState {
    const { document } = entry;
    const started = performance.now();
    let mailboxFiles: Record<string, MailboxFileContent> | undefined;
    const analyse = () => {
      mailboxFiles = {};
      // A file still being read says so for the moment its answer takes.
      for (const [name, file] of entry.files) mailboxFiles[name] = file.content ?? { error: 'it is being read' };
      const options = { severities: settings.severities, assumptions: settings.assumptions };
      return entry.analyzer.update(document.getText(), this.readFile ? { ...options, mailboxFiles } : options);
    };
    let analysis = analyse();
    // A file named for the first time is asked for now: the analysis says it is being read, not that it cannot be.
    if (this.readNamedFiles(entry, analysis)) analysis = analyse();
    const previous = entry.state;
    const simulatable = isSimulatable(analysis);
    const lastResult = previous?.simulation?.result;
    const state: RunbookState = {
      version: document.version,
      analysis,
      simulatable,
      blocked: simulatable ? undefined : blockersSentence(simulationBlockers(analysis)),
      settings,
      mailboxFiles: this.readFile ? mailboxFiles : undefined,
      diagnostics: [],
      // Until the new simulation finishes, keep the last EXR005 only if nothing changed; while errors
      // block a new one (a typo), keep the last prediction, marked stale, so it does not vanish silently.
      simulation:
        previous?.version === document.version
          ? previous.simulation
          : !simulatable && lastResult && sameSteps(lastResult, analysis.runbook)
            ? { result: lastResult, stale: true }
            : undefined,
    };
    entry.state = state;
    this.publish(entry, state);
    const milliseconds = Math.round(performance.now() - started);
    this.lastAnalysis = { uri: document.uri, milliseconds, finishedAt: new Date().toISOString() };
    // Small runbooks are analysed at every pause in typing: only the long analyses are worth a line.
    if (isLarge(document))
      this.events.log(`analysed ${fileName(document.uri)} (version ${document.version}, ${sizeOf(document)}) in ${milliseconds} ms`);
    this.status('idle');
    return state;
  }

  private publish(entry: Entry, state: RunbookState): void {
    const uri = entry.document.uri;
    const result = state.simulation?.result;
    let extraFindings: Finding[] = result ? simulationFindings(state.analysis.runbook, result) : [];
    const { blocked } = state;
    if (state.simulation?.stale && blocked) extraFindings = extraFindings.map((finding) => staleExhaustionFinding(finding, blocked));
    // Until a simulation result exists (or when none will run), a suppression of EXR005 is not "unused".
    state.diagnostics = toDiagnostics(state.analysis, {
      severities: state.settings.severities,
      extraFindings,
      pendingCodes: result ? [] : SIMULATED_CODES,
    });
    if (state.analysis.context) entry.lastWellFormed = { version: state.version, diagnostics: state.diagnostics };
    else if (entry.lastWellFormed) state.diagnostics = [...state.diagnostics, ...earlierFindings(entry.lastWellFormed, state)];
    this.events.publish(uri, state.version, state.diagnostics);
  }

  /** Runs the simulation in slices between other work; the next edit cancels it. */
  private simulateLater(entry: Entry, state: RunbookState): void {
    const { settings } = state;
    let cancelled = false;
    let running = false;
    const finish = (simulation: RunbookState['simulation']) => {
      if (running) this.simulationsRunning--;
      running = false;
      if (cancelled || entry.state !== state || this.entries.get(entry.document.uri) !== entry) return;
      entry.simulation = undefined;
      state.simulation = simulation;
      this.publish(entry, state);
      this.events.simulationChanged(entry.document.uri);
      this.status('idle');
    };
    let timer = setTimeout(() => {
      let run: Simulation;
      try {
        run = new Simulation(state.analysis.runbook, {
          assumptions: settings.assumptions,
          maxEvents: settings.maxEvents,
          shouldCancel: () => cancelled,
          series: false, // EXR005 and CodeLens read the summaries only
        });
      } catch (error) {
        finish({ error: describe(error) });
        return;
      }
      running = true;
      this.simulationsRunning++;
      this.status('simulating', entry.document.uri);
      const slice = () => {
        if (cancelled) return;
        try {
          if (run.runFor(EVENTS_PER_SLICE)) finish({ result: run.result() });
          else timer = setTimeout(slice, 0);
        } catch (error) {
          finish({ error: describe(error) });
        }
      };
      slice();
    }, settings.simulationDebounceMs);
    entry.simulation = {
      cancel: () => {
        cancelled = true;
        clearTimeout(timer);
        if (running) this.simulationsRunning--;
        running = false;
      },
    };
  }

  private status(state: ServerStatus['state'], uri?: string): void {
    if (state === 'idle' && this.simulationsRunning > 0) state = 'simulating';
    this.events.status({ state, uri, lastAnalysis: this.lastAnalysis });
  }
}

/**
 * While the YAML is broken nothing else can be judged (only EXR101): the findings of the last
 * well-formed version stay in view, marked as such, where they were (clamped to the text).
 */
function earlierFindings(earlier: { version: number; diagnostics: RunbookDiagnostic[] }, state: RunbookState): RunbookDiagnostic[] {
  const { lines } = state.analysis.parsed;
  // By line and character, not offset: an edit shifts the offsets of everything after it, rarely its lines.
  return earlier.diagnostics.map((diagnostic) => {
    const start = lines.offsetAt(diagnostic.range.start);
    const span = { start, end: Math.max(start, lines.offsetAt(diagnostic.range.end)) };
    return {
      ...diagnostic,
      span,
      range: lines.rangeOf(span),
      message: `From the last well-formed version (fix the YAML error to check again): ${diagnostic.message}`,
      data: { ...diagnostic.data, [EARLIER_VERSION]: earlier.version },
    };
  });
}

/** A result of an earlier version still describes this runbook's steps (same count, ids and actions). */
function sameSteps(result: SimulationResult, runbook: Runbook): boolean {
  if (result.steps.length !== runbook.steps.length) return false;
  return runbook.steps.every((step, index) => {
    const simulated = result.steps[index];
    return (step.id === undefined || step.id.value === simulated.id) && step.action?.value === simulated.action;
  });
}

function describe(error: unknown): string {
  if (error instanceof SimulationError) return error.message;
  return `the simulation failed: ${String((error as Error)?.message ?? error)}`;
}

export function fileName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A runbook big enough that its analysis takes a noticeable time (a second or more). */
function isLarge(document: VersionedText): boolean {
  return document.getText().length >= 1024 * 1024;
}

function sizeOf(document: VersionedText): string {
  const characters = document.getText().length;
  return characters >= 1024 * 1024 ? `${(characters / 1048576).toFixed(1)} MB` : `${Math.ceil(characters / 1024)} KB`;
}

import * as vscode from 'vscode';
import type { Finding } from '../core/diagnostics';
import { IncrementalAnalyzer } from '../core/incremental/incrementalAnalyzer';
import { isSimulatable, toDiagnostics, type Analysis } from '../core/lint';
import { SIMULATED_CODES } from '../core/rules';
import { exhaustionFindings, Simulation, SimulationError } from '../core/simulator';
import type { SimulationResult } from '../core/simulator/result';
import { toVsDiagnostic } from './convert';
import { LANGUAGE_ID, readSettings, type RunbookSettings } from './settings';

/** What the extension knows about one open runbook at one version. */
export interface RunbookState {
  version: number;
  analysis: Analysis;
  simulatable: boolean;
  /** The last finished background simulation of this version, if any. */
  simulation?: { result?: SimulationResult; error?: string };
}

/** Events per slice of background simulation: small enough to keep the extension host responsive. */
const EVENTS_PER_SLICE = 200_000;

/**
 * Lints runbooks on open and on change (debounced; a newer version makes an older run stale),
 * publishes diagnostics, runs the background simulation for EXR005 in slices off the critical
 * path, and clears everything when a document closes.
 */
export class RunbookDocuments implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('exrunbook');
  private readonly states = new Map<string, RunbookState>();
  /** One analyzer per document: after an edit it re-parses only the steps the edit touched. */
  private readonly analyzers = new Map<string, IncrementalAnalyzer>();
  private readonly lintTimers = new Map<string, NodeJS.Timeout>();
  private readonly simulations = new Map<string, { cancel(): void }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires after a document's diagnostics or simulation changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(
      this.collection,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((document) => this.schedule(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('exrunbook')) for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  static isRunbook(document: vscode.TextDocument): boolean {
    return document.languageId === LANGUAGE_ID;
  }

  /** The analysis of the document as it is now, computed on demand if the debounce has not run yet. */
  current(document: vscode.TextDocument): RunbookState {
    const known = this.states.get(document.uri.toString());
    if (known && known.version === document.version) return known;
    return this.lint(document, readSettings(document.uri));
  }

  peek(uri: vscode.Uri): RunbookState | undefined {
    return this.states.get(uri.toString());
  }

  private schedule(document: vscode.TextDocument, delay?: number): void {
    const key = document.uri.toString();
    if (!RunbookDocuments.isRunbook(document)) {
      // A document whose language changed away from ours keeps no stale diagnostics.
      if (this.states.has(key)) this.forget(document.uri);
      return;
    }
    clearTimeout(this.lintTimers.get(key));
    this.simulations.get(key)?.cancel();
    const settings = readSettings(document.uri);
    const wait = delay ?? settings.lintDebounceMs;
    this.lintTimers.set(
      key,
      setTimeout(() => {
        this.lintTimers.delete(key);
        if (document.isClosed) return;
        const state = this.lint(document, settings);
        if (settings.simulationEnabled && state.simulatable) this.simulateLater(document, state, settings);
      }, wait),
    );
  }

  private lint(document: vscode.TextDocument, settings: RunbookSettings): RunbookState {
    const key = document.uri.toString();
    let analyzer = this.analyzers.get(key);
    if (!analyzer) this.analyzers.set(key, (analyzer = new IncrementalAnalyzer()));
    const analysis = analyzer.update(document.getText(), { severities: settings.severities, assumptions: settings.assumptions });
    const state: RunbookState = { version: document.version, analysis, simulatable: isSimulatable(analysis) };
    const previous = this.states.get(key);
    // Until the new simulation finishes, keep showing the last EXR005 only if nothing changed.
    if (previous?.version === document.version) state.simulation = previous.simulation;
    this.states.set(key, state);
    this.publish(document, state, settings);
    return state;
  }

  private publish(document: vscode.TextDocument, state: RunbookState, settings: RunbookSettings): void {
    const extraFindings: Finding[] = state.simulation?.result ? exhaustionFindings(state.analysis.runbook, state.simulation.result) : [];
    // Until a simulation result exists (or when none will run), a suppression of EXR005 is not "unused".
    const pending = state.simulation?.result ? [] : SIMULATED_CODES;
    const diagnostics = toDiagnostics(state.analysis, { severities: settings.severities, extraFindings, pendingCodes: pending });
    this.collection.set(
      document.uri,
      diagnostics.map((diagnostic) => toVsDiagnostic(diagnostic, document, this.extensionUri)),
    );
    this.changed.fire(document.uri);
  }

  /** Runs the simulation in slices between other work; a newer edit cancels it. */
  private simulateLater(document: vscode.TextDocument, state: RunbookState, settings: RunbookSettings): void {
    const key = document.uri.toString();
    let cancelled = false;
    const finish = (simulation: RunbookState['simulation']) => {
      if (cancelled || this.states.get(key) !== state || document.isClosed) return;
      this.simulations.delete(key);
      state.simulation = simulation;
      this.publish(document, state, settings);
    };
    const timer = setTimeout(() => {
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
      const slice = () => {
        if (cancelled) return;
        try {
          if (run.runFor(EVENTS_PER_SLICE)) finish({ result: run.result() });
          else setImmediate(slice);
        } catch (error) {
          finish({ error: describe(error) });
        }
      };
      slice();
    }, settings.simulationDebounceMs);
    this.simulations.set(key, {
      cancel: () => {
        cancelled = true;
        clearTimeout(timer);
      },
    });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.lintTimers.get(key));
    this.lintTimers.delete(key);
    this.simulations.get(key)?.cancel();
    this.simulations.delete(key);
    this.states.delete(key);
    this.analyzers.delete(key);
    this.collection.delete(uri);
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const timer of this.lintTimers.values()) clearTimeout(timer);
    for (const simulation of this.simulations.values()) simulation.cancel();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function describe(error: unknown): string {
  if (error instanceof SimulationError) return error.message;
  return `the simulation failed: ${String((error as Error)?.message ?? error)}`;
}

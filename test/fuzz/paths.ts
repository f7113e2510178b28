/**
 * The three ways text reaches the core, as the adapters call it: the CLI's lint (lintText, then
 * EXR005 from a simulation), and the extension's diagnostics path (analyze + toDiagnostics, then
 * the background simulation in slices, then toDiagnostics again with EXR005). No VS Code needed.
 */
import type { RunbookDiagnostic, SeveritySetting } from '../../src/core/diagnostics';
import { analyze, isSimulatable, lintText, toDiagnostics } from '../../src/core/lint';
import type { Assumptions } from '../../src/core/model/assumptions';
import { exhaustionFindings, Simulation, simulate, SimulationError } from '../../src/core/simulator';
import type { Runbook } from '../../src/core/model/types';

export interface PathOutcome {
  /** Every diagnostic list the path produced (before and after the simulation's findings). */
  diagnostics: RunbookDiagnostic[][];
  /** How the simulation ended, or why it did not run. */
  simulation: 'not simulatable' | 'disabled' | 'result' | 'budget' | 'cancelled' | 'invalid';
}

/** Runs the simulator and sorts its ending; anything but a result or a SimulationError is rethrown (a bug). */
export function simulateOutcome(run: () => unknown): PathOutcome['simulation'] {
  try {
    run();
    return 'result';
  } catch (error) {
    if (error instanceof SimulationError) return error.kind;
    throw error;
  }
}

/** The CLI's lint of one file (src/cli/main.ts lintCommand), with a smaller event budget. */
export function lintLikeCli(text: string, maxEvents: number): PathOutcome {
  const first = lintText(text);
  if (!first.simulatable) return { diagnostics: [first.diagnostics], simulation: 'not simulatable' };
  let extra: ReturnType<typeof exhaustionFindings> = [];
  const simulation = simulateOutcome(() => {
    extra = exhaustionFindings(first.runbook, simulate(first.runbook, { maxEvents }));
  });
  return { diagnostics: [first.diagnostics, lintText(text, { extraFindings: extra }).diagnostics], simulation };
}

export interface ExtensionSettings {
  severities?: Record<string, SeveritySetting>;
  assumptions?: Partial<Assumptions>;
  maxEvents: number;
  simulationEnabled: boolean;
}

/** What the language server (src/server/documents.ts) does for one document version, run synchronously. */
export function lintLikeExtension(text: string, settings: ExtensionSettings, eventsPerSlice = 200_000): PathOutcome {
  const analysis = analyze(text, { severities: settings.severities, assumptions: settings.assumptions });
  const simulatable = isSimulatable(analysis);
  const pending = settings.simulationEnabled && simulatable ? ['EXR005'] : [];
  const first = toDiagnostics(analysis, { severities: settings.severities, pendingCodes: pending });
  if (!simulatable) return { diagnostics: [first], simulation: 'not simulatable' };
  if (!settings.simulationEnabled) return { diagnostics: [first], simulation: 'disabled' };
  let extra: ReturnType<typeof exhaustionFindings> = [];
  const simulation = simulateOutcome(() => {
    const run = new Simulation(analysis.runbook, {
      assumptions: settings.assumptions,
      maxEvents: settings.maxEvents,
      shouldCancel: () => false,
    });
    while (!run.runFor(eventsPerSlice)) {
      // the extension yields to the event loop here
    }
    extra = exhaustionFindings(analysis.runbook, run.result());
  });
  return { diagnostics: [first, toDiagnostics(analysis, { severities: settings.severities, extraFindings: extra })], simulation };
}

/** Simulates a model directly (what-if variants, hand-made hostile models). */
export function simulateModel(runbook: Runbook, maxEvents: number): PathOutcome['simulation'] {
  return simulateOutcome(() => simulate(runbook, { maxEvents }));
}

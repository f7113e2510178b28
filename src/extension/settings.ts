import * as vscode from 'vscode';
import type { SeveritySetting } from '../core/diagnostics';
import type { Assumptions } from '../core/model/assumptions';

export const LANGUAGE_ID = 'exchange-runbook';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** The settings the core reads, for one document. Only plain numbers and strings: nothing that runs. */
export interface RunbookSettings {
  severities: Record<string, SeveritySetting>;
  assumptions: Partial<Assumptions>;
  lintDebounceMs: number;
  simulationEnabled: boolean;
  simulationDebounceMs: number;
  maxEvents: number;
}

export function readSettings(scope?: vscode.Uri): RunbookSettings {
  const config = vscode.workspace.getConfiguration('exrunbook', scope);
  const severities: Record<string, SeveritySetting> = {};
  const rules = config.get<Record<string, unknown>>('rules') ?? {};
  for (const [code, value] of Object.entries(rules)) {
    if (typeof value === 'string' && SEVERITIES.has(value)) severities[code.toUpperCase()] = value as SeveritySetting;
  }
  const number = (key: string, fallback: number) => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  const assumptions: Partial<Assumptions> = {};
  for (const [setting, key] of [
    ['simulation.storeTaskThreads', 'storeTaskThreads'],
    ['simulation.moveThroughputMBPerMinute', 'moveThroughputMBPerMinute'],
    ['simulation.deliveryServiceMs', 'deliveryServiceMs'],
    ['simulation.owaServiceMs', 'owaServiceMs'],
  ] as const) {
    const inspected = config.inspect<number>(setting);
    // Only values the user set override the built-in assumptions (so results can say what was assumed).
    const userValue = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (typeof userValue === 'number' && Number.isFinite(userValue) && userValue > 0) assumptions[key] = userValue;
  }
  const maxEvents = number('simulation.maxEvents', 50_000_000);
  assumptions.maxEvents = maxEvents;
  return {
    severities,
    assumptions,
    lintDebounceMs: number('lint.debounceMs', 200),
    simulationEnabled: config.get<boolean>('simulation.enabled') !== false,
    simulationDebounceMs: number('simulation.debounceMs', 800),
    maxEvents,
  };
}

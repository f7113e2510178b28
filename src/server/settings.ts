/**
 * The `exrunbook` settings as a client sends them (`workspace/configuration`, or the
 * `settings.exrunbook` of `workspace/didChangeConfiguration`), read into what the core needs.
 * Anything of the wrong type is ignored: settings are plain numbers and strings, nothing that runs.
 */
import type { SeveritySetting } from '../core/diagnostics';
import type { Assumptions } from '../core/model/assumptions';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** The settings the core reads, for one document. */
export interface RunbookSettings {
  severities: Record<string, SeveritySetting>;
  /** Only the numbers the user set: the built-in assumptions stay "assumed" in results. */
  assumptions: Partial<Assumptions>;
  lintDebounceMs: number;
  simulationEnabled: boolean;
  simulationDebounceMs: number;
  maxEvents: number;
}

export const DEFAULT_SETTINGS: Readonly<RunbookSettings> = {
  severities: {},
  assumptions: { maxEvents: 50_000_000 },
  lintDebounceMs: 200,
  simulationEnabled: true,
  simulationDebounceMs: 800,
  maxEvents: 50_000_000,
};

/** The settings that override an assumption (simulation.<key>), each a number above 0. */
const ASSUMPTION_SETTINGS = ['storeTaskThreads', 'moveThroughputMBPerMinute', 'deliveryServiceMs', 'owaServiceMs'] as const;

/**
 * Reads the `exrunbook` section: `{ rules: { EXR003: 'error' }, lint: { debounceMs },
 * simulation: { enabled, debounceMs, maxEvents, storeTaskThreads, … } }`. A value that is present
 * is taken as set by the user (the VS Code extension sends only those; see src/extension/client.ts).
 */
export function readSettings(section: unknown): RunbookSettings {
  const config = asObject(section);
  const rules = asObject(config.rules);
  const lint = asObject(config.lint);
  const simulation = asObject(config.simulation);
  const severities: Record<string, SeveritySetting> = {};
  for (const [code, value] of Object.entries(rules)) {
    if (typeof value === 'string' && SEVERITIES.has(value)) severities[code.toUpperCase()] = value as SeveritySetting;
  }
  const number = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
  const maxEvents = number(simulation.maxEvents, DEFAULT_SETTINGS.maxEvents);
  const assumptions: Partial<Assumptions> = { maxEvents };
  for (const key of ASSUMPTION_SETTINGS) {
    const value = simulation[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) assumptions[key] = value;
  }
  return {
    severities,
    assumptions,
    lintDebounceMs: number(lint.debounceMs, DEFAULT_SETTINGS.lintDebounceMs),
    simulationEnabled: simulation.enabled !== false,
    simulationDebounceMs: number(simulation.debounceMs, DEFAULT_SETTINGS.simulationDebounceMs),
    maxEvents,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Numbers no source gives (docs/domain-facts.md N1–N3 and the durations of maintenance steps).
 * Each is a named assumption: settable per server or step in the runbook, overridable by
 * settings, and reported in results so a reader sees which numbers were assumed.
 */
export interface Assumptions {
  /** N1: Information Store task threads per server. */
  storeTaskThreads: number;
  /** N2: MB per minute per concurrent mailbox move. */
  moveThroughputMBPerMinute: number;
  /** N3: store thread time per delivered message, ms. */
  deliveryServiceMs: number;
  /** N3: store thread time per OWA request, ms. */
  owaServiceMs: number;
  /** How long installing a store hotfix takes, minutes (the services are down meanwhile). */
  hotfixInstallMinutes: number;
  /** How long installing a service pack takes, minutes. */
  servicePackInstallMinutes: number;
  /** How long restarting services takes, minutes. */
  serviceRestartMinutes: number;
  /** How long a reboot takes, minutes. */
  rebootMinutes: number;
  /** How long a `set-mta` change takes, minutes. */
  setMtaMinutes: number;
  /** How long a `create-database` or `set-database` step takes, minutes. */
  databaseChangeMinutes: number;
  /** How long a flush holds a thread when the MTA is running, seconds (docs/simulator.md). */
  flushWithMtaRunningSeconds: number;
  /** The simulator refuses runs that would need more events than this. */
  maxEvents: number;
}

export const DEFAULT_ASSUMPTIONS: Readonly<Assumptions> = Object.freeze({
  storeTaskThreads: 40,
  moveThroughputMBPerMinute: 30,
  deliveryServiceMs: 200,
  owaServiceMs: 150,
  hotfixInstallMinutes: 10,
  servicePackInstallMinutes: 60,
  serviceRestartMinutes: 5,
  rebootMinutes: 10,
  setMtaMinutes: 1,
  databaseChangeMinutes: 1,
  flushWithMtaRunningSeconds: 1,
  maxEvents: 50_000_000,
});

export const ASSUMPTION_DESCRIPTIONS: Record<keyof Assumptions, string> = {
  storeTaskThreads: 'Information Store task threads per server (no source gives the default; set `store.taskThreads`)',
  moveThroughputMBPerMinute: 'MB per minute per concurrent mailbox move (set `throughputMBPerMinute` on the step)',
  deliveryServiceMs: 'store thread time per delivered message, ms (set `load.deliveryServiceMs`)',
  owaServiceMs: 'store thread time per OWA request, ms (set `load.owaServiceMs`)',
  hotfixInstallMinutes: 'minutes a hotfix install keeps the store services down',
  servicePackInstallMinutes: 'minutes a service pack install takes',
  serviceRestartMinutes: 'minutes a service restart takes',
  rebootMinutes: 'minutes a reboot takes',
  setMtaMinutes: 'minutes a set-mta change takes',
  databaseChangeMinutes: 'minutes a create-database or set-database step takes',
  flushWithMtaRunningSeconds: 'seconds a flush holds a thread when the MTA is running',
  maxEvents: 'event budget of one simulation run (setting simulation.maxEvents)',
};

export function withAssumptions(overrides?: Partial<Assumptions>): Assumptions {
  const merged: Assumptions = { ...DEFAULT_ASSUMPTIONS };
  if (overrides) {
    for (const key of Object.keys(DEFAULT_ASSUMPTIONS) as (keyof Assumptions)[]) {
      const value = overrides[key];
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
    }
  }
  return merged;
}

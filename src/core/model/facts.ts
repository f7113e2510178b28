/**
 * Domain facts the rules and the simulator rest on (docs/domain-facts.md).
 * Each constant names the fact it comes from.
 */

export const KB924567 = 'KB924567';

/** F6: store.exe after KB924567. */
export const KB924567_STORE_VERSION = '6.5.7652.5';

/** F4: a transit-mail flush waits this long on a disabled MTA. */
export const FLUSH_TIMEOUT_MINUTES = 150;

/** U4: an Exchange 2003 Standard Edition database's size limit, GB: before SP2, and from SP2 unless set (at most the maximum). */
export const STANDARD_EDITION_LIMIT_GB = { beforeSp2: 16, sp2Default: 18, sp2Maximum: 75 } as const;

/** U5: the most mailboxes Microsoft's guidance puts in one Move Mailbox batch (20 to 30). */
export const MOVE_BATCH_GUIDANCE = { min: 20, max: 30 } as const;

/** F8: services KB924567 restarts (no reboot), by short name (model/services.ts). */
export const KB924567_RESTARTED_SERVICES: readonly string[] = ['MSExchangeIS', 'MSSEARCH', 'IISADMIN'];

/** U1 (commonly stated, not from KB924567): Exchange 2003 store.exe build per service pack. */
export const EXCHANGE_2003_STORE_BUILDS: Record<number, number> = { 0: 6944, 1: 7226, 2: 7638 };

/** The leading parts of store.exe's version per Exchange version (6.0 = 2000, 6.5 = 2003, 8 = 2007, 14 = 2010). */
export const STORE_VERSION_PREFIX: Record<number, number[]> = { 2000: [6, 0], 2003: [6, 5], 2007: [8], 2010: [14] };

/** KB924567 concerns (F2) and installs on (F7) Exchange Server 2003 SP2 only. */
export function isExchange2003Sp2(state: { exchange?: number; servicePack: number }): boolean {
  return state.exchange === 2003 && state.servicePack === 2;
}

/** How Microsoft names a service pack level: "RTM", "SP1", "SP2". */
export function servicePackLabel(servicePack: number): string {
  return servicePack === 0 ? 'RTM' : `SP${servicePack}`;
}

/** "Exchange 2003 SP2"; the service pack is left out when unknown. */
export function exchangeLabel(exchange: number, servicePack?: number): string {
  return servicePack === undefined ? `Exchange ${exchange}` : `Exchange ${exchange} ${servicePackLabel(servicePack)}`;
}

/** A hotfix the product knows: what it is, what it needs, what installing it does. */
export interface KnownKb {
  title: string;
  summary: string;
  /** The prerequisite in words, and whether a server state meets it (the installer refuses otherwise). */
  prerequisite?: { text: string; isMet(state: { exchange?: number; servicePack: number }): boolean };
  /** store.exe's version once installed. */
  storeVersion?: string;
  /** Services the install restarts, by short name (model/services.ts). */
  restarts?: readonly string[];
}

/** What KB ids the product knows, for the state model, hover and completion. */
export const KNOWN_KBS: Record<string, KnownKb> = {
  KB924567: {
    prerequisite: {
      text: 'Exchange Server 2003 Service Pack 2',
      isMet: isExchange2003Sp2,
    },
    storeVersion: KB924567_STORE_VERSION,
    restarts: KB924567_RESTARTED_SERVICES,
    title:
      'E-mail messages remain in the local delivery queue, OWA does not respond, or the SMTP ' +
      'service stops responding in Exchange Server 2003 SP2',
    summary:
      'Store hotfix (store.exe 6.5.7652.5) for Exchange 2003 SP2. With the MTA disabled, every ' +
      'moved mailbox registers a transit-mail flush that holds a store task thread for 150 ' +
      'minutes; after the hotfix the store sees Gateway Out Threads = 0 and registers no flush. ' +
      'Prerequisite SP2; no reboot, but it restarts the Information Store, Microsoft Search and ' +
      'IIS Admin services. It replaces no other hotfix.',
  },
  KB810489: {
    title: 'MTA Stacks service supportability guidelines for Exchange 2000 Server and Exchange Server 2003',
    summary:
      'How to disable the MTA: set the "Gateway In Threads" and "Gateway Out Threads" registry values to 0 on every ' +
      'database (and on each database created later); Gateway Out Threads 0 is the sign of a disabled MTA that the ' +
      'KB924567 store recognises. Without them the store logs event 2000 ("ma-open calls are failing with error 3051").',
  },
};

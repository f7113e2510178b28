/**
 * The Windows services of an Exchange 2003 server that the product names, and what the
 * Information Store depends on. Windows stops a service's dependents before the service, so
 * restarting System Attendant stops the store too, while restarting the MTA, Microsoft Search or
 * IIS Admin leaves it running. docs/domain-facts.md ("Exchange services and the Information
 * Store", fact S1) gives the sources and says how far each was read.
 *
 * Only the dependencies that decide whether the store stops are recorded: the store's own (on
 * System Attendant) and System Attendant's (on the Windows services Exchange 2003 needs). What the
 * other services depend on cannot stop the store, so it is not recorded (`dependsOn` absent).
 */

export interface ServiceFact {
  /** The service's short name, as `net stop` and runbooks write it. */
  name: string;
  displayName: string;
  /** Short names of the services it depends on, where a source gives them. */
  dependsOn?: readonly string[];
}

const SERVICE_LIST: readonly ServiceFact[] = [
  { name: 'MSExchangeIS', displayName: 'Microsoft Exchange Information Store', dependsOn: ['MSExchangeSA'] },
  {
    name: 'MSExchangeSA',
    displayName: 'Microsoft Exchange System Attendant',
    dependsOn: ['EventLog', 'NtLmSsp', 'RpcSs', 'LanmanServer', 'LanmanWorkstation'],
  },
  { name: 'MSExchangeES', displayName: 'Microsoft Exchange Event', dependsOn: ['MSExchangeIS'] },
  { name: 'MSExchangeMTA', displayName: 'Microsoft Exchange MTA Stacks' },
  { name: 'RESvc', displayName: 'Microsoft Exchange Routing Engine' },
  { name: 'MSExchangeMGMT', displayName: 'Microsoft Exchange Management' },
  { name: 'IMAP4Svc', displayName: 'Microsoft Exchange IMAP4' },
  { name: 'POP3Svc', displayName: 'Microsoft Exchange POP3' },
  { name: 'MSSEARCH', displayName: 'Microsoft Search' },
  { name: 'IISADMIN', displayName: 'IIS Admin Service' },
  { name: 'SMTPSVC', displayName: 'Simple Mail Transfer Protocol (SMTP)' },
  { name: 'W3SVC', displayName: 'World Wide Web Publishing Service' },
  { name: 'EventLog', displayName: 'Event Log' },
  { name: 'NtLmSsp', displayName: 'NTLM Security Support Provider' },
  { name: 'RpcSs', displayName: 'Remote Procedure Call (RPC)' },
  { name: 'LanmanServer', displayName: 'Server' },
  { name: 'LanmanWorkstation', displayName: 'Workstation' },
];

/** The Information Store's short name. */
export const INFORMATION_STORE = 'MSExchangeIS';

/** Services by upper-cased short name and display name (Windows compares both case-insensitively). */
const BY_NAME = new Map<string, ServiceFact>();
for (const service of SERVICE_LIST) {
  BY_NAME.set(service.name.toUpperCase(), service);
  BY_NAME.set(service.displayName.toUpperCase(), service);
}

/** The service a runbook names (short or display name, any case), if the product knows it. */
export function serviceNamed(name: string): ServiceFact | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

/**
 * The chain by which stopping `name` stops the Information Store, from the store down to that
 * service (["MSExchangeIS", "MSExchangeSA"] for System Attendant), or undefined when the store
 * keeps running: only the store itself and what it depends on, directly or not, stop it.
 */
export function storeDependencyChain(name: string): string[] | undefined {
  const target = serviceNamed(name);
  if (!target) return undefined;
  const walk = (service: ServiceFact, path: string[]): string[] | undefined => {
    if (service === target) return path;
    for (const dependency of service.dependsOn ?? []) {
      const next = BY_NAME.get(dependency.toUpperCase());
      const found = next && !path.includes(next.name) ? walk(next, [...path, next.name]) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return walk(BY_NAME.get(INFORMATION_STORE.toUpperCase())!, [INFORMATION_STORE]);
}

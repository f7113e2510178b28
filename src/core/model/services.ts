/**
 * The Windows services of an Exchange 2003 server that the product reasons about, and what each
 * depends on. A service stops whenever a service it depends on stops (the Service Control Manager
 * stops dependents first), so restarting System Attendant stops the Information Store too, while
 * restarting the MTA or Microsoft Search leaves the store running.
 *
 * Source (S1): Microsoft, Exchange Server 2003 Technical Reference, "Services That Are Used by
 * Exchange" (Table B.1, the dependencies column) and "Operating System Services"
 * (technet.microsoft.com/library/bb124644, bb124202). docs/domain-facts.md quotes them.
 */

export interface ServiceFact {
  /** The service's short name, as `net stop` and runbooks write it. */
  name: string;
  displayName: string;
  /** Short names of the services it depends on (S1). */
  dependsOn: readonly string[];
  /** Installed by Exchange (a service pack stops every one of them). */
  exchange: boolean;
}

const SERVICE_LIST: readonly ServiceFact[] = [
  {
    name: 'MSExchangeSA',
    displayName: 'Microsoft Exchange System Attendant',
    dependsOn: ['EventLog', 'NtLmSsp', 'RpcSs', 'LanmanServer', 'LanmanWorkstation'],
    exchange: true,
  },
  { name: 'MSExchangeIS', displayName: 'Microsoft Exchange Information Store', dependsOn: ['MSExchangeSA'], exchange: true },
  { name: 'MSExchangeMTA', displayName: 'Microsoft Exchange MTA Stacks', dependsOn: ['MSExchangeSA'], exchange: true },
  { name: 'MSExchangeES', displayName: 'Microsoft Exchange Event', dependsOn: ['MSExchangeIS'], exchange: true },
  { name: 'RESvc', displayName: 'Microsoft Exchange Routing Engine', dependsOn: ['IISADMIN'], exchange: true },
  { name: 'MSExchangeMGMT', displayName: 'Microsoft Exchange Management', dependsOn: ['RpcSs', 'Winmgmt'], exchange: true },
  { name: 'MSSEARCH', displayName: 'Microsoft Search', dependsOn: ['NtLmSsp', 'RpcSs'], exchange: false },
  { name: 'IISADMIN', displayName: 'IIS Admin Service', dependsOn: ['RpcSs', 'SamSs'], exchange: false },
  { name: 'SMTPSVC', displayName: 'Simple Mail Transfer Protocol (SMTP)', dependsOn: ['EventLog', 'IISADMIN'], exchange: false },
  { name: 'W3SVC', displayName: 'World Wide Web Publishing Service', dependsOn: ['IISADMIN'], exchange: false },
  { name: 'EventLog', displayName: 'Event Log', dependsOn: [], exchange: false },
  { name: 'NtLmSsp', displayName: 'NTLM Security Support Provider', dependsOn: [], exchange: false },
  { name: 'RpcSs', displayName: 'Remote Procedure Call (RPC)', dependsOn: [], exchange: false },
  { name: 'LanmanServer', displayName: 'Server', dependsOn: [], exchange: false },
  { name: 'LanmanWorkstation', displayName: 'Workstation', dependsOn: [], exchange: false },
  { name: 'SamSs', displayName: 'Security Accounts Manager', dependsOn: [], exchange: false },
  { name: 'Winmgmt', displayName: 'Windows Management Instrumentation', dependsOn: [], exchange: false },
];

/** The Information Store's short name. */
export const INFORMATION_STORE = 'MSExchangeIS';

/** Services by upper-cased short name and display name (Windows compares both case-insensitively). */
const BY_NAME = new Map<string, ServiceFact>();
for (const service of SERVICE_LIST) {
  BY_NAME.set(service.name.toUpperCase(), service);
  BY_NAME.set(service.displayName.toUpperCase(), service);
}

export const SERVICES: readonly ServiceFact[] = SERVICE_LIST;

/** The service a runbook names (short or display name, any case), if the product knows it. */
export function serviceNamed(name: string): ServiceFact | undefined {
  return BY_NAME.get(name.trim().toUpperCase());
}

/**
 * The chain by which stopping `name` stops the Information Store, from the store up to that
 * service (["MSExchangeIS", "MSExchangeSA"] for System Attendant), or undefined when the store
 * keeps running. An unknown service is not one the store depends on (S1 lists all of its dependencies).
 */
export function storeDependencyChain(name: string): string[] | undefined {
  const target = serviceNamed(name);
  if (!target) return undefined;
  const walk = (service: ServiceFact, path: string[]): string[] | undefined => {
    if (service === target) return path;
    for (const dependency of service.dependsOn) {
      const next = BY_NAME.get(dependency.toUpperCase());
      const found = next && !path.includes(next.name) ? walk(next, [...path, next.name]) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const store = BY_NAME.get(INFORMATION_STORE.toUpperCase())!;
  return walk(store, [store.name]);
}

/** The Exchange services (a service pack install stops them all). */
export function exchangeServices(): string[] {
  return SERVICE_LIST.filter((service) => service.exchange).map((service) => service.name);
}

/**
 * What each step action does, in one table: how long it takes and which assumption supplies the
 * number, how it changes its server's state, which services it stops while it runs and whether
 * that stops the Information Store (then a move from or to the server running meanwhile is
 * interrupted), and its descriptions. The schedule, the state model, the simulator, the rules,
 * hover and completion all read it; a test keeps its keys equal to the schema's action list.
 *
 * A step's services stay stopped for the whole step (its duration), then start again.
 */
import { listInWords } from '../format/words';
import type { Assumptions } from './assumptions';
import { createDatabaseEffect, moveDatabasesEffect, setDatabaseEffect, setEveryGatewayOut } from './databases';
import { EXCHANGE_2003_STORE_BUILDS, KNOWN_KBS } from './facts';
import { HotfixSet } from './hotfixSet';
import { serviceNamed, storeDependencyChain } from './services';
import type { ActionName, ServerState, Step } from './types';

/** Services a step stops on its server while it runs. */
export interface Outage {
  /** Who stops them, as a message's subject: "Installing KB924567", "The reboot", "Restarting MSExchangeSA and MSSEARCH". */
  cause: string;
  /** What happens to the Information Store, as the verb phrase after `cause`; undefined when the store keeps running. */
  store?: string;
  /** The services stopped, in words. */
  services: string;
}

/** What a step does to the server it names (`server`) when it begins. */
export interface StepEffect {
  /** The server's state from then on: the same object when the step changes nothing. */
  state: ServerState;
  /** What the step stops while it runs; undefined when it stops nothing. */
  outage?: Outage;
}

export interface ActionSpec {
  /** One line; the schema's description of the step says the same (a test keeps them equal). */
  summary: string;
  /** What the step does, for hovers (continues "**action**: …"). */
  description: string;
  /** How long the step takes, minutes. */
  minutes(step: Step, assumptions: Assumptions): number;
  /** The assumption that supplies the duration, or undefined when the runbook gives it. */
  durationAssumption(step: Step): keyof Assumptions | undefined;
  /** What the step does to its `server` (a move: to its `from` and `to`), judged against the server's state when it begins. */
  effect(step: Step, state: ServerState): StepEffect;
}

const unchanged = (_step: Step, state: ServerState): StepEffect => ({ state });

/** The move duration the format defines: size ÷ (concurrency × throughput), in minutes. */
export function moveMinutes(step: Step, assumptions: Assumptions): number {
  const mailboxes = step.mailboxes?.value;
  if (!mailboxes) return 0;
  const concurrency = Math.max(1, step.concurrency?.value ?? 1);
  const throughput = step.throughputMBPerMinute?.value ?? assumptions.moveThroughputMBPerMinute;
  if (!(throughput > 0)) return Infinity;
  return mailboxes.totalMB / (concurrency * throughput);
}

/** Why stopping these services stops the Information Store, or undefined when it keeps running. */
function storeStopFor(services: readonly string[]): string | undefined {
  const chains = services.map(storeDependencyChain).filter((chain) => chain !== undefined);
  if (chains.length === 0) return undefined;
  // The store itself among them: it restarts. Otherwise it stops because it depends on one of them.
  if (chains.some((chain) => chain.length === 1)) return 'restarts the Information Store';
  const shortest = chains.reduce((best, chain) => (chain.length < best.length ? chain : best));
  const links = shortest.slice(1).map((name) => serviceNamed(name)!.displayName);
  return `stops the Information Store (it depends on ${links.join(', which depends on ')})`;
}

function hotfixEffect(step: Step, state: ServerState): StepEffect {
  if (!step.hotfix) return { state };
  const kb = step.hotfix.value.toUpperCase();
  const known = KNOWN_KBS[kb];
  // A hotfix whose prerequisite is missing does not install (EXR002 says so): nothing changes, nothing stops.
  if (known?.prerequisite && !known.prerequisite.isMet(state)) return { state };
  const hotfixes = HotfixSet.with(state.hotfixes, kb);
  const next = { ...state, hotfixes, storeVersion: known?.storeVersion ?? state.storeVersion };
  const restarts = known?.restarts ?? [];
  if (restarts.length === 0) return { state: next };
  const names = restarts.map((name) => serviceNamed(name)?.displayName.replace(/^Microsoft Exchange /, '') ?? name);
  return {
    state: next,
    outage: { cause: `Installing ${kb}`, store: storeStopFor(restarts), services: `the ${listInWords(names)} services` },
  };
}

function servicePackEffect(step: Step, state: ServerState): StepEffect {
  if (!step.servicePack) return { state };
  const servicePack = step.servicePack.value;
  const build = state.exchange === 2003 ? EXCHANGE_2003_STORE_BUILDS[servicePack] : undefined;
  return {
    state: { ...state, servicePack, storeVersion: build ? `6.5.${build}.0` : state.storeVersion },
    outage: {
      cause: `Installing Service Pack ${servicePack}`,
      store: 'stops the Information Store (with every other Exchange service)',
      services: 'every Exchange service',
    },
  };
}

function setMtaEffect(step: Step, state: ServerState): StepEffect {
  if (!step.service && !step.gatewayOutThreads) return { state };
  const next: ServerState = {
    ...state,
    mtaService: step.service?.value ?? state.mtaService,
    gatewayOutThreads: step.gatewayOutThreads?.value ?? state.gatewayOutThreads,
  };
  // The server-level value is every existing database's (model/databases.ts); one created later has its own.
  if (step.gatewayOutThreads && state.databases) next.databases = setEveryGatewayOut(state, step.gatewayOutThreads.value);
  return { state: next };
}

function restartEffect(step: Step, state: ServerState): StepEffect {
  const services = step.services?.value ?? [];
  if (services.length === 0) return { state };
  return {
    state,
    outage: { cause: `Restarting ${listInWords(services)}`, store: storeStopFor(services), services: listInWords(services) },
  };
}

export const ACTION_TABLE: Readonly<Record<ActionName, ActionSpec>> = {
  'move-mailboxes': {
    summary: "Move mailboxes from one server's store to another's.",
    description: 'moves mailboxes from `from` to `to`; runs for size ÷ (concurrency × throughput).',
    minutes: moveMinutes,
    durationAssumption: (step) => (step.throughputMBPerMinute ? undefined : 'moveThroughputMBPerMinute'),
    // Only databases change: the mailboxes' size leaves the source database and arrives in the target.
    effect: (step, state) => ({ state: moveDatabasesEffect(step, state) }),
  },
  'install-hotfix': {
    summary:
      'Install a hotfix. KB924567 sets store.exe to 6.5.7652.5 and restarts the Information Store, Microsoft Search and IIS Admin ' +
      'services (no reboot).',
    description:
      "adds the KB to the server's hotfixes; KB924567 also sets store.exe to 6.5.7652.5 and restarts " +
      'the Information Store, Microsoft Search and IIS Admin services (no reboot). On a server that is not ' +
      'Exchange 2003 SP2, KB924567 does not install and changes nothing.',
    minutes: (_step, assumptions) => assumptions.hotfixInstallMinutes,
    durationAssumption: () => 'hotfixInstallMinutes',
    effect: hotfixEffect,
  },
  'install-service-pack': {
    summary: 'Install an Exchange service pack (sets servicePack and the matching store build); every Exchange service stops meanwhile.',
    description:
      'sets the service pack (and the matching store build); every Exchange service, the Information Store ' +
      'among them, is stopped while it installs, so a move from or to that server is interrupted.',
    minutes: (_step, assumptions) => assumptions.servicePackInstallMinutes,
    durationAssumption: () => 'servicePackInstallMinutes',
    effect: servicePackEffect,
  },
  'set-mta': {
    summary: 'Set the MTA service state and/or the Gateway Out Threads value.',
    description: 'sets the MTA service state and/or the Gateway Out Threads value; the Information Store keeps running.',
    minutes: (_step, assumptions) => assumptions.setMtaMinutes,
    durationAssumption: () => 'setMtaMinutes',
    effect: setMtaEffect,
  },
  'restart-services': {
    summary:
      'Restart Windows services on a server; a move from or to it is interrupted when they stop the Information Store ' +
      '(MSExchangeIS, or a service it depends on such as MSExchangeSA).',
    description:
      'restarts the listed services; when they stop the Information Store (MSExchangeIS itself, or a service it ' +
      'depends on such as MSExchangeSA), a move from or to that server is interrupted.',
    minutes: (_step, assumptions) => assumptions.serviceRestartMinutes,
    durationAssumption: () => 'serviceRestartMinutes',
    effect: restartEffect,
  },
  reboot: {
    summary: 'Restart the computer.',
    description: 'restarts the computer: every service stops, so a move from or to that server is interrupted.',
    minutes: (_step, assumptions) => assumptions.rebootMinutes,
    durationAssumption: () => 'rebootMinutes',
    effect: (_step, state) => ({
      state,
      outage: { cause: 'The reboot', store: 'restarts the Information Store', services: 'every service (the computer restarts)' },
    }),
  },
  wait: {
    summary: 'Let time pass.',
    description: 'nothing happens; time passes.',
    minutes: (step) => step.duration?.value ?? 0,
    durationAssumption: () => undefined,
    effect: unchanged,
  },
  'create-database': {
    summary: 'Create a database on a server; it starts empty, with Gateway In and Out Threads 1 unless given.',
    description:
      'creates an empty database in a storage group of the server, with Gateway In and Out Threads 1 unless the step ' +
      'gives them (KB810489 asks for 0 on every database created while the MTA is disabled); the store keeps running.',
    minutes: (_step, assumptions) => assumptions.databaseChangeMinutes,
    durationAssumption: () => 'databaseChangeMinutes',
    effect: (step, state) => ({ state: createDatabaseEffect(step, state) }),
  },
  'set-database': {
    summary: "Set one database's Gateway In/Out Threads and/or its size limit.",
    description:
      "sets one database's Gateway In/Out Threads and/or its size limit (Database Size Limit in GB); the other " +
      'databases and the store keep running.',
    minutes: (_step, assumptions) => assumptions.databaseChangeMinutes,
    durationAssumption: () => 'databaseChangeMinutes',
    effect: (step, state) => ({ state: setDatabaseEffect(step, state) }),
  },
};

/** The action names, in the schema's order. */
export const ACTIONS = Object.keys(ACTION_TABLE) as ActionName[];

/** How long a step takes in the static schedule, minutes (0 for a step without a known action). */
export function stepMinutes(step: Step, assumptions: Assumptions): number {
  const action = step.action?.value;
  return action ? ACTION_TABLE[action].minutes(step, assumptions) : 0;
}

/** What a step does to its server's state and services when it begins. */
export function stepEffect(step: Step, state: ServerState): StepEffect {
  const action = step.action?.value;
  return action ? ACTION_TABLE[action].effect(step, state) : { state };
}

import type { Finding, Span } from '../diagnostics';
import { setDatabaseGatewayZero, type DatabaseGatewayTarget } from '../edits';
import { listInWords } from '../format/words';
import { unchangedEnds } from '../arrays';
import { databaseKey } from '../model/databases';
import { mtaDisabled, serversOfStep, type ServerStates } from '../model/state';
import { serverKey, type DatabaseState, type ServerDecl, type ServerState, type Step } from '../model/types';
import { declaredName, ruleMemo, stepLabel, type RuleContext, type SemanticRule } from './rule';

/** KB810489 covers Exchange 2000 and Exchange 2003. */
const coveredVersion = (state: ServerState) => state.exchange === 2000 || state.exchange === 2003;

/** The databases of a server whose MTA is disabled that lack Gateway In or Out Threads = 0. */
function missingZero(state: ServerState | undefined): DatabaseState[] {
  if (!state?.databases || !coveredVersion(state) || !mtaDisabled(state)) return [];
  return [...state.databases.values()].filter((db) => db.gatewayInThreads !== 0 || db.gatewayOutThreads !== 0);
}

function values(db: DatabaseState): string {
  const parts: string[] = [];
  if (db.gatewayInThreads !== 0) parts.push(`Gateway In Threads ${db.gatewayInThreads}`);
  if (db.gatewayOutThreads !== 0) parts.push(`Gateway Out Threads ${db.gatewayOutThreads}`);
  return listInWords(parts);
}

/**
 * EXR014: KB810489 sets Gateway In Threads and Gateway Out Threads to 0 on every database when the
 * MTA is disabled (F12, F13). Reported once where a database first falls short (its declaration,
 * the step that creates it, or the step that disables the MTA or changes the value) and again only
 * after it has been put right in between.
 */
export const exr014: SemanticRule = {
  code: 'EXR014',
  defaultSeverity: 'warning',
  title: 'Disabled MTA with a database lacking Gateway In or Out Threads = 0 (KB810489)',
  facts: ['F12', 'F13'],
  explanation:
    'KB810489 says to set the registry values Gateway In Threads and Gateway Out Threads to 0 on ' +
    'every database (under MSExchangeIS\\<server>\\<database>) when the MTA is disabled, and to do ' +
    'it again for every database created later. Without both, the store keeps logging event 2000 ' +
    '("ma-open calls are failing with error 3051"), and with KB924567 a move out of a database whose ' +
    'Gateway Out Threads is not 0 still holds its transit-mail flushes (EXR004). Fix: set both to 0 on that database.',
  fixes({ analysis, diagnostic }) {
    const target = diagnostic.data?.fix as DatabaseGatewayTarget | undefined;
    const database = diagnostic.data?.database;
    if (!target || typeof database !== 'string') return [];
    const edits = setDatabaseGatewayZero(analysis.parsed.text, analysis.runbook, target);
    return [{ title: `Set Gateway In and Out Threads to 0 on ${database}`, edits, isPreferred: true }];
  },
  check(context) {
    return ruleMemo(context, 'EXR014', () => new Exr014Memo())?.update(context) ?? judgeAll(context);
  },
};

/** Every step judged afresh (analyze()), carrying each server's reported databases through the steps. */
function judgeAll(context: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const { runbook, states } = context;
  // Per server, the databases (by databaseKey) already reported and not put right since.
  const open = new Map<string, Set<string>>();
  const openOf = (key: string) => {
    let set = open.get(key);
    if (!set) open.set(key, (set = new Set()));
    return set;
  };
  // The inventory: at each database's declaration.
  const first = states.before[0] ?? states.after;
  for (const [key, decl] of context.declared) {
    for (const finding of inventoryFindings(context, key, decl, first.get(key))) {
      openOf(key).add(databaseKey(finding.data!.database as string));
      findings.push(finding);
    }
  }
  // Each step that changes a server: where a database first falls short again.
  for (const step of runbook.steps) {
    if (!step.server) continue; // moves change sizes only
    const after = states.before[step.index + 1] ?? states.after;
    for (const key of keysOf(step)) {
      const state = after.get(key);
      const short = missingZero(state);
      const reported = open.get(key);
      if (short.length === 0) {
        reported?.clear();
        continue;
      }
      const shortKeys = new Set(short.map((db) => databaseKey(db.name)));
      if (reported) for (const name of [...reported]) if (!shortKeys.has(name)) reported.delete(name);
      for (const db of short) {
        const name = databaseKey(db.name);
        const set = openOf(key);
        if (set.has(name)) continue;
        set.add(name);
        findings.push(stepFinding(context, step, key, state!, db));
      }
    }
  }
  return findings;
}

/** The servers a step's findings are about: most such steps name only `server`, its key without serversOfStep's arrays. */
function keysOf(step: Step): string[] {
  return step.from || step.to ? serversOfStep(step) : [serverKey(step.server!.value)];
}

/** The inventory's findings about one declared server: its databases that fall short before the first step. */
function inventoryFindings(context: RuleContext, key: string, decl: ServerDecl, state: ServerState | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const db of missingZero(state)) {
    const declaration = decl.databases?.find((d) => d.name && databaseKey(d.name.value) === databaseKey(db.name));
    if (!declaration?.name) continue;
    findings.push(
      findingOf(context, key, state!, db, declaration.name.span, '', { kind: 'inventory', server: key, database: declaration }),
    );
  }
  return findings;
}

/** The finding about a database that falls short after `step` on the server `key`. */
function stepFinding(context: RuleContext, step: Step, key: string, state: ServerState, db: DatabaseState): Finding {
  const { span, fix } = placeOnStep(context, step, key, db);
  return findingOf(context, key, state, db, span, `After step ${stepLabel(step)}, `, fix);
}

function findingOf(
  context: RuleContext,
  key: string,
  state: ServerState,
  db: DatabaseState,
  span: Span,
  where: string,
  fix?: DatabaseGatewayTarget,
): Finding {
  const server = declaredName(context, key, state.name);
  return {
    code: 'EXR014',
    span,
    message:
      `${where ? `${where}the` : 'The'} MTA on ${server} is disabled (service ${state.mtaService}, Gateway Out Threads ${state.gatewayOutThreads}) ` +
      `but database ${db.name} has ${values(db)}: KB810489 sets Gateway In and Out Threads to 0 on every database ` +
      `when the MTA is disabled, databases created later included; until then the store logs event 2000 ` +
      `("ma-open calls are failing with error 3051"). Set both to 0 on ${db.name}.`,
    data: { server, database: db.name, ...(fix ? { fix } : {}) },
  };
}

/** Where a finding about a step goes, and how it is fixed: on the step itself when it names the database, else in a step before it. */
function placeOnStep(context: RuleContext, step: Step, key: string, db: DatabaseState): { span: Span; fix?: DatabaseGatewayTarget } {
  const namesIt = step.database !== undefined && databaseKey(step.database.value) === databaseKey(db.name);
  if (namesIt) return { span: step.database!.span, fix: { kind: 'step', stepIndex: step.index } };
  const span = (step.service ?? step.gatewayOutThreads ?? step.action ?? step.id)?.span ?? step.span;
  // Set the values first, then this step (the MTA is disabled with every database ready).
  const server = declaredName(context, key, step.server?.value ?? key);
  return { span, fix: { kind: 'before', stepIndex: step.index, server, databases: [db.name] } };
}

/** A server state in which KB810489 applies: Exchange 2000 or 2003 with its MTA disabled. */
const fallsUnder = (state: ServerState) => coveredVersion(state) && mtaDisabled(state);

/** A database that lacks Gateway In or Out Threads = 0. */
const lacksZero = (db: DatabaseState) => db.gatewayInThreads !== 0 || db.gatewayOutThreads !== 0;

/** How many steps the last incremental run judged (for tests). */
export const exr014Memo = { judged: 0 };

/** What EXR014 last said about a step, and the states it read (one shape for every step). */
class StepVerdict {
  findings: Finding[] | undefined = undefined;
  /** Per server of `keys`: its state before the step and its state after it, when last judged. */
  readonly states: (ServerState | undefined)[];

  constructor(
    readonly step: Step,
    /** The servers its findings are about (`keysOf`). */
    readonly keys: readonly string[],
    /** The position its findings were made at. */
    public index: number,
  ) {
    this.states = new Array<ServerState | undefined>(keys.length * 2);
  }

  /** Whether its servers' states before and after it are the ones it was judged with. */
  reads(before: ServerStates, after: ServerStates): boolean {
    const { keys, states } = this;
    for (let k = 0; k < keys.length; k++) {
      if (before.get(keys[k]) !== states[2 * k] || after.get(keys[k]) !== states[2 * k + 1]) return false;
    }
    return true;
  }
}

/**
 * EXR014 between analyses of one document (RuleContext.memos). After `check` has carried a server
 * through a step, its reported databases are exactly those that fall short then; between two steps
 * that name it only moves change it, and they change database sizes alone. So a step reports, per
 * server it names, the databases that fall short after it and did not before it (the inventory
 * reports those that fall short before the first step): its findings depend on the step and those
 * states only. The memo keeps each step's verdict with the state objects it read (the state cache
 * keeps an unchanged state the same object) and judges again only the steps of the edited stretch
 * (aligned by identity) and the steps whose servers' states before or after them are other
 * objects; the inventory's findings are kept per declaration and initial state. A kept finding
 * keeps its object (its span is the step's or the declaration's own, moved in place); a step moved
 * in the list gets new `data` (its fix names its index), and new words when its label is its position.
 */
class Exr014Memo {
  private signature = '';
  private steps: readonly Step[] = [];
  private before: readonly ServerStates[] = [];
  private after: ServerStates | undefined = undefined;
  /** By position: the verdict of each step with `server`. */
  private verdicts: (StepVerdict | undefined)[] = [];

  update(context: RuleContext): Finding[] {
    let signature = '';
    for (const [key, server] of context.declared) signature += `${key}\u0000${server.name?.value}\u0000`;
    if (signature !== this.signature) this.reset(signature);
    const findings: Finding[] = [];
    const { before, after } = context.states;
    // The inventory first, afresh (the declarations are new objects at every analysis; a few servers).
    const start = before[0] ?? after;
    for (const [key, decl] of context.declared)
      for (const finding of inventoryFindings(context, key, decl, start.get(key))) findings.push(finding);

    // The steps, aligned with last time's by identity: the same objects before and after the edited stretch.
    const steps = context.runbook.steps;
    const n = steps.length;
    const old = this.steps;
    const oldN = old.length;
    const oldBefore = this.before;
    const oldAfter = this.after;
    const [first, tail] = unchangedEnds(old, steps);
    const endNew = n - tail;
    const shift = n - oldN;
    const oldVerdicts = this.verdicts;
    // Written in place when no step was inserted or deleted (each old verdict is read before it is written).
    const verdicts = shift === 0 ? oldVerdicts : new Array<StepVerdict | undefined>(n);
    let judged = 0;
    for (let i = 0; i < n; i++) {
      const stepBefore = before[i];
      const stepAfter = i + 1 < n ? before[i + 1] : after;
      let verdict: StepVerdict | undefined;
      if (i >= first && i < endNew) {
        const step = steps[i];
        if (step.server) {
          verdict = judge(context, new StepVerdict(step, keysOf(step), i), i, stepBefore, stepAfter);
          judged++;
        }
      } else {
        const j = i < first ? i : i - shift;
        verdict = oldVerdicts[j];
        if (verdict !== undefined) {
          // Another snapshot: judged again only when one of its own servers' states is another object.
          const same = stepBefore === oldBefore[j] && stepAfter === (j + 1 < oldN ? oldBefore[j + 1] : oldAfter);
          if (!same && !verdict.reads(stepBefore, stepAfter)) {
            judge(context, verdict, i, stepBefore, stepAfter);
            judged++;
          } else if (verdict.index !== i) moved(context, verdict, i, stepBefore, stepAfter);
        }
      }
      verdicts[i] = verdict;
      if (verdict?.findings) for (const finding of verdict.findings) findings.push(finding);
    }
    exr014Memo.judged = judged;
    this.steps = steps;
    this.before = before;
    this.after = after;
    this.verdicts = verdicts;
    return findings;
  }

  private reset(signature: string): void {
    this.signature = signature;
    this.steps = [];
    this.before = [];
    this.after = undefined;
    this.verdicts = [];
  }
}

/** Judges a step at `index` from its servers' states before and after it (see Exr014Memo). */
function judge(context: RuleContext, verdict: StepVerdict, index: number, before: ServerStates, after: ServerStates): StepVerdict {
  const { step, keys, states } = verdict;
  let findings: Finding[] | undefined;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const was = before.get(key);
    const state = after.get(key);
    states[2 * k] = was;
    states[2 * k + 1] = state;
    if (!state?.databases || !fallsUnder(state)) continue;
    const wasShort = was?.databases !== undefined && fallsUnder(was) ? was.databases : undefined;
    for (const [name, db] of state.databases) {
      if (!lacksZero(db)) continue;
      const known = wasShort?.get(name);
      if (known && lacksZero(known)) continue; // reported before, not put right since
      (findings ??= []).push(stepFinding(context, step, key, state, db));
    }
  }
  verdict.findings = findings;
  verdict.index = index;
  return verdict;
}

/** A kept verdict whose step moved in the list: its findings' fixes name the new index (new `data`), and a positional label is new words. */
function moved(context: RuleContext, verdict: StepVerdict, index: number, before: ServerStates, after: ServerStates): void {
  if (!verdict.findings) {
    verdict.index = index;
    return;
  }
  if (!verdict.step.id) {
    judge(context, verdict, index, before, after);
    return;
  }
  for (const finding of verdict.findings) {
    // A new data object (diagnostics already handed out share the old one), of the same shape.
    const { server, database, fix } = finding.data as { server: string; database: string; fix: DatabaseGatewayTarget };
    finding.data = { server, database, fix: { ...fix, stepIndex: index } as DatabaseGatewayTarget };
  }
  verdict.index = index;
}

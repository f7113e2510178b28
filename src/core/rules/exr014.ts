import type { Finding, Span } from '../diagnostics';
import { setDatabaseGatewayZero, type DatabaseGatewayTarget } from '../edits';
import { listInWords } from '../format/words';
import { databaseKey } from '../model/databases';
import { mtaDisabled, serversOfStep } from '../model/state';
import { serverKey, type DatabaseState, type ServerState, type Step } from '../model/types';
import { declaredName, stepLabel, type RuleContext, type SemanticRule } from './rule';

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
    const findings: Finding[] = [];
    const { runbook, states } = context;
    // Per server, the databases (by databaseKey) already reported and not put right since.
    const open = new Map<string, Set<string>>();
    const openOf = (key: string) => {
      let set = open.get(key);
      if (!set) open.set(key, (set = new Set()));
      return set;
    };
    const report = (key: string, state: ServerState, db: DatabaseState, span: Span, where: string, fix?: DatabaseGatewayTarget) => {
      const server = declaredName(context, key, state.name);
      findings.push({
        code: 'EXR014',
        span,
        message:
          `${where ? `${where}the` : 'The'} MTA on ${server} is disabled (service ${state.mtaService}, Gateway Out Threads ${state.gatewayOutThreads}) ` +
          `but database ${db.name} has ${values(db)}: KB810489 sets Gateway In and Out Threads to 0 on every database ` +
          `when the MTA is disabled, databases created later included; until then the store logs event 2000 ` +
          `("ma-open calls are failing with error 3051"). Set both to 0 on ${db.name}.`,
        data: { server, database: db.name, ...(fix ? { fix } : {}) },
      });
    };
    // The inventory: at each database's declaration.
    const first = states.before[0] ?? states.after;
    for (const [key, decl] of context.declared) {
      for (const db of missingZero(first.get(key))) {
        const declaration = decl.databases?.find((d) => d.name && databaseKey(d.name.value) === databaseKey(db.name));
        if (!declaration?.name) continue;
        openOf(key).add(databaseKey(db.name));
        report(key, first.get(key)!, db, declaration.name.span, '', { kind: 'inventory', server: key, database: declaration });
      }
    }
    // Each step that changes a server: where a database first falls short again.
    for (const step of runbook.steps) {
      if (!step.server) continue; // moves change sizes only
      const after = states.before[step.index + 1] ?? states.after;
      // Most such steps name only `server`: its key without serversOfStep's arrays.
      for (const key of step.from || step.to ? serversOfStep(step) : [serverKey(step.server.value)]) {
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
          const { span, fix } = placeOnStep(context, step, key, db);
          report(key, state!, db, span, `After step ${stepLabel(step)}, `, fix);
        }
      }
    }
    return findings;
  },
};

/** Where a finding about a step goes, and how it is fixed: on the step itself when it names the database, else in a step before it. */
function placeOnStep(context: RuleContext, step: Step, key: string, db: DatabaseState): { span: Span; fix?: DatabaseGatewayTarget } {
  const namesIt = step.database !== undefined && databaseKey(step.database.value) === databaseKey(db.name);
  if (namesIt) return { span: step.database!.span, fix: { kind: 'step', stepIndex: step.index } };
  const span = (step.service ?? step.gatewayOutThreads ?? step.action ?? step.id)?.span ?? step.span;
  // Set the values first, then this step (the MTA is disabled with every database ready).
  const server = declaredName(context, key, step.server?.value ?? key);
  return { span, fix: { kind: 'before', stepIndex: step.index, server, databases: [db.name] } };
}

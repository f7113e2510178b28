import type { Finding } from '../diagnostics';
import { setDatabaseGatewayZero, setGatewayOutThreadsZeroBefore } from '../edits';
import { FLUSH_TIMEOUT_MINUTES, KB924567 } from '../model/facts';
import { moveGatewayOut } from '../model/databases';
import { exposedMove } from '../model/state';
import { serverKey } from '../model/types';
import { byStep, declaredName, stepLabel, type SemanticRule } from './rule';

/** EXR004: the hotfix is in, the MTA is stopped/disabled, but Gateway Out Threads is not 0 (F9, F10). */
export const exr004: SemanticRule = {
  code: 'EXR004',
  defaultSeverity: 'error',
  plan: 'solves',
  title: 'KB924567 installed but Gateway Out Threads is not 0',
  facts: ['F9', 'F10'],
  explanation:
    'After KB924567 the store recognises a disabled MTA only by the registry value Gateway Out ' +
    'Threads = 0 (KB810489). With the MTA service stopped or disabled but Gateway Out Threads ' +
    'left at another value, every moved mailbox still registers a transit-mail flush that holds ' +
    'a store thread until it times out (150 minutes, KB924567). Fix: set Gateway Out Threads to 0.',
  fixes({ analysis, step, server, states }) {
    if (!step || server === undefined || !states) return [];
    // A move out of a database: that database's value, in a set-database step before the move.
    const source = states.before[step.index]?.get(serverKey(server));
    const database = source ? moveGatewayOut(source, step).database : undefined;
    if (database) {
      const target = { kind: 'before' as const, stepIndex: step.index, server, databases: [database.name] };
      return [
        {
          title: `Set Gateway In and Out Threads to 0 on ${database.name} before this move`,
          edits: setDatabaseGatewayZero(analysis.parsed.text, analysis.runbook, target),
          isPreferred: true,
        },
      ];
    }
    return [
      {
        title: `Insert a set-mta step for Gateway Out Threads 0 on ${server} before this move`,
        edits: setGatewayOutThreadsZeroBefore(analysis.parsed.text, analysis.runbook, step.index, server),
        isPreferred: true,
      },
    ];
  },
  ...byStep((context, move) => {
    const findings: Finding[] = [];
    const exposed = exposedMove(move, context.states);
    if (exposed) {
      const { step, key, state, database, gatewayOutThreads } = exposed;
      // Without the hotfix, an exposed move is EXR001's.
      if (!state.hotfixes.has(KB924567)) return findings;
      const server = declaredName(context, key, step.from!.value);
      const flushMinutes = context.runbook.simulation.flushTimeout?.value ?? FLUSH_TIMEOUT_MINUTES;
      if (database) {
        // KB924567 per database: the store skips the flush only for moves out of a database whose value is 0 (F12).
        findings.push({
          code: 'EXR004',
          span: (step.fromDatabase ?? step.from)!.span,
          message:
            `${server} has KB924567 and its MTA service is ${state.mtaService}, but database ${database.name} ` +
            `has Gateway Out Threads ${gatewayOutThreads}, not 0${database.createdBy !== undefined ? ' (a new database does not take the value set on the others)' : ''}: ` +
            `the fixed store skips the flush only for moves out of a database whose Gateway Out Threads is 0 (KB810489), so ` +
            `step ${stepLabel(step)} still registers a transit-mail flush per mailbox, each holding a ` +
            `store thread for ~${Math.round(flushMinutes)} minutes. Set Gateway Out Threads to 0 on ${database.name} before this move.`,
          data: { server, stepIndex: step.index, database: database.name },
        });
        return findings;
      }
      findings.push({
        code: 'EXR004',
        span: step.from!.span,
        message:
          `${server} has KB924567 and its MTA service is ${state.mtaService}, but Gateway Out ` +
          `Threads is ${state.gatewayOutThreads}, not 0: ` +
          `the fixed store recognises a disabled MTA only by Gateway Out Threads = 0 (KB810489), so ` +
          `step ${stepLabel(step)} still registers a transit-mail flush per mailbox, each holding a ` +
          `store thread for ~${Math.round(flushMinutes)} minutes. Set Gateway Out Threads to 0 on ${server} before this move.`,
        data: { server, stepIndex: step.index },
      });
    }
    return findings;
  }),
};

import type { Finding } from '../diagnostics';
import { moveDatabase } from '../model/databases';
import { serverKey } from '../model/types';
import { byStep, stepLabel, type SemanticRule } from './rule';

/**
 * EXR012: a move into the database it comes from. A move between two databases of one server is
 * a normal rebalance (model/databases.ts), so the same server is an error only when the move
 * cannot name two different databases there.
 */
export const exr012: SemanticRule = {
  code: 'EXR012',
  defaultSeverity: 'error',
  title: 'Move into the database it comes from',
  facts: [],
  blocksSimulation: true,
  explanation:
    'A move needs a target other than its source: another server, or another database of the same server ' +
    '(a rebalance between storage groups or databases). A server without declared databases is one store, ' +
    'so a move from it to itself goes nowhere.',
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    {
      if (step.action?.value !== 'move-mailboxes' || !step.from || !step.to) return findings;
      const key = serverKey(step.from.value);
      if (key !== serverKey(step.to.value)) return findings;
      const state = context.states.before[step.index]?.get(key);
      const source = state && moveDatabase(state, step, 'from');
      const target = state && moveDatabase(state, step, 'to');
      if (source && target && source !== target) return findings; // a rebalance between two databases of one server
      const why = !state?.databases
        ? `${step.from.value} declares no databases, so it is one store: \`to\` must name another server, or declare its storage groups and name \`fromDatabase\` and \`toDatabase\``
        : source && source === target
          ? `both ends are database ${source.name}: name another database in \`toDatabase\``
          : `name two different databases of ${step.from.value} in \`fromDatabase\` and \`toDatabase\``;
      findings.push({
        code: 'EXR012',
        span: (step.toDatabase ?? step.to).span,
        message: `Step ${stepLabel(step)} moves mailboxes from ${step.from.value} to ${step.to.value}, the same server; ${why}.`,
        related: [{ message: '`from` is here', span: (step.fromDatabase ?? step.from).span }],
        data: { server: step.from.value, stepIndex: step.index },
      });
    }
    return findings;
  }),
};

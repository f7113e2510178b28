import type { Finding } from '../diagnostics';
import { mailboxesGB, moveDatabase, standardEditionLimit } from '../model/databases';
import { serverKey } from '../model/types';
import { byStep, declaredName, stepLabel, type SemanticRule } from './rule';

const gb = (value: number) => `${Math.round(value * 10) / 10} GB`;

/** EXR015: a move pushes a Standard Edition target database past its size limit (U4). */
export const exr015: SemanticRule = {
  code: 'EXR015',
  defaultSeverity: 'error',
  title: 'Move pushes a Standard Edition database past its size limit',
  facts: ['U4'],
  explanation:
    'An Exchange 2003 Standard Edition database has a size limit: 16 GB before SP2; from SP2 the registry ' +
    'value "Database Size Limit in GB" of each database, 18 GB unless set, at most 75 GB. Past it the store ' +
    'dismounts the database, and every mailbox on it is offline until it is brought under the limit. A ' +
    'move that takes the target database past its limit does that in the middle of the migration. Fix: ' +
    'move fewer mailboxes into it, into another database, or (SP2) raise its limit with set-database sizeLimitGB (at most 75).',
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    const { states } = context;
    {
      if (step.action?.value !== 'move-mailboxes' || !step.to || !step.mailboxes) return findings;
      const key = serverKey(step.to.value);
      const state = states.before[step.index]?.get(key);
      const target = state && moveDatabase(state, step, 'to');
      if (!state || !target) return findings;
      // A move inside one database changes nothing (EXR012).
      if (step.from && serverKey(step.from.value) === key && moveDatabase(state, step, 'from') === target) return findings;
      const limit = standardEditionLimit(state, target);
      if (!limit) return findings;
      const after = target.sizeGB + mailboxesGB(step.mailboxes.value);
      if (after <= limit.gb) return findings;
      const server = declaredName(context, key, step.to.value);
      findings.push({
        code: 'EXR015',
        span: (step.toDatabase ?? step.to).span,
        message:
          `Step ${stepLabel(step)} moves ${gb(mailboxesGB(step.mailboxes.value))} into database ${target.name} on ${server} ` +
          `(Standard Edition), which then holds ${gb(after)}: past its limit of ${gb(limit.gb)} (${limit.source}). ` +
          `The store dismounts a Standard Edition database past its limit, taking every mailbox on it offline. ` +
          `Move fewer mailboxes into it or into another database${state.servicePack >= 2 && state.exchange === 2003 ? ', or raise its sizeLimitGB (at most 75) before this move' : ''}.`,
        data: { server, stepIndex: step.index, database: target.name },
      });
    }
    return findings;
  }),
};

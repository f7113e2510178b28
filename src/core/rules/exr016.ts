import type { Finding } from '../diagnostics';
import { formatCount } from '../format/numbers';
import { MOVE_BATCH_GUIDANCE } from '../model/facts';
import { byStep, stepLabel, type SemanticRule } from './rule';

/** EXR016: a move batch larger than Microsoft's guidance of 20 to 30 mailboxes (U5). Off unless `exrunbook.rules` turns it on. */
export const exr016: SemanticRule = {
  code: 'EXR016',
  defaultSeverity: 'information',
  enabledByDefault: false,
  title: "Move batch larger than Microsoft's guidance of 20 to 30 mailboxes",
  facts: ['U5', 'U2'],
  explanation:
    "Microsoft's guidance for the Exchange 2003 Move Mailbox Wizard is to move mailboxes in batches of 20 " +
    'to 30, at times of low activity (KB821829); each wizard instance moves 4 at once. A larger batch is ' +
    'not an error, but a failure or an overrun touches more users at once. Off by default: turn it on ' +
    'with the exrunbook.rules setting or `exrunbook lint --enable EXR016`.',
  ...byStep((context, step) => {
    const findings: Finding[] = [];
    {
      if (step.action?.value !== 'move-mailboxes' || !step.mailboxes) return findings;
      const count = step.mailboxes.value.count;
      if (count <= MOVE_BATCH_GUIDANCE.max) return findings;
      findings.push({
        code: 'EXR016',
        span: step.mailboxes.keySpan ?? step.mailboxes.span,
        message:
          `Step ${stepLabel(step)} moves ${formatCount(count)} mailboxes in one batch; Microsoft's guidance for the ` +
          `Move Mailbox Wizard is ${MOVE_BATCH_GUIDANCE.min} to ${MOVE_BATCH_GUIDANCE.max} per batch, at times of low activity ` +
          `(KB821829). Split it into batches of at most ${MOVE_BATCH_GUIDANCE.max}.`,
        data: { stepIndex: step.index },
      });
    }
    return findings;
  }),
};

import type { Finding } from '../diagnostics';
import { formatCount } from '../format/numbers';
import { parseMailboxList } from '../format/mailboxList';
import type { Runbook } from '../model/types';
import { stepLabel, type RuleInfo } from './rule';

/** What an adapter read for a mailbox list file named in the runbook: its text, or why it could not. */
export type MailboxFileContent = { text: string } | { error: string };

/** EXR009: a mailbox list file (`mailboxes: { file }`) that cannot be read, or a row of it that makes no sense. */
export const exr009: RuleInfo = {
  code: 'EXR009',
  defaultSeverity: 'error',
  title: 'Mailbox list file missing or malformed',
  facts: ['N2'],
  explanation:
    'A move takes its mailboxes from a list file next to the runbook (`mailboxes: { file }`): CSV or ' +
    'tab-separated `alias,sizeMB`, an Exchange System Manager "Export List" with `Size (KB)`, or a WMI ' +
    '`Exchange_Mailbox` export (`MailboxDisplayName,Size,TotalItems,ServerName`). The file cannot be read, or ' +
    'a row has no size the product can read. The move is simulated mailbox by mailbox with the sizes in the ' +
    'file, so until the list is right the runbook is not simulated.',
  blocksSimulation: true,
};

/**
 * Fills each `mailboxes: { file }` move from the text the adapter read (names as written in the
 * runbook), and reports EXR009 on the `file` value for a file that was not read and for each bad
 * row. A step whose file was not read has no mailboxes. Steps are updated in place, every time, so
 * a step the incremental analyzer keeps never shows an old file's numbers.
 */
export function resolveMailboxFiles(
  runbook: Runbook,
  files: Readonly<Record<string, MailboxFileContent>> | undefined,
  findings: Finding[],
): void {
  for (const step of runbook.steps) {
    const file = step.mailboxFile;
    if (!file) continue;
    step.mailboxes = undefined;
    const content = files && Object.hasOwn(files, file.value) ? files[file.value] : undefined;
    if (!content || 'error' in content) {
      const why = content ? content.error : 'this program has not read it';
      findings.push({
        code: 'EXR009',
        span: file.span,
        message:
          `Step ${stepLabel(step)} takes its mailboxes from \`${file.value}\`, which cannot be read: ${why}. ` +
          `Put the list next to the runbook (the path is relative to it), or give \`{ count, averageSizeMB }\`.`,
        data: { stepIndex: step.index },
      });
      continue;
    }
    const list = parseMailboxList(content.text);
    for (const problem of list.problems) {
      const where =
        problem.column === undefined
          ? `row ${problem.row}`
          : `row ${problem.row}, column ${problem.column}${problem.columnName ? ` (${problem.columnName})` : ''}`;
      findings.push({
        code: 'EXR009',
        span: file.span,
        message: `\`${file.value}\` ${where}: ${problem.message}.${list.sizesMB.length > 0 ? ' The row is left out.' : ''}`,
        data: { stepIndex: step.index, row: problem.row, column: problem.column },
      });
    }
    if (list.sizesMB.length === 0) continue;
    let totalMB = 0;
    for (const size of list.sizesMB) totalMB += size;
    step.mailboxes = {
      value: {
        count: list.sizesMB.length,
        totalMB,
        averageSizeMB: totalMB / list.sizesMB.length,
        sizesMB: list.sizesMB,
        names: list.names,
      },
      span: file.span,
    };
  }
}

/** "1,000 mailboxes, 243,512 MB in all, the largest 4,096 MB (jdoe)": a list in a line, for hover. */
export function describeMailboxList(sizesMB: readonly number[], names: readonly string[] | undefined): string {
  let largest = 0;
  let total = 0;
  sizesMB.forEach((size, i) => {
    total += size;
    if (size > sizesMB[largest]) largest = i;
  });
  const name = names?.[largest];
  return (
    `${formatCount(sizesMB.length)} mailbox${sizesMB.length === 1 ? '' : 'es'}, ${formatCount(Math.round(total))} MB in all, ` +
    `the largest ${formatCount(Math.round(sizesMB[largest] ?? 0))} MB${name ? ` (${name})` : ''}`
  );
}

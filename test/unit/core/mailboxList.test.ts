import assert from 'node:assert/strict';
import { parseMailboxList } from '../../../src/core/format/mailboxList';
import { hover } from '../../../src/core/features';
import { lintText } from '../../../src/core/lint';
import { simulate } from '../../../src/core/simulator';
import { readExample } from '../../support';

/** A 1,000-mailbox `alias,sizeMB` list with sizes from 20 MB to about 4 GB (deterministic). */
function thousandMailboxes(): { text: string; sizes: number[] } {
  const sizes: number[] = [];
  let x = 12345;
  const rows = ['alias,sizeMB'];
  for (let i = 0; i < 1000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const size = 20 + Math.round((x / 2 ** 31) ** 3 * 4000);
    sizes.push(size);
    rows.push(`user${i},${size}`);
  }
  return { text: rows.join('\r\n') + '\r\n', sizes };
}

const exposedWith = (file: string) =>
  readExample('kb924567-exposed.runbook.yaml').replace('mailboxes: { count: 400, averageSizeMB: 250 }', `mailboxes: { file: ${file} }`);

describe('mailbox list files', () => {
  it('reads alias,sizeMB, an ESM Export List (Size (KB), tab-separated) and a WMI Exchange_Mailbox export', () => {
    assert.deepEqual(parseMailboxList('alias,sizeMB\njdoe,120\n"smith, j",80.5\n').sizesMB, [120, 80.5]);
    const esm = parseMailboxList('Display Name\tAlias\tSize (KB)\tTotal Items\nJane Doe\tjdoe\t"2,048"\t10\n');
    assert.equal(esm.format, 'esm-export-list');
    assert.deepEqual(esm.sizesMB, [2]);
    assert.deepEqual(esm.names, ['Jane Doe']);
    const wmi = parseMailboxList('MailboxDisplayName,Size,TotalItems,ServerName\n"Doe, Jane",204800,1200,EXCH01\n');
    assert.equal(wmi.format, 'wmi-exchange-mailbox');
    assert.deepEqual(wmi.sizesMB, [200]);
  });

  it('names the row and column of a bad row, and an unknown header', () => {
    const list = parseMailboxList('alias,sizeMB\na,1\nb,x1\nc\n');
    assert.deepEqual(list.sizesMB, [1]);
    assert.deepEqual(
      list.problems.map((p) => [p.row, p.column, p.columnName]),
      [
        [3, 2, 'sizeMB'],
        [4, undefined, undefined],
      ],
    );
    assert.match(parseMailboxList('name,bytes\na,1\n').problems[0].message, /names no size column/);
    assert.match(parseMailboxList('').problems[0].message, /empty/);
  });

  it('lints and simulates a 1,000-mailbox list mailbox by mailbox, hover shows count, total and largest', () => {
    const { text: csv, sizes } = thousandMailboxes();
    const text = exposedWith('sales.csv');
    const result = lintText(text, { mailboxFiles: { 'sales.csv': { text: csv } } });
    assert.ok(result.simulatable);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.code === 'EXR009'),
      [],
    );
    const step = result.runbook.steps[0];
    assert.deepEqual(step.mailboxes?.value.sizesMB, sizes);
    const total = sizes.reduce((a, b) => a + b, 0);
    const simulation = simulate(result.runbook, { series: false });
    // Mailbox by mailbox: the move takes the real total at 4 × 30 MB a minute (it waits for threads too).
    assert.ok(simulation.steps[0].end >= total / 120 - 1);
    assert.equal(simulation.servers.EXCH01.summary.flushTasksRegistered, 1000);
    const offset = text.indexOf('sales.csv') + 2;
    const shown = (hover(result.analysis, offset)?.contents ?? '').replace(/\\/g, '');
    const largest = Math.max(...sizes);
    assert.match(
      shown,
      new RegExp(
        `1,000 mailboxes, ${total.toLocaleString('en-US')} MB in all, the largest ${largest.toLocaleString('en-US')} MB \\(user${sizes.indexOf(largest)}\\)`,
      ),
    );
  });

  it('a malformed row is EXR009 on the file value naming file, row and column; a missing file is one clear error', () => {
    const { text: csv } = thousandMailboxes();
    const lines = csv.split('\r\n');
    lines[500] = 'user499,12O';
    const text = exposedWith('sales.csv');
    const bad = lintText(text, { mailboxFiles: { 'sales.csv': { text: lines.join('\r\n') } } });
    const [finding] = bad.diagnostics.filter((d) => d.code === 'EXR009');
    assert.equal(text.slice(finding.span.start, finding.span.end), 'sales.csv');
    assert.equal(finding.message, '`sales.csv` row 501, column 2 (sizeMB): `12O` is not a size in MB. The row is left out.');
    assert.equal(bad.simulatable, false);
    const missing = lintText(text, { mailboxFiles: { 'sales.csv': { error: 'no such file' } } }).diagnostics.filter(
      (d) => d.code === 'EXR009',
    );
    assert.equal(missing.length, 1);
    assert.match(missing[0].message, /from `sales\.csv`, which cannot be read: no such file\./);
  });
});

/**
 * Mailbox lists as administrators export them, parsed from text the adapter read (the core reads
 * no files): CSV or tab-separated, with a header row naming the columns.
 *
 * - `alias,sizeMB`: sizes in MB;
 * - Exchange System Manager's "Export List": a `Size (KB)` column (and `Display Name` or `Mailbox`);
 * - a WMI `Exchange_Mailbox` export: `MailboxDisplayName,Size,TotalItems,ServerName`, Size in KB.
 */

export type MailboxListFormat = 'alias-sizeMB' | 'esm-export-list' | 'wmi-exchange-mailbox';

export interface MailboxListProblem {
  /** 1-based line of the file. */
  row: number;
  /** 1-based column (field) of the row, and its header name; undefined for a problem with the whole row or file. */
  column?: number;
  columnName?: string;
  message: string;
}

export interface MailboxList {
  format?: MailboxListFormat;
  names: string[];
  sizesMB: number[];
  problems: MailboxListProblem[];
}

/** At most this many mailboxes (the schema's bound for a list in the runbook). */
export const MAX_LISTED_MAILBOXES = 100_000;
/** At most this many problems are reported one by one; the rest are counted in the last one. */
const MAX_PROBLEMS = 20;

/** Splits one line into fields: `delimiter`-separated, with RFC 4180 double quotes. */
function splitFields(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === delimiter) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

/** A size as exports write it: digits with optional thousands separators and decimals, optionally a unit. */
function readSize(text: string): number | undefined {
  const m = /^([0-9][0-9,. \u00a0]*)(?:\s*(KB|MB))?$/i.exec(text.trim());
  if (!m) return undefined;
  const digits = m[1].replace(/[, \u00a0]/g, '');
  if (!/^[0-9]+(?:\.[0-9]+)?$/.test(digits)) return undefined;
  const value = Number(digits);
  return Number.isFinite(value) ? value : undefined;
}

/** Parses a mailbox list; never throws. An empty or unrecognised file is one problem on row 1. */
export function parseMailboxList(text: string): MailboxList {
  const list: MailboxList = { names: [], sizesMB: [], problems: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) {
    list.problems.push({ row: 1, message: 'the file is empty: it needs a header row and one row per mailbox' });
    return list;
  }
  const headerLine = lines[headerIndex];
  const delimiter = headerLine.includes('\t') ? '\t' : headerLine.includes(';') && !headerLine.includes(',') ? ';' : ',';
  const header = splitFields(headerLine, delimiter).map((name) => name.toLowerCase());
  const find = (...names: string[]) => header.findIndex((name) => names.includes(name));
  let sizeColumn: number;
  let nameColumn: number;
  let kb: boolean;
  if ((sizeColumn = find('sizemb')) >= 0) {
    list.format = 'alias-sizeMB';
    nameColumn = find('alias');
    kb = false;
  } else if ((sizeColumn = find('size (kb)')) >= 0) {
    list.format = 'esm-export-list';
    nameColumn = find('display name', 'mailbox', 'alias', 'name');
    kb = true;
  } else if ((sizeColumn = find('size')) >= 0 && find('mailboxdisplayname') >= 0) {
    list.format = 'wmi-exchange-mailbox';
    nameColumn = find('mailboxdisplayname');
    kb = true;
  } else {
    list.problems.push({
      row: headerIndex + 1,
      message:
        'the header row names no size column: expected `alias,sizeMB`, an Exchange System Manager export with ' +
        '`Size (KB)`, or a WMI Exchange_Mailbox export with `MailboxDisplayName,Size,TotalItems,ServerName`',
    });
    return list;
  }
  const columnName = headerLine ? splitFields(headerLine, delimiter)[sizeColumn] : undefined;
  let omitted = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const fields = splitFields(line, delimiter);
    const problem = (message: string, column?: number) => {
      if (list.problems.length < MAX_PROBLEMS)
        list.problems.push({
          row: i + 1,
          column: column === undefined ? undefined : column + 1,
          columnName: column === undefined ? undefined : columnName,
          message,
        });
      else omitted++;
    };
    if (fields.length <= sizeColumn) {
      problem(`the row has ${fields.length} column${fields.length === 1 ? '' : 's'}; the size is column ${sizeColumn + 1}`);
      continue;
    }
    const raw = fields[sizeColumn];
    const size = readSize(raw);
    if (size === undefined) {
      problem(`\`${raw.slice(0, 40)}\` is not a size ${kb ? 'in KB' : 'in MB'}`, sizeColumn);
      continue;
    }
    if (list.sizesMB.length >= MAX_LISTED_MAILBOXES) {
      problem(`the list has more than ${MAX_LISTED_MAILBOXES.toLocaleString('en-US')} mailboxes; the rest are not read`);
      break;
    }
    list.sizesMB.push(kb ? size / 1024 : size);
    list.names.push(nameColumn >= 0 && fields[nameColumn] !== undefined ? fields[nameColumn] : `row ${i + 1}`);
  }
  if (omitted > 0) list.problems.push({ row: lines.length, message: `and ${omitted} more row${omitted === 1 ? '' : 's'} with problems` });
  if (list.sizesMB.length === 0 && list.problems.length === 0)
    list.problems.push({ row: headerIndex + 1, message: 'the file lists no mailboxes after its header row' });
  return list;
}

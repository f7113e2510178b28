import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyEdits } from '../../../src/core/edits';
import { codeActions } from '../../../src/core/features';
import { ACTIONS } from '../../../src/core/model/actions';
import { expandSnippet, RUNBOOK_SKELETON } from '../../../src/core/snippets';
import { codes, lint, repoRoot, yaml } from '../../support';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(resolve(repoRoot, 'snippets', 'exchange-runbook.json'), 'utf8')) as Record<string, Snippet>;

/** The text VS Code inserts when every placeholder keeps its default (first choice), indented like the insertion point. */
function expand(snippet: Snippet, indent = ''): string {
  const values = new Map<string, string>();
  const body = snippet.body.map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n');
  return body
    .replace(/\$\{(\d+):([^}]*)\}/g, (_, n: string, value: string) => (values.set(n, value), value))
    .replace(/\$\{(\d+)\|([^,|]*)[^}]*\|\}/g, (_, n: string, value: string) => (values.set(n, value), value))
    .replace(/\$\{(\d+)\}/g, (_, n: string) => values.get(n) ?? '')
    .replace(/\$0/g, '');
}

const BASE = yaml(
  'runbook: 1',
  'name: base',
  'servers:',
  '  - name: EXCH01',
  '    exchange: 2003',
  '    servicePack: 2',
  // The database the set-database snippet names (the create-database one then creates nothing new).
  '    storageGroups: [{ name: Second Storage Group, databases: [{ name: Mailbox Store 2, gatewayInThreads: 0, gatewayOutThreads: 0 }] }]',
  '  - name: EXCH02',
  '    exchange: 2003',
  '    servicePack: 2',
  'steps:',
);

describe('snippets', () => {
  it('there is one for a new runbook, a server, and each action', () => {
    const prefixes = Object.values(snippets).map((snippet) => snippet.prefix);
    assert.deepEqual(prefixes.sort(), ['runbook', 'server', ...ACTIONS].sort());
    for (const snippet of Object.values(snippets)) assert.ok(snippet.description.length > 10, snippet.prefix);
  });

  it('a new runbook, with its defaults, lints clean', () => {
    const text = expand(snippets['New runbook']);
    assert.deepEqual(lint(text).diagnostics, []);
    assert.equal(expandSnippet(RUNBOOK_SKELETON), text);
  });

  it('an empty file (comments at most) offers "Insert runbook skeleton", which lints clean (issue 17)', () => {
    for (const empty of ['', '\n', '# a draft\n', '# a draft', '# a draft\r\n\r\n']) {
      const { analysis, diagnostics } = lint(empty);
      const actions = codeActions(analysis, diagnostics);
      assert.equal(actions[0]?.title, 'Insert runbook skeleton', JSON.stringify(empty));
      const fixed = applyEdits(empty, actions[0].edits);
      assert.ok(fixed.startsWith(empty));
      assert.deepEqual(lint(fixed).diagnostics, [], JSON.stringify(fixed));
      assert.equal(/\r\n/.test(empty), fixed.includes('\r\n'));
    }
    const notEmpty = lint('runbook: 1\n');
    assert.ok(!codeActions(notEmpty.analysis, notEmpty.diagnostics).some((action) => action.title === 'Insert runbook skeleton'));
  });

  it('a server inserted under servers lints clean', () => {
    const text = BASE.replace(
      '  - name: EXCH02',
      '  ' + expand(snippets.Server, '  ').replace('EXCH01', 'EXCH03').trimEnd() + '\n  - name: EXCH02',
    );
    assert.deepEqual(lint(text + '  - id: w\n    action: wait\n    duration: 1m\n').diagnostics, []);
  });

  for (const action of ACTIONS) {
    it(`the ${action} step, inserted under steps, is schema-valid and names declared servers`, () => {
      const snippet = Object.values(snippets).find((s) => s.prefix === action)!;
      const text = BASE + '  ' + expand(snippet, '  ');
      const { diagnostics, runbook } = lint(text);
      assert.deepEqual(codes(diagnostics), []);
      assert.equal(runbook.steps[0].action?.value, action);
    });
  }
});

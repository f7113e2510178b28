import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../support';

interface Setting {
  default?: unknown;
  markdownDescription?: string;
  description?: string;
}

const manifest = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Setting> } };
};

describe('the settings as the Settings editor shows them (issue 17)', () => {
  const settings = Object.entries(manifest.contributes.configuration.properties);

  it('a number setting opens with its name in words, and the default it states is the default', () => {
    for (const [key, setting] of settings) {
      if (typeof setting.default !== 'number') continue;
      const text = setting.markdownDescription ?? '';
      // The editor titles `moveThroughputMBPerMinute` "Move Throughput MBPer Minute": the description names it properly.
      assert.match(text, /^\*\*[A-Z][^*]+\*\*/, key);
      const stated = /\(default ([\d,.]+)/.exec(text)?.[1];
      assert.ok(stated, `${key}: no default stated`);
      assert.equal(Number(stated.replace(/,/g, '')), setting.default, key);
      if (setting.default >= 10_000) assert.ok(stated.includes(','), `${key}: ${stated} without thousands separators`);
    }
  });
});

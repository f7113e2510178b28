import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '../../support';

/** The files vsce would pack, as `vsce ls` lists them (no dependencies: the bundles carry them). */
function packagedFiles(): string[] {
  const vsce = resolve(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const run = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `vsce ls failed: ${run.stderr}`);
  return run.stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Relative targets of the README's Markdown links and images, without anchors. */
function readmeLinks(): { target: string; image: boolean }[] {
  const text = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');
  const links: { target: string; image: boolean }[] = [];
  for (const match of text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const target = match[2].split('#')[0];
    if (target === '' || /^[a-z]+:/i.test(target)) continue;
    links.push({ target, image: match[1] === '!' });
  }
  return links;
}

/** The one page the README links to that stays in the repository (docs/development.md says why). */
const REPOSITORY_ONLY = new Set(['docs/development.md']);

describe('the VSIX and its README (the extension page)', function () {
  this.timeout(90_000);
  let files: string[];

  before(function () {
    try {
      statSync(resolve(repoRoot, 'dist', 'extension.js'));
    } catch {
      throw new Error('dist/ is missing: run `npm run build` first');
    }
    files = packagedFiles();
  });

  it('packs the user README and every image it shows, so the extension page loads them from the package', () => {
    assert.ok(files.includes('README.md'), 'README.md is in the package');
    const images = readmeLinks().filter((link) => link.image);
    assert.ok(images.length >= 2, 'the README shows screenshots');
    for (const { target } of images) {
      assert.ok(files.includes(target), `the README's image ${target} is not in the package`);
      assert.ok(statSync(resolve(repoRoot, target)).size < 400_000, `${target} is over 400 kB`);
    }
  });

  it('packs every page the README links to, except the developer guide, which stays in the repository', () => {
    for (const { target } of readmeLinks().filter((link) => !link.image)) {
      if (REPOSITORY_ONLY.has(target)) continue;
      const path = target.replace(/\/$/, '');
      const packed = files.includes(path) || files.some((file) => file.startsWith(path + '/'));
      assert.ok(packed, `the README links to ${target}, which is not in the package`);
    }
  });

  it('keeps developer material out of the package: sources, tests, ARCHITECTURE.md, the developer guide', () => {
    for (const file of files) {
      assert.doesNotMatch(file, /^(src|test|bench|scripts|out)\//, `${file} is packed`);
      assert.notEqual(file, 'ARCHITECTURE.md');
      assert.notEqual(file, 'docs/development.md');
    }
  });
});

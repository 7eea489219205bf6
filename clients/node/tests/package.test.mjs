// The package as npm ships it: its files, no runtime dependency, ES modules, and TypeScript
// declarations that tsc --strict accepts for the documented uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import * as api from '../index.js';
import { PACKAGE_DIR, run } from './helpers.mjs';

test('package.json: ESM, no dependencies, types', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'icemu-testing');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.dependencies, undefined);
  assert.deepEqual(pkg.exports['.'], { types: './index.d.ts', default: './index.js' });
  assert.deepEqual(Object.keys(api).sort(), ['IcemuError', 'connectIcemu', 'findIcemu', 'startIcemu']);
});

test('npm pack holds the module, its declarations and its README', async () => {
  const result = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_DIR });
  assert.equal(result.code, 0, result.stderr);
  const [packed] = JSON.parse(result.stdout);
  assert.deepEqual(packed.files.map((f) => f.path).sort(), ['README.md', 'index.d.ts', 'index.js', 'package.json']);
});

test('index.d.ts: tsc --strict accepts the documented uses and refuses wrong ones', async () => {
  const tsc = path.join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022',
    '--module', 'nodenext', '--moduleResolution', 'nodenext', 'tests/types-check.ts'],
  { cwd: PACKAGE_DIR });
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
});

// The Node example of docs/testing-your-code.md, run as it is written: in a new project where
// `npm install <this package>` put icemu-testing (offline: it has no dependencies), with
// `node --test`, once starting its own icemu and once attached through $ICEMU_ENDPOINT.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startIcemu } from '../index.js';
import { PACKAGE_DIR, cleanEnv, examples, run } from './helpers.mjs';

const NAME = 'assignments.test.mjs';
let project;

before(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-docs-'));
  fs.writeFileSync(path.join(project, 'package.json'),
    JSON.stringify({ name: 'docs-example', version: '1.0.0', private: true, type: 'module' }));
  const npm = await run('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund',
    '--ignore-scripts', PACKAGE_DIR], { cwd: project });
  assert.equal(npm.code, 0, `npm install ${PACKAGE_DIR}:\n${npm.stdout}\n${npm.stderr}`);
  const installed = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
  assert.match(installed.devDependencies['icemu-testing'], /^file:/);
  // The AWS SDK the example imports: this package's own copy (a devDependency).
  fs.mkdirSync(path.join(project, 'node_modules', '@aws-sdk'), { recursive: true });
  fs.symlinkSync(path.join(PACKAGE_DIR, 'node_modules', '@aws-sdk', 'client-sso-admin'),
    path.join(project, 'node_modules', '@aws-sdk', 'client-sso-admin'));
  fs.writeFileSync(path.join(project, NAME), examples('docs/testing-your-code.md')[NAME]);
});
after(() => fs.rmSync(project, { recursive: true, force: true }));

function passed(result) {
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.code, 0, output);
  const pass = Number(/^# pass (\d+)$/m.exec(result.stdout)?.[1]);
  const fail = Number(/^# fail (\d+)$/m.exec(result.stdout)?.[1]);
  assert.equal(fail, 0, output);
  return pass;
}

const tests = () => examples('docs/testing-your-code.md')[NAME].match(/^test\(/gm).length;

test('the example passes with an icemu of its own', async () => {
  const result = await run(process.execPath, ['--test', '--test-reporter=tap', NAME],
    { cwd: project, env: cleanEnv() });
  assert.equal(passed(result), tests());
});

test('the example passes attached to a running icemu ($ICEMU_ENDPOINT)', async () => {
  const icemu = await startIcemu();
  try {
    const result = await run(process.execPath, ['--test', '--test-reporter=tap', NAME],
      { cwd: project, env: cleanEnv({ ICEMU_ENDPOINT: icemu.endpoint, ICEMU_BIN: '/nonexistent/icemu' }) });
    assert.equal(passed(result), tests());
    // It ran here: its last test's assignment is still in the store (a reset comes before a test).
    const requests = await icemu.requests({ kind: 'ASSIGNMENT_CREATE' });
    assert.equal(requests.length, 1);
    assert.equal(requests[0].status, 'SUCCEEDED');
  } finally {
    await icemu.stop();
  }
});

test('the example fails when what it checks is not so', async () => {
  // Its assertions can fail: the same file with the failure reason it expects changed.
  const code = examples('docs/testing-your-code.md')[NAME]
    .replace("assert.equal(status.FailureReason, 'Access denied by IAM.')",
      "assert.equal(status.FailureReason, 'Something else.')");
  fs.writeFileSync(path.join(project, 'broken.test.mjs'), code);
  try {
    const result = await run(process.execPath, ['--test', '--test-reporter=tap', 'broken.test.mjs'],
      { cwd: project, env: cleanEnv() });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /^# fail 1$/m);
  } finally {
    fs.rmSync(path.join(project, 'broken.test.mjs'));
  }
});

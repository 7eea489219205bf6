// startIcemu (binary resolution, args, env, stop, start failures) and connectIcemu (attach).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ListInstancesCommand } from '@aws-sdk/client-sso-admin';

import { IcemuError, connectIcemu, findIcemu, startIcemu } from '../index.js';
import { INSTANCE_ARN, PACKAGE_DIR, rejection, run, sso } from './helpers.mjs';

const BIN = process.env.ICEMU_BIN;

/// Runs `fn` with process.env changed as `changes` says (undefined deletes), then restores it.
async function withEnv(changes, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(changes)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('ICEMU_BIN is required by the tests', () => {
  assert.ok(BIN, 'ICEMU_BIN is not set (run the tests through ctest)');
});

test('start, an AWS call, stop: the process is gone and its directory removed', async () => {
  const icemu = await startIcemu();
  const out = await sso(icemu).send(new ListInstancesCommand({}));
  assert.deepEqual(out.Instances.map((i) => i.InstanceArn), [INSTANCE_ARN]);
  const dir = path.dirname(icemu.logPath);
  assert.ok(fs.existsSync(path.join(dir, 'icemu.db')));
  // icemu writes the lines of one turn of its event loop together, just after the turn's
  // answers: the line may follow the answer by a moment.
  for (let i = 0; i < 100 && !/op=ListInstances status=200/.test(icemu.log()); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(icemu.log(), /op=ListInstances status=200/);
  await icemu.stop();
  assert.ok(!alive(icemu.pid), 'icemu still runs after stop()');
  assert.ok(!fs.existsSync(dir), 'the temporary directory is still there');
  await icemu.stop(); // twice: nothing left to do
});

test('a test process that ends without stop() takes its icemu along', async () => {
  const script = "import { startIcemu } from './index.js';\n"
    + 'const icemu = await startIcemu();\n'
    + 'console.log(JSON.stringify({ pid: icemu.pid, log: icemu.logPath }));\n';
  const result = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE_DIR });
  assert.equal(result.code, 0, result.stderr);
  const { pid, log } = JSON.parse(result.stdout);
  assert.ok(pid > 0);
  // The child exited on its own (nothing kept its event loop alive) and killed icemu on its way.
  // Up to 20 s: an ASan build's exit on a loaded machine takes seconds.
  for (let i = 0; i < 400 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!alive(pid), 'icemu outlived the test process');
  assert.ok(!fs.existsSync(path.dirname(log)), 'its temporary directory is still there');
});

test('args and env reach icemu; the listen addresses are the helper\'s', async () => {
  const icemu = await withEnv({ ICEMU_SCHEDULER_POLLS: '4', ICEMU_ADMIN_LISTEN: '127.0.0.1:1', ICEMU_DB: '/nonexistent/x.db' },
    () => startIcemu({ args: ['--scheduler-mode', 'manual'], env: { ICEMU_ADMIN_TOKEN: 'tok' } }));
  try {
    const settings = await icemu.scheduler(); // sent with the token
    assert.equal(settings.mode, 'manual');
    assert.equal(settings.polls, 4);
    const res = await fetch(`${icemu.endpoint}/_icemu/requests`);
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  } finally {
    await icemu.stop();
  }
});

test('the binary: the bin option, then ICEMU_BIN, then icemu on PATH', async () => {
  assert.equal(findIcemu(BIN), path.resolve(BIN));
  await withEnv({ ICEMU_BIN: '/nonexistent/icemu' }, async () => {
    assert.equal(findIcemu(BIN), path.resolve(BIN));
    assert.throws(() => findIcemu(), /ICEMU_BIN=\/nonexistent\/icemu is not an executable file/);
    const icemu = await startIcemu({ bin: BIN });
    await icemu.stop();
  });
  const bindir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-bin-'));
  try {
    fs.symlinkSync(path.resolve(BIN), path.join(bindir, 'icemu'));
    await withEnv({ ICEMU_BIN: undefined, PATH: `${bindir}${path.delimiter}${process.env.PATH}` }, async () => {
      assert.equal(findIcemu(), path.join(bindir, 'icemu'));
      const icemu = await startIcemu();
      assert.equal((await icemu.health()).status, 'ok');
      await icemu.stop();
    });
    await withEnv({ ICEMU_BIN: undefined, PATH: path.join(bindir, 'empty') }, async () => {
      const e = await rejection(startIcemu());
      assert.match(e.message, /^icemu not found: pass \{ bin \}, set ICEMU_BIN, put icemu on PATH/);
    });
  } finally {
    fs.rmSync(bindir, { recursive: true, force: true });
  }
});

test('a start that fails rejects with icemu\'s log', async () => {
  const e = await rejection(startIcemu({ args: ['--scheduler-mode', 'sometimes'] }));
  assert.match(e.message, /^icemu exited with status 2 while starting/);
  assert.match(e.message, /--scheduler-mode/);
  assert.match(e.message, /sometimes/);
});

test('a program that never answers is killed after the start timeout', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-silent-'));
  const silent = path.join(dir, 'icemu');
  fs.writeFileSync(silent, '#!/bin/sh\necho "$$" > "$PID_FILE"\nexec sleep 60\n', { mode: 0o755 });
  try {
    // 2 s: time for the shell to start and write its pid on a loaded machine.
    const e = await rejection(startIcemu({ bin: silent, startTimeoutMs: 2000, env: { PID_FILE: path.join(dir, 'pid') } }));
    assert.match(e.message, /^icemu was not healthy within 2000 ms \(no port file yet\)/);
    assert.ok(!alive(Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'))), 'the program still runs');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('stop() rejects when icemu does not exit with status 0', async () => {
  // The real icemu behind a wrapper that stops it and then exits 3, as an icemu that did not
  // shut down cleanly would.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-wrapper-'));
  const wrapper = path.join(dir, 'icemu');
  fs.writeFileSync(wrapper, '#!/bin/sh\n"$REAL_ICEMU" "$@" &\nchild=$!\n'
    + "trap 'kill -TERM $child; wait $child; exit 3' TERM\nwait $child\n", { mode: 0o755 });
  try {
    const icemu = await startIcemu({ bin: wrapper, env: { REAL_ICEMU: path.resolve(BIN) } });
    assert.equal((await icemu.health()).status, 'ok');
    const e = await rejection(icemu.stop());
    assert.match(e.message, /^icemu exited with 3 after SIGTERM/);
    assert.ok(!fs.existsSync(path.dirname(icemu.logPath)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('connectIcemu attaches to a running icemu, without stop()', async () => {
  const owner = await startIcemu();
  try {
    const icemu = await connectIcemu(owner.endpoint);
    assert.equal(icemu.endpoint, owner.endpoint);
    assert.equal(icemu.stop, undefined);
    await icemu.setScheduler('manual');
    assert.equal((await owner.scheduler()).mode, 'manual');
    await icemu.reset();
    assert.equal((await owner.scheduler()).mode, 'auto');
    assert.ok(alive(owner.pid));
  } finally {
    await owner.stop();
  }
});

test('connectIcemu with an admin address and token', async () => {
  const portFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-admin-')), 'port');
  // The admin API on an address of its own: the main address keeps only /_icemu/health.
  const owner = await startIcemu({ args: ['--admin-listen', '127.0.0.1:0', '--admin-port-file', portFile],
    env: { ICEMU_ADMIN_TOKEN: 'tok' } });
  try {
    assert.equal((await rejection(owner.requests())).status, 404);
    const adminEndpoint = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
    const icemu = await connectIcemu(owner.endpoint, { adminEndpoint, adminToken: 'tok' });
    assert.deepEqual(await icemu.requests(), []);
    const wrong = await connectIcemu(owner.endpoint, { adminEndpoint, adminToken: 'wrong' });
    const e = await rejection(wrong.requests());
    assert.ok(e instanceof IcemuError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'unauthorized');
    // The defaults come from the environment.
    await withEnv({ ICEMU_ADMIN_ENDPOINT: adminEndpoint, ICEMU_ADMIN_TOKEN: 'tok' }, async () => {
      const fromEnv = await connectIcemu(owner.endpoint);
      assert.equal((await fromEnv.setScheduler('polls')).mode, 'polls');
    });
  } finally {
    await owner.stop();
    fs.rmSync(path.dirname(portFile), { recursive: true, force: true });
  }
});

test('connectIcemu rejects when no icemu answers', async () => {
  const e = await rejection(connectIcemu('http://127.0.0.1:1', { timeoutMs: 300 }));
  assert.match(e.message, /^no icemu at http:\/\/127\.0\.0\.1:1 \(health: /);
  await assert.rejects(connectIcemu(''), TypeError);
});

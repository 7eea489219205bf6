// The console at /_icemu/ui in a real browser: Debian's chromium, headless, driven by
// playwright-core (nothing downloaded). A request created through boto3 shows up, and so do a user
// and its group; the page settles it FAILED with a reason and boto3 reads that reason; a fault rule
// added through the page counts its hits. The page loads without a console error (its favicon included), and it asks for the
// admin token when one is set. Writes the screenshot docs/console.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshot = path.join(here, '..', '..', 'docs', 'console.png');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The page polls every 1.5 s; a loaded machine (boto3 and chromium beside builds) needs room.
const WAIT = 20000;
for (const name of ['NO_PROXY', 'no_proxy']) {
  process.env[name] = [process.env[name], '127.0.0.1', 'localhost'].filter(Boolean).join(',');
}

async function startIcemu(args = []) {
  const bin = process.env.ICEMU_BIN;
  if (!bin) throw new Error('ICEMU_BIN is not set (run the tests through ctest)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-console-'));
  const portFile = path.join(dir, 'port');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ICEMU_')));
  const log = fs.openSync(path.join(dir, 'icemu.log'), 'w');
  const proc = spawn(bin, ['--listen', '127.0.0.1:0', '--port-file', portFile, '--db',
    path.join(dir, 'icemu.db'), '--scheduler-mode', 'manual', ...args],
  { cwd: dir, env, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  for (const deadline = Date.now() + 20000; Date.now() < deadline; await sleep(20)) {
    if (proc.exitCode !== null) break;
    if (!fs.existsSync(portFile)) continue;
    const base = `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
    try {
      if ((await fetch(`${base}/_icemu/health`)).status === 200) {
        return {
          base, dir,
          async stop() {
            proc.kill('SIGTERM');
            assert.equal(await exited, 0, fs.readFileSync(path.join(dir, 'icemu.log'), 'utf8'));
            fs.rmSync(dir, { recursive: true, force: true });
          },
        };
      }
    } catch { /* not yet */ }
  }
  proc.kill('SIGKILL');
  throw new Error(`icemu did not start: ${fs.readFileSync(path.join(dir, 'icemu.log'), 'utf8')}`);
}

function boto3(base, ...args) {
  return JSON.parse(execFileSync('python3', [path.join(here, 'boto3_helper.py'), base, ...args],
    { encoding: 'utf8' }));
}

let browser;
let profile;
before(async () => {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-chromium-'));
  // A fresh profile (--user-data-dir) each run: playwright-core passes it for a persistent context.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  await browser?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

// A page that records every console error and failed request.
async function open(base) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('requestfailed', (r) => problems.push(`${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.url()} ${r.status()}`); });
  await page.goto(`${base}/_icemu/ui`);
  return { page, problems };
}

test('the console shows, settles and faults what boto3 does', async () => {
  const icemu = await startIcemu();
  try {
    const { request_id: requestId } = boto3(icemu.base, 'create-and-provision', 'Console', '111122223333');
    const { page, problems } = await open(icemu.base);
    // The favicon is served and the page names it.
    const icon = await fetch(`${icemu.base}/_icemu/ui/favicon.svg`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');

    const row = page.locator(`#requests tr[data-request-id="${requestId}"]`);
    await row.waitFor({ timeout: WAIT });
    assert.match(await row.textContent(), /IN_PROGRESS/);
    assert.match(await page.locator('#provisioning').textContent(), /111122223333/);
    // A user and group made through boto3's identitystore show up with the membership.
    const { user_id: userId } = boto3(icemu.base, 'create-user', 'console-user', 'console-group');
    const user = page.locator('#identity tbody tr', { hasText: userId });
    await user.waitFor({ timeout: WAIT });
    assert.match(await user.textContent(), /console-user.*ENABLED.*console-group/);
    // The journal shows boto3's calls; one expands to its bodies.
    const call = page.locator('#journal tr.call', { hasText: 'ProvisionPermissionSet' });
    await call.first().waitFor({ timeout: WAIT });
    await call.first().click();
    await page.locator('#journal tr.bodies pre', { hasText: '"TargetId": "111122223333"' })
      .first().waitFor({ timeout: WAIT });

    // Settle FAILED with a reason through the page; boto3 reads the reason.
    await row.locator('input.failure-reason').fill('Denied by the console');
    await row.locator('button.settle-failed').click();
    await page.locator(`#requests tr[data-request-id="${requestId}"]`, { hasText: 'Denied by the console' })
      .waitFor({ timeout: WAIT });
    const status = boto3(icemu.base, 'provisioning-status', requestId);
    assert.equal(status.Status, 'FAILED');
    assert.equal(status.FailureReason, 'Denied by the console');

    // A fault rule added through the page counts its hits.
    await page.fill('#fault-operation', 'ListPermissionSets');
    await page.selectOption('#fault-error', 'throttling');
    await page.click('#fault-form button[type=submit]');
    const rule = page.locator('#faults tbody tr', { hasText: 'ListPermissionSets' });
    await rule.waitFor({ timeout: WAIT });
    assert.equal(await rule.locator('td.hits').textContent(), '0');
    assert.deepEqual(boto3(icemu.base, 'list-permission-sets'), { error: 'ThrottlingException' });
    assert.deepEqual(boto3(icemu.base, 'list-permission-sets'), { error: 'ThrottlingException' });
    await page.locator('#faults tbody tr', { hasText: 'ListPermissionSets' })
      .locator('td.hits', { hasText: /^2$/ }).waitFor({ timeout: WAIT });

    await page.locator('#journal tr.call', { hasText: 'ListPermissionSets' }).first().click();
    await page.waitForTimeout(200);
    await page.screenshot({ path: screenshot, fullPage: true });

    // The clock and the scheduler mode through the page.
    await page.fill('#advance-ms', '60000');
    await page.click('#advance-form button');
    await page.locator('#clock-offset', { hasText: '60000' }).waitFor({ timeout: WAIT });
    await page.selectOption('#mode', 'polls');
    let mode;
    for (const deadline = Date.now() + WAIT; Date.now() < deadline; await sleep(100)) {
      ({ mode } = await (await fetch(`${icemu.base}/_icemu/scheduler`)).json());
      if (mode === 'polls') break;
    }
    assert.equal(mode, 'polls');
    await page.selectOption('#mode', 'manual');

    // Removing the rule through the page.
    await rule.locator('button.remove-rule').click();
    await page.locator('#faults tbody tr', { hasText: 'ListPermissionSets' }).waitFor({ state: 'detached', timeout: WAIT });
    const faults = await (await fetch(`${icemu.base}/_icemu/faults`)).json();
    assert.deepEqual(faults.rules, []);

    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await icemu.stop();
  }
});

test('with admin.token the page asks for the token and then works', async () => {
  const icemu = await startIcemu(['--admin-token', 'sesame']);
  try {
    const { page, problems } = await open(icemu.base);
    await page.locator('#token-form').waitFor({ state: 'visible', timeout: WAIT });
    await page.fill('#token', 'sesame');
    await page.click('#token-form button');
    await page.locator('#status', { hasText: 'live' }).waitFor({ timeout: WAIT });
    // Only the 401s before the token was typed.
    assert.ok(problems.every((p) => / 401$/.test(p) || /401/.test(p)), problems.join('\n'));
    // Without the token the data stays closed.
    assert.equal((await fetch(`${icemu.base}/_icemu/requests`)).status, 401);
    await page.close();
  } finally {
    await icemu.stop();
  }
});

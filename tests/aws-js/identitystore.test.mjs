// icemu's AWS identitystore through the AWS SDK for JavaScript v3 (@aws-sdk/client-identitystore,
// pinned in package.json / package-lock.json; `npm ci` first). Run with `node --test` (ctest sets
// ICEMU_BIN): users and groups with their look-ups, typed errors with their modelled members, the
// paginator.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  IdentitystoreClient,
  ConflictException,
  ResourceNotFoundException,
  ValidationException,
  CreateUserCommand,
  DescribeUserCommand,
  GetUserIdCommand,
  CreateGroupCommand,
  GetGroupIdCommand,
  CreateGroupMembershipCommand,
  IsMemberInGroupsCommand,
  DeleteGroupCommand,
  DescribeGroupCommand,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 20000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startIcemu() {
  const bin = process.env.ICEMU_BIN;
  if (!bin) throw new Error('ICEMU_BIN is not set (run the tests through ctest)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-aws-js-ids-'));
  const portFile = path.join(dir, 'port');
  const env = Object.fromEntries(Object.entries(process.env).filter(
    ([k]) => !k.startsWith('ICEMU_') || k === 'ICEMU_LOG_LEVEL' || k === 'ICEMU_LOG_FORMAT'));
  const log = fs.openSync(path.join(dir, 'icemu.log'), 'w');
  const proc = spawn(bin, ['--listen', '127.0.0.1:0', '--port-file', portFile,
    '--db', path.join(dir, 'db')], { cwd: dir, env, stdio: ['ignore', log, log] });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const logText = () => { try { return fs.readFileSync(path.join(dir, 'icemu.log'), 'utf8'); } catch { return ''; } };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`icemu exited while starting:\n${logText()}`);
    if (fs.existsSync(portFile)) {
      const port = Number(fs.readFileSync(portFile, 'utf8').trim());
      if (port > 0) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/_icemu/health`);
          if (res.status === 200) {
            return {
              endpoint: `http://127.0.0.1:${port}`,
              async stop() {
                proc.kill('SIGTERM');
                let timer;
                const result = await Promise.race([exited, new Promise((resolve) => {
                  timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
                })]);
                clearTimeout(timer);
                if (result === null) proc.kill('SIGKILL');
                fs.closeSync(log);
                const text = logText();
                fs.rmSync(dir, { recursive: true, force: true });
                assert.deepEqual(result, { code: 0, signal: null }, `icemu's exit:\n${text.slice(-4000)}`);
                for (const marker of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:']) {
                  assert.ok(!text.includes(marker), `sanitizer report in icemu's log:\n${text.slice(-8000)}`);
                }
              },
            };
          }
        } catch { /* not listening yet */ }
      }
    }
    await sleep(20);
  }
  proc.kill('SIGKILL');
  throw new Error(`icemu did not start within ${START_TIMEOUT_MS} ms:\n${logText()}`);
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('the call was expected to fail');
}

describe('AWS SDK for JavaScript v3 (identitystore) against icemu', () => {
  let icemu;
  let ids;
  let store;

  before(async () => {
    icemu = await startIcemu();
    ids = new IdentitystoreClient({
      endpoint: icemu.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    const res = await fetch(icemu.endpoint + '/', {
      method: 'POST',
      body: '{}',
      headers: { 'x-amz-target': 'SWBExternalService.ListInstances', 'content-type': 'application/x-amz-json-1.1' },
    });
    store = (await res.json()).Instances[0].IdentityStoreId;
  });

  beforeEach(async () => {
    const res = await fetch(icemu.endpoint + '/_icemu/reset', { method: 'POST', body: '' });
    assert.equal(res.status, 200);
  });

  after(async () => {
    ids?.destroy();
    await icemu?.stop();
  });

  test('CreateUser, DescribeUser and GetUserId: attributes as given', async () => {
    const created = await ids.send(new CreateUserCommand({
      IdentityStoreId: store, UserName: 'js', DisplayName: 'JS User',
      Name: { GivenName: 'J', FamilyName: 'S' },
      Emails: [{ Value: 'js@example.com', Type: 'work', Primary: true }],
    }));
    assert.match(created.UserId, /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const user = await ids.send(new DescribeUserCommand({ IdentityStoreId: store, UserId: created.UserId }));
    assert.equal(user.UserName, 'js');
    assert.deepEqual(user.Name, { GivenName: 'J', FamilyName: 'S' });
    assert.deepEqual(user.Emails, [{ Value: 'js@example.com', Type: 'work', Primary: true }]);
    assert.equal(user.UserStatus, 'ENABLED');
    const found = await ids.send(new GetUserIdCommand({
      IdentityStoreId: store,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'js' } },
    }));
    assert.equal(found.UserId, created.UserId);
  });

  test('typed errors with their modelled members', async () => {
    await ids.send(new CreateUserCommand({ IdentityStoreId: store, UserName: 'dup', DisplayName: 'D' }));
    const conflict = await rejection(ids.send(new CreateUserCommand({
      IdentityStoreId: store, UserName: 'dup', DisplayName: 'D' })));
    assert.ok(conflict instanceof ConflictException, String(conflict));
    assert.equal(conflict.Reason, 'UNIQUENESS_CONSTRAINT_VIOLATION');
    const missing = `${store.slice(2)}-00000000-0000-4000-8000-000000000000`;
    const notFound = await rejection(ids.send(new DescribeGroupCommand({ IdentityStoreId: store, GroupId: missing })));
    assert.ok(notFound instanceof ResourceNotFoundException, String(notFound));
    assert.equal(notFound.ResourceType, 'GROUP');
    assert.equal(notFound.ResourceId, missing);
    const invalid = await rejection(ids.send(new DescribeUserCommand({ IdentityStoreId: store, UserId: 'bad' })));
    assert.ok(invalid instanceof ValidationException, String(invalid));
    assert.match(invalid.message, /'userId'/);
  });

  test('groups, memberships and IsMemberInGroups; deleting a group', async () => {
    const { UserId } = await ids.send(new CreateUserCommand({ IdentityStoreId: store, UserName: 'm', DisplayName: 'M' }));
    const { GroupId } = await ids.send(new CreateGroupCommand({ IdentityStoreId: store, DisplayName: 'Team' }));
    const byName = await ids.send(new GetGroupIdCommand({
      IdentityStoreId: store,
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Team' } },
    }));
    assert.equal(byName.GroupId, GroupId);
    await ids.send(new CreateGroupMembershipCommand({ IdentityStoreId: store, GroupId, MemberId: { UserId } }));
    const member = await ids.send(new IsMemberInGroupsCommand({
      IdentityStoreId: store, MemberId: { UserId }, GroupIds: [GroupId] }));
    assert.deepEqual(member.Results.map((r) => r.MembershipExists), [true]);
    await ids.send(new DeleteGroupCommand({ IdentityStoreId: store, GroupId }));
    const gone = await rejection(ids.send(new DescribeGroupCommand({ IdentityStoreId: store, GroupId })));
    assert.ok(gone instanceof ResourceNotFoundException);
  });

  test('paginateListUsers: 25 users in pages of 10, each once', async () => {
    for (let i = 0; i < 25; i++) {
      await ids.send(new CreateUserCommand({ IdentityStoreId: store, UserName: `p${i}`, DisplayName: `P ${i}` }));
    }
    const names = [];
    let pages = 0;
    for await (const page of paginateListUsers({ client: ids, pageSize: 10 }, { IdentityStoreId: store })) {
      pages += 1;
      names.push(...page.Users.map((u) => u.UserName));
    }
    assert.equal(pages, 3);
    assert.deepEqual(names, Array.from({ length: 25 }, (_, i) => `p${i}`));
  });
});

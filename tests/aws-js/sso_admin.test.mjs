// icemu's AWS surface through the AWS SDK for JavaScript v3 (@aws-sdk/client-sso-admin, pinned in
// package.json / package-lock.json; `npm ci` first). Run with `node --test` (ctest sets ICEMU_BIN):
// typed errors and their messages, Date timestamps, the paginators, a provisioning workflow.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  SSOAdminClient,
  SSOAdminServiceException,
  ConflictException,
  ResourceNotFoundException,
  ValidationException,
  ListInstancesCommand,
  CreatePermissionSetCommand,
  DescribePermissionSetCommand,
  ListPermissionSetsCommand,
  DeletePermissionSetCommand,
  AttachManagedPolicyToPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  DescribeInstanceCommand,
  UpdateInstanceCommand,
  CreateAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ProvisionPermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  ListAccountsForProvisionedPermissionSetCommand,
  ListPermissionSetsProvisionedToAccountCommand,
  TagResourceCommand,
  CreateApplicationCommand,
  DescribeApplicationCommand,
  ListApplicationsCommand,
  paginateListPermissionSets,
  paginateListAccountAssignments,
  paginateListTagsForResource,
} from '@aws-sdk/client-sso-admin';

const START_TIMEOUT_MS = 20000; // sanitizer builds on a loaded machine are slow
const STOP_TIMEOUT_MS = 20000;
const DEFAULT_ACCOUNT = '123456789012';
const ACCOUNT = '111122223333';
const USER = '9067639464-9039c8fc-c296-4863-a233-a59111da7aa3';
const MANAGED_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const INSTANCE_ARN = /^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/;
const PERMISSION_SET_ARN = /^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- one icemu for the file --------------------------------------------------------------------

class Icemu {
  async start() {
    const bin = process.env.ICEMU_BIN;
    if (!bin) throw new Error('ICEMU_BIN is not set (run the tests through ctest)');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-aws-js-'));
    const portFile = path.join(this.dir, 'port');
    // Only the caller's log settings pass through: no other ICEMU_* may change the server.
    const env = Object.fromEntries(Object.entries(process.env).filter(
      ([k]) => !k.startsWith('ICEMU_') || k === 'ICEMU_LOG_LEVEL' || k === 'ICEMU_LOG_FORMAT'));
    env.ICEMU_SCHEDULER_DELAY_MS = '0';
    this.log = fs.openSync(path.join(this.dir, 'icemu.log'), 'w');
    this.proc = spawn(bin, ['--listen', '127.0.0.1:0', '--port-file', portFile,
      '--db', path.join(this.dir, 'db')], { cwd: this.dir, env, stdio: ['ignore', this.log, this.log] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`icemu exited while starting:\n${this.logText()}`);
      if (fs.existsSync(portFile)) {
        const port = Number(fs.readFileSync(portFile, 'utf8').trim());
        if (port > 0) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/_icemu/health`);
            if (res.status === 200) {
              this.endpoint = `http://127.0.0.1:${port}`;
              return this;
            }
          } catch { /* not listening yet */ }
        }
      }
      await sleep(20);
    }
    throw new Error(`icemu did not start within ${START_TIMEOUT_MS} ms:\n${this.logText()}`);
  }

  client(options = {}) {
    return new SSOAdminClient({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      ...options,
    });
  }

  async admin(method, urlPath, body) {
    const res = await fetch(this.endpoint + urlPath, {
      method,
      body: body === undefined ? (method === 'GET' ? undefined : '') : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const json = await res.json();
    assert.equal(res.status, 200, `${method} ${urlPath}: ${JSON.stringify(json)}`);
    return json;
  }

  logText() {
    try { return fs.readFileSync(path.join(this.dir, 'icemu.log'), 'utf8'); } catch { return ''; }
  }

  /// SIGTERM; the clean exit (status 0) is asserted, and no sanitizer report may be in the log.
  async stop() {
    if (!this.proc) return;
    const proc = this.proc;
    this.proc = undefined;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    let timer;
    const result = await Promise.race([
      this.exited, new Promise((resolve) => { timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS); })]);
    clearTimeout(timer);
    if (result === null) proc.kill('SIGKILL');
    fs.closeSync(this.log);
    const text = this.logText();
    try {
      assert.ok(result !== null, `icemu did not stop within ${STOP_TIMEOUT_MS} ms`);
      assert.deepEqual(result, { code: 0, signal: null }, `icemu's exit:\n${text.slice(-4000)}`);
      for (const marker of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:']) {
        assert.ok(!text.includes(marker), `sanitizer report in icemu's log:\n${text.slice(-8000)}`);
      }
    } finally {
      if (!process.env.ICEMU_KEEP_TMP) fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/// Runs `promise`, which must reject; returns the error.
async function rejection(promise) {
  try {
    const out = await promise;
    assert.fail(`expected an error, got ${JSON.stringify(out)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return e;
  }
}

function assertServiceError(e, name, Class) {
  if (Class) assert.ok(e instanceof Class, `${e} is not a ${Class.name}`);
  assert.ok(e instanceof SSOAdminServiceException, `${e} is not an SSOAdminServiceException`);
  assert.equal(e.name, name);
  assert.equal(e.$fault, 'client');
  assert.equal(e.$metadata.httpStatusCode, 400);
  assert.match(e.$metadata.requestId, UUID);
  assert.equal(e.$metadata.attempts, 1);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
}

function assertRecentDate(value, what) {
  assert.ok(value instanceof Date, `${what} is not a Date: ${value}`);
  assert.ok(!Number.isNaN(value.getTime()), `${what} is an invalid Date`);
  assert.ok(Math.abs(Date.now() - value.getTime()) < 10 * 60 * 1000, `${what} is not now: ${value.toISOString()}`);
}

// ---- tests -------------------------------------------------------------------------------------

describe('AWS SDK for JavaScript v3 against icemu', () => {
  const server = new Icemu();
  let sso;
  let instanceArn;

  before(async () => {
    await server.start();
    sso = server.client();
  });
  after(async () => {
    sso?.destroy();
    await server.stop();
  });
  beforeEach(async () => {
    assert.deepEqual(await server.admin('POST', '/_icemu/reset'), { reset: true });
    const out = await sso.send(new ListInstancesCommand({}));
    const mine = out.Instances.filter((i) => i.OwnerAccountId === DEFAULT_ACCOUNT);
    assert.equal(mine.length, 1, JSON.stringify(out.Instances));
    instanceArn = mine[0].InstanceArn;
  });

  const createPermissionSet = async (Name, extra = {}) =>
    (await sso.send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name, ...extra }))).PermissionSet;

  test('ListInstances: the initial instance with a Date CreatedDate', async () => {
    const out = await sso.send(new ListInstancesCommand({}));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.match(out.$metadata.requestId, UUID);
    const [instance] = out.Instances;
    assert.match(instance.InstanceArn, INSTANCE_ARN);
    assert.equal(instance.Status, 'ACTIVE');
    assert.match(instance.IdentityStoreId, /^d-[0-9a-f]{10}$/);
    assertRecentDate(instance.CreatedDate, 'Instances[0].CreatedDate');
  });

  test('CreatePermissionSet and DescribePermissionSet: Date CreatedDate, string SessionDuration', async () => {
    const before = Date.now();
    const ps = await createPermissionSet('JsReadOnly', {
      Description: 'from the JS SDK', SessionDuration: 'PT4H', RelayState: 'https://example.com/',
      Tags: [{ Key: 'team', Value: 'js' }],
    });
    assert.match(ps.PermissionSetArn, PERMISSION_SET_ARN);
    assert.equal(ps.Name, 'JsReadOnly');
    assert.equal(ps.SessionDuration, 'PT4H');
    assert.equal(ps.RelayState, 'https://example.com/');
    assertRecentDate(ps.CreatedDate, 'PermissionSet.CreatedDate');
    // epoch seconds with a millisecond fraction: within the call, to the millisecond
    assert.ok(ps.CreatedDate.getTime() >= before - 1000 && ps.CreatedDate.getTime() <= Date.now() + 1000);

    const described = await sso.send(new DescribePermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: ps.PermissionSetArn }));
    assert.deepEqual(described.PermissionSet, ps);
  });

  test('ConflictException: a duplicate name, with the real message', async () => {
    await createPermissionSet('Duplicate');
    const e = await rejection(createPermissionSet('Duplicate'));
    assertServiceError(e, 'ConflictException', ConflictException);
    assert.equal(e.message, 'PermissionSet with name Duplicate already exists.');
    assert.equal(e.Message, undefined, 'the SDK maps "Message" to .message');
  });

  test('ResourceNotFoundException: an unknown permission set', async () => {
    const ps = await createPermissionSet('Exists');
    const missing = ps.PermissionSetArn.replace(/ps-[0-9a-f]{16}$/, 'ps-0123456789abcdef');
    const e = await rejection(sso.send(new DescribePermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: missing })));
    assertServiceError(e, 'ResourceNotFoundException', ResourceNotFoundException);
  });

  test('ValidationException: names the member, as AWS does', async () => {
    // The JS SDK does not validate inputs client-side: these reach icemu.
    let e = await rejection(sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn, MaxResults: 101 })));
    assertServiceError(e, 'ValidationException', ValidationException);
    assert.match(e.message, /'maxResults'/);
    assert.match(e.message, /less than or equal to 100/);

    e = await rejection(createPermissionSet('x'.repeat(33)));
    assertServiceError(e, 'ValidationException', ValidationException);
    assert.match(e.message, /'name'/);

    e = await rejection(sso.send(new AttachManagedPolicyToPermissionSetCommand({
      InstanceArn: instanceArn,
      PermissionSetArn: (await createPermissionSet('Policies')).PermissionSetArn,
      ManagedPolicyArn: 'not-an-arn-but-long-enough' })));
    assertServiceError(e, 'ValidationException', ValidationException);
    assert.match(e.message, /'managedPolicyArn'/);

    e = await rejection(sso.send(new CreatePermissionSetCommand({
      InstanceArn: instanceArn, Name: 'Tagged', Tags: [{ Key: 'ok', Value: 'fine' }, { Key: '', Value: 'v' }] })));
    assertServiceError(e, 'ValidationException', ValidationException);
    assert.match(e.message, /'tags\.2\.member\.key'/);
  });

  test('applications: created, described and listed through the SDK', async () => {
    const created = await sso.send(new CreateApplicationCommand({
      InstanceArn: instanceArn, Name: 'JsApp',
      ApplicationProviderArn: 'arn:aws:sso::aws:applicationProvider/custom',
      PortalOptions: { Visibility: 'DISABLED' } }));
    assert.match(created.ApplicationArn, /^arn:aws:sso::\d{12}:application\/ssoins-[0-9a-f]{16}\/apl-[0-9a-f]{16}$/);
    const described = await sso.send(new DescribeApplicationCommand({ ApplicationArn: created.ApplicationArn }));
    assert.equal(described.Name, 'JsApp');
    assert.equal(described.Status, 'ENABLED');
    assert.deepEqual(described.PortalOptions, { Visibility: 'DISABLED' });
    assert.ok(described.CreatedDate instanceof Date);
    const listed = await sso.send(new ListApplicationsCommand({ InstanceArn: instanceArn }));
    assert.deepEqual(listed.Applications.map((a) => a.ApplicationArn), [created.ApplicationArn]);
  });

  test('paginateListPermissionSets: 150 permission sets in pages of 50, each once', async () => {
    const created = new Set();
    for (let i = 0; i < 150; i++) {
      created.add((await createPermissionSet(`Page${String(i).padStart(3, '0')}`)).PermissionSetArn);
    }
    const seen = [];
    const sizes = [];
    for await (const page of paginateListPermissionSets({ client: sso, pageSize: 50 }, { InstanceArn: instanceArn })) {
      sizes.push(page.PermissionSets.length);
      seen.push(...page.PermissionSets);
    }
    assert.equal(seen.length, 150);
    assert.equal(new Set(seen).size, 150, 'an ARN came twice');
    assert.deepEqual(new Set(seen), created);
    assert.deepEqual(sizes.filter((n) => n > 0), [50, 50, 50]);
    for (const n of sizes) assert.ok(n <= 50);
  });

  test('paginateListAccountAssignments and paginateListTagsForResource', async () => {
    const ps = (await createPermissionSet('Assigned')).PermissionSetArn;
    const principals = [];
    for (let i = 0; i < 7; i++) {
      const principal = `${'0'.repeat(7)}${i}-1111-2222-3333-444455556666`;
      principals.push(principal);
      const out = await sso.send(new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn, TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT', PermissionSetArn: ps,
        PrincipalType: 'GROUP', PrincipalId: principal }));
      assert.equal(out.AccountAssignmentCreationStatus.Status, 'IN_PROGRESS');
    }
    const listed = [];
    let pages = 0;
    for await (const page of paginateListAccountAssignments({ client: sso, pageSize: 3 },
      { InstanceArn: instanceArn, AccountId: ACCOUNT, PermissionSetArn: ps })) {
      pages++;
      assert.ok(page.AccountAssignments.length <= 3);
      listed.push(...page.AccountAssignments);
    }
    assert.ok(pages >= 3, `pages: ${pages}`);
    assert.deepEqual(listed.map((a) => a.PrincipalId).sort(), principals.sort());
    for (const a of listed) {
      assert.deepEqual(a, { AccountId: ACCOUNT, PermissionSetArn: ps, PrincipalType: 'GROUP', PrincipalId: a.PrincipalId });
    }

    const tags = Array.from({ length: 30 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await sso.send(new TagResourceCommand({ InstanceArn: instanceArn, ResourceArn: ps, Tags: tags }));
    const read = [];
    for await (const page of paginateListTagsForResource({ client: sso }, { InstanceArn: instanceArn, ResourceArn: ps })) {
      read.push(...page.Tags);
    }
    assert.deepEqual(read.map((t) => t.Key).sort(), tags.map((t) => t.Key).sort());
  });

  test('managed policies and the inline policy as AWS answers them', async () => {
    const ps = (await createPermissionSet('JsPolicies')).PermissionSetArn;
    const ids = { InstanceArn: instanceArn, PermissionSetArn: ps };
    // No inline policy: an empty string, not an absent member.
    const inline = await sso.send(new GetInlinePolicyForPermissionSetCommand(ids));
    assert.equal(inline.InlinePolicy, '');
    // A policy IAM does not have: ResourceNotFoundException, AWS's text.
    const missing = 'arn:aws:iam::aws:policy/DoesNotExist';
    let e = await rejection(sso.send(new AttachManagedPolicyToPermissionSetCommand({ ...ids, ManagedPolicyArn: missing })));
    assertServiceError(e, 'ResourceNotFoundException', ResourceNotFoundException);
    assert.equal(e.message, `Policy does not exist with ARN: ${missing}`);
    // Another partition names the same policy; attached twice: AWS's text, typo included.
    const admin = 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess';
    await sso.send(new AttachManagedPolicyToPermissionSetCommand({ ...ids, ManagedPolicyArn: admin }));
    e = await rejection(sso.send(new AttachManagedPolicyToPermissionSetCommand({ ...ids, ManagedPolicyArn: admin })));
    assertServiceError(e, 'ConflictException', ConflictException);
    assert.ok(e.message.includes('already has a typed link attachment to a manged policy'), e.message);
    const listed = await sso.send(new ListManagedPoliciesInPermissionSetCommand(ids));
    assert.deepEqual(listed.AttachedManagedPolicies, [{ Name: 'AdministratorAccess', Arn: admin }]);
  });

  test('instance encryption: UPDATING, then ENABLED once settled, as Terraform waits for it', async () => {
    const kms = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    let described = await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
    assert.deepEqual(described.EncryptionConfigurationDetails, { KeyType: 'AWS_OWNED_KMS_KEY', EncryptionStatus: 'ENABLED' });
    await server.admin('PUT', '/_icemu/scheduler', { mode: 'manual' });
    await sso.send(new UpdateInstanceCommand({ InstanceArn: instanceArn,
      EncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: kms } }));
    described = await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
    assert.deepEqual(described.EncryptionConfigurationDetails,
      { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: kms, EncryptionStatus: 'UPDATING' });
    const { requests } = await server.admin('GET', '/_icemu/requests?kind=INSTANCE_ENCRYPTION');
    assert.equal(requests.length, 1);
    assert.equal(requests[0].permission_set_id, null);
    await server.admin('POST', `/_icemu/requests/${requests[0].request_id}/settle`, { status: 'SUCCEEDED' });
    described = await sso.send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
    assert.deepEqual(described.EncryptionConfigurationDetails,
      { KeyType: 'CUSTOMER_MANAGED_KEY', KmsKeyArn: kms, EncryptionStatus: 'ENABLED' });
  });

  test('a provisioning workflow: IN_PROGRESS then SUCCEEDED, Date timestamps throughout', async () => {
    const ps = (await createPermissionSet('Workflow', { SessionDuration: 'PT1H' })).PermissionSetArn;
    await sso.send(new AttachManagedPolicyToPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: ps, ManagedPolicyArn: MANAGED_ARN }));
    const policies = await sso.send(new ListManagedPoliciesInPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: ps }));
    assert.deepEqual(policies.AttachedManagedPolicies, [{ Name: 'ReadOnlyAccess', Arn: MANAGED_ARN }]);

    // Hold the requests (manual mode) to watch them in progress, then settle through the admin API.
    await server.admin('PUT', '/_icemu/scheduler', { mode: 'manual' });
    const created = (await sso.send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT', PermissionSetArn: ps,
      PrincipalType: 'USER', PrincipalId: USER }))).AccountAssignmentCreationStatus;
    assert.equal(created.Status, 'IN_PROGRESS');
    assert.match(created.RequestId, UUID);
    assertRecentDate(created.CreatedDate, 'AccountAssignmentCreationStatus.CreatedDate');
    const describeCreation = async () => (await sso.send(new DescribeAccountAssignmentCreationStatusCommand({
      InstanceArn: instanceArn, AccountAssignmentCreationRequestId: created.RequestId }))).AccountAssignmentCreationStatus;
    assert.equal((await describeCreation()).Status, 'IN_PROGRESS');
    await server.admin('POST', `/_icemu/requests/${created.RequestId}/settle`, { status: 'SUCCEEDED' });
    const settled = await describeCreation();
    assert.equal(settled.Status, 'SUCCEEDED');
    assert.equal(settled.TargetId, ACCOUNT);
    assert.equal(settled.TargetType, 'AWS_ACCOUNT');
    assert.equal(settled.PermissionSetArn, ps);
    assert.equal(settled.PrincipalType, 'USER');
    assert.equal(settled.PrincipalId, USER);
    assert.equal(settled.CreatedDate.getTime(), created.CreatedDate.getTime());

    // Back to automatic settling (delay 0): poll as Terraform does until SUCCEEDED.
    await server.admin('PUT', '/_icemu/scheduler', { mode: 'auto' });
    const provisioned = (await sso.send(new ProvisionPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: ps, TargetType: 'ALL_PROVISIONED_ACCOUNTS' })))
      .PermissionSetProvisioningStatus;
    assert.equal(provisioned.Status, 'IN_PROGRESS');
    assert.match(provisioned.RequestId, UUID);
    assertRecentDate(provisioned.CreatedDate, 'PermissionSetProvisioningStatus.CreatedDate');
    let status;
    for (let i = 0; i < 100; i++) {
      status = (await sso.send(new DescribePermissionSetProvisioningStatusCommand({
        InstanceArn: instanceArn, ProvisionPermissionSetRequestId: provisioned.RequestId })))
        .PermissionSetProvisioningStatus;
      if (status.Status !== 'IN_PROGRESS') break;
      await sleep(50);
    }
    assert.equal(status.Status, 'SUCCEEDED', JSON.stringify(status));
    assert.equal(status.PermissionSetArn, ps);
    assertRecentDate(status.CreatedDate, 'PermissionSetProvisioningStatus.CreatedDate');

    const accounts = await sso.send(new ListAccountsForProvisionedPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: ps, ProvisioningStatus: 'LATEST_PERMISSION_SET_PROVISIONED' }));
    assert.deepEqual(accounts.AccountIds, [ACCOUNT]);
    const sets = await sso.send(new ListPermissionSetsProvisionedToAccountCommand({
      InstanceArn: instanceArn, AccountId: ACCOUNT }));
    assert.deepEqual(sets.PermissionSets, [ps]);

    // Deleting the permission set while assigned is a conflict, with the real text.
    const e = await rejection(sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps })));
    assertServiceError(e, 'ConflictException', ConflictException);
    assert.equal(e.message, 'Could not delete because PermissionSet has ApplicationProfile associated with it.');

    const deletion = (await sso.send(new DeleteAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: ACCOUNT, TargetType: 'AWS_ACCOUNT', PermissionSetArn: ps,
      PrincipalType: 'USER', PrincipalId: USER }))).AccountAssignmentDeletionStatus;
    assert.equal(deletion.Status, 'IN_PROGRESS');
    assert.notEqual(deletion.RequestId, created.RequestId);
    const deleted = (await sso.send(new DescribeAccountAssignmentDeletionStatusCommand({
      InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: deletion.RequestId }))).AccountAssignmentDeletionStatus;
    assert.equal(deleted.Status, 'SUCCEEDED');
    assertRecentDate(deleted.CreatedDate, 'AccountAssignmentDeletionStatus.CreatedDate');

    // The last assignment gone, the permission set is deprovisioned and can be deleted.
    const left = await sso.send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps }));
    assert.deepEqual(left.AccountIds ?? [], []);
    const out = await sso.send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    const gone = await rejection(sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: ps })));
    assertServiceError(gone, 'ResourceNotFoundException', ResourceNotFoundException);
  });
});

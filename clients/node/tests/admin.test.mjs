// Every method of the object startIcemu resolves to, against a real icemu, through the AWS SDK
// for JavaScript v3 and the Huawei npm core client.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListPermissionSetsCommand,
  ProvisionPermissionSetCommand,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';

import { IcemuError, startIcemu } from '../index.js';
import { DOMAIN_ID, INSTANCE_ARN, USER, huawei, rejection, sso } from './helpers.mjs';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let icemu;
let aws;
before(async () => {
  icemu = await startIcemu();
  aws = sso(icemu);
});
after(() => icemu.stop());
beforeEach(() => icemu.reset());

async function permissionSet(name = 'ReadOnly') {
  const out = await aws.send(new CreatePermissionSetCommand({ InstanceArn: INSTANCE_ARN, Name: name }));
  return out.PermissionSet.PermissionSetArn;
}

async function assign(ps, account = ACCOUNT) {
  const out = await aws.send(new CreateAccountAssignmentCommand({
    InstanceArn: INSTANCE_ARN, PermissionSetArn: ps, TargetId: account, TargetType: 'AWS_ACCOUNT',
    PrincipalType: 'USER', PrincipalId: USER,
  }));
  assert.equal(out.AccountAssignmentCreationStatus.Status, 'IN_PROGRESS');
  return out.AccountAssignmentCreationStatus.RequestId;
}

async function creationStatus(requestId) {
  const out = await aws.send(new DescribeAccountAssignmentCreationStatusCommand({
    InstanceArn: INSTANCE_ARN, AccountAssignmentCreationRequestId: requestId,
  }));
  return out.AccountAssignmentCreationStatus;
}

test('endpoint and health', async () => {
  assert.match(icemu.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await icemu.health();
  assert.equal(health.status, 'ok');
  assert.deepEqual(health.surfaces, ['aws', 'huawei']);
  assert.ok(icemu.pid > 0);
});

describe('settle', () => {
  test('ends AWS and Huawei requests, with a failure reason', async () => {
    await icemu.setScheduler('manual');
    const ps = await permissionSet();
    const first = await assign(ps);
    const settled = await icemu.settle(first);
    assert.equal(settled.request_id, first);
    assert.equal(settled.status, 'SUCCEEDED');
    assert.equal((await creationStatus(first)).Status, 'SUCCEEDED');

    // A request made through the Huawei surface, settled FAILED.
    const call = huawei(icemu);
    const instanceId = (await call('GET', '/v1/instances')).instances[0].instance_id;
    const hwPs = (await call('POST', '/v1/instances/{instance_id}/permission-sets', {
      pathParams: { instance_id: instanceId }, data: { name: 'Huawei' },
    })).permission_set.permission_set_id;
    const created = await call('POST', '/v1/instances/{instance_id}/account-assignments/create', {
      pathParams: { instance_id: instanceId },
      data: { permission_set_id: hwPs, principal_id: 'user-1', principal_type: 'USER', target_id: DOMAIN_ID, target_type: 'ACCOUNT' },
    });
    const id = created.account_assignment_creation_status.request_id;
    const failed = await icemu.settle(id, { status: 'FAILED', failureReason: 'IAM said no.' });
    assert.equal(failed.surface, 'huawei');
    assert.equal(failed.failure_reason, 'IAM said no.');
    const described = await call('GET', '/v1/instances/{instance_id}/account-assignments/creation-status/{request_id}', {
      pathParams: { instance_id: instanceId, request_id: id },
    });
    assert.equal(described.account_assignment_creation_status.status, 'FAILED');
    assert.equal(described.account_assignment_creation_status.failure_reason, 'IAM said no.');
  });

  test('a settled or unknown request rejects with an IcemuError', async () => {
    await icemu.setScheduler('manual');
    const id = await assign(await permissionSet());
    const defaulted = await icemu.settle(id, { status: 'FAILED' });
    assert.equal(defaulted.failure_reason, 'An unexpected internal service exception was encountered');
    const again = await rejection(icemu.settle(id));
    assert.ok(again instanceof IcemuError);
    assert.equal(again.status, 409);
    assert.equal(again.code, 'conflict');
    assert.ok(again.message.length > 0);
    const unknown = await rejection(icemu.settle('00000000-0000-4000-8000-000000000000'));
    assert.equal(unknown.code, 'not_found');
    assert.equal(unknown.status, 404);
  });
});

test('advanceClock settles what fell due and refuses going back', async () => {
  // Due in a minute: the real time the test takes cannot settle it first.
  await icemu.setScheduler('auto', { delayMs: 60000 });
  const id = await assign(await permissionSet());
  assert.deepEqual(await icemu.advanceClock(30.5), []);
  assert.equal((await creationStatus(id)).Status, 'IN_PROGRESS');
  assert.deepEqual(await icemu.advanceClock(29.5), [id]);
  assert.equal((await creationStatus(id)).Status, 'SUCCEEDED');
  assert.equal((await icemu.health()).scheduler.clock_offset_ms, 60000);
  const e = await rejection(icemu.advanceClock(-1));
  assert.equal(e.code, 'bad_request');
  assert.equal(e.message, 'ms must be a non-negative integer');
});

describe('setScheduler', () => {
  test('maps its options to the admin JSON', async () => {
    assert.deepEqual(await icemu.setScheduler('manual'),
      { mode: 'manual', delay_ms: { min: 1000, max: 3000 }, polls: 1, seed: 0 });
    assert.deepEqual(await icemu.setScheduler(undefined, { delayMs: [10, 20], seed: 7 }),
      { mode: 'manual', delay_ms: { min: 10, max: 20 }, polls: 1, seed: 7 });
    assert.deepEqual(await icemu.setScheduler('polls', { polls: 3, delayMs: 0 }),
      { mode: 'polls', delay_ms: { min: 0, max: 0 }, polls: 3, seed: 7 });
    assert.deepEqual(await icemu.scheduler(), await icemu.setScheduler());
  });

  test('polls mode: the Nth describe settles', async () => {
    await icemu.setScheduler('polls', { polls: 2 });
    const id = await assign(await permissionSet());
    assert.equal((await creationStatus(id)).Status, 'IN_PROGRESS');
    assert.equal((await creationStatus(id)).Status, 'SUCCEEDED');
  });

  test('refusals', async () => {
    const e = await rejection(icemu.setScheduler('sometimes'));
    assert.equal(e.code, 'bad_request');
    assert.equal(e.message, 'mode must be "auto", "polls" or "manual"');
    assert.throws(() => icemu.setScheduler('auto', { delay: 5 }), TypeError);
    assert.throws(() => icemu.setScheduler('auto', { delayMs: [1, 2, 3] }), TypeError);
    assert.equal((await icemu.scheduler()).mode, 'auto');
  });
});

describe('addFault', () => {
  test('an outcome rule applies until its remover runs', async () => {
    await icemu.setScheduler('auto', { delayMs: 0 });
    const ps = await permissionSet();
    const remove = await icemu.addFault({
      match: { account_id: ACCOUNT }, outcome: { status: 'FAILED', failure_reason: 'Denied.' },
    });
    const failed = await assign(ps);
    assert.deepEqual(await creationStatus(failed).then((s) => [s.Status, s.FailureReason]), ['FAILED', 'Denied.']);
    await remove();
    await remove(); // twice: nothing left to do
    assert.deepEqual(await icemu.faults(), []);
    const ok = await assign(ps, OTHER);
    assert.equal((await creationStatus(ok)).Status, 'SUCCEEDED');
  });

  test('an error rule answers the AWS error', async () => {
    const remove = await icemu.addFault({ match: { operation: 'ListPermissionSets' }, error: { code: 'ThrottlingException' } });
    const e = await rejection(aws.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE_ARN })));
    assert.ok(e instanceof ThrottlingException, e.name);
    await remove();
    const out = await aws.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE_ARN }));
    assert.deepEqual(out.PermissionSets, []);
  });

  test('removing one rule keeps the others, with the uses they have left', async () => {
    await icemu.setScheduler('auto', { delayMs: 0 });
    const ps = await permissionSet();
    await icemu.addFault({ match: { account_id: ACCOUNT }, outcome: { status: 'FAILED' }, times: 2 });
    await assign(ps); // one of its two uses
    const removeSecond = await icemu.addFault({ match: { account_id: '222222222222' }, outcome: { status: 'IN_PROGRESS' } });
    const removeThird = await icemu.addFault({ match: { account_id: '333333333333' }, outcome: { status: 'IN_PROGRESS' } });
    await removeSecond();
    const rules = await icemu.faults();
    assert.deepEqual(rules.map((r) => [r.match.account_id, r.times]), [[ACCOUNT, 1], ['333333333333', undefined]]);
    const again = await assign(ps);
    assert.equal((await creationStatus(again)).Status, 'FAILED');
    await removeThird();
    // The first rule is used up: it is dropped when the rules are sent back.
    assert.deepEqual(await icemu.faults(), []);
  });

  test('of two equal rules, the remover removes its own', async () => {
    await icemu.setScheduler('auto', { delayMs: 0 });
    const ps = await permissionSet();
    const rule = { match: { kind: 'ASSIGNMENT_CREATE' }, outcome: { status: 'FAILED' } };
    const removeOlder = await icemu.addFault({ ...rule, times: 1 });
    const removeNewer = await icemu.addFault({ ...rule, times: 5 });
    await assign(ps); // uses up the older one
    await removeOlder();
    const [left, ...rest] = await icemu.faults();
    assert.deepEqual(rest, []);
    assert.equal(left.times, 5);
    assert.equal(left.hits, 0);
    await removeNewer();
    assert.deepEqual(await icemu.faults(), []);
  });

  test('a bad rule rejects and changes nothing', async () => {
    await icemu.addFault({ match: { account_id: ACCOUNT }, outcome: { status: 'FAILED' } });
    const e = await rejection(icemu.addFault({ match: { operation: 'ListPermisionSets' }, error: { code: 'ThrottlingException' } }));
    assert.equal(e.status, 400);
    assert.match(e.message, /^rules\[1\]\.match\.operation: "ListPermisionSets"/);
    assert.deepEqual((await icemu.faults()).map((r) => r.match), [{ account_id: ACCOUNT }]);
  });
});

describe('requests', () => {
  test('lists both surfaces with filters', async () => {
    await icemu.setScheduler('manual');
    const ps = await permissionSet();
    const created = await assign(ps);
    await icemu.settle(created);
    const provision = (await aws.send(new ProvisionPermissionSetCommand({
      InstanceArn: INSTANCE_ARN, PermissionSetArn: ps, TargetType: 'AWS_ACCOUNT', TargetId: ACCOUNT,
    }))).PermissionSetProvisioningStatus.RequestId;
    const all = await icemu.requests();
    assert.deepEqual(all.map((r) => r.request_id), [created, provision]);
    assert.ok(all.every((r) => UUID.test(r.request_id)));
    assert.equal(all[0].kind, 'ASSIGNMENT_CREATE');
    assert.equal(all[0].principal_id, USER);
    assert.deepEqual((await icemu.requests({ kind: 'PROVISION' })).map((r) => r.request_id), [provision]);
    assert.deepEqual((await icemu.requests({ status: 'SUCCEEDED' })).map((r) => r.request_id), [created]);
    assert.equal((await icemu.requests({ instance: INSTANCE_ARN })).length, 2);
    assert.deepEqual(await icemu.requests({ instance: 'ffffffffffffffff' }), []);
  });

  test('refusals', async () => {
    await assert.rejects(icemu.requests({ state: 'FAILED' }), TypeError);
    const e = await rejection(icemu.requests({ status: 'DONE' }));
    assert.equal(e.message, 'status must be IN_PROGRESS, SUCCEEDED or FAILED');
  });
});

test('reset erases everything and restores the configured scheduler and clock', async () => {
  await icemu.setScheduler('manual', { seed: 9 });
  await assign(await permissionSet());
  await icemu.addFault({ match: {}, outcome: { status: 'FAILED' } });
  await icemu.advanceClock(60);
  await icemu.reset();
  assert.deepEqual(await icemu.requests(), []);
  assert.deepEqual(await icemu.faults(), []);
  const settings = await icemu.scheduler();
  assert.equal(settings.mode, 'auto');
  assert.equal(settings.seed, 0);
  assert.equal((await icemu.health()).scheduler.clock_offset_ms, 0);
  const out = await aws.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE_ARN }));
  assert.deepEqual(out.PermissionSets, []);
});

test('reset of one instance', async () => {
  const ps = await permissionSet('Kept');
  await icemu.reset({ instance: 'ffffffffffffffff' }).then(
    () => assert.fail('an unknown instance was reset'),
    (e) => assert.equal(e.code, 'not_found'));
  await icemu.reset({ instance: INSTANCE_ARN });
  const out = await aws.send(new ListPermissionSetsCommand({ InstanceArn: INSTANCE_ARN }));
  assert.ok(!out.PermissionSets.includes(ps));
});

test('admin errors carry code and message', async () => {
  const e = await rejection(icemu.admin('GET', '/_icemu/nothing-here'));
  assert.ok(e instanceof IcemuError && e instanceof Error);
  assert.equal(e.name, 'IcemuError');
  assert.equal(e.status, 404);
  assert.equal(e.code, 'not_found');
  assert.equal(e.message, 'no admin call /_icemu/nothing-here');
});

// The provisioning and assignment lifecycle through the Huawei npm core client: each request is
// IN_PROGRESS when created and settles through the admin API (manual scheduler) or at once
// (auto, delay 0); statuses are described and listed; conflicts while in flight are IIC.1006.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, PS, AA, UUID } from './icemu.mjs';

let server;
let ins;

before(async () => {
  server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'manual' });
  ins = await defaultInstance(server);
});
after(async () => server.stop());

async function permissionSet(name) {
  const body = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name } });
  return body.permission_set.permission_set_id;
}

const provision = (ps, data) => server.call('POST', `${PS}/provision`,
  { pathParams: { instance_id: ins, permission_set_id: ps }, data });
const describeProvisioning = (id) => server.call('GET',
  '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}',
  { pathParams: { instance_id: ins, request_id: id } });
const accounts = (ps, queryParams = {}) => server.call('GET', `${PS}/accounts`,
  { pathParams: { instance_id: ins, permission_set_id: ps }, queryParams });
const provisionedTo = (queryParams) => server.call('GET',
  '/v1/instances/{instance_id}/permission-sets/provisioned-to-accounts',
  { pathParams: { instance_id: ins }, queryParams });

test('ProvisionPermissionSet: IN_PROGRESS with created_date as a string, then SUCCEEDED', async () => {
  const ps = await permissionSet('Provision');
  const acct = account(1);
  const body = await provision(ps, { target_type: 'ACCOUNT', target_id: acct });
  const status = body.permission_set_provisioning_status;
  assert.equal(status.status, 'IN_PROGRESS');
  assert.match(status.request_id, UUID);
  assert.equal(status.account_id, acct);
  assert.equal(status.permission_set_id, ps);
  assert.equal(typeof status.created_date, 'string');
  assert.match(status.created_date, /^\d{13}$/);
  assert.equal(status.failure_reason, undefined);

  let described = (await describeProvisioning(status.request_id)).permission_set_provisioning_status;
  assert.deepEqual(described, status);

  // Another mutating call on the same pair while it is in flight: 409 IIC.1006.
  const e = await server.fail('POST', `${PS}/provision`, { pathParams: { instance_id: ins, permission_set_id: ps },
    data: { target_type: 'ACCOUNT', target_id: acct } });
  assert.equal(e.httpStatusCode, 409);
  assert.equal(e.errorCode, 'IIC.1006');
  assert.equal(e.errorMsg, 'Concurrency conflicts. Try again later.');

  const inFlight = await server.call('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-statuses',
    { pathParams: { instance_id: ins }, queryParams: { status: 'IN_PROGRESS' } });
  const item = inFlight.permission_sets_provisioning_status.find((s) => s.request_id === status.request_id);
  assert.deepEqual(item, { created_date: Number(status.created_date), request_id: status.request_id, status: 'IN_PROGRESS' });
  assert.equal(typeof item.created_date, 'number');

  await server.settle(status.request_id);
  described = (await describeProvisioning(status.request_id)).permission_set_provisioning_status;
  assert.equal(described.status, 'SUCCEEDED');
  assert.equal(typeof described.created_date, 'string');

  assert.deepEqual((await accounts(ps)).account_ids, [acct]);
  assert.deepEqual((await accounts(ps, { provisioning_status: 'LATEST_PERMISSION_SET_PROVISIONED' })).account_ids, [acct]);
  assert.deepEqual((await accounts(ps, { provisioning_status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' })).account_ids, []);
  const to = await provisionedTo({ account_id: acct });
  assert.deepEqual(to.permission_sets, [ps]);
  assert.deepEqual(to.page_info, { next_marker: null, current_count: 1 });

  // A content change puts the account behind; ALL_PROVISIONED_ACCOUNTS brings it up to date.
  await server.call('PUT', `${PS}/custom-policy`, { pathParams: { instance_id: ins, permission_set_id: ps },
    data: { custom_policy: '{"Version":"5.0","Statement":[]}' } });
  assert.deepEqual((await provisionedTo({ account_id: acct, provisioning_status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' })).permission_sets, [ps]);
  const all = (await provision(ps, { target_type: 'ALL_PROVISIONED_ACCOUNTS' })).permission_set_provisioning_status;
  assert.equal(all.status, 'IN_PROGRESS');
  assert.equal(all.account_id, undefined);
  await server.settle(all.request_id);
  assert.deepEqual((await accounts(ps, { provisioning_status: 'LATEST_PERMISSION_SET_PROVISIONED' })).account_ids, [acct]);

  // Still provisioned: it cannot be deleted.
  const del = await server.fail('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: ps } });
  assert.equal(del.httpStatusCode, 409);
  assert.equal(del.errorCode, 'IIC.1210');
  assert.equal(del.errorMsg, 'The permission set has been attached to accounts and cannot be deleted.');
});

test('a FAILED provisioning carries its failure_reason and changes nothing', async () => {
  const ps = await permissionSet('Fails');
  const { permission_set_provisioning_status: s } = await provision(ps, { target_type: 'ACCOUNT', target_id: account(2) });
  await server.settle(s.request_id, 'FAILED', 'Received a 403 status error: Access denied by IAM.');
  const d = (await describeProvisioning(s.request_id)).permission_set_provisioning_status;
  assert.equal(d.status, 'FAILED');
  assert.equal(d.failure_reason, 'Received a 403 status error: Access denied by IAM.');
  assert.deepEqual((await accounts(ps)).account_ids, []);
  const failed = await server.call('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-statuses',
    { pathParams: { instance_id: ins }, queryParams: { status: 'FAILED' } });
  assert.deepEqual(failed.permission_sets_provisioning_status.map((x) => x.request_id), [s.request_id]);
});

test('provisioning inputs are validated by the Huawei rules', async () => {
  const ps = await permissionSet('ProvisionInputs');
  const path = { instance_id: ins, permission_set_id: ps };
  const cases = [
    [{}, 'Bad Request: target_type is required.'],
    [{ target_type: 'AWS_ACCOUNT', target_id: account(3) }, 'Bad Request: target_type must be one of ACCOUNT, ALL_PROVISIONED_ACCOUNTS.'],
    [{ target_type: 'ACCOUNT' }, 'Bad Request: target_id is required.'],
    [{ target_type: 'ACCOUNT', target_id: '123456789012' }, 'Bad Request: target_id must be 32 lowercase hexadecimal characters.'],
  ];
  for (const [data, message] of cases) {
    const e = await server.fail('POST', `${PS}/provision`, { pathParams: path, data });
    assert.equal(e.httpStatusCode, 400);
    assert.equal(e.errorCode, 'IIC.400');
    assert.equal(e.errorMsg, message);
  }
  let e = await server.fail('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}',
    { pathParams: { instance_id: ins, request_id: 'abc' } });
  assert.equal(e.errorMsg, 'Bad Request: request_id must be 36 characters long.');
  e = await server.fail('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}',
    { pathParams: { instance_id: ins, request_id: '8a1b2c3d-0000-4000-8000-000000000001' } });
  assert.equal(e.httpStatusCode, 404);
  assert.equal(e.errorCode, 'IIC.404');
  assert.equal(e.errorMsg, 'Not Found: request 8a1b2c3d-0000-4000-8000-000000000001.');
  e = await server.fail('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-statuses',
    { pathParams: { instance_id: ins }, queryParams: { status: 'DONE' } });
  assert.equal(e.errorMsg, 'Bad Request: status must be one of IN_PROGRESS, SUCCEEDED, FAILED.');
  e = await server.fail('GET', `${PS}/accounts`, { pathParams: path, queryParams: { provisioning_status: 'X' } });
  assert.equal(e.errorMsg, 'Bad Request: provisioning_status must be one of LATEST_PERMISSION_SET_PROVISIONED, LATEST_PERMISSION_SET_NOT_PROVISIONED.');
  e = await server.fail('GET', '/v1/instances/{instance_id}/permission-sets/provisioned-to-accounts', { pathParams: { instance_id: ins } });
  assert.equal(e.errorMsg, 'Bad Request: account_id is required.');
  e = await server.fail('POST', `${PS}/provision`, { pathParams: { ...path, permission_set_id: 'ps-0000000000000000' },
    data: { target_type: 'ACCOUNT', target_id: account(3) } });
  assert.equal(e.errorCode, 'IIC.1205');
});

test('account assignments: create, statuses, lists, delete — IN_PROGRESS then settled', async () => {
  const ps = await permissionSet('Assign');
  const acct = account(16);
  const target = { permission_set_id: ps, principal_id: 'user-1', principal_type: 'USER', target_id: acct, target_type: 'ACCOUNT' };
  const created = (await server.call('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: target }))
    .account_assignment_creation_status;
  assert.equal(created.status, 'IN_PROGRESS');
  assert.match(created.request_id, UUID);
  assert.equal(typeof created.created_date, 'number');
  assert.deepEqual({ ...created, created_date: 0, request_id: '' }, { ...target, created_date: 0, request_id: '', status: 'IN_PROGRESS' });

  const conflict = await server.fail('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: { ...target, principal_id: 'user-2' } });
  assert.equal(conflict.errorCode, 'IIC.1006');

  const describe = (kind, id) => server.call('GET', `${AA}/${kind}-status/{request_id}`, { pathParams: { instance_id: ins, request_id: id } });
  assert.deepEqual((await describe('creation', created.request_id)).account_assignment_creation_status, created);
  const list = await server.call('GET', `${AA}/creation-statuses`, { pathParams: { instance_id: ins }, queryParams: { status: 'IN_PROGRESS', limit: 5 } });
  assert.deepEqual(list.account_assignments_creation_status, [{ created_date: created.created_date, request_id: created.request_id, status: 'IN_PROGRESS' }]);
  assert.deepEqual(list.page_info, { next_marker: null, current_count: 1 });

  // Not listed before it settles.
  const listAssignments = (queryParams) => server.call('GET', AA, { pathParams: { instance_id: ins }, queryParams });
  assert.deepEqual((await listAssignments({ account_id: acct })).account_assignments, []);
  await server.settle(created.request_id);
  assert.equal((await describe('creation', created.request_id)).account_assignment_creation_status.status, 'SUCCEEDED');
  const assignment = { account_id: acct, permission_set_id: ps, principal_id: 'user-1', principal_type: 'USER' };
  assert.deepEqual((await listAssignments({ account_id: acct })).account_assignments, [assignment]);
  assert.deepEqual((await listAssignments({ account_id: acct, permission_set_id: ps })).account_assignments, [assignment]);
  const forPrincipal = await server.call('GET', '/v1/instances/{instance_id}/account-assignments-for-principals',
    { pathParams: { instance_id: ins }, queryParams: { principal_id: 'user-1', principal_type: 'USER', account_id: acct } });
  assert.deepEqual(forPrincipal.account_assignments, [assignment]);
  // The assignment provisioned the permission set to the account.
  assert.deepEqual((await accounts(ps)).account_ids, [acct]);
  const attached = await server.fail('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: ps } });
  assert.equal(attached.errorCode, 'IIC.1210');

  const deleted = (await server.call('POST', `${AA}/delete`, { pathParams: { instance_id: ins }, data: target }))
    .account_assignment_deletion_status;
  assert.equal(deleted.status, 'IN_PROGRESS');
  assert.deepEqual((await describe('deletion', deleted.request_id)).account_assignment_deletion_status, deleted);
  const dlist = await server.call('GET', `${AA}/deletion-statuses`, { pathParams: { instance_id: ins } });
  assert.deepEqual(dlist.account_assignments_deletion_status[0], { created_date: deleted.created_date, request_id: deleted.request_id, status: 'IN_PROGRESS' });
  await server.settle(deleted.request_id);
  assert.equal((await describe('deletion', deleted.request_id)).account_assignment_deletion_status.status, 'SUCCEEDED');
  assert.deepEqual((await listAssignments({ account_id: acct })).account_assignments, []);
  assert.deepEqual((await accounts(ps)).account_ids, []);
  // A creation id is not a deletion id.
  const wrongKind = await server.fail('GET', `${AA}/deletion-status/{request_id}`, { pathParams: { instance_id: ins, request_id: created.request_id } });
  assert.equal(wrongKind.errorCode, 'IIC.404');
  // Nothing left: it can be deleted now.
  await server.call('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: ps } });
  // Deleting an assignment that does not exist: 404 IIC.404.
  const gone = await server.fail('POST', `${AA}/delete`, { pathParams: { instance_id: ins }, data: { ...target, permission_set_id: await permissionSet('Assign2') } });
  assert.equal(gone.errorCode, 'IIC.404');
});

test('assignment inputs are validated by the Huawei rules', async () => {
  const ps = await permissionSet('AssignInputs');
  const good = { permission_set_id: ps, principal_id: 'u', principal_type: 'GROUP', target_id: account(5), target_type: 'ACCOUNT' };
  const cases = [
    [{ ...good, principal_id: 'p'.repeat(48) }, 'Bad Request: principal_id must be 1 to 47 characters long.'],
    [{ ...good, principal_id: '' }, 'Bad Request: principal_id must be 1 to 47 characters long.'],
    [{ ...good, principal_type: 'ROLE' }, 'Bad Request: principal_type must be one of USER, GROUP.'],
    [{ ...good, target_type: 'ALL_PROVISIONED_ACCOUNTS' }, 'Bad Request: target_type must be one of ACCOUNT.'],
    [{ ...good, target_id: '0123456789ABCDEF0123456789ABCDEF' }, 'Bad Request: target_id must be 32 lowercase hexadecimal characters.'],
    [{ ...good, permission_set_id: undefined }, 'Bad Request: permission_set_id is required.'],
    [{ ...good, permission_set_id: 'ps-1' }, "Bad Request: permission_set_id must be 'ps-' followed by 16 lowercase hexadecimal characters."],
  ];
  for (const [data, message] of cases) {
    const e = await server.fail('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data });
    assert.equal(e.httpStatusCode, 400);
    assert.equal(e.errorMsg, message);
  }
  let e = await server.fail('GET', AA, { pathParams: { instance_id: ins } });
  assert.equal(e.errorMsg, 'Bad Request: account_id is required.');
  e = await server.fail('GET', '/v1/instances/{instance_id}/account-assignments-for-principals',
    { pathParams: { instance_id: ins }, queryParams: { principal_id: 'u' } });
  assert.equal(e.errorMsg, 'Bad Request: principal_type is required.');
  e = await server.fail('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: { ...good, permission_set_id: 'ps-0000000000000000' } });
  assert.equal(e.errorCode, 'IIC.1205');
});

test('with the auto scheduler and a delay of 0, the next call already sees SUCCEEDED', async () => {
  const auto = await Icemu.start({ ICEMU_SCHEDULER_DELAY_MS: '0' });
  try {
    const instance = await defaultInstance(auto);
    const { permission_set: ps } = await auto.call('POST', '/v1/instances/{instance_id}/permission-sets',
      { pathParams: { instance_id: instance }, data: { name: 'Auto' } });
    const { permission_set_provisioning_status: s } = await auto.call('POST', `${PS}/provision`,
      { pathParams: { instance_id: instance, permission_set_id: ps.permission_set_id }, data: { target_type: 'ACCOUNT', target_id: account(9) } });
    assert.equal(s.status, 'IN_PROGRESS');
    const d = await auto.call('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}',
      { pathParams: { instance_id: instance, request_id: s.request_id } });
    assert.equal(d.permission_set_provisioning_status.status, 'SUCCEEDED');
  } finally {
    await auto.stop();
  }
});

test('polls mode: the first describe settles the request and answers the settled status', async () => {
  const polls = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'polls' });
  try {
    const instance = await defaultInstance(polls);
    const { permission_set: ps } = await polls.call('POST', '/v1/instances/{instance_id}/permission-sets',
      { pathParams: { instance_id: instance }, data: { name: 'Polls' } });
    const { account_assignment_creation_status: s } = await polls.call('POST', `${AA}/create`, { pathParams: { instance_id: instance },
      data: { permission_set_id: ps.permission_set_id, principal_id: 'g', principal_type: 'GROUP', target_id: account(10), target_type: 'ACCOUNT' } });
    const d = await polls.call('GET', `${AA}/creation-status/{request_id}`, { pathParams: { instance_id: instance, request_id: s.request_id } });
    assert.equal(d.account_assignment_creation_status.status, 'SUCCEEDED');
  } finally {
    await polls.stop();
  }
});

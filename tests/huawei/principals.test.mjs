// Principals across the two surfaces, with identity.require_principals on: a user made on the
// Huawei store endpoints and a group made through AWS identitystore are each assigned on the other
// surface, listed by principal on both, and an unknown principal's assignment settles FAILED on
// either. The Huawei side goes through the official npm core client; the AWS side is plain JSON
// 1.1 (unsigned: the open auth mode).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, AA } from './icemu.mjs';

let server;
let ins;
let store;
let instanceArn;

before(async () => {
  // Delay 0: each request settles before the next call, so a describe right after shows its end.
  server = await Icemu.start({ ICEMU_IDENTITY_REQUIRE_PRINCIPALS: 'true', ICEMU_SCHEDULER_DELAY_MS: '0' });
  ins = await defaultInstance(server);
  store = (await server.call('GET', '/v1/instances')).instances[0].identity_store_id;
  instanceArn = `arn:aws:sso:::instance/ssoins-${ins.slice('ins-'.length)}`;
});
after(async () => server.stop());

async function aws(target, body) {
  const res = await fetch(server.base + '/', {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}
const ssoAdmin = (operation, body) => aws(`SWBExternalService.${operation}`, { InstanceArn: instanceArn, ...body });

async function permissionSet(name) {
  const body = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name } });
  const id = body.permission_set.permission_set_id;
  return { id, arn: `arn:aws:sso:::permissionSet/ssoins-${ins.slice('ins-'.length)}/${id}` };
}

const huaweiAssign = (data) => server.call('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data })
  .then((body) => body.account_assignment_creation_status);
const huaweiCreationStatus = (id) => server.call('GET', `${AA}/creation-status/{request_id}`,
  { pathParams: { instance_id: ins, request_id: id } }).then((body) => body.account_assignment_creation_status);
const huaweiForPrincipal = (type, id, acct) => server.call('GET', '/v1/instances/{instance_id}/account-assignments-for-principals',
  { pathParams: { instance_id: ins }, queryParams: { principal_type: type, principal_id: id, account_id: acct } })
  .then((body) => body.account_assignments);
const awsForPrincipal = (type, id, acct) => ssoAdmin('ListAccountAssignmentsForPrincipal',
  { PrincipalType: type, PrincipalId: id, Filter: { AccountId: acct } }).then((body) => body.AccountAssignments);

// Assigns the principal on both surfaces (each with its own form of account) and checks that each
// settled SUCCEEDED and that each surface lists it by principal.
async function assignOnBoth(type, principal, name, n) {
  const ps = await permissionSet(name);
  const huaweiAccount = account(n);
  const created = await huaweiAssign({ permission_set_id: ps.id, principal_type: type, principal_id: principal, target_type: 'ACCOUNT', target_id: huaweiAccount });
  const huaweiEnd = await huaweiCreationStatus(created.request_id);
  assert.equal(huaweiEnd.status, 'SUCCEEDED', JSON.stringify(huaweiEnd));
  assert.deepEqual(await huaweiForPrincipal(type, principal, huaweiAccount),
    [{ account_id: huaweiAccount, permission_set_id: ps.id, principal_id: principal, principal_type: type }]);

  const awsAccount = String(100000000000 + n);
  const { AccountAssignmentCreationStatus: awsCreated } = await ssoAdmin('CreateAccountAssignment', {
    PermissionSetArn: ps.arn, PrincipalType: type, PrincipalId: principal, TargetType: 'AWS_ACCOUNT', TargetId: awsAccount,
  });
  const { AccountAssignmentCreationStatus: awsEnd } = await ssoAdmin('DescribeAccountAssignmentCreationStatus',
    { AccountAssignmentCreationRequestId: awsCreated.RequestId });
  assert.equal(awsEnd.Status, 'SUCCEEDED', JSON.stringify(awsEnd));
  assert.deepEqual(await awsForPrincipal(type, principal, awsAccount),
    [{ AccountId: awsAccount, PermissionSetArn: ps.arn, PrincipalId: principal, PrincipalType: type }]);
}

test('a user made on the Huawei store is the principal of assignments on both surfaces', async () => {
  const user = await server.call('POST', '/v1/identity-stores/{identity_store_id}/users', {
    pathParams: { identity_store_id: store },
    data: {
      user_name: 'huawei-user', password_mode: 'OTP', display_name: 'Huawei User',
      name: { family_name: 'U', given_name: 'H' }, emails: [{ primary: true, type: 'Work', value: 'hu@example.com' }],
    },
  });
  assert.equal(user.httpStatusCode, 201);
  await assignOnBoth('USER', user.user_id, 'HuaweiUserAccess', 41);
});

test('a group made through AWS identitystore is the principal of assignments on both surfaces', async () => {
  const { GroupId } = await aws('AWSIdentityStore.CreateGroup', { IdentityStoreId: store, DisplayName: 'aws-group' });
  await assignOnBoth('GROUP', GroupId, 'AwsGroupAccess', 42);
});

test('an assignment of a principal the store does not hold settles FAILED on either surface', async () => {
  const ps = await permissionSet('NobodyAccess');
  const missing = `${store.slice(2)}-00000000-0000-4000-8000-000000000000`;
  const viaHuawei = await huaweiAssign({ permission_set_id: ps.id, principal_type: 'USER', principal_id: missing, target_type: 'ACCOUNT', target_id: account(43) });
  const huaweiEnd = await huaweiCreationStatus(viaHuawei.request_id);
  assert.equal(huaweiEnd.status, 'FAILED');
  assert.equal(huaweiEnd.failure_reason, `The principal USER ${missing} does not exist in identity store ${store}.`);
  assert.deepEqual(await huaweiForPrincipal('USER', missing, account(43)), []);

  const { AccountAssignmentCreationStatus: viaAws } = await ssoAdmin('CreateAccountAssignment', {
    PermissionSetArn: ps.arn, PrincipalType: 'GROUP', PrincipalId: missing, TargetType: 'AWS_ACCOUNT', TargetId: '100000000044',
  });
  const { AccountAssignmentCreationStatus: awsEnd } = await ssoAdmin('DescribeAccountAssignmentCreationStatus',
    { AccountAssignmentCreationRequestId: viaAws.RequestId });
  assert.equal(awsEnd.Status, 'FAILED');
  assert.equal(awsEnd.FailureReason, `The principal GROUP ${missing} does not exist in identity store ${store}.`);
  assert.deepEqual(await awsForPrincipal('GROUP', missing, '100000000044'), []);
});

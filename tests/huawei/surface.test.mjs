// The surface as a whole: tags (with the resource type percent-encoded as the Python SDK sends
// it), routing (literal segments win over {permission_set_id}), unknown paths and methods as
// Huawei JSON errors, and cross-surface visibility through the admin API and the AWS surface.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, PS, AA, HEX32 } from './icemu.mjs';

let server;
let ins;
const TAGS = '/v1/instances/{resource_type}/{resource_id}/tags';
const RT = 'identitycenter:permissionset';

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

async function aws(operation, input) {
  const res = await fetch(server.base + '/', { method: 'POST', body: JSON.stringify(input),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SWBExternalService.${operation}` } });
  return [res.status, await res.json()];
}

test('tags: create (overwriting a key), list, delete by key', async () => {
  const ps = await permissionSet('Tags');
  const pathParams = { resource_type: RT, resource_id: ps };
  assert.deepEqual(await server.call('POST', `${TAGS}/create`, { pathParams,
    data: { tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: '' }] } }), { httpStatusCode: 200 });
  await server.call('POST', `${TAGS}/create`, { pathParams, data: { tags: [{ key: 'env', value: 'prod' }] } });
  let body = await server.call('GET', TAGS, { pathParams });
  assert.deepEqual(body.tags, [{ key: 'env', value: 'prod' }, { key: 'team', value: '' }]);
  assert.deepEqual(body.page_info, { next_marker: null, current_count: 2 });
  assert.deepEqual(await server.call('POST', `${TAGS}/delete`, { pathParams, data: { tags: [{ key: 'env' }, { key: 'absent' }] } }),
    { httpStatusCode: 200 });
  body = await server.call('GET', TAGS, { pathParams });
  assert.deepEqual(body.tags, [{ key: 'team', value: '' }]);
  // The Python SDK percent-encodes the colon: the same resource.
  const raw = await server.raw('GET', `/v1/instances/identitycenter%3Apermissionset/${ps}/tags`);
  assert.equal(raw.status, 200);
  assert.deepEqual(raw.json.tags, [{ key: 'team', value: '' }]);
});

test('tags: errors', async () => {
  const ps = await permissionSet('TagErrors');
  let e = await server.fail('GET', TAGS, { pathParams: { resource_type: 'identitycenter:instance', resource_id: ps } });
  assert.equal(e.httpStatusCode, 400);
  assert.equal(e.errorMsg, 'Bad Request: resource_type must be one of identitycenter:permissionset.');
  e = await server.fail('GET', TAGS, { pathParams: { resource_type: RT, resource_id: 'ps-0000000000000000' } });
  assert.equal(e.httpStatusCode, 404);
  assert.equal(e.errorCode, 'IIC.1205');
  e = await server.fail('POST', `${TAGS}/create`, { pathParams: { resource_type: RT, resource_id: ps }, data: {} });
  assert.equal(e.errorMsg, 'Bad Request: tags is required.');
  e = await server.fail('POST', `${TAGS}/create`, { pathParams: { resource_type: RT, resource_id: ps },
    data: { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })) } });
  assert.equal(e.errorMsg, 'Bad Request: tags must have at most 50 items.');
  e = await server.fail('POST', `${TAGS}/create`, { pathParams: { resource_type: RT, resource_id: ps },
    data: { tags: [{ key: 'k', value: null }] } });
  assert.equal(e.errorMsg, 'Bad Request: tags[0].value is required.');
  e = await server.fail('POST', `${TAGS}/delete`, { pathParams: { resource_type: RT, resource_id: ps }, data: { tags: 'k' } });
  assert.equal(e.errorMsg, 'Bad Request: tags must be an array.');
});

test('literal segments win over {permission_set_id}', async () => {
  // Each of these would be a (malformed) permission set id if the parameter won.
  for (const [url, key] of [
    ['/v1/instances/{instance_id}/permission-sets/provisioning-statuses', 'permission_sets_provisioning_status'],
    ['/v1/instances/{instance_id}/permission-sets/provisioned-to-accounts?account_id=' + account(1), 'permission_sets'],
  ]) {
    const res = await server.raw('GET', url.replace('{instance_id}', ins));
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.json[key]), res.text);
  }
  const res = await server.raw('GET', `/v1/instances/${ins}/permission-sets/provisioning-status/8a1b2c3d-0000-4000-8000-000000000001`);
  assert.equal(res.status, 404);
  assert.equal(res.json.error_code, 'IIC.404');
  // A method the literal route lacks is 405, not DeletePermissionSet("provisioning-statuses").
  const del = await server.raw('DELETE', `/v1/instances/${ins}/permission-sets/provisioning-statuses`);
  assert.equal(del.status, 405);
  assert.equal(del.json.error_code, 'IIC.405');
  assert.equal(del.headers.get('allow'), 'GET');
});

test('unknown paths and methods answer Huawei JSON errors with X-Request-Id, never HTML', async () => {
  for (const [method, url, status] of [
    ['GET', '/v1/nothing', 404], ['GET', '/v1', 404], ['GET', '/', 404], ['PATCH', '/v1/instances', 405],
    ['GET', `/v1/instances/${ins}/account-assignments/create`, 405], ['POST', '/v1/instances', 405],
  ]) {
    const res = await server.raw(method, url);
    assert.equal(res.status, status, `${method} ${url}`);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.match(res.headers.get('x-request-id'), HEX32);
    assert.deepEqual(Object.keys(res.json).sort(), ['error_code', 'error_msg', 'request_id']);
    assert.equal(res.json.request_id, res.headers.get('x-request-id'));
    assert.equal(res.json.error_code, status === 404 ? 'IIC.404' : 'IIC.405');
  }
});

test('a request made through Huawei is visible through the admin API and the AWS surface', async () => {
  const ps = await permissionSet('Cross');
  const acct = account(0xabc);
  const { permission_set_provisioning_status: s } = await server.call('POST', `${PS}/provision`,
    { pathParams: { instance_id: ins, permission_set_id: ps }, data: { target_type: 'ACCOUNT', target_id: acct } });
  const [code, admin] = await server.admin('GET', '/_icemu/requests?status=IN_PROGRESS&kind=PROVISION');
  assert.equal(code, 200);
  const listed = admin.requests.find((r) => r.request_id === s.request_id);
  assert.ok(listed, JSON.stringify(admin));
  assert.equal(listed.account_id, acct);
  assert.equal(listed.permission_set_id, ps);

  const hex = ins.slice('ins-'.length);
  const instanceArn = `arn:aws:sso:::instance/ssoins-${hex}`;
  let [status, out] = await aws('DescribePermissionSetProvisioningStatus',
    { InstanceArn: instanceArn, ProvisionPermissionSetRequestId: s.request_id });
  assert.equal(status, 200, JSON.stringify(out));
  assert.equal(out.PermissionSetProvisioningStatus.Status, 'IN_PROGRESS');
  assert.equal(out.PermissionSetProvisioningStatus.AccountId, acct); // rendered as stored
  assert.equal(out.PermissionSetProvisioningStatus.PermissionSetArn, `arn:aws:sso:::permissionSet/ssoins-${hex}/${ps}`);

  await server.settle(s.request_id);
  [status, out] = await aws('DescribePermissionSetProvisioningStatus',
    { InstanceArn: instanceArn, ProvisionPermissionSetRequestId: s.request_id });
  assert.equal(out.PermissionSetProvisioningStatus.Status, 'SUCCEEDED');

  // And the other way: an AWS permission set and its inline policy are Huawei's custom policy.
  [status, out] = await aws('CreatePermissionSet', { InstanceArn: instanceArn, Name: 'FromAws' });
  assert.equal(status, 200, JSON.stringify(out));
  const awsPs = out.PermissionSet.PermissionSetArn.split('/').pop();
  await aws('PutInlinePolicyToPermissionSet', { InstanceArn: instanceArn, PermissionSetArn: out.PermissionSet.PermissionSetArn,
    InlinePolicy: '{"Version":"2012-10-17","Statement":[]}' });
  const described = await server.call('GET', PS, { pathParams: { instance_id: ins, permission_set_id: awsPs } });
  assert.equal(described.permission_set.name, 'FromAws');
  const policy = await server.call('GET', `${PS}/custom-policy`, { pathParams: { instance_id: ins, permission_set_id: awsPs } });
  assert.equal(policy.custom_policy, '{"Version":"2012-10-17","Statement":[]}');
  // Tags set through Huawei are the AWS tags.
  await server.call('POST', `${TAGS}/create`, { pathParams: { resource_type: RT, resource_id: awsPs }, data: { tags: [{ key: 'a', value: 'b' }] } });
  [status, out] = await aws('ListTagsForResource', { InstanceArn: instanceArn, ResourceArn: `arn:aws:sso:::permissionSet/ssoins-${hex}/${awsPs}` });
  assert.deepEqual(out.Tags, [{ Key: 'a', Value: 'b' }]);
  // Managed policies attached through Huawei are listed by AWS (the id as the ARN).
  await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: { instance_id: ins, permission_set_id: awsPs },
    data: { managed_policy_id: 'arn:aws:iam::aws:policy/ReadOnlyAccess', managed_policy_name: 'ReadOnlyAccess' } });
  [status, out] = await aws('ListManagedPoliciesInPermissionSet', { InstanceArn: instanceArn, PermissionSetArn: `arn:aws:sso:::permissionSet/ssoins-${hex}/${awsPs}` });
  assert.deepEqual(out.AttachedManagedPolicies, [{ Name: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
});

test('health lists both surfaces', async () => {
  const [code, health] = await server.admin('GET', '/_icemu/health');
  assert.equal(code, 200);
  assert.deepEqual(health.surfaces, ['aws', 'huawei']);
});

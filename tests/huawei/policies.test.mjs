// Managed policies, managed roles, the custom policy and the custom role of a permission set,
// through the Huawei npm core client: success shapes, 409 IIC.1207 duplicates, 404s, validation,
// version bumps and the in-flight conflict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, PS } from './icemu.mjs';

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
  return { instance_id: ins, permission_set_id: body.permission_set.permission_set_id };
}

const POLICY_ID = '8488055790a04f6e9e1d0d203de60620';

test('managed policies: attach, list with names, duplicate IIC.1207, detach', async () => {
  const path = await permissionSet('Managed');
  assert.deepEqual(await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: path,
    data: { managed_policy_id: POLICY_ID, managed_policy_name: 'sys_example_456' } }), { httpStatusCode: 200 });
  await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: path, data: { managed_policy_id: 'second' } });
  const list = await server.call('GET', `${PS}/managed-policies`, { pathParams: path });
  // Every item has a name: the one given, else (icemu's choice) the id itself.
  assert.deepEqual(list.attached_managed_policies, [
    { policy_id: POLICY_ID, policy_name: 'sys_example_456' }, { policy_id: 'second', policy_name: 'second' }]);
  assert.deepEqual(list.page_info, { next_marker: null, current_count: 2 });

  const dup = await server.fail('POST', `${PS}/attach-managed-policy`, { pathParams: path, data: { managed_policy_id: POLICY_ID } });
  assert.equal(dup.httpStatusCode, 409);
  assert.equal(dup.errorCode, 'IIC.1207');
  assert.equal(dup.errorMsg, 'Duplicate system-defined policy or identity policy.');

  assert.deepEqual(await server.call('POST', `${PS}/detach-managed-policy`, { pathParams: path, data: { managed_policy_id: POLICY_ID } }), { httpStatusCode: 200 });
  const again = await server.fail('POST', `${PS}/detach-managed-policy`, { pathParams: path, data: { managed_policy_id: POLICY_ID } });
  assert.equal(again.httpStatusCode, 404);
  assert.equal(again.errorCode, 'IIC.404');
  const paged = await server.call('GET', `${PS}/managed-policies`, { pathParams: path, queryParams: { limit: 1 } });
  assert.deepEqual(paged.attached_managed_policies, [{ policy_id: 'second', policy_name: 'second' }]);

  const missing = await server.fail('POST', `${PS}/attach-managed-policy`, { pathParams: path, data: {} });
  assert.equal(missing.errorMsg, 'Bad Request: managed_policy_id is required.');
  const long = await server.fail('POST', `${PS}/attach-managed-policy`, { pathParams: path,
    data: { managed_policy_id: 'x', managed_policy_name: 'n'.repeat(129) } });
  assert.equal(long.errorMsg, 'Bad Request: managed_policy_name must be 1 to 128 characters long.');
  const unknown = await server.fail('POST', `${PS}/attach-managed-policy`, { pathParams: { ...path, permission_set_id: 'ps-0000000000000000' },
    data: { managed_policy_id: 'x' } });
  assert.equal(unknown.errorCode, 'IIC.1205');
});

test('attached policies and roles always carry a name, as the Terraform provider reads them', async () => {
  // The provider attaches by id alone and reads attached_policies[].name back: a name another
  // attachment gave the same id is the name; with none known, the id itself (icemu's choice).
  const first = await permissionSet('NamedFirst');
  const second = await permissionSet('NamedSecond');
  await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: first,
    data: { managed_policy_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', managed_policy_name: 'ReadOnlyAccess' } });
  await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: second,
    data: { managed_policy_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' } });
  await server.call('POST', `${PS}/attach-managed-policy`, { pathParams: second,
    data: { managed_policy_id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' } });
  const policies = await server.call('GET', `${PS}/managed-policies`, { pathParams: second });
  assert.deepEqual(policies.attached_managed_policies, [
    { policy_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', policy_name: 'ReadOnlyAccess' },
    { policy_id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', policy_name: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' }]);

  await server.call('POST', `${PS}/attach-managed-role`, { pathParams: first,
    data: { managed_role_id: 'system-role-7', managed_role_name: 'Tenant Guest' } });
  await server.call('POST', `${PS}/attach-managed-role`, { pathParams: second, data: { managed_role_id: 'system-role-7' } });
  await server.call('POST', `${PS}/attach-managed-role`, { pathParams: second, data: { managed_role_id: 'system-role-8' } });
  const roles = await server.call('GET', `${PS}/managed-roles`, { pathParams: second });
  assert.deepEqual(roles.attached_managed_roles, [
    { role_id: 'system-role-7', role_name: 'Tenant Guest' }, { role_id: 'system-role-8', role_name: 'system-role-8' }]);
  for (const item of [...policies.attached_managed_policies, ...roles.attached_managed_roles]) {
    assert.equal(typeof (item.policy_name ?? item.role_name), 'string');
  }
});

test('managed roles: attach, list, duplicate IIC.1207, detach', async () => {
  const path = await permissionSet('Roles');
  await server.call('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-1', managed_role_name: 'ReadOnlyAccess' } });
  await server.call('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-2' } });
  const list = await server.call('GET', `${PS}/managed-roles`, { pathParams: path });
  assert.deepEqual(list.attached_managed_roles, [{ role_id: 'role-1', role_name: 'ReadOnlyAccess' }, { role_id: 'role-2', role_name: 'role-2' }]);
  const dup = await server.fail('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-1' } });
  assert.equal(dup.errorCode, 'IIC.1207');
  assert.deepEqual(await server.call('POST', `${PS}/detach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-1' } }), { httpStatusCode: 200 });
  const gone = await server.fail('POST', `${PS}/detach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-1' } });
  assert.equal(gone.errorCode, 'IIC.404');
  const bad = await server.fail('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: 5 } });
  assert.equal(bad.errorMsg, 'Bad Request: managed_role_id must be a string.');
  // 20 roles at most.
  for (let i = 3; i <= 21; ++i)
    await server.call('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: `role-${i}` } });
  const over = await server.fail('POST', `${PS}/attach-managed-role`, { pathParams: path, data: { managed_role_id: 'role-22' } });
  assert.equal(over.httpStatusCode, 400);
  assert.equal(over.errorCode, 'IIC.400');
  // Deleting the permission set takes its roles along.
  await server.call('DELETE', PS, { pathParams: path });
});

test('custom policy: put, get, delete (get without one answers {})', async () => {
  const path = await permissionSet('CustomPolicy');
  const doc = '{"Version":"5.0","Statement":[{"Effect":"Deny","Action":["organizations:ous:delete"]}]}';
  assert.deepEqual(await server.call('GET', `${PS}/custom-policy`, { pathParams: path }), { httpStatusCode: 200 });
  assert.deepEqual(await server.call('PUT', `${PS}/custom-policy`, { pathParams: path, data: { custom_policy: doc } }), { httpStatusCode: 200 });
  assert.deepEqual(await server.call('GET', `${PS}/custom-policy`, { pathParams: path }), { custom_policy: doc, httpStatusCode: 200 });
  assert.deepEqual(await server.call('DELETE', `${PS}/custom-policy`, { pathParams: path }), { httpStatusCode: 200 });
  assert.deepEqual(await server.call('GET', `${PS}/custom-policy`, { pathParams: path }), { httpStatusCode: 200 });
  const empty = await server.fail('PUT', `${PS}/custom-policy`, { pathParams: path, data: { custom_policy: '' } });
  assert.equal(empty.errorMsg, 'Bad Request: custom_policy must be 1 to 131072 characters long.');
});

test('custom role: put, get, delete', async () => {
  const path = await permissionSet('CustomRole');
  const doc = '{"Version":"1.1","Statement":[{"Effect":"Allow","Action":["ecs:*:get*"]}]}';
  await server.call('PUT', `${PS}/custom-role`, { pathParams: path, data: { custom_role: doc } });
  assert.deepEqual(await server.call('GET', `${PS}/custom-role`, { pathParams: path }), { custom_role: doc, httpStatusCode: 200 });
  await server.call('DELETE', `${PS}/custom-role`, { pathParams: path });
  assert.deepEqual(await server.call('GET', `${PS}/custom-role`, { pathParams: path }), { httpStatusCode: 200 });
  const missing = await server.fail('PUT', `${PS}/custom-role`, { pathParams: path, data: {} });
  assert.equal(missing.errorMsg, 'Bad Request: custom_role is required.');
});

test('content changes bump the version and wait for requests in flight (IIC.1006)', async () => {
  const path = await permissionSet('Versions');
  const acct = account(77);
  const { permission_set_provisioning_status: s } = await server.call('POST', `${PS}/provision`,
    { pathParams: path, data: { target_type: 'ACCOUNT', target_id: acct } });
  for (const [method, suffix, data] of [
    ['POST', '/attach-managed-policy', { managed_policy_id: 'p' }],
    ['POST', '/attach-managed-role', { managed_role_id: 'r' }],
    ['PUT', '/custom-policy', { custom_policy: '{}' }],
    ['PUT', '/custom-role', { custom_role: '{}' }],
    ['PUT', '', { description: 'x' }],
  ]) {
    const e = await server.fail(method, PS + suffix, { pathParams: path, data });
    assert.equal(e.httpStatusCode, 409, suffix);
    assert.equal(e.errorCode, 'IIC.1006', suffix);
  }
  await server.settle(s.request_id);
  const latest = () => server.call('GET', `${PS}/accounts`, { pathParams: path, queryParams: { provisioning_status: 'LATEST_PERMISSION_SET_PROVISIONED' } });
  for (const [method, suffix, data] of [
    ['POST', '/attach-managed-role', { managed_role_id: 'r' }],
    ['POST', '/detach-managed-role', { managed_role_id: 'r' }],
    ['PUT', '/custom-role', { custom_role: '{}' }],
    ['DELETE', '/custom-role', {}],
    ['POST', '/attach-managed-policy', { managed_policy_id: 'p' }],
  ]) {
    assert.deepEqual((await latest()).account_ids, [acct], `before ${suffix}`);
    await server.call(method, PS + suffix, { pathParams: path, data });
    assert.deepEqual((await latest()).account_ids, [], `after ${method} ${suffix}`);
    const { permission_set_provisioning_status: p } = await server.call('POST', `${PS}/provision`,
      { pathParams: path, data: { target_type: 'ALL_PROVISIONED_ACCOUNTS' } });
    await server.settle(p.request_id);
  }
  // Tags are not content: no version bump.
  await server.call('POST', '/v1/instances/{resource_type}/{resource_id}/tags/create', {
    pathParams: { resource_type: 'identitycenter:permissionset', resource_id: path.permission_set_id },
    data: { tags: [{ key: 'k', value: 'v' }] } });
  assert.deepEqual((await latest()).account_ids, [acct]);
});

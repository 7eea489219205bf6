// Permission sets through the Huawei npm core client: every endpoint's success shape and its
// documented errors (create, list with filters, describe, update, delete, summary, instances).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, PS, INSTANCE_ID, PERMISSION_SET_ID, HEX32 } from './icemu.mjs';

let server;
let ins;
const base = '/v1/instances/{instance_id}/permission-sets';

before(async () => {
  server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'manual' });
  ins = await defaultInstance(server);
});
after(async () => server.stop());

const create = (data) => server.call('POST', base, { pathParams: { instance_id: ins }, data });

test('ListInstances answers the default instance as ins-<16 hex> with page_info', async () => {
  const body = await server.call('GET', '/v1/instances', { queryParams: { limit: 10 } });
  assert.equal(body.httpStatusCode, 200);
  assert.equal(body.instances.length, 1);
  const [item] = body.instances;
  assert.match(item.instance_id, INSTANCE_ID);
  assert.equal(item.instance_id.length, 20);
  assert.match(item.identity_store_id, /^d-[0-9a-f]{10}$/);
  assert.deepEqual(body.page_info, { next_marker: null, current_count: 1 });
});

test('CreatePermissionSet answers the permission set with created_date in epoch ms (a number)', async () => {
  const before = Date.now();
  const body = await create({ name: 'ReadOnly', description: 'read', session_duration: 'PT2H',
    relay_state: 'https://console.example.com/', tags: [{ key: 'team', value: '' }] });
  const ps = body.permission_set;
  assert.match(ps.permission_set_id, PERMISSION_SET_ID);
  assert.equal(ps.name, 'ReadOnly');
  assert.equal(ps.description, 'read');
  assert.equal(ps.session_duration, 'PT2H');
  assert.equal(ps.relay_state, 'https://console.example.com/');
  assert.equal(typeof ps.created_date, 'number');
  assert.ok(ps.created_date >= before - 1000 && ps.created_date <= Date.now() + 1000);
  assert.equal(ps.permission_urn, `identitycenter:::permissionset:${ins}/${ps.permission_set_id}`);
  const tags = await server.call('GET', '/v1/instances/{resource_type}/{resource_id}/tags', {
    pathParams: { resource_type: 'identitycenter:permissionset', resource_id: ps.permission_set_id } });
  assert.deepEqual(tags.tags, [{ key: 'team', value: '' }]);
});

test('CreatePermissionSet defaults session_duration to PT1H', async () => {
  const { permission_set: ps } = await create({ name: 'Defaults' });
  assert.equal(ps.session_duration, 'PT1H');
  assert.equal(ps.description, undefined);
});

test('a duplicate name is 409 IIC.1206', async () => {
  await create({ name: 'Twice' });
  const e = await server.fail('POST', base, { pathParams: { instance_id: ins }, data: { name: 'Twice' } });
  assert.equal(e.httpStatusCode, 409);
  assert.equal(e.errorCode, 'IIC.1206');
  assert.equal(e.errorMsg, 'A permission set with the same name already exists.');
});

test('CreatePermissionSet validates by the Huawei rules, naming the field', async () => {
  const cases = [
    [{}, 'Bad Request: name is required.'],
    [{ name: '' }, 'Bad Request: name must be 1 to 32 characters long.'],
    [{ name: 'x'.repeat(33) }, 'Bad Request: name must be 1 to 32 characters long.'],
    [{ name: 7 }, 'Bad Request: name must be a string.'],
    [{ name: 'a', description: 'd'.repeat(1025) }, 'Bad Request: description must be at most 1024 characters long.'],
    [{ name: 'a', relay_state: 'r'.repeat(241) }, 'Bad Request: relay_state must be at most 240 characters long.'],
    [{ name: 'a', session_duration: 'P'.repeat(101) }, 'Bad Request: session_duration must be 1 to 100 characters long.'],
    [{ name: 'a', tags: [{ key: 'k' }] }, 'Bad Request: tags[0].value is required.'],
    [{ name: 'a', tags: [{ key: 'k'.repeat(129), value: '' }] }, 'Bad Request: tags[0].key must be 1 to 128 characters long.'],
  ];
  for (const [data, message] of cases) {
    const e = await server.fail('POST', base, { pathParams: { instance_id: ins }, data });
    assert.equal(e.httpStatusCode, 400, JSON.stringify(data));
    assert.equal(e.errorCode, 'IIC.400');
    assert.equal(e.errorMsg, message);
  }
  // 32 characters, multi-byte ones counted as one each.
  const { permission_set: ps } = await create({ name: 'é'.repeat(32) });
  assert.equal(ps.name, 'é'.repeat(32));
});

test('a malformed instance id is 400; an unknown one is 404 IIC.404', async () => {
  let e = await server.fail('GET', base, { pathParams: { instance_id: 'ssoins-560aa041748d679e' } });
  assert.equal(e.httpStatusCode, 400);
  assert.equal(e.errorMsg, "Bad Request: instance_id must be 'ins-' followed by 16 lowercase hexadecimal characters.");
  e = await server.fail('GET', base, { pathParams: { instance_id: 'ins-0000000000000000' } });
  assert.equal(e.httpStatusCode, 404);
  assert.equal(e.errorCode, 'IIC.404');
  assert.equal(e.errorMsg, 'Not Found: instance ins-0000000000000000.');
});

test('DescribePermissionSet answers it; an unknown one is 404 IIC.1205', async () => {
  const { permission_set: made } = await create({ name: 'Describe' });
  const body = await server.call('GET', PS, { pathParams: { instance_id: ins, permission_set_id: made.permission_set_id } });
  assert.deepEqual(body.permission_set, made);
  const e = await server.fail('GET', PS, { pathParams: { instance_id: ins, permission_set_id: 'ps-0000000000000000' } });
  assert.equal(e.httpStatusCode, 404);
  assert.equal(e.errorCode, 'IIC.1205');
  assert.equal(e.errorMsg, 'The permission set does not exist.');
  const bad = await server.fail('GET', PS, { pathParams: { instance_id: ins, permission_set_id: 'ps-XYZ' } });
  assert.equal(bad.httpStatusCode, 400);
  assert.equal(bad.errorMsg, "Bad Request: permission_set_id must be 'ps-' followed by 16 lowercase hexadecimal characters.");
});

test('ListPermissionSets filters by name, permission_set_id and permission_urn', async () => {
  const { permission_set: a } = await create({ name: 'FilterA' });
  const { permission_set: b } = await create({ name: 'FilterB' });
  const list = (queryParams) => server.call('GET', base, { pathParams: { instance_id: ins }, queryParams });
  let body = await list({ name: 'FilterB' });
  assert.deepEqual(body.permission_sets.map((p) => p.permission_set_id), [b.permission_set_id]);
  assert.deepEqual(body.page_info, { next_marker: null, current_count: 1 });
  body = await list({ permission_set_id: a.permission_set_id });
  assert.deepEqual(body.permission_sets, [a]);
  body = await list({ permission_urn: b.permission_urn });
  assert.deepEqual(body.permission_sets, [b]);
  body = await list({ permission_set_id: a.permission_set_id, name: 'FilterB' });
  assert.deepEqual(body.permission_sets, []);
  body = await list({ name: 'NoSuchName' });
  assert.deepEqual(body, { permission_sets: [], page_info: { next_marker: null, current_count: 0 }, httpStatusCode: 200 });
  body = await list({});
  assert.ok(body.permission_sets.some((p) => p.permission_set_id === a.permission_set_id));
});

test('UpdatePermissionSet answers 200 with no body; absent members keep their values', async () => {
  const { permission_set: ps } = await create({ name: 'Update', description: 'old', relay_state: 'https://a/' });
  const path = { instance_id: ins, permission_set_id: ps.permission_set_id };
  const body = await server.call('PUT', PS, { pathParams: path, data: { description: '' , session_duration: 'PT4H' } });
  assert.deepEqual(body, { httpStatusCode: 200 });
  const { permission_set: now } = await server.call('GET', PS, { pathParams: path });
  assert.equal(now.description, '');
  assert.equal(now.session_duration, 'PT4H');
  assert.equal(now.relay_state, 'https://a/');
  assert.equal(now.name, 'Update');
  const e = await server.fail('PUT', PS, { pathParams: path, data: { relay_state: 'r'.repeat(241) } });
  assert.equal(e.errorMsg, 'Bad Request: relay_state must be at most 240 characters long.');
  const missing = await server.fail('PUT', PS, { pathParams: { ...path, permission_set_id: 'ps-0000000000000000' }, data: {} });
  assert.equal(missing.errorCode, 'IIC.1205');
});

test('DeletePermissionSet answers 200 with no body; then it is gone', async () => {
  const { permission_set: ps } = await create({ name: 'Delete' });
  const path = { instance_id: ins, permission_set_id: ps.permission_set_id };
  assert.deepEqual(await server.call('DELETE', PS, { pathParams: path }), { httpStatusCode: 200 });
  const e = await server.fail('DELETE', PS, { pathParams: path });
  assert.equal(e.errorCode, 'IIC.1205');
});

test('GetPermissionSetSummary counts the permission sets and reports the quotas', async () => {
  const path = { instance_id: ins };
  const { permission_sets: listed } = await server.call('GET', base, { pathParams: path });
  const body = await server.call('GET', '/v1/instances/{instance_id}/permission-set-summary', { pathParams: path });
  assert.equal(body.permission_sets, listed.length);
  assert.equal(body.permission_sets_quota, 2000);
  assert.equal(body.permission_policy_count_quota, 20);
  assert.equal(body.permission_policy_quota, 131072);
});

test('every success carries a 32-hex X-Request-Id', async () => {
  const res = await server.raw('GET', '/v1/instances');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('x-request-id'), HEX32);
  assert.equal(res.headers.get('content-type'), 'application/json');
});

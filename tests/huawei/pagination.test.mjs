// Pagination by marker across hundreds of items: limit 1–100 (default 100), 24-character
// markers, next_marker null on the last page, no item lost or repeated, markers bound to their list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, PS, AA } from './icemu.mjs';

let server;
let ins;

before(async () => {
  server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'manual' });
  ins = await defaultInstance(server);
});
after(async () => server.stop());

// Every page of a list: [items, page sizes].
async function allPages(url, key, pathParams, queryParams = {}) {
  const items = [];
  const sizes = [];
  let marker;
  for (;;) {
    const q = { ...queryParams };
    if (marker) q.marker = marker;
    const body = await server.call('GET', url, { pathParams, queryParams: q });
    assert.equal(body.page_info.current_count, body[key].length);
    items.push(...body[key]);
    sizes.push(body[key].length);
    marker = body.page_info.next_marker;
    if (marker === null) return [items, sizes];
    assert.equal(typeof marker, 'string');
    assert.equal(marker.length, 24);
  }
}

test('250 permission sets page by 100 (the default) and by 7', async () => {
  const made = [];
  for (let i = 0; i < 250; ++i) {
    const body = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
      { pathParams: { instance_id: ins }, data: { name: `Page${i}` } });
    made.push(body.permission_set.permission_set_id);
  }
  const url = '/v1/instances/{instance_id}/permission-sets';
  let [items, sizes] = await allPages(url, 'permission_sets', { instance_id: ins });
  assert.deepEqual(sizes, [100, 100, 50]);
  assert.deepEqual(items.map((p) => p.permission_set_id), made);
  [items, sizes] = await allPages(url, 'permission_sets', { instance_id: ins }, { limit: 7 });
  assert.equal(sizes.length, 36);
  assert.deepEqual(items.map((p) => p.permission_set_id), made);
  const summary = await server.call('GET', '/v1/instances/{instance_id}/permission-set-summary', { pathParams: { instance_id: ins } });
  assert.equal(summary.permission_sets, 250);
  // The last page exactly full: next_marker null only when nothing follows.
  [items, sizes] = await allPages(url, 'permission_sets', { instance_id: ins }, { limit: 50 });
  assert.deepEqual(sizes, [50, 50, 50, 50, 50]);
});

test('150 assignment creations page newest first by marker; the assignments page too', async () => {
  const { permission_set: ps } = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name: 'Many' } });
  const acct = account(4242);
  const ids = [];
  for (let i = 0; i < 150; ++i) {
    const body = await server.call('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: {
      permission_set_id: ps.permission_set_id, principal_id: `user-${i}`, principal_type: 'USER', target_id: acct, target_type: 'ACCOUNT' } });
    const id = body.account_assignment_creation_status.request_id;
    ids.push(id);
    await server.settle(id); // one request in flight per (permission set, account)
  }
  const [items, sizes] = await allPages(`${AA}/creation-statuses`, 'account_assignments_creation_status',
    { instance_id: ins }, { limit: 40, status: 'SUCCEEDED' });
  assert.deepEqual(sizes, [40, 40, 40, 30]);
  assert.deepEqual(items.map((s) => s.request_id), [...ids].reverse());
  const [assignments] = await allPages(AA, 'account_assignments', { instance_id: ins }, { account_id: acct, limit: 100 });
  assert.equal(assignments.length, 150);
  assert.deepEqual(assignments.map((a) => a.principal_id), ids.map((_, i) => `user-${i}`));
  const [filtered, fsizes] = await allPages(AA, 'account_assignments', { instance_id: ins },
    { account_id: acct, permission_set_id: ps.permission_set_id, limit: 60 });
  assert.equal(filtered.length, 150);
  assert.deepEqual(fsizes, [60, 60, 30]);
});

test('tags page by marker', async () => {
  const { permission_set: ps } = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name: 'Tagged' } });
  const tags = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
  await server.call('POST', '/v1/instances/{resource_type}/{resource_id}/tags/create', {
    pathParams: { resource_type: 'identitycenter:permissionset', resource_id: ps.permission_set_id }, data: { tags } });
  const [items, sizes] = await allPages('/v1/instances/{resource_type}/{resource_id}/tags', 'tags',
    { resource_type: 'identitycenter:permissionset', resource_id: ps.permission_set_id }, { limit: 20 });
  assert.deepEqual(sizes, [20, 20, 10]);
  assert.deepEqual(items, tags);
});

test('limit and marker are validated; a marker of another list is refused', async () => {
  const url = '/v1/instances/{instance_id}/permission-sets';
  for (const limit of [0, 101, -1, 'ten']) {
    const e = await server.fail('GET', url, { pathParams: { instance_id: ins }, queryParams: { limit } });
    assert.equal(e.httpStatusCode, 400);
    assert.equal(e.errorCode, 'IIC.400');
    assert.equal(e.errorMsg, 'Bad Request: limit must be an integer from 1 to 100.');
  }
  for (const marker of ['x'.repeat(23), 'x'.repeat(25)]) {
    const e = await server.fail('GET', url, { pathParams: { instance_id: ins }, queryParams: { marker } });
    assert.equal(e.errorMsg, 'Bad Request: marker must be 24 characters long.');
  }
  const first = await server.call('GET', url, { pathParams: { instance_id: ins }, queryParams: { limit: 1 } });
  const marker = first.page_info.next_marker;
  const e = await server.fail('GET', '/v1/instances/{instance_id}/permission-sets/provisioning-statuses',
    { pathParams: { instance_id: ins }, queryParams: { marker } });
  assert.equal(e.httpStatusCode, 400);
  assert.equal(e.errorMsg, 'Bad Request: marker was not issued for this list.');
  const forged = await server.fail('GET', url, { pathParams: { instance_id: ins }, queryParams: { marker: 'A'.repeat(24) } });
  assert.equal(forged.errorCode, 'IIC.400');
});

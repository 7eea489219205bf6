// The Huawei half of the Docker image check (scripts/container-smoke.sh): drives the icemu at
// $ICEMU_ENDPOINT through the official npm core client (SDK-HMAC-SHA256 signing) — one
// provisioning request from IN_PROGRESS to SUCCEEDED, seen through the Huawei API and the
// admin API. Exits non-zero on the first failed check.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';

const base = process.env.ICEMU_ENDPOINT;
if (!base) throw new Error('ICEMU_ENDPOINT is not set');
const client = new ClientBuilder((hc) => hc, 'GlobalCredentials')
  .withCredential(new GlobalCredentials().withAk('AKTESTEXAMPLE0000000').withSk('sk-test')
    .withDomainId('0123456789abcdef0123456789abcdef'))
  .withEndpoint(base).build();
const call = (method, url, pathParams = {}, data = {}) =>
  client.sendRequest({ method, url, contentType: 'application/json', pathParams, queryParams: {}, headers: {}, data });
const admin = async (method, path, body) => {
  const res = await fetch(base + path, { method, body: body && JSON.stringify(body) });
  assert.equal(res.status, 200, `${method} ${path}`);
  return res.json();
};

await admin('PUT', '/_icemu/scheduler', { mode: 'manual' });
const instances = (await call('GET', '/v1/instances')).instances;
assert.ok(instances.length >= 1, 'an instance');
const instance_id = instances[0].instance_id;
const ps = (await call('POST', '/v1/instances/{instance_id}/permission-sets', { instance_id },
  { name: 'HuaweiSmoke', session_duration: 'PT2H' })).permission_set;
const account = 'a'.repeat(32);
const created = (await call('POST', '/v1/instances/{instance_id}/permission-sets/{permission_set_id}/provision',
  { instance_id, permission_set_id: ps.permission_set_id }, { target_type: 'ACCOUNT', target_id: account }))
  .permission_set_provisioning_status;
assert.equal(created.status, 'IN_PROGRESS');
assert.equal(typeof created.created_date, 'string');
const describe = async () => (await call('GET',
  '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request_id}',
  { instance_id, request_id: created.request_id })).permission_set_provisioning_status;
assert.equal((await describe()).status, 'IN_PROGRESS');
const listed = (await admin('GET', '/_icemu/requests?status=IN_PROGRESS')).requests;
assert.ok(listed.some((r) => r.request_id === created.request_id && r.surface === 'huawei'));
await admin('POST', `/_icemu/requests/${created.request_id}/settle`, { status: 'SUCCEEDED' });
assert.equal((await describe()).status, 'SUCCEEDED');
const accounts = (await call('GET', '/v1/instances/{instance_id}/permission-sets/{permission_set_id}/accounts',
  { instance_id, permission_set_id: ps.permission_set_id })).account_ids;
assert.deepEqual(accounts, [account]);
await admin('PUT', '/_icemu/scheduler', { mode: 'auto' });
console.log('huawei smoke: provisioning IN_PROGRESS -> SUCCEEDED through the npm client: ok');

// The request journal (/_icemu/journal) sees the Huawei npm core client's calls: operation,
// account (the signed X-Domain-Id), request id, JSON bodies, the error code of a failure, and the
// count of calls whose body holds given members. No header is kept: the SDK's signature never
// appears.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, DOMAIN_ID, PS } from './icemu.mjs';

let server;
let ins;

before(async () => {
  server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'manual' });
  ins = await defaultInstance(server);
});
after(async () => server.stop());

test('the journal records the SDK calls with their bodies and counts them', async () => {
  const created = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name: 'JournalHw', description: 'from the SDK' } });
  const ps = created.permission_set.permission_set_id;
  for (const n of [1, 2, 1]) {
    const body = await server.call('POST', `${PS}/provision`, {
      pathParams: { instance_id: ins, permission_set_id: ps },
      data: { target_type: 'ACCOUNT', target_id: account(n) },
    });
    await server.settle(body.permission_set_provisioning_status.request_id);
  }
  const conflict = await server.fail('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: ins }, data: { name: 'JournalHw' } });

  const [status, journal] = await server.admin('GET', '/_icemu/journal?surface=huawei');
  assert.equal(status, 200);
  const [last, ...earlier] = journal.calls;
  assert.equal(last.operation, 'CreatePermissionSet');
  assert.equal(last.status, conflict.httpStatusCode);
  assert.equal(last.error, conflict.errorCode);
  assert.equal(last.request_id, conflict.requestId);
  assert.equal(last.account_id, DOMAIN_ID);
  const provisions = earlier.filter((c) => c.operation === 'ProvisionPermissionSet');
  assert.equal(provisions.length, 3);
  assert.deepEqual(provisions.map((c) => c.request.target_id), [account(1), account(2), account(1)]);
  assert.equal(provisions[0].response.permission_set_provisioning_status.status, 'IN_PROGRESS');
  const create = earlier.find((c) => c.operation === 'CreatePermissionSet');
  assert.deepEqual(create.request, { name: 'JournalHw', description: 'from the SDK' });
  assert.equal(create.method, 'POST');
  assert.equal(create.path, `/v1/instances/${ins}/permission-sets`);
  assert.ok(!JSON.stringify(journal).includes('SDK-HMAC-SHA256'));

  const [, counted] = await server.admin('POST', '/_icemu/journal/count',
    { operation: 'ProvisionPermissionSet', request: { target_id: account(1) } });
  assert.deepEqual(counted, { count: 2 });
});

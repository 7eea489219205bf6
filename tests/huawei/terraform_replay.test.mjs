// Replays, through the Huawei npm core client, the call sequences of the Huawei Terraform
// provider's identitycenter resources (huaweicloud/terraform-provider-huaweicloud,
// huaweicloud/services/identitycenter/*.go) and asserts the wire facts they depend on: 200 with
// an empty body where TF expects OkCodes 200, `description: ""` clearing a description, the
// `<instance_id>/<permission_set_id>` import id, the provision body TF sends, and the status polls
// (TF polls every 5 s until SUCCEEDED/FAILED; here the `polls` scheduler ends a request on its
// 3rd describe, so the loop below needs no sleep longer than a few ms).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Icemu, defaultInstance, account, PS, AA, UUID, HEX32, PERMISSION_SET_ID } from './icemu.mjs';

const POLLS = 3;
let server;
let ins;

before(async () => {
  server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'polls', ICEMU_SCHEDULER_POLLS: String(POLLS) });
  ins = await defaultInstance(server);
});
after(async () => server.stop());

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const BASE = '/v1/instances/{instance_id}/permission-sets';
// The tag path with the resource type percent-encoded, as the SDKs send it.
const TAGS = '/v1/instances/identitycenter%3Apermissionset/{resource_id}/tags';

/// A signed call through the npm client that also keeps the raw body text and the X-Request-Id
/// header of a success: { status, text, json, requestId }.
async function callText(method, url, { pathParams = {}, queryParams = {}, data = {} } = {}) {
  const res = await server.client.sendRequest({
    method, url, contentType: 'application/json', pathParams, queryParams, headers: {}, data,
    responseHeaders: ['X-Request-Id'],
    axiosRequestConfig: { transformResponse: [(text) => ({ text })] },
  });
  let json;
  try { json = JSON.parse(res.text); } catch { json = undefined; }
  return { status: res.httpStatusCode, text: res.text, json, requestId: res['X-Request-Id'] };
}

/// TF's wait loop: describe until the status leaves IN_PROGRESS. Answers every status seen.
async function poll(describe, key, maxPolls = 10) {
  const seen = [];
  for (let i = 0; i < maxPolls; i++) {
    const body = await describe();
    assert.equal(body.httpStatusCode, 200);
    const status = body[key];
    seen.push(status);
    if (status.status === 'SUCCEEDED' || status.status === 'FAILED') return seen;
    await sleep(2);
  }
  assert.fail(`still IN_PROGRESS after ${maxPolls} polls: ${JSON.stringify(seen.at(-1))}`);
}

const createPermissionSet = (data) => server.call('POST', BASE, { pathParams: { instance_id: ins }, data });
const describePermissionSet = (ps) => server.call('GET', PS, { pathParams: { instance_id: ins, permission_set_id: ps } });
const describeAssignment = (kind, id) => () => server.call('GET', `${AA}/${kind}-status/{request_id}`,
  { pathParams: { instance_id: ins, request_id: id } });

test('huaweicloud_identitycenter_permission_set: create, read, update, import, delete', async () => {
  // Create: TF sends name, description, session_duration, relay_state and tags.
  const created = await callText('POST', BASE, { pathParams: { instance_id: ins }, data: {
    name: 'tf-replay', description: 'created by terraform', session_duration: 'PT8H',
    relay_state: 'https://console.example.com/', tags: [{ key: 'owner', value: 'tf' }, { key: 'empty', value: '' }] } });
  assert.equal(created.status, 200);
  assert.match(created.requestId, HEX32);
  const ps = created.json.permission_set;
  assert.match(ps.permission_set_id, PERMISSION_SET_ID);
  assert.equal(typeof ps.created_date, 'number');
  const id = ps.permission_set_id;

  // Read: describe by id, then the tags with the percent-encoded resource type.
  let read = (await describePermissionSet(id)).permission_set;
  assert.deepEqual(read, ps);
  assert.equal(read.name, 'tf-replay');
  assert.equal(read.description, 'created by terraform');
  assert.equal(read.session_duration, 'PT8H');
  assert.equal(read.relay_state, 'https://console.example.com/');
  assert.equal(typeof read.created_date, 'number');
  assert.match(String(read.created_date), /^\d{13}$/);
  const tags = await callText('GET', TAGS, { pathParams: { resource_id: id } });
  assert.equal(tags.status, 200);
  assert.match(tags.requestId, HEX32);
  assert.equal(tags.json.tags.length, 2);
  assert.deepEqual(new Map(tags.json.tags.map((t) => [t.key, t.value])), new Map([['owner', 'tf'], ['empty', '']]));

  // Update: TF always sends description; "" clears it. 200 with an empty body.
  const updated = await callText('PUT', PS, { pathParams: { instance_id: ins, permission_set_id: id },
    data: { description: '', session_duration: 'PT4H', relay_state: 'https://console.example.com/' } });
  assert.equal(updated.status, 200);
  assert.equal(updated.text, '');
  assert.match(updated.requestId, HEX32);

  // Read again: the description is gone, the rest as updated.
  read = (await describePermissionSet(id)).permission_set;
  assert.ok(read.description === undefined || read.description === '', `description not cleared: ${JSON.stringify(read.description)}`);
  assert.equal(read.session_duration, 'PT4H');
  assert.equal(read.name, 'tf-replay');

  // Import: `<instance_id>/<permission_set_id>`, split on '/', then the same read.
  const importId = `${ins}/${id}`;
  const parts = importId.split('/');
  assert.equal(parts.length, 2);
  const imported = (await server.call('GET', PS, { pathParams: { instance_id: parts[0], permission_set_id: parts[1] } })).permission_set;
  assert.deepEqual(imported, read);
  assert.ok(imported.permission_urn.endsWith(`:${importId}`), imported.permission_urn);

  // Delete: OkCodes 200, empty body.
  const deleted = await callText('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: id } });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.text, '');
  assert.match(deleted.requestId, HEX32);

  // TF's post-delete read (CheckDeleted): 404 IIC.1205.
  const gone = await server.fail('GET', PS, { pathParams: { instance_id: ins, permission_set_id: id } });
  assert.equal(gone.httpStatusCode, 404);
  assert.equal(gone.errorCode, 'IIC.1205');
  assert.equal(gone.errorMsg, 'The permission set does not exist.');
  assert.match(gone.requestId, HEX32);
  const tagsGone = await server.fail('GET', TAGS, { pathParams: { resource_id: id } });
  assert.equal(tagsGone.httpStatusCode, 404);
});

test('system policy attachment: attach, provision to the account, poll, list, detach', async () => {
  const { permission_set: ps } = await createPermissionSet({ name: 'tf-policy', session_duration: 'PT1H' });
  const path = { instance_id: ins, permission_set_id: ps.permission_set_id };
  const acct = account(0x7f01);
  const policyId = '84880557912345678901234503de6062';

  const attached = await callText('POST', `${PS}/attach-managed-policy`, { pathParams: path,
    data: { managed_policy_id: policyId, managed_policy_name: 'sys_example_456' } });
  assert.equal(attached.status, 200);
  assert.equal(attached.text, '');

  // Provision exactly as TF sends it.
  const provisioned = await callText('POST', `${PS}/provision`, { pathParams: path,
    data: { target_type: 'ACCOUNT', target_id: acct } });
  assert.equal(provisioned.status, 200);
  assert.match(provisioned.requestId, HEX32);
  const status = provisioned.json.permission_set_provisioning_status;
  assert.equal(status.status, 'IN_PROGRESS');
  assert.equal(status.request_id.length, 36);
  assert.match(status.request_id, UUID);
  assert.equal(status.account_id, acct);
  assert.equal(status.permission_set_id, ps.permission_set_id);
  // The Go SDK model declares created_date a *string here.
  assert.equal(typeof status.created_date, 'string');
  assert.match(status.created_date, /^\d{13}$/);

  const seen = await poll(() => server.call('GET', `${BASE}/provisioning-status/{request_id}`,
    { pathParams: { instance_id: ins, request_id: status.request_id } }), 'permission_set_provisioning_status');
  assert.deepEqual(seen.map((s) => s.status), [...Array(POLLS - 1).fill('IN_PROGRESS'), 'SUCCEEDED']);
  for (const s of seen) {
    assert.equal(typeof s.created_date, 'string');
    assert.equal(s.created_date, status.created_date);
    assert.equal(s.request_id, status.request_id);
  }
  assert.equal(seen.at(-1).failure_reason, undefined);
  // The list form declares created_date a number.
  const listed = await server.call('GET', `${BASE}/provisioning-statuses`, { pathParams: { instance_id: ins } });
  const item = listed.permission_sets_provisioning_status.find((s) => s.request_id === status.request_id);
  assert.deepEqual(item, { created_date: Number(status.created_date), request_id: status.request_id, status: 'SUCCEEDED' });

  const policies = await server.call('GET', `${PS}/managed-policies`, { pathParams: path });
  assert.deepEqual(policies.attached_managed_policies, [{ policy_id: policyId, policy_name: 'sys_example_456' }]);
  assert.deepEqual(policies.page_info, { next_marker: null, current_count: 1 });
  const accounts = await server.call('GET', `${PS}/accounts`, { pathParams: path });
  assert.deepEqual(accounts.account_ids, [acct]);

  const detached = await callText('POST', `${PS}/detach-managed-policy`, { pathParams: path, data: { managed_policy_id: policyId } });
  assert.equal(detached.status, 200);
  assert.equal(detached.text, '');
  assert.deepEqual((await server.call('GET', `${PS}/managed-policies`, { pathParams: path })).attached_managed_policies, []);
});

test('huaweicloud_identitycenter_account_assignment: create, poll, list, delete, poll, then the permission set deletes', async () => {
  const { permission_set: ps } = await createPermissionSet({ name: 'tf-assignment', session_duration: 'PT1H' });
  const id = ps.permission_set_id;
  const acct = account(0x7f02);
  const body = { permission_set_id: id, principal_id: 'tf-user-1', principal_type: 'USER', target_id: acct, target_type: 'ACCOUNT' };

  const created = await callText('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: body });
  assert.equal(created.status, 200);
  assert.match(created.requestId, HEX32);
  const c = created.json.account_assignment_creation_status;
  assert.equal(c.status, 'IN_PROGRESS');
  assert.equal(c.request_id.length, 36);
  assert.match(c.request_id, UUID);
  assert.equal(typeof c.created_date, 'number');
  assert.deepEqual({ ...c, created_date: 0, request_id: '' }, { ...body, created_date: 0, request_id: '', status: 'IN_PROGRESS' });

  const seen = await poll(describeAssignment('creation', c.request_id), 'account_assignment_creation_status');
  assert.equal(seen.length, POLLS);
  assert.deepEqual(seen.slice(0, POLLS - 1).map((s) => s.status), ['IN_PROGRESS', 'IN_PROGRESS']);
  assert.equal(seen.at(-1).status, 'SUCCEEDED');
  for (const s of seen) {
    assert.equal(typeof s.created_date, 'number');
    assert.equal(s.created_date, c.created_date);
    assert.equal(s.request_id, c.request_id);
  }
  // Settled: another describe still answers SUCCEEDED.
  assert.equal((await describeAssignment('creation', c.request_id)()).account_assignment_creation_status.status, 'SUCCEEDED');

  // TF's read: list by account_id + permission_set_id and find the principal.
  const list = () => server.call('GET', AA, { pathParams: { instance_id: ins }, queryParams: { account_id: acct, permission_set_id: id } });
  const assignment = { account_id: acct, permission_set_id: id, principal_id: 'tf-user-1', principal_type: 'USER' };
  let listed = await list();
  assert.deepEqual(listed.account_assignments, [assignment]);
  assert.deepEqual(listed.page_info, { next_marker: null, current_count: 1 });

  // Attached to an account: the permission set cannot be deleted.
  const attached = await server.fail('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: id } });
  assert.equal(attached.httpStatusCode, 409);
  assert.equal(attached.errorCode, 'IIC.1210');
  assert.equal(attached.errorMsg, 'The permission set has been attached to accounts and cannot be deleted.');

  const deleted = await callText('POST', `${AA}/delete`, { pathParams: { instance_id: ins }, data: body });
  assert.equal(deleted.status, 200);
  const d = deleted.json.account_assignment_deletion_status;
  assert.equal(d.status, 'IN_PROGRESS');
  assert.match(d.request_id, UUID);
  assert.notEqual(d.request_id, c.request_id);
  assert.equal(typeof d.created_date, 'number');
  const dseen = await poll(describeAssignment('deletion', d.request_id), 'account_assignment_deletion_status');
  assert.deepEqual(dseen.map((s) => s.status), [...Array(POLLS - 1).fill('IN_PROGRESS'), 'SUCCEEDED']);
  for (const s of dseen) assert.equal(typeof s.created_date, 'number');

  listed = await list();
  assert.deepEqual(listed.account_assignments, []);
  assert.deepEqual(listed.page_info, { next_marker: null, current_count: 0 });

  // Its last assignment gone, it is deprovisioned: now it deletes (200, empty body).
  assert.deepEqual((await server.call('GET', `${PS}/accounts`, { pathParams: { instance_id: ins, permission_set_id: id } })).account_ids, []);
  const removed = await callText('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: id } });
  assert.equal(removed.status, 200);
  assert.equal(removed.text, '');
  assert.equal((await server.fail('GET', PS, { pathParams: { instance_id: ins, permission_set_id: id } })).errorCode, 'IIC.1205');
});

test('a FAILED assignment poll surfaces the failure_reason', async () => {
  const reason = 'Received a 403 status error: Access denied by IAM.';
  const [code, rules] = await server.admin('PUT', '/_icemu/faults',
    { rules: [{ match: { kind: 'ASSIGNMENT_CREATE' }, outcome: { status: 'FAILED', failure_reason: reason } }] });
  assert.equal(code, 200, JSON.stringify(rules));
  try {
    const { permission_set: ps } = await createPermissionSet({ name: 'tf-failed', session_duration: 'PT1H' });
    const acct = account(0x7f03);
    const body = { permission_set_id: ps.permission_set_id, principal_id: 'tf-group', principal_type: 'GROUP', target_id: acct, target_type: 'ACCOUNT' };
    const c = (await server.call('POST', `${AA}/create`, { pathParams: { instance_id: ins }, data: body })).account_assignment_creation_status;
    // The answer still says IN_PROGRESS; the outcome shows in the polls.
    assert.equal(c.status, 'IN_PROGRESS');
    assert.equal(c.failure_reason, undefined);
    const seen = await poll(describeAssignment('creation', c.request_id), 'account_assignment_creation_status');
    assert.deepEqual(seen.map((s) => s.status), [...Array(POLLS - 1).fill('IN_PROGRESS'), 'FAILED']);
    const last = seen.at(-1);
    // What TF turns into its error.
    assert.equal(last.failure_reason, reason);
    assert.equal(typeof last.created_date, 'number');
    assert.equal(last.request_id, c.request_id);

    const failed = await server.call('GET', `${AA}/creation-statuses`, { pathParams: { instance_id: ins }, queryParams: { status: 'FAILED' } });
    assert.deepEqual(failed.account_assignments_creation_status, [{ created_date: c.created_date, request_id: c.request_id, status: 'FAILED' }]);
    // Nothing was assigned, and the permission set deletes.
    assert.deepEqual((await server.call('GET', AA, { pathParams: { instance_id: ins }, queryParams: { account_id: acct } })).account_assignments, []);
    const [, faults] = await server.admin('GET', '/_icemu/faults');
    assert.equal(faults.rules.at(-1).hits, 1);
    await server.call('DELETE', PS, { pathParams: { instance_id: ins, permission_set_id: ps.permission_set_id } });
  } finally {
    const [cleared] = await server.admin('DELETE', '/_icemu/faults');
    assert.equal(cleared, 200);
  }
});

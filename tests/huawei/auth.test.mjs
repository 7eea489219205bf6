// The verify auth mode through the official npm core client, which signs SDK-HMAC-SHA256 for
// real: the right AK passes and acts for its account; a wrong SK, an unknown AK, a body other than
// the one signed, a replay outside 15 minutes, a wrong X-Domain-Id or security token, and another
// account's instance are refused with the API gateway's and the service's exact codes and texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Icemu, AK, SK, DOMAIN_ID, HEX32, account } from './icemu.mjs';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');

const BOB = { ak: 'AKBOBEXAMPLE00000000', sk: 'bob-secret', domain: account(0xb0b) };
const TEMP = { ak: 'AKTEMPEXAMPLE0000000', sk: 'temp-secret', token: 'hw-security-token-1' };
const AUTH = 'Incorrect IAM authentication information: ';

let server;
let dir;
let alice; // the instance of DOMAIN_ID (the default client's account)

function client(ak, sk, domainId, token) {
  let credential = new GlobalCredentials().withAk(ak).withSk(sk).withDomainId(domainId);
  if (token) credential = credential.withSecurityToken(token);
  return new ClientBuilder((hc) => hc, 'GlobalCredentials')
    .withCredential(credential).withEndpoint(server.base).build();
}

function send(c, method, url, { pathParams = {}, queryParams = {}, data = {}, headers = {} } = {}) {
  return c.sendRequest({ method, url, contentType: 'application/json', pathParams, queryParams,
    headers, data });
}

/// The SDK exception of a call that must fail, with its X-Request-Id checked.
async function refused(c, method, url, options) {
  try {
    const body = await send(c, method, url, options);
    assert.fail(`expected ${method} ${url} to fail, got ${JSON.stringify(body)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.match(e.requestId || '', HEX32, 'X-Request-Id of the error');
    return e;
  }
}

function assertAuth(e, message) {
  assert.equal(e.httpStatusCode, 401);
  assert.equal(e.errorCode, 'APIG.0301');
  assert.equal(e.errorMsg, AUTH + message);
}

/// One raw HTTP request (node:http: it lets a test set Host and send any body); resolves to
/// { status, headers, json }.
function raw(method, urlPath, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: JSON.parse(text) }));
      });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/// `yyyymmddThhmmssZ`, `minutes` from now.
function sdkDate(minutes) {
  return new Date(Date.now() + minutes * 60000).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-huawei-auth-'));
  const config = path.join(dir, 'icemu.json');
  fs.writeFileSync(config, JSON.stringify({
    auth: {
      mode: 'verify',
      credentials: [
        { access_key_id: AK, secret_access_key: SK, account_id: DOMAIN_ID },
        { access_key_id: BOB.ak, secret_access_key: BOB.sk, account_id: BOB.domain },
        { access_key_id: TEMP.ak, secret_access_key: TEMP.sk, account_id: DOMAIN_ID,
          session_token: TEMP.token },
      ],
    },
    initial_state: { instances: [{ owner_account_id: DOMAIN_ID }, { owner_account_id: BOB.domain }] },
    scheduler: { mode: 'manual' },
  }));
  server = await Icemu.start({ ICEMU_CONFIG: config });
  const body = await server.call('GET', '/v1/instances');
  assert.equal(body.instances.length, 1);
  alice = body.instances[0].instance_id;
});

after(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the right AK passes and acts for its account', async () => {
  const body = await server.call('GET', '/v1/instances');
  assert.deepEqual(body.instances.map((i) => i.instance_id), [alice]);
  const created = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: alice }, data: { name: 'SignedOk' } });
  assert.match(created.permission_set.permission_set_id, /^ps-[0-9a-f]{16}$/);
  // Bob's list has his own instance only.
  const bobs = await send(client(BOB.ak, BOB.sk, BOB.domain), 'GET', '/v1/instances');
  assert.equal(bobs.instances.length, 1);
  assert.notEqual(bobs.instances[0].instance_id, alice);
  // The admin API is never signature-checked.
  const [status] = await server.admin('GET', '/_icemu/requests');
  assert.equal(status, 200);
});

test('a wrong SK: verify aksk signature fail', async () => {
  assertAuth(await refused(client(AK, 'not-the-sk', DOMAIN_ID), 'GET', '/v1/instances'),
    'verify aksk signature fail');
});

test('an unknown AK: the gateway masks it', async () => {
  assertAuth(await refused(client('AKUNKNOWN00000000000', SK, DOMAIN_ID), 'GET', '/v1/instances'),
    'Get secretKey failed,ak:******,err:ak not exist');
});

test('no Authorization at all', async () => {
  const res = await raw('GET', '/v1/instances', {});
  assert.equal(res.status, 401);
  assert.deepEqual(Object.keys(res.json).sort(), ['error_code', 'error_msg', 'request_id']);
  assert.equal(res.json.error_code, 'APIG.0301');
  assert.equal(res.json.error_msg, `${AUTH}x-auth-token not found`);
  assert.equal(res.json.request_id, res.headers['x-request-id']);
});

test('a body other than the one signed is refused', async () => {
  const url = `/v1/instances/${alice}/permission-sets`;
  // The SDK's own signer, on the body it would send.
  const signed = { name: 'Signed' };
  const headers = AKSKSigner.sign({
    method: 'POST', endpoint: server.base + url, queryParams: {}, data: signed,
    headers: { 'content-type': 'application/json', 'X-Domain-Id': DOMAIN_ID },
  }, { getAk: () => AK, getSk: () => SK });
  let res = await raw('POST', url, headers, JSON.stringify(signed));
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.permission_set.name, 'Signed');

  res = await raw('POST', url, headers, JSON.stringify({ name: 'Tampered' }));
  assert.equal(res.status, 401);
  assert.equal(res.json.error_code, 'APIG.0301');
  assert.equal(res.json.error_msg, `${AUTH}verify aksk signature fail`);
  const list = await server.call('GET', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: alice }, queryParams: { name: 'Tampered' } });
  assert.deepEqual(list.permission_sets, []);
});

test('a replay outside 15 minutes is refused, either way', async () => {
  for (const minutes of [-16, 16]) {
    assertAuth(await refused(server.client, 'GET', '/v1/instances',
      { headers: { 'X-Sdk-Date': sdkDate(minutes) } }), 'calc ak sk signature fail:signature expired');
  }
  // Inside the window, whatever icemu's virtual clock says.
  const [status] = await server.admin('POST', '/_icemu/clock/advance', { ms: 3600000 });
  assert.equal(status, 200);
  const body = await send(server.client, 'GET', '/v1/instances',
    { headers: { 'X-Sdk-Date': sdkDate(-14) } });
  assert.equal(body.httpStatusCode, 200);
});

test('X-Domain-Id must be the account of the AK', async () => {
  assertAuth(await refused(client(AK, SK, BOB.domain), 'GET', '/v1/instances'),
    `X-Domain-Id ${BOB.domain} is not the account of the AK`);
});

test('security tokens: signed, and the credential\'s', async () => {
  const ok = await send(client(TEMP.ak, TEMP.sk, DOMAIN_ID, TEMP.token), 'GET', '/v1/instances');
  assert.deepEqual(ok.instances.map((i) => i.instance_id), [alice]);
  assertAuth(await refused(client(TEMP.ak, TEMP.sk, DOMAIN_ID, 'another-token'), 'GET', '/v1/instances'),
    'decrypt token fail');
  assertAuth(await refused(client(TEMP.ak, TEMP.sk, DOMAIN_ID), 'GET', '/v1/instances'),
    'decrypt token fail');
});

// Every route that names an instance (or, for tags, a permission set), as another account.
const ROUTES = [
  ['POST', '/v1/instances/{instance_id}/permission-sets', 'CreatePermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets', 'ListPermissionSets'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}', 'DescribePermissionSet'],
  ['PUT', '/v1/instances/{instance_id}/permission-sets/{ps}', 'UpdatePermissionSet'],
  ['DELETE', '/v1/instances/{instance_id}/permission-sets/{ps}', 'DeletePermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-set-summary', 'GetPermissionSetSummary'],
  ['POST', '/v1/instances/{instance_id}/permission-sets/{ps}/attach-managed-policy', 'AttachManagedPolicyToPermissionSet'],
  ['POST', '/v1/instances/{instance_id}/permission-sets/{ps}/detach-managed-policy', 'DetachManagedPolicyFromPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}/managed-policies', 'ListManagedPoliciesInPermissionSet'],
  ['POST', '/v1/instances/{instance_id}/permission-sets/{ps}/attach-managed-role', 'AttachManagedRoleToPermissionSet'],
  ['POST', '/v1/instances/{instance_id}/permission-sets/{ps}/detach-managed-role', 'DetachManagedRoleFromPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}/managed-roles', 'ListManagedRolesInPermissionSet'],
  ['PUT', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-policy', 'PutCustomPolicyToPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-policy', 'GetCustomPolicyForPermissionSet'],
  ['DELETE', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-policy', 'DeleteCustomPolicyFromPermissionSet'],
  ['PUT', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-role', 'PutCustomRoleToPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-role', 'GetCustomRoleForPermissionSet'],
  ['DELETE', '/v1/instances/{instance_id}/permission-sets/{ps}/custom-role', 'DeleteCustomRoleFromPermissionSet'],
  ['POST', '/v1/instances/{instance_id}/permission-sets/{ps}/provision', 'ProvisionPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/provisioning-status/{request}', 'DescribePermissionSetProvisioningStatus'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/provisioning-statuses', 'ListPermissionSetProvisioningStatus'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/{ps}/accounts', 'ListAccountsForProvisionedPermissionSet'],
  ['GET', '/v1/instances/{instance_id}/permission-sets/provisioned-to-accounts', 'ListPermissionSetsProvisionedToAccount'],
  ['POST', '/v1/instances/{instance_id}/account-assignments/create', 'CreateAccountAssignment'],
  ['POST', '/v1/instances/{instance_id}/account-assignments/delete', 'DeleteAccountAssignment'],
  ['GET', '/v1/instances/{instance_id}/account-assignments', 'ListAccountAssignments'],
  ['GET', '/v1/instances/{instance_id}/account-assignments-for-principals', 'ListAccountAssignmentsForPrincipal'],
  ['GET', '/v1/instances/{instance_id}/account-assignments/creation-status/{request}', 'DescribeAccountAssignmentCreationStatus'],
  ['GET', '/v1/instances/{instance_id}/account-assignments/deletion-status/{request}', 'DescribeAccountAssignmentDeletionStatus'],
  ['GET', '/v1/instances/{instance_id}/account-assignments/creation-statuses', 'ListAccountAssignmentCreationStatus'],
  ['GET', '/v1/instances/{instance_id}/account-assignments/deletion-statuses', 'ListAccountAssignmentDeletionStatus'],
  ['POST', '/v1/instances/{resource_type}/{ps}/tags/create', 'CreateTagResource'],
  ['POST', '/v1/instances/{resource_type}/{ps}/tags/delete', 'DeleteTagResource'],
  ['GET', '/v1/instances/{resource_type}/{ps}/tags', 'ListTagResources'],
];

test('another account\'s instance: 403 IIC.1000 on every route that names one', async () => {
  const created = await server.call('POST', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: alice }, data: { name: 'AliceOnly' } });
  const ps = created.permission_set.permission_set_id;
  const listMine = async () => (await server.call('GET', '/v1/instances/{instance_id}/permission-sets',
    { pathParams: { instance_id: alice } })).permission_sets;
  const before = await listMine();
  const [, requestsBefore] = await server.admin('GET', '/_icemu/requests');
  const bob = client(BOB.ak, BOB.sk, BOB.domain);
  const pathParams = { instance_id: alice, ps, request: '8a1b2c3d-0000-4000-8000-000000000001',
    resource_type: 'identitycenter:permissionset' };
  for (const [method, url, operation] of ROUTES) {
    const e = await refused(bob, method, url, { pathParams });
    assert.equal(e.httpStatusCode, 403, `${method} ${url}: ${e.errorMsg}`);
    assert.equal(e.errorCode, 'IIC.1000');
    assert.equal(e.errorMsg, `No permission for action ${operation}.`);
  }
  // Nothing of alice's changed, and no request was made.
  assert.deepEqual(await listMine(), before);
  assert.ok(before.some((p) => p.permission_set_id === ps));
  const [, requestsAfter] = await server.admin('GET', '/_icemu/requests');
  assert.deepEqual(requestsAfter, requestsBefore);
});

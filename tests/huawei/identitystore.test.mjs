// The Huawei identity store (/v1/identity-stores/{identity_store_id}/...) through the official
// npm core client, signing as the store's SDK does (BasicCredentials: X-Project-Id, no
// X-Domain-Id): every endpoint, their shapes member by member, the same data as AWS
// identitystore (driven with plain JSON 1.1 calls, unsigned in the open auth mode), bad input
// naming the field, pagination, not-found and conflicts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Icemu, AK, SK, HEX32 } from './icemu.mjs';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');

const PROJECT_ID = 'fedcba9876543210fedcba9876543210';
const IS = '/v1/identity-stores/{identity_store_id}';

let server;
let store;
let client;
let id;

before(async () => {
  server = await Icemu.start({});
  const body = await server.call('GET', '/v1/instances');
  store = body.instances[0].identity_store_id;
  assert.match(store, /^d-[0-9a-f]{10}$/);
  client = new ClientBuilder((hc) => hc, 'BasicCredentials')
    .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT_ID))
    .withEndpoint(server.base).build();
  id = new RegExp(`^${store.slice(2)}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`);
});
after(async () => server.stop());

function call(method, url, { pathParams = {}, queryParams = {}, data = {} } = {}) {
  return client.sendRequest({
    method, url: IS + url, contentType: 'application/json',
    pathParams: { identity_store_id: store, ...pathParams }, queryParams, headers: {}, data,
  });
}

async function fail(method, url, options = {}) {
  try {
    const body = await call(method, url, options);
    assert.fail(`expected ${method} ${url} to fail, got ${JSON.stringify(body)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    assert.ok(e.httpStatusCode, `not an HTTP error: ${e}`);
    assert.match(e.requestId || '', HEX32);
    return e;
  }
}

async function aws(operation, body) {
  const res = await fetch(server.base + '/', {
    method: 'POST', body: JSON.stringify({ IdentityStoreId: store, ...body }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSIdentityStore.${operation}` },
  });
  const json = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json;
}

const userBody = (name, extra = {}) => ({
  user_name: name, password_mode: 'OTP', display_name: `${name} display`,
  name: { family_name: 'Liddell', given_name: name },
  emails: [{ primary: true, type: 'Work', value: `${name}@example.com` }],
  ...extra,
});
const createUser = (name, extra) => call('POST', '/users', { data: userBody(name, extra) });
const createGroup = (name, description) => call('POST', '/groups', { data: { display_name: name, description } });

test('CreateUser answers 201 with the ids and a one-time password; DescribeUser the flat user', async () => {
  const created = await createUser('alice', {
    nickname: 'Al', title: 'Engineer', locale: 'en_US', timezone: 'Europe/London',
    preferred_language: 'en', profile_url: 'https://example.com/alice', user_type: 'Employee',
    name: { family_name: 'Liddell', given_name: 'Alice', middle_name: 'P', formatted: 'Alice P. Liddell' },
    phone_numbers: [{ primary: true, type: 'Work', value: '+44 20 0000' }],
    addresses: [{ street_address: '1 Rabbit Hole', locality: 'Oxford', country: 'GB', primary: true, type: 'Home' }],
    enterprise: { department: 'R&D', employee_number: '42', manager: { value: 'bob' } },
  });
  assert.equal(created.httpStatusCode, 201);
  assert.equal(created.identity_store_id, store);
  assert.match(created.user_id, id);
  assert.match(created.password, /^[0-9a-f]{16}$/);

  const user = await call('GET', '/users/{user_id}', { pathParams: { user_id: created.user_id } });
  assert.equal(user.httpStatusCode, 200);
  assert.equal(user.user_id, created.user_id);
  assert.equal(user.identity_store_id, store);
  assert.equal(user.user_name, 'alice');
  assert.equal(user.display_name, 'alice display');
  assert.deepEqual(user.name, { family_name: 'Liddell', given_name: 'Alice', middle_name: 'P', formatted: 'Alice P. Liddell' });
  assert.deepEqual(user.emails, [{ primary: true, type: 'Work', value: 'alice@example.com' }]);
  assert.deepEqual(user.phone_numbers, [{ primary: true, type: 'Work', value: '+44 20 0000' }]);
  assert.deepEqual(user.addresses, [{ street_address: '1 Rabbit Hole', locality: 'Oxford', country: 'GB', primary: true, type: 'Home' }]);
  assert.deepEqual(user.enterprise, { department: 'R&D', employee_number: '42', manager: { value: 'bob' } });
  for (const [k, v] of Object.entries({ nickname: 'Al', title: 'Engineer', locale: 'en_US', timezone: 'Europe/London', preferred_language: 'en', profile_url: 'https://example.com/alice', user_type: 'Employee' }))
    assert.equal(user[k], v, k);
  assert.equal(user.enabled, true);
  assert.equal(user.email_verified, false);
  assert.equal(typeof user.created_at, 'number');
  assert.ok(Math.abs(user.created_at - Date.now()) < 600000, 'created_at is epoch ms');
  assert.equal(user.updated_at, user.created_at);
  assert.equal(typeof user.created_by, 'string');
  assert.equal(user.password_mode, undefined);

  // The same user through AWS identitystore, in AWS's members.
  const seen = await aws('DescribeUser', { UserId: created.user_id, Extensions: ['aws:identitystore:enterprise'] });
  assert.equal(seen.UserName, 'alice');
  assert.equal(seen.NickName, 'Al');
  assert.deepEqual(seen.Name, { FamilyName: 'Liddell', GivenName: 'Alice', MiddleName: 'P', Formatted: 'Alice P. Liddell' });
  assert.deepEqual(seen.Emails, [{ Primary: true, Type: 'Work', Value: 'alice@example.com' }]);
  assert.deepEqual(seen.Extensions, { 'aws:identitystore:enterprise': { department: 'R&D', employeeNumber: '42', manager: { value: 'bob' } } });
  assert.equal(seen.UserStatus, 'ENABLED');

  // EMAIL mode: no password.
  const mailed = await call('POST', '/users', { data: userBody('mailed', { password_mode: 'EMAIL' }) });
  assert.equal(mailed.httpStatusCode, 201);
  assert.equal(mailed.password, undefined);
});

test('a user created through AWS identitystore is listed and described on the Huawei surface', async () => {
  const { UserId } = await aws('CreateUser', {
    UserName: 'fromaws', DisplayName: 'From AWS', Name: { GivenName: 'F', FamilyName: 'A' },
    Emails: [{ Value: 'f@example.com', Type: 'work', Primary: true }],
  });
  const listed = await call('GET', '/users', { queryParams: { user_name: 'fromaws' } });
  assert.equal(listed.users.length, 1);
  const [item] = listed.users;
  assert.equal(item.user_id, UserId);
  assert.equal(item.user_name, 'fromaws');
  assert.equal(item.display_name, 'From AWS');
  assert.deepEqual(item.name, { given_name: 'F', family_name: 'A' });
  assert.deepEqual(item.emails, [{ value: 'f@example.com', type: 'work', primary: true }]);
  assert.equal(item.enabled, true);
  assert.equal(item.email_verified, undefined, 'list items have no email_verified');
  assert.deepEqual(listed.page_info, { next_marker: null, current_count: 1 });
  const found = await call('POST', '/users/retrieve-user-id', {
    data: { alternate_identifier: { unique_attribute: { attribute_path: 'user_name', attribute_value: 'fromaws' } } },
  });
  assert.deepEqual({ ...found, httpStatusCode: undefined }, { identity_store_id: store, user_id: UserId, httpStatusCode: undefined });
});

test('UpdateUser, DisableUser and EnableUser change the same user AWS sees', async () => {
  const { user_id } = await createUser('carol');
  const updated = await call('PUT', '/users/{user_id}', {
    pathParams: { user_id },
    data: {
      operations: [
        { attribute_path: 'display_name', attribute_value: 'Carol C.' },
        { attribute_path: 'name.given_name', attribute_value: 'Caroline' },
        { attribute_path: 'emails', attribute_value: JSON.stringify([{ value: 'c2@example.com', type: 'Work', primary: true }]) },
        { attribute_path: 'title', attribute_value: 'Boss' },
      ],
    },
  });
  assert.equal(updated.httpStatusCode, 200);
  let user = await call('GET', '/users/{user_id}', { pathParams: { user_id } });
  assert.equal(user.display_name, 'Carol C.');
  assert.deepEqual(user.name, { family_name: 'Liddell', given_name: 'Caroline' });
  assert.deepEqual(user.emails, [{ value: 'c2@example.com', type: 'Work', primary: true }]);
  assert.equal(user.title, 'Boss');
  // An operation without a value removes the attribute.
  await call('PUT', '/users/{user_id}', { pathParams: { user_id }, data: { operations: [{ attribute_path: 'title' }] } });
  user = await call('GET', '/users/{user_id}', { pathParams: { user_id } });
  assert.equal(user.title, undefined);

  const disabled = await call('POST', '/users/{user_id}/disable', { pathParams: { user_id } });
  assert.equal(disabled.httpStatusCode, 200);
  assert.equal((await call('GET', '/users/{user_id}', { pathParams: { user_id } })).enabled, false);
  assert.equal((await aws('DescribeUser', { UserId: user_id })).UserStatus, 'DISABLED');
  await call('POST', '/users/{user_id}/enable', { pathParams: { user_id } });
  assert.equal((await call('GET', '/users/{user_id}', { pathParams: { user_id } })).enabled, true);

  const bad = await fail('PUT', '/users/{user_id}', { pathParams: { user_id }, data: { operations: [{ attribute_path: 'shoe_size', attribute_value: '9' }] } });
  assert.equal(bad.httpStatusCode, 400);
  assert.equal(bad.errorCode, 'IIC.400');
  assert.match(bad.errorMsg, /operations\[0\]\.attribute_path/);
  const notJson = await fail('PUT', '/users/{user_id}', { pathParams: { user_id }, data: { operations: [{ attribute_path: 'emails', attribute_value: 'nope' }] } });
  assert.match(notJson.errorMsg, /operations\[0\]\.attribute_value/);
});

test('disable answers an empty body sent with Content-Length 0, as the SDKs send it', async () => {
  const { user_id } = await createUser('dave');
  const res = await server.raw('POST', `/v1/identity-stores/${store}/users/${user_id}/disable`,
    { headers: { 'content-type': 'application/json', 'content-length': '0' } });
  assert.equal(res.status, 200);
  assert.equal(res.text, '');
  assert.equal((await call('GET', '/users/{user_id}', { pathParams: { user_id } })).enabled, false);
});

test('batch queries answer the known ids and leave unknown ones out', async () => {
  const a = await createUser('batch-a');
  const b = await createUser('batch-b');
  const ghost = `${store.slice(2)}-00000000-0000-4000-8000-000000000000`;
  const users = await call('POST', '/users/batch-query', { data: { user_ids: [b.user_id, ghost, a.user_id] } });
  assert.deepEqual(users.users.map((u) => u.user_name), ['batch-b', 'batch-a']);
  assert.equal(users.users[0].email_verified, false);
  const g = await createGroup('batch-g');
  const groups = await call('POST', '/groups/batch-query', { data: { group_ids: [ghost, g.group_id] } });
  assert.deepEqual(groups.groups.map((x) => x.display_name), ['batch-g']);
  const empty = await fail('POST', '/users/batch-query', { data: { user_ids: [] } });
  assert.equal(empty.httpStatusCode, 400);
  assert.match(empty.errorMsg, /user_ids/);
});

test('groups: create 201, describe, list by display_name, update, look up, delete', async () => {
  const created = await createGroup('admins', 'Admins');
  assert.equal(created.httpStatusCode, 201);
  assert.match(created.group_id, id);
  assert.equal(created.identity_store_id, store);
  let group = await call('GET', '/groups/{group_id}', { pathParams: { group_id: created.group_id } });
  assert.equal(group.group_id, created.group_id);
  assert.equal(group.identity_store_id, store);
  assert.equal(group.display_name, 'admins');
  assert.equal(group.description, 'Admins');
  assert.equal(typeof group.created_at, 'number');
  assert.equal(typeof group.updated_at, 'number');
  assert.equal(typeof group.created_by, 'string');
  const listed = await call('GET', '/groups', { queryParams: { display_name: 'admins' } });
  assert.deepEqual(listed.groups.map((x) => x.group_id), [created.group_id]);
  assert.deepEqual(listed.page_info, { next_marker: null, current_count: 1 });
  await call('PUT', '/groups/{group_id}', { pathParams: { group_id: created.group_id }, data: { operations: [{ attribute_path: 'description', attribute_value: 'The admins' }] } });
  group = await call('GET', '/groups/{group_id}', { pathParams: { group_id: created.group_id } });
  assert.equal(group.description, 'The admins');
  assert.equal((await aws('DescribeGroup', { GroupId: created.group_id })).Description, 'The admins');
  const found = await call('POST', '/groups/retrieve-group-id', {
    data: { alternate_identifier: { unique_attribute: { attribute_path: 'display_name', attribute_value: 'admins' } } },
  });
  assert.equal(found.group_id, created.group_id);
  assert.equal(found.identity_store_id, store);
  const deleted = await call('DELETE', '/groups/{group_id}', { pathParams: { group_id: created.group_id } });
  assert.equal(deleted.httpStatusCode, 200);
  const gone = await fail('GET', '/groups/{group_id}', { pathParams: { group_id: created.group_id } });
  assert.equal(gone.httpStatusCode, 404);
  assert.equal(gone.errorCode, 'IIC.404');
  assert.equal(gone.errorMsg, `Not Found: group ${created.group_id}.`);
});

test('memberships: create 200, describe, list, for a member, look up, is-member-in-groups, delete', async () => {
  const { user_id } = await createUser('member');
  const g1 = (await createGroup('g1')).group_id;
  const g2 = (await createGroup('g2')).group_id;
  const created = await call('POST', '/group-memberships', { data: { group_id: g1, member_id: { user_id } } });
  assert.equal(created.httpStatusCode, 200);
  assert.equal(created.identity_store_id, store);
  assert.match(created.membership_id, id);
  const m = await call('GET', '/group-memberships/{membership_id}', { pathParams: { membership_id: created.membership_id } });
  assert.deepEqual({ ...m, httpStatusCode: undefined },
    { membership_id: created.membership_id, identity_store_id: store, group_id: g1, member_id: { user_id }, httpStatusCode: undefined });
  const listed = await call('GET', '/group-memberships', { queryParams: { group_id: g1 } });
  assert.deepEqual(listed.group_memberships, [{ membership_id: created.membership_id, identity_store_id: store, group_id: g1, member_id: { user_id } }]);
  assert.deepEqual(listed.page_info, { next_marker: null, current_count: 1 });
  const mine = await call('GET', '/group-memberships-for-member', { queryParams: { user_id } });
  assert.deepEqual(mine.group_memberships.map((x) => x.group_id), [g1]);
  const found = await call('POST', '/group-memberships/retrieve-group-membership-id', { data: { group_id: g1, member_id: { user_id } } });
  assert.equal(found.membership_id, created.membership_id);
  assert.equal(found.identity_store_id, store);
  const results = await call('POST', '/is-member-in-groups', { data: { group_ids: [g2, g1], member_id: { user_id } } });
  assert.deepEqual(results.results, [
    { group_id: g2, member_id: { user_id }, membership_exists: false },
    { group_id: g1, member_id: { user_id }, membership_exists: true },
  ]);
  // AWS sees the same membership.
  const awsList = await aws('ListGroupMembershipsForMember', { MemberId: { UserId: user_id } });
  assert.deepEqual(awsList.GroupMemberships.map((x) => x.MembershipId), [created.membership_id]);

  const twice = await fail('POST', '/group-memberships', { data: { group_id: g1, member_id: { user_id } } });
  assert.equal(twice.httpStatusCode, 409);
  assert.equal(twice.errorCode, 'IIC.409');
  const noGroup = await fail('GET', '/group-memberships');
  assert.equal(noGroup.httpStatusCode, 400);
  assert.match(noGroup.errorMsg, /group_id/);
  const noUser = await fail('GET', '/group-memberships-for-member');
  assert.match(noUser.errorMsg, /user_id/);
  const noMember = await fail('POST', '/group-memberships', { data: { group_id: g1 } });
  assert.match(noMember.errorMsg, /member_id/);

  await call('DELETE', '/group-memberships/{membership_id}', { pathParams: { membership_id: created.membership_id } });
  const gone = await fail('GET', '/group-memberships/{membership_id}', { pathParams: { membership_id: created.membership_id } });
  assert.equal(gone.httpStatusCode, 404);
  assert.equal((await call('GET', '/group-memberships', { queryParams: { group_id: g1 } })).group_memberships.length, 0);
});

test('lists page with limit and marker until next_marker is null', async () => {
  const names = [];
  for (let i = 0; i < 5; i++) {
    names.push(`page-${i}`);
    await createGroup(`page-${i}`);
  }
  const seen = [];
  let marker;
  let pages = 0;
  do {
    const queryParams = { limit: 2 };
    if (marker) queryParams.marker = marker;
    const page = await call('GET', '/groups', { queryParams });
    assert.ok(page.groups.length <= 2);
    assert.equal(page.page_info.current_count, page.groups.length);
    seen.push(...page.groups.map((g) => g.display_name));
    marker = page.page_info.next_marker;
    if (marker) assert.equal(marker.length, 24);
    pages++;
  } while (marker);
  assert.ok(pages >= 3);
  for (const name of names) assert.ok(seen.includes(name), name);
  assert.equal(new Set(seen).size, seen.length);
  const zero = await fail('GET', '/groups', { queryParams: { limit: 0 } });
  assert.equal(zero.httpStatusCode, 400);
  assert.match(zero.errorMsg, /limit/);
});

test('bad input is refused naming the field', async () => {
  const cases = [
    [{ ...userBody('x1'), user_name: undefined }, /user_name/],
    [{ ...userBody('x2'), user_name: 'x' }, /user_name/],
    [{ ...userBody('x3'), password_mode: 'SMS' }, /password_mode/],
    [{ ...userBody('x4'), display_name: undefined }, /display_name/],
    [{ ...userBody('x5'), name: undefined }, /name/],
    [{ ...userBody('x6'), name: { given_name: 'G' } }, /name\.family_name/],
    [{ ...userBody('x7'), emails: [] }, /emails/],
    [{ ...userBody('x8'), emails: [{ type: 'Work', primary: true }] }, /emails\[0\]\.value/],
    [{ ...userBody('x9'), emails: [{ value: 'a@b', primary: 'yes' }] }, /emails\[0\]\.primary/],
  ];
  for (const [data, field] of cases) {
    const e = await fail('POST', '/users', { data });
    assert.equal(e.httpStatusCode, 400, JSON.stringify(data));
    assert.equal(e.errorCode, 'IIC.400');
    assert.match(e.errorMsg, field);
  }
  const group = await fail('POST', '/groups', { data: { description: 'no name' } });
  assert.match(group.errorMsg, /display_name/);
  const lookup = await fail('POST', '/users/retrieve-user-id', { data: { alternate_identifier: {} } });
  assert.match(lookup.errorMsg, /alternate_identifier/);
  const path = await fail('POST', '/users/retrieve-user-id', {
    data: { alternate_identifier: { unique_attribute: { attribute_path: 'title', attribute_value: 'x' } } },
  });
  assert.match(path.errorMsg, /attribute_path/);
  const raw = await server.raw('POST', `/v1/identity-stores/${store}/users`, { body: '{"user_name":', headers: { 'content-type': 'application/json' } });
  assert.equal(raw.status, 400);
  assert.equal(raw.json.error_code, 'IIC.400');
});

test('conflicts, not found, and literal segments before parameters', async () => {
  await createUser('dup');
  const dup = await fail('POST', '/users', { data: userBody('dup') });
  assert.equal(dup.httpStatusCode, 409);
  assert.equal(dup.errorCode, 'IIC.409');
  assert.match(dup.errorMsg, /user_name/);
  await createGroup('dup-group');
  const dupGroup = await fail('POST', '/groups', { data: { display_name: 'dup-group' } });
  assert.equal(dupGroup.httpStatusCode, 409);
  assert.match(dupGroup.errorMsg, /display_name/);

  const ghost = `${store.slice(2)}-00000000-0000-4000-8000-000000000000`;
  const user = await fail('GET', '/users/{user_id}', { pathParams: { user_id: ghost } });
  assert.equal(user.httpStatusCode, 404);
  assert.equal(user.errorCode, 'IIC.404');
  assert.equal(user.errorMsg, `Not Found: user ${ghost}.`);
  for (const [method, url] of [['DELETE', '/users/{user_id}'], ['POST', '/users/{user_id}/enable']]) {
    const e = await fail(method, url, { pathParams: { user_id: ghost } });
    assert.equal(e.httpStatusCode, 404, url);
  }
  const lookup = await fail('POST', '/users/retrieve-user-id', {
    data: { alternate_identifier: { unique_attribute: { attribute_path: 'user_name', attribute_value: 'nobody' } } },
  });
  assert.equal(lookup.httpStatusCode, 404);
  const store404 = await fail('GET', '/users', { pathParams: { identity_store_id: 'd-0000000000' } });
  assert.equal(store404.httpStatusCode, 404);
  assert.equal(store404.errorMsg, 'Not Found: identity store d-0000000000.');

  // The literal segments win over {user_id}: another method on one is a 405, not a user.
  const literal = await fail('GET', '/users/retrieve-user-id');
  assert.equal(literal.httpStatusCode, 405);
  assert.equal(literal.errorCode, 'IIC.405');
  const method = await fail('DELETE', '/users/batch-query');
  assert.equal(method.httpStatusCode, 405);
});

test('verify mode: a signed store call acts for its credential, and a store is its instance owner\'s', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
  const BOB = { ak: 'AKBOBEXAMPLE00000000', sk: 'bob-secret', domain: 'b0b0000000000000000000000000b0b0' };
  const ALICE_DOMAIN = '0123456789abcdef0123456789abcdef';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-huawei-store-'));
  const config = path.join(dir, 'icemu.json');
  fs.writeFileSync(config, JSON.stringify({
    auth: {
      mode: 'verify',
      credentials: [
        { access_key_id: AK, secret_access_key: SK, account_id: ALICE_DOMAIN },
        { access_key_id: BOB.ak, secret_access_key: BOB.sk, account_id: BOB.domain },
      ],
    },
    initial_state: { instances: [{ owner_account_id: ALICE_DOMAIN }, { owner_account_id: BOB.domain }] },
  }));
  const verify = await Icemu.start({ ICEMU_CONFIG: config });
  try {
    const storeClient = (ak, sk) => new ClientBuilder((hc) => hc, 'BasicCredentials')
      .withCredential(new BasicCredentials().withAk(ak).withSk(sk).withProjectId(PROJECT_ID))
      .withEndpoint(verify.base).build();
    const send = (c, method, url, storeId, data = {}) => c.sendRequest({
      method, url: IS + url, contentType: 'application/json',
      pathParams: { identity_store_id: storeId }, queryParams: {}, headers: {}, data,
    });
    const aliceStore = (await verify.call('GET', '/v1/instances')).instances[0].identity_store_id;
    const bobList = await new ClientBuilder((hc) => hc, 'GlobalCredentials')
      .withCredential(new GlobalCredentials().withAk(BOB.ak).withSk(BOB.sk).withDomainId(BOB.domain))
      .withEndpoint(verify.base).build()
      .sendRequest({ method: 'GET', url: '/v1/instances', contentType: 'application/json', pathParams: {}, queryParams: {}, headers: {}, data: {} });
    const bobStore = bobList.instances[0].identity_store_id;
    assert.notEqual(bobStore, aliceStore);

    const alice = storeClient(AK, SK);
    const bob = storeClient(BOB.ak, BOB.sk);
    const created = await send(alice, 'POST', '/groups', aliceStore, { display_name: 'signed' });
    assert.equal(created.httpStatusCode, 201);
    const group = await send(alice, 'GET', `/groups/${created.group_id}`, aliceStore);
    assert.equal(group.created_by, ALICE_DOMAIN);
    assert.equal((await send(bob, 'POST', '/groups', bobStore, { display_name: 'bobs' })).httpStatusCode, 201);
    try {
      await send(bob, 'GET', '/groups', aliceStore);
      assert.fail('bob listed alice\'s store');
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.equal(e.httpStatusCode, 403);
      assert.equal(e.errorCode, 'IIC.1000');
      assert.equal(e.errorMsg, 'No permission for action ListGroups.');
    }
    try {
      await send(storeClient(AK, 'wrong'), 'GET', '/groups', aliceStore);
      assert.fail('a wrong SK passed');
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.equal(e.httpStatusCode, 401);
      assert.equal(e.errorCode, 'APIG.0301');
    }
  } finally {
    await verify.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Replays, through the Huawei npm core client, the call sequences of the Huawei Terraform
// provider's huaweicloud_identitycenter_user and huaweicloud_identitycenter_group resources
// (huaweicloud/services/identitycenter/resource_huaweicloud_identitycenter_{user,group}.go): the
// bodies TF builds (after its RemoveNil: a phone number without a value, enterprise as
// {"manager": {}}), the success codes golangsdk accepts (POST 200/201/202, PUT 200/201/202,
// DELETE 200/202/204), and the 404 TF takes for "gone" on a read after an out-of-band delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Icemu, AK, SK } from './icemu.mjs';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');

const IS = '/v1/identity-stores/{identity_store_id}';
const POST_OK = [200, 201, 202];
const PUT_OK = [200, 201, 202];
const DELETE_OK = [200, 202, 204];

let server;
let store;
let client;

before(async () => {
  server = await Icemu.start({});
  store = (await server.call('GET', '/v1/instances')).instances[0].identity_store_id;
  client = new ClientBuilder((hc) => hc, 'BasicCredentials')
    .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId('fedcba9876543210fedcba9876543210'))
    .withEndpoint(server.base).build();
});
after(async () => server.stop());

function call(method, url, { pathParams = {}, queryParams = {}, data = {} } = {}) {
  return client.sendRequest({
    method, url: IS + url, contentType: 'application/json',
    pathParams: { identity_store_id: store, ...pathParams }, queryParams, headers: {}, data,
  });
}

async function status404(method, url, options) {
  try {
    await call(method, url, options);
  } catch (e) {
    return e.httpStatusCode;
  }
  return 200;
}

test('huaweicloud_identitycenter_user: create (disabled), read, update, out-of-band delete, delete', async () => {
  // Create: buildCreateIdentityCenterUserBodyParams after RemoveNil.
  const created = await call('POST', '/users', {
    data: {
      user_name: 'tf-user', password_mode: 'OTP', display_name: 'TF User',
      name: { family_name: 'User', given_name: 'TF' },
      emails: [{ primary: true, type: 'Work', value: 'tf@example.com' }],
      phone_numbers: [{ primary: true, type: 'Work' }],
      enterprise: { manager: {} },
    },
  });
  assert.ok(POST_OK.includes(created.httpStatusCode));
  const userId = created.user_id;
  // enabled = false: TF disables right after the create.
  assert.ok(POST_OK.includes((await call('POST', '/users/{user_id}/disable', { pathParams: { user_id: userId } })).httpStatusCode));

  // Read: TF sets its state from these members.
  let user = await call('GET', '/users/{user_id}', { pathParams: { user_id: userId } });
  assert.equal(user.httpStatusCode, 200);
  assert.equal(user.user_name, 'tf-user');
  assert.equal(user.display_name, 'TF User');
  assert.deepEqual(user.name, { family_name: 'User', given_name: 'TF' });
  assert.equal(user.emails[0].value, 'tf@example.com');
  assert.deepEqual(user.phone_numbers, [{ primary: true, type: 'Work' }]);
  assert.deepEqual(user.enterprise, { manager: {} });
  assert.equal(user.enabled, false);
  assert.equal(typeof user.created_at, 'number');
  assert.equal(typeof user.updated_at, 'number');

  // Update: attribute operations (string values, JSON text for objects), then enable.
  const updated = await call('PUT', '/users/{user_id}', {
    pathParams: { user_id: userId },
    data: {
      operations: [
        { attribute_path: 'display_name', attribute_value: 'TF User 2' },
        { attribute_path: 'name', attribute_value: JSON.stringify({ family_name: 'User', given_name: 'Terraform' }) },
        { attribute_path: 'emails', attribute_value: JSON.stringify([{ primary: true, type: 'Work', value: 'tf2@example.com' }]) },
      ],
    },
  });
  assert.ok(PUT_OK.includes(updated.httpStatusCode));
  await call('POST', '/users/{user_id}/enable', { pathParams: { user_id: userId } });
  user = await call('GET', '/users/{user_id}', { pathParams: { user_id: userId } });
  assert.equal(user.display_name, 'TF User 2');
  assert.equal(user.name.given_name, 'Terraform');
  assert.equal(user.emails[0].value, 'tf2@example.com');
  assert.equal(user.enabled, true);
  assert.ok(user.updated_at >= user.created_at);

  // Import id: <identity_store_id>/<user_id>.
  const [importStore, importUser] = `${store}/${userId}`.split('/');
  assert.equal((await call('GET', '/users/{user_id}', { pathParams: { identity_store_id: importStore, user_id: importUser } })).user_id, userId);

  // Delete, then a refresh: 404 makes TF drop the resource; a second delete is 404 too.
  const deleted = await call('DELETE', '/users/{user_id}', { pathParams: { user_id: userId } });
  assert.ok(DELETE_OK.includes(deleted.httpStatusCode));
  assert.equal(await status404('GET', '/users/{user_id}', { pathParams: { user_id: userId } }), 404);
  assert.equal(await status404('DELETE', '/users/{user_id}', { pathParams: { user_id: userId } }), 404);
});

test('huaweicloud_identitycenter_group: create, read, update description, out-of-band delete, read 404', async () => {
  const created = await call('POST', '/groups', { data: { display_name: 'tf-group', description: 'first' } });
  assert.ok(POST_OK.includes(created.httpStatusCode));
  const groupId = created.group_id;
  let group = await call('GET', '/groups/{group_id}', { pathParams: { group_id: groupId } });
  assert.equal(group.display_name, 'tf-group');
  assert.equal(group.description, 'first');
  // TF's only update: the description.
  const updated = await call('PUT', '/groups/{group_id}', {
    pathParams: { group_id: groupId },
    data: { operations: [{ attribute_path: 'description', attribute_value: 'second' }] },
  });
  assert.ok(PUT_OK.includes(updated.httpStatusCode));
  group = await call('GET', '/groups/{group_id}', { pathParams: { group_id: groupId } });
  assert.equal(group.description, 'second');
  // The data source lists with limit=100 and stops on a null next_marker.
  const listed = await call('GET', '/groups', { queryParams: { limit: 100 } });
  assert.ok(listed.groups.some((g) => g.group_id === groupId));
  assert.equal(listed.page_info.next_marker, null);

  // Deleted out of band (through AWS identitystore): TF's refresh reads 404 and drops it.
  const res = await fetch(server.base + '/', {
    method: 'POST', body: JSON.stringify({ IdentityStoreId: store, GroupId: groupId }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSIdentityStore.DeleteGroup' },
  });
  assert.equal(res.status, 200);
  assert.equal(await status404('GET', '/groups/{group_id}', { pathParams: { group_id: groupId } }), 404);
  assert.equal(await status404('DELETE', '/groups/{group_id}', { pathParams: { group_id: groupId } }), 404);
});

// Shared by the package's tests: real clients for icemu (the AWS SDK for JavaScript v3 and the
// Huawei npm core client, both devDependencies) and the docs' tested examples.
import { createRequire } from 'node:module';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SSOAdminClient } from '@aws-sdk/client-sso-admin';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
// The core logs every error response at ERROR on stdout.
require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(PACKAGE_DIR, '..', '..');
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-560aa041748d679e';
export const USER = '9067639464-9039c8fc-c296-4863-a233-a59111da7aa3';
export const DOMAIN_ID = '0123456789abcdef0123456789abcdef';

/// An AWS sso-admin client for `icemu` that does not retry.
export function sso(icemu) {
  return new SSOAdminClient({
    endpoint: icemu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/// The Huawei npm core client for `icemu`: `call(method, url, { pathParams, queryParams, data })`.
export function huawei(icemu) {
  const client = new ClientBuilder((hc) => hc, 'GlobalCredentials')
    .withCredential(new GlobalCredentials().withAk('AK').withSk('SK').withDomainId(DOMAIN_ID))
    .withEndpoint(icemu.endpoint).build();
  return (method, url, { pathParams = {}, queryParams = {}, data = {} } = {}) => client.sendRequest({
    method, url, contentType: 'application/json', pathParams, queryParams, headers: {}, data,
  });
}

/// Resolves to the error `promise` rejects with; fails when it resolves.
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/// {name: code} of the blocks of a markdown file of the repository marked
/// `<!-- tested-as: NAME -->`.
export function examples(markdownPath) {
  const text = fs.readFileSync(path.join(REPO, markdownPath), 'utf8');
  const found = {};
  for (const m of text.matchAll(/<!-- tested-as: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) {
    if (found[m[1]]) throw new Error(`${markdownPath} marks ${m[1]} twice`);
    found[m[1]] = `${m[2]}\n`;
  }
  return found;
}

/// Runs a command; resolves to { code, stdout, stderr } whatever its exit status.
export function run(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { maxBuffer: 16 << 20, timeout: 240000, ...options }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/// process.env without the variables that choose an icemu (for child processes).
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  delete env.ICEMU_ENDPOINT;
  delete env.ICEMU_ADMIN_ENDPOINT;
  delete env.ICEMU_ADMIN_TOKEN;
  delete env.NODE_TEST_CONTEXT; // a child `node --test` must report for itself
  return { ...env, ...extra };
}

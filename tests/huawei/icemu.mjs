// Starts a real icemu for a test file and talks to it through the official Huawei npm core
// client (@huaweicloud/huaweicloud-sdk-core: SDK-HMAC-SHA256 signing, X-Domain-Id, its
// exception classes), plus raw fetch for the admin API and other surfaces.
//
//   const server = await Icemu.start({ ICEMU_SCHEDULER_MODE: 'manual' });
//   const body = await server.call('GET', '/v1/instances', { queryParams: { limit: 10 } });
//   const err = await server.fail('GET', '/v1/instances/{instance_id}/...', { pathParams });
//   await server.stop();
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
// The core logs every error response, with its request, at ERROR on stdout: the tests expect many.
require('@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger').Logger4jInstance.level = 'off';

// icemu is on loopback: never send test traffic through a proxy configured around the tests.
for (const name of ['NO_PROXY', 'no_proxy']) {
  const hosts = (process.env[name] || '').split(',').filter(Boolean);
  for (const host of ['127.0.0.1', 'localhost']) if (!hosts.includes(host)) hosts.push(host);
  process.env[name] = hosts.join(',');
}

export const AK = 'AKTESTEXAMPLE0000000';
export const SK = 'sk-test-secret';
export const DOMAIN_ID = '0123456789abcdef0123456789abcdef';
// Sanitizer builds on a loaded machine are slow.
const START_TIMEOUT_MS = 20000;

export const HEX32 = /^[0-9a-f]{32}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const INSTANCE_ID = /^ins-[0-9a-f]{16}$/;
export const PERMISSION_SET_ID = /^ps-[0-9a-f]{16}$/;

/// A Huawei account id (32 lowercase hex) made from a number, for tests that need many.
export function account(n) {
  return n.toString(16).padStart(32, '0');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Icemu {
  static async start(env = {}) {
    const server = new Icemu(env);
    await server.#launch();
    return server;
  }

  constructor(env) {
    const bin = process.env.ICEMU_BIN;
    if (!bin) throw new Error('ICEMU_BIN is not set (run the tests through ctest)');
    this.bin = bin;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-huawei-'));
    this.env = env;
  }

  async #launch() {
    const portFile = path.join(this.dir, 'port');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('ICEMU_') || k === 'ICEMU_LOG_LEVEL'));
    Object.assign(env, this.env);
    this.log = fs.openSync(path.join(this.dir, 'icemu.log'), 'w');
    this.proc = spawn(this.bin, ['--listen', '127.0.0.1:0', '--port-file', portFile,
      '--db', path.join(this.dir, 'icemu.db')], { cwd: this.dir, env, stdio: ['ignore', this.log, this.log] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`icemu exited while starting:\n${this.logText()}`);
      if (fs.existsSync(portFile)) {
        this.port = Number(fs.readFileSync(portFile, 'utf8').trim());
        this.base = `http://127.0.0.1:${this.port}`;
        try {
          const res = await fetch(`${this.base}/_icemu/health`);
          if (res.status === 200) break;
        } catch { /* not yet */ }
      }
      await sleep(20);
    }
    if (!this.base) throw new Error(`icemu did not start:\n${this.logText()}`);
    const credential = new GlobalCredentials().withAk(AK).withSk(SK).withDomainId(DOMAIN_ID);
    this.client = new ClientBuilder((hc) => hc, 'GlobalCredentials')
      .withCredential(credential).withEndpoint(this.base).build();
  }

  logText() {
    try { return fs.readFileSync(path.join(this.dir, 'icemu.log'), 'utf8'); } catch { return ''; }
  }

  /// Sends a signed request; resolves to the parsed body (with httpStatusCode), rejects with the
  /// SDK's exception.
  call(method, url, { pathParams = {}, queryParams = {}, data = {}, headers = {} } = {}) {
    return this.client.sendRequest({
      method, url, contentType: 'application/json', pathParams, queryParams, headers, data,
    });
  }

  /// Sends a request that must fail; resolves to the SDK exception (httpStatusCode, errorCode,
  /// errorMsg, requestId).
  async fail(method, url, options = {}) {
    try {
      const body = await this.call(method, url, options);
      assert.fail(`expected ${method} ${url} to fail, got ${JSON.stringify(body)}`);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(e.httpStatusCode, `not an HTTP error: ${e}`);
      assert.match(e.requestId || '', HEX32, 'X-Request-Id of the error');
      return e;
    }
  }

  /// An admin API call: [status, parsed body].
  async admin(method, urlPath, body) {
    const res = await fetch(this.base + urlPath, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    return [res.status, await res.json()];
  }

  /// A raw HTTP call (no signing): { status, headers, text, json }.
  async raw(method, urlPath, { body, headers = {} } = {}) {
    const res = await fetch(this.base + urlPath, { method, body, headers });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  }

  async settle(requestId, status = 'SUCCEEDED', failureReason) {
    const body = { status };
    if (failureReason) body.failure_reason = failureReason;
    const [code, answer] = await this.admin('POST', `/_icemu/requests/${requestId}/settle`, body);
    assert.equal(code, 200, JSON.stringify(answer));
    return answer;
  }

  async stop() {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      const { code } = await this.exited;
      assert.equal(code, 0, `icemu exit status\n${this.logText()}`);
    }
    fs.closeSync(this.log);
    const log = this.logText();
    for (const marker of ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:'])
      assert.ok(!log.includes(marker), `sanitizer report in the log:\n${log}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/// The id of the default instance ("ins-<hex>").
export async function defaultInstance(server) {
  const body = await server.call('GET', '/v1/instances');
  return body.instances[0].instance_id;
}

export const PS = '/v1/instances/{instance_id}/permission-sets/{permission_set_id}';
export const AA = '/v1/instances/{instance_id}/account-assignments';

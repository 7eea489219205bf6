// icemu-testing: run icemu (the IAM Identity Center provisioning emulator) from a Node test suite
// and drive its admin API (/_icemu/). No dependencies: node's child_process and fetch.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DEFAULT_START_TIMEOUT_MS = 20000;
const DEFAULT_STOP_TIMEOUT_MS = 20000;
const REQUEST_FILTERS = ['status', 'kind', 'instance'];
// The plugin decides where icemu listens, and its admin API must be on that same address.
const OWNED_VARIABLES = ['ICEMU_LISTEN', 'ICEMU_PORT_FILE', 'ICEMU_DB', 'ICEMU_ADMIN_LISTEN',
  'ICEMU_ADMIN_PORT_FILE'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error answered by icemu's admin API: `code` ("not_found", "conflict", "bad_request", ...),
 * `message` (its text) and `status` (HTTP). */
export class IcemuError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'IcemuError';
    this.status = status;
    this.code = code;
  }
}

/** The icemu binary: `bin`, else $ICEMU_BIN, else `icemu` on PATH. */
export function findIcemu(bin) {
  for (const [candidate, origin] of [[bin, 'bin'], [process.env.ICEMU_BIN, 'ICEMU_BIN']]) {
    if (!candidate) continue;
    if (!isExecutable(candidate)) throw new Error(`${origin}=${candidate} is not an executable file`);
    return path.resolve(candidate);
  }
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', 'icemu');
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error('icemu not found: pass { bin }, set ICEMU_BIN, put icemu on PATH, '
    + 'or connectIcemu(url) to a running icemu');
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

async function healthy(url, headers) {
  try {
    const res = await fetch(`${url}/_icemu/health`, { headers, signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200 ? null : `health answered ${res.status}`;
  } catch (e) {
    return `health: ${e.cause?.code || e.message}`;
  }
}

/** A running icemu at `endpoint`: its admin API. `startIcemu` and `connectIcemu` make them. */
class Icemu {
  #admin;
  #token;
  #faults = [];

  constructor(endpoint, { adminEndpoint, adminToken } = {}) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.#admin = (adminEndpoint || endpoint).replace(/\/+$/, '');
    this.#token = adminToken || undefined;
  }

  /** One admin call; resolves to the parsed JSON answer, rejects with an IcemuError. */
  async admin(method, urlPath, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    const res = await fetch(this.#admin + urlPath, {
      method,
      headers,
      body: body !== undefined ? JSON.stringify(body) : (method === 'GET' ? undefined : ''),
    });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (res.ok && json !== undefined) return json;
    if (json && typeof json.error === 'string') throw new IcemuError(res.status, json.error, json.message ?? '');
    throw new IcemuError(res.status, 'http_error', text.slice(0, 500) || res.statusText);
  }

  health() {
    return this.admin('GET', '/_icemu/health');
  }

  /** Erases requests, resources and run-time fault rules; restores the configured scheduler,
   * clock and initial instance. `{ instance }`: only that instance's data. */
  async reset({ instance } = {}) {
    const query = instance ? `?${new URLSearchParams({ instance })}` : '';
    await this.admin('POST', `/_icemu/reset${query}`);
  }

  /** Ends an IN_PROGRESS request: "SUCCEEDED" (default) or "FAILED" with `failureReason`.
   * Resolves to the request as `requests()` lists it. */
  settle(requestId, { status = 'SUCCEEDED', failureReason } = {}) {
    const body = { status };
    if (failureReason !== undefined) body.failure_reason = failureReason;
    return this.admin('POST', `/_icemu/requests/${encodeURIComponent(requestId)}/settle`, body);
  }

  /** Moves the virtual clock forward and settles what fell due; resolves to the settled ids. */
  async advanceClock(seconds) {
    const answer = await this.admin('POST', '/_icemu/clock/advance', { ms: Math.round(seconds * 1000) });
    return answer.settled;
  }

  scheduler() {
    return this.admin('GET', '/_icemu/scheduler');
  }

  /** `mode`: "auto", "polls", "manual" or undefined (kept); `options`: `delayMs` (N or
   * [min, max]), `polls`, `seed`. Resolves to the scheduler's settings. */
  setScheduler(mode, options = {}) {
    const body = {};
    const { delayMs, polls, seed, ...unknown } = options;
    const names = Object.keys(unknown);
    if (names.length) throw new TypeError(`setScheduler: unknown options ${names.join(', ')} (known: delayMs, polls, seed)`);
    if (mode !== undefined && mode !== null) body.mode = mode;
    if (delayMs !== undefined) {
      if (Array.isArray(delayMs)) {
        if (delayMs.length !== 2) throw new TypeError('setScheduler: delayMs must be N or [min, max]');
        body.delay_ms = { min: delayMs[0], max: delayMs[1] };
      } else {
        body.delay_ms = { min: delayMs, max: delayMs };
      }
    }
    if (polls !== undefined) body.polls = polls;
    if (seed !== undefined) body.seed = seed;
    return this.admin('PUT', '/_icemu/scheduler', body);
  }

  /** Every fault rule, configured ones first, each with its "hits" and "source". */
  async faults() {
    return (await this.admin('GET', '/_icemu/faults')).rules;
  }

  /** Adds a fault rule after the run-time rules already there; resolves to an async function
   * that removes this rule, and only this one. icemu replaces run-time rules as a whole, which
   * restarts their hit counts: the rules kept are sent back with the uses they have left, and a
   * rule whose `times` is used up is dropped. */
  async addFault(rule) {
    const kept = runtimeRules(await this.faults());
    const answer = (await this.admin('PUT', '/_icemu/faults', { rules: [...kept, rule] })).rules;
    const added = bare(answer[answer.length - 1]);
    const twinsBefore = kept.filter((r) => sameRule(r, added)).length;
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      const runtime = (await this.faults()).filter((r) => r.source === 'runtime');
      const twins = runtime.filter((r) => sameRule(r, added));
      if (twins.length === 0) return; // gone already (a reset)
      const mine = twins[Math.min(twinsBefore, twins.length - 1)];
      const index = runtime.indexOf(mine);
      const rules = runtimeRules([...runtime.slice(0, index), ...runtime.slice(index + 1)]);
      await this.admin('PUT', '/_icemu/faults', { rules });
    };
  }

  /** The asynchronous requests of both surfaces, oldest first. Filters: `status`, `kind`,
   * `instance`. */
  async requests(filters = {}) {
    const unknown = Object.keys(filters).filter((k) => !REQUEST_FILTERS.includes(k));
    if (unknown.length) throw new TypeError(`requests: unknown filters ${unknown.join(', ')} (known: ${REQUEST_FILTERS.join(', ')})`);
    const query = new URLSearchParams();
    for (const k of REQUEST_FILTERS) if (filters[k] !== undefined && filters[k] !== null) query.set(k, filters[k]);
    const text = query.toString();
    return (await this.admin('GET', `/_icemu/requests${text ? `?${text}` : ''}`)).requests;
  }
}

function bare(rule) {
  const { hits, source, ...rest } = rule;
  return rest;
}

function sameRule(a, b) {
  const strip = ({ hits, source, times, ...rest }) => rest;
  return deepEqual(strip(a), strip(b));
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

function runtimeRules(rules) {
  const out = [];
  for (const rule of rules) {
    if ((rule.source ?? 'runtime') !== 'runtime') continue;
    const copy = bare(rule);
    if (copy.times !== undefined) {
      const left = copy.times - (rule.hits ?? 0);
      if (left < 1) continue;
      copy.times = left;
    }
    out.push(copy);
  }
  return out;
}

/** An icemu this process started: `stop()` ends it, `log()` reads what it wrote. */
class IcemuProcess extends Icemu {
  #proc;
  #exited;
  #dir;
  #stopTimeoutMs;
  #onExit;

  constructor(endpoint, options, { proc, exited, dir, stopTimeoutMs, onExit }) {
    super(endpoint, options);
    this.#proc = proc;
    this.#exited = exited;
    this.#dir = dir;
    this.#stopTimeoutMs = stopTimeoutMs;
    this.#onExit = onExit;
    this.pid = proc.pid;
    this.logPath = path.join(dir, 'icemu.log');
  }

  /** What icemu wrote to standard output and error so far. */
  log() {
    try { return fs.readFileSync(this.logPath, 'utf8'); } catch { return ''; }
  }

  /** SIGTERM, then waits for the exit and removes the temporary store. Rejects when icemu does
   * not exit with status 0 within the stop timeout (it is killed then). */
  async stop() {
    const proc = this.#proc;
    if (!proc) return;
    this.#proc = undefined;
    process.removeListener('exit', this.#onExit);
    proc.ref();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    let timer;
    const result = await Promise.race([this.#exited, new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), this.#stopTimeoutMs);
    })]);
    clearTimeout(timer);
    const tail = this.log().split('\n').slice(-40).join('\n');
    try {
      if (result === null) {
        proc.kill('SIGKILL');
        await this.#exited;
        throw new Error(`icemu did not exit within ${this.#stopTimeoutMs} ms of SIGTERM\n${tail}`);
      }
      if (result.code !== 0) {
        throw new Error(`icemu exited with ${result.code ?? result.signal} after SIGTERM\n${tail}`);
      }
    } finally {
      fs.rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}

/** Starts icemu on a free port (`--listen 127.0.0.1:0 --port-file`) with a store in a new
 * temporary directory; resolves once `/_icemu/health` answers. */
export async function startIcemu({ bin, args = [], env = {}, startTimeoutMs = DEFAULT_START_TIMEOUT_MS,
  stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS } = {}) {
  const binary = findIcemu(bin);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icemu-'));
  const portFile = path.join(dir, 'icemu.port');
  const childEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !OWNED_VARIABLES.includes(k)));
  Object.assign(childEnv, env);
  const log = fs.openSync(path.join(dir, 'icemu.log'), 'a');
  let proc;
  try {
    proc = spawn(binary, ['--listen', '127.0.0.1:0', '--port-file', portFile,
      '--db', path.join(dir, 'icemu.db'), ...args], { cwd: dir, env: childEnv, stdio: ['ignore', log, log] });
  } finally {
    fs.closeSync(log);
  }
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const spawnError = new Promise((resolve) => proc.on('error', resolve));
  // A test process that ends without stop() does not leave icemu behind, nor wait for it.
  const onExit = () => {
    proc.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  proc.unref();

  const logTail = () => {
    try {
      return fs.readFileSync(path.join(dir, 'icemu.log'), 'utf8').split('\n').slice(-40).join('\n');
    } catch { return ''; }
  };
  const fail = async (message) => {
    process.removeListener('exit', onExit);
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.ref(); // an unreferenced child would not keep this process waiting for its exit
      proc.kill('SIGKILL');
      await exited;
    }
    const text = `${message}\ncommand: ${binary} ${proc.spawnargs.slice(1).join(' ')}\nlog:\n${logTail()}`;
    fs.rmSync(dir, { recursive: true, force: true });
    return new Error(text);
  };

  const token = childEnv.ICEMU_ADMIN_TOKEN || undefined;
  const deadline = Date.now() + startTimeoutMs;
  let problem = 'no port file yet';
  for (;;) {
    const error = await Promise.race([spawnError, sleep(20).then(() => null)]);
    if (error) throw await fail(`icemu could not be started: ${error.message}`);
    if (proc.exitCode !== null) throw await fail(`icemu exited with status ${proc.exitCode} while starting`);
    let port = 0;
    try { port = Number(fs.readFileSync(portFile, 'utf8').trim()); } catch { /* not yet */ }
    if (port > 0 && port < 65536) {
      const endpoint = `http://127.0.0.1:${port}`;
      problem = await healthy(endpoint);
      if (problem === null) {
        return new IcemuProcess(endpoint, { adminToken: token },
          { proc, exited, dir, stopTimeoutMs, onExit });
      }
    }
    if (Date.now() >= deadline) throw await fail(`icemu was not healthy within ${startTimeoutMs} ms (${problem})`);
  }
}

/** An icemu that runs already (a container in CI); resolves once `/_icemu/health` answers
 * (waiting up to `timeoutMs`). `adminEndpoint` and `adminToken` default to $ICEMU_ADMIN_ENDPOINT
 * and $ICEMU_ADMIN_TOKEN. */
export async function connectIcemu(endpoint, { adminEndpoint = process.env.ICEMU_ADMIN_ENDPOINT,
  adminToken = process.env.ICEMU_ADMIN_TOKEN, timeoutMs = DEFAULT_START_TIMEOUT_MS } = {}) {
  if (!endpoint) throw new TypeError('connectIcemu: give the URL of a running icemu');
  const icemu = new Icemu(endpoint, { adminEndpoint, adminToken });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = await healthy(icemu.endpoint);
    if (problem === null) return icemu;
    if (Date.now() >= deadline) throw new Error(`no icemu at ${icemu.endpoint} (${problem})`);
    await sleep(50);
  }
}

// The icemu console: every view and every action is a call of the public admin API under
// /_icemu/ (no private endpoint). With admin.token set, the token typed in is kept in this tab's
// sessionStorage and sent as X-Icemu-Admin-Token.
"use strict";

const POLL_MS = 1500;
const $ = (sel) => document.querySelector(sel);
let journalOpen = new Set(); // seqs of the expanded calls
let lastFaults = [];
const reasonDrafts = new Map(); // request id -> the failure reason being typed (kept across polls)

function token() {
  return sessionStorage.getItem("icemu-admin-token") || "";
}

async function api(method, path, body) {
  const headers = {};
  if (token()) headers["X-Icemu-Admin-Token"] = token();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await res.json();
  if (res.status === 401) {
    $("#token-form").hidden = false;
    throw new Error("the admin API needs its token: type it above");
  }
  if (!res.ok) throw new Error(`${method} ${path}: ${answer.message || res.status}`);
  return answer;
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function age(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

function fill(table, rows, render) {
  const body = $(table + " tbody");
  body.replaceChildren();
  for (const r of rows) render(body, r);
}

function shortId(id) {
  return id ? id.replace(/^ssoins-/, "").replace(/^ps-/, "") : "";
}

function renderScheduler(health, scheduler) {
  if (document.activeElement !== $("#mode")) $("#mode").value = scheduler.mode;
  $("#clock-offset").textContent = health.scheduler.clock_offset_ms;
  $("#clock-now").textContent = new Date(Date.now() + health.scheduler.clock_offset_ms)
    .toISOString();
  $("#in-flight").textContent = health.scheduler.in_flight;
  $("#version").textContent = "v" + health.version;
}

function renderRequests(requests, offset) {
  // Not while a failure reason is being typed: the rows would be replaced under the cursor.
  if (document.activeElement && document.activeElement.classList.contains("failure-reason")) return;
  const now = Date.now() + offset;
  requests.sort((a, b) => b.created_date - a.created_date);
  fill("#requests", requests, (body, r) => {
    const tr = document.createElement("tr");
    tr.dataset.requestId = r.request_id;
    cell(tr, r.request_id).className = "id";
    cell(tr, r.surface);
    cell(tr, r.kind);
    cell(tr, r.status, r.status);
    cell(tr, age(now - r.created_date));
    cell(tr, r.due_date ? (r.due_date > now ? "in " + age(r.due_date - now) : "now") : "—");
    cell(tr, r.failure_reason);
    const actions = cell(tr, "");
    if (r.status === "IN_PROGRESS") {
      const ok = document.createElement("button");
      ok.textContent = "Succeed";
      ok.className = "settle-succeeded";
      ok.onclick = () => act(() => api("POST", `/_icemu/requests/${r.request_id}/settle`,
                                       { status: "SUCCEEDED" }));
      const reason = document.createElement("input");
      reason.placeholder = "failure reason";
      reason.className = "failure-reason";
      reason.value = reasonDrafts.get(r.request_id) || "";
      reason.oninput = () => reasonDrafts.set(r.request_id, reason.value);
      const fail = document.createElement("button");
      fail.textContent = "Fail";
      fail.className = "settle-failed";
      fail.onclick = () => {
        const body = { status: "FAILED" };
        if (reason.value) body.failure_reason = reason.value;
        reasonDrafts.delete(r.request_id);
        act(() => api("POST", `/_icemu/requests/${r.request_id}/settle`, body));
      };
      actions.append(ok, " ", reason, " ", fail);
    }
    body.appendChild(tr);
  });
}

// Instances, and each permission set's provisioning per account: what it is provisioned to
// (current or behind its version) and the latest provisioning request for that account.
function renderState(state) {
  const sets = state.permission_sets;
  fill("#instances", state.instances, (body, i) => {
    const tr = document.createElement("tr");
    cell(tr, i.instance_id);
    cell(tr, i.owner_account_id);
    cell(tr, i.name);
    cell(tr, i.identity_store_id);
    cell(tr, sets.filter((p) => p.owner_account_id === i.owner_account_id).length);
    body.appendChild(tr);
  });
  // Each instance's users with the groups they are members of (a state without the identity
  // store's sections shows none).
  const groupsOf = new Map(); // user id -> group display names
  for (const m of state.group_memberships || [])
    groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) || []), m.group]);
  fill("#identity", state.users || [], (body, u) => {
    const tr = document.createElement("tr");
    const instance = state.instances.find((i) => i.identity_store_id === u.identity_store_id);
    cell(tr, instance ? instance.instance_id : u.identity_store_id);
    cell(tr, u.user_id).className = "id";
    cell(tr, u.user_name);
    cell(tr, u.display_name);
    cell(tr, u.status);
    cell(tr, (groupsOf.get(u.user_id) || []).join(", "));
    body.appendChild(tr);
  });
  const latest = new Map(); // "ps/account" -> newest PROVISION request
  for (const r of [...state.requests].sort((a, b) => b.created_date - a.created_date)) {
    if (r.kind !== "PROVISION") continue;
    const key = `${r.permission_set_id}/${r.account_id}`;
    if (!latest.has(key)) latest.set(key, r);
  }
  const rows = [];
  for (const p of sets) {
    const accounts = new Map(p.provisioned_accounts.map((a) => [a.account_id, a.current]));
    for (const r of latest.values())
      if (r.permission_set_id === p.permission_set_id && r.account_id && !accounts.has(r.account_id))
        accounts.set(r.account_id, null);
    if (accounts.size === 0) rows.push([p, null, null]);
    for (const [account, current] of accounts) rows.push([p, account, current]);
  }
  fill("#provisioning", rows, (body, [p, account, current]) => {
    const tr = document.createElement("tr");
    const instance = state.instances.find((i) => i.owner_account_id === p.owner_account_id);
    cell(tr, p.permission_set_id);
    cell(tr, p.name);
    cell(tr, instance ? instance.instance_id : "");
    cell(tr, account || "—");
    cell(tr, current === null ? "no" : current ? "yes (current)" : "yes (behind)");
    const r = account && latest.get(`${p.permission_set_id}/${account}`);
    cell(tr, r ? r.status : "", r ? r.status : "");
    body.appendChild(tr);
  });
}

function describeRule(rule) {
  const m = Object.entries(rule.match || {}).map(([k, v]) => `${k}=${v}`).join(", ");
  const effect = rule.error ? `error ${rule.error.code}`
    : `outcome ${rule.outcome.status}${rule.outcome.failure_reason ? ": " + rule.outcome.failure_reason : ""}`;
  return [m || "every call", effect + (rule.times ? ` (${rule.times} times)` : "")];
}

function renderFaults(rules) {
  lastFaults = rules;
  fill("#faults", rules.map((r, i) => [r, i]), (body, [rule, i]) => {
    const tr = document.createElement("tr");
    const [match, effect] = describeRule(rule);
    cell(tr, i);
    cell(tr, rule.source);
    cell(tr, match);
    cell(tr, effect);
    cell(tr, rule.hits, "hits");
    const actions = cell(tr, "");
    if (rule.source === "runtime") {
      const remove = document.createElement("button");
      remove.textContent = "Remove";
      remove.className = "remove-rule";
      remove.onclick = () => act(() => putRuntimeRules(runtimeRules().filter((r) => r !== rule)));
      actions.appendChild(remove);
    }
    body.appendChild(tr);
  });
}

// The run-time rules as PUT /_icemu/faults takes them (without hits and source).
function runtimeRules() {
  return lastFaults.filter((r) => r.source === "runtime");
}

function putRuntimeRules(rules) {
  const clean = rules.map((r) => {
    const { hits, source, ...rest } = r;
    return rest;
  });
  return api("PUT", "/_icemu/faults", { rules: clean });
}

function renderJournal(calls) {
  fill("#journal", calls, (body, c) => {
    const tr = document.createElement("tr");
    tr.className = "call";
    cell(tr, c.seq);
    cell(tr, new Date(c.time).toISOString().slice(11, 23));
    cell(tr, c.surface);
    cell(tr, c.operation);
    cell(tr, c.status, c.status >= 400 ? "FAILED" : "");
    cell(tr, c.error);
    cell(tr, c.account_id);
    cell(tr, c.duration_ms.toFixed(2));
    tr.onclick = () => {
      journalOpen.has(c.seq) ? journalOpen.delete(c.seq) : journalOpen.add(c.seq);
      refresh();
    };
    body.appendChild(tr);
    if (journalOpen.has(c.seq)) {
      const details = document.createElement("tr");
      details.className = "bodies";
      const td = document.createElement("td");
      td.colSpan = 8;
      const show = (label, value, truncated) => {
        const pre = document.createElement("pre");
        const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
        pre.textContent = `${label}${truncated ? " (truncated)" : ""}: ${c.method} ${c.path}\n${text}`;
        return pre;
      };
      td.append(show("request", c.request, c.request_truncated),
                show("response", c.response, c.response_truncated));
      details.appendChild(td);
      body.appendChild(details);
    }
  });
}

async function refresh() {
  try {
    const [health, state, faults, journal] = await Promise.all([
      api("GET", "/_icemu/health"), api("GET", "/_icemu/state"), api("GET", "/_icemu/faults"),
      api("GET", "/_icemu/journal?limit=100"),
    ]);
    renderScheduler(health, state.scheduler);
    renderRequests(state.requests, health.scheduler.clock_offset_ms);
    renderState(state);
    renderFaults(faults.rules);
    renderJournal(journal.calls);
    $("#status").textContent = "live";
    $("#error").textContent = "";
  } catch (e) {
    $("#status").textContent = "offline";
    $("#error").textContent = e.message;
  }
}

async function act(fn) {
  try {
    await fn();
    $("#error").textContent = "";
  } catch (e) {
    $("#error").textContent = e.message;
  }
  await refresh();
}

$("#token-form").onsubmit = (e) => {
  e.preventDefault();
  sessionStorage.setItem("icemu-admin-token", $("#token").value);
  $("#token-form").hidden = true;
  refresh();
};
$("#mode").onchange = () => act(() => api("PUT", "/_icemu/scheduler", { mode: $("#mode").value }));
$("#advance-form").onsubmit = (e) => {
  e.preventDefault();
  act(() => api("POST", "/_icemu/clock/advance", { ms: Number($("#advance-ms").value) }));
};
$("#reset").onclick = () => {
  if (confirm("Erase every resource and request of the sandbox?"))
    act(() => api("POST", "/_icemu/reset"));
};
const ERROR_CODES = {
  throttling: "ThrottlingException", internal: "InternalServerException",
  access_denied: "AccessDeniedException", conflict: "ConflictException",
};
$("#fault-form").onsubmit = (e) => {
  e.preventDefault();
  const match = {};
  if ($("#fault-operation").value) match.operation = $("#fault-operation").value;
  if ($("#fault-surface").value) match.surface = $("#fault-surface").value;
  const rule = { match, error: { code: ERROR_CODES[$("#fault-error").value] } };
  act(() => putRuntimeRules([...runtimeRules(), rule]));
};

refresh();
setInterval(refresh, POLL_MS);

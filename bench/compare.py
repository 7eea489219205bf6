#!/usr/bin/env python3
"""icemu's benchmark: icemu as shipped against moto_server and nginx (a fixed body), with wrk.

Run it through bench/compare.sh, which installs wrk and nginx, builds icemu and passes the paths
here. This script starts and stops every target itself, prepares their state through the API
(boto3), runs every workload against the targets in turn (icemu, nginx, moto, icemu, ...: the
noise of a shared machine spreads over all three), and prints a table, the ratios and the
budgets. icemu runs with its shipped configuration (info logs, the auto scheduler with its
default delays, so that the writes of a run settle during it) unless --icemu-arg says otherwise,
and every table says which. wrk runs one thread on a machine of two cores or fewer: a second one
would take the core nginx needs (--threads auto). The huawei-* workloads make the same calls on
the Huawei Cloud surface (/v1/...) over the same state; moto has no Huawei API, so they run on
icemu and nginx only. `--scale` compares icemu on 1,000 and on 1,000,000 stored requests (filled
by icemu_fill through the store), and reports cold start and RssAnon.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
OWNER = "123456789012"
PRINCIPAL = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
HEALTH_REQUEST = b"GET /_icemu/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float, name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode} while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout} s")


def health_ok(port: int) -> bool:
    """One GET /_icemu/health; True on a 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(HEALTH_REQUEST)
            head = s.recv(64)
            return head.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def in_flight(port: int) -> int | None:
    """Requests IN_PROGRESS, as GET /_icemu/health says; None when it does not answer."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/_icemu/health")
        answer = conn.getresponse()
        data = json.loads(answer.read())
        conn.close()
        return int(data["scheduler"]["in_flight"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def wait_settled(port: int, limit: float) -> int | None:
    """Waits (at most `limit` s) until nothing is IN_PROGRESS; returns what still is."""
    deadline = time.monotonic() + limit
    left = in_flight(port)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = in_flight(port)
    return left


def rss_anon_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_ticks(pid: int) -> int | None:
    """User + system clock ticks of every thread of the process so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    except (OSError, IndexError, ValueError):
        return None


def wait_idle(pid: int, name: str, quiet: float = 0.3, limit: float = 15.0) -> None:
    """Waits until the process has used no CPU for `quiet` seconds (at most `limit`): a server
    still working off the requests of a run that wrk has ended (moto, whose threads finish
    what was queued) would otherwise slow whatever runs next and skew its ratios."""
    started = time.monotonic()
    last = cpu_ticks(pid)
    still_since = time.monotonic()
    while time.monotonic() - started < limit:
        time.sleep(0.05)
        now = cpu_ticks(pid)
        if now is None:
            return
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            break
    busy = time.monotonic() - started - quiet
    if busy > 0.5:
        log(f"{name} kept working {busy:.1f} s after the run")


def stop(proc: subprocess.Popen | None, name: str) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log(f"{name} ignored SIGTERM for 10 s; killing it")
        proc.kill()
        proc.wait()


# --------------------------------------------------------------------------------------------
# Targets


@dataclass
class Target:
    name: str
    port: int
    proc: subprocess.Popen
    instance_arn: str = ""
    ps_arn: str = ""
    ids: dict[str, str] = field(default_factory=dict)  # read op -> file of ids
    tokens: dict[str, str] = field(default_factory=dict)  # list workload -> NextToken
    deep_page: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # The same instance and permission set as the Huawei surface names them: ins-<hex> for the
    # ARN's ssoins-<hex>, ps-<hex> for the ARN's last segment.
    @property
    def huawei_instance(self) -> str:
        return "ins-" + self.instance_arn.rsplit("/ssoins-", 1)[-1] if self.instance_arn else ""

    @property
    def huawei_ps(self) -> str:
        return "ps-" + self.ps_arn.rsplit("/ps-", 1)[-1] if self.ps_arn else ""


def start_icemu(binary: str, db: str, workdir: str, extra: list[str],
                name: str = "icemu") -> Target:
    """icemu on a free port over `db`, with its shipped configuration and `extra` flags; its log
    (stdout and stderr, info lines included) goes to <workdir>/<name>.log."""
    port_file = os.path.join(workdir, f"{name}.port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    err = open(os.path.join(workdir, f"{name}.log"), "ab")
    proc = subprocess.Popen(
        [binary, "--listen", "127.0.0.1:0", "--port-file", port_file, "--db", db] + extra,
        stdout=err, stderr=err, cwd=workdir)
    deadline = time.monotonic() + 30
    while not os.path.exists(port_file):
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode}; see {err.name}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} wrote no port file within 30 s")
        time.sleep(0.005)
    port = int(open(port_file).read())
    while not health_ok(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} never answered 200 on /_icemu/health; see {err.name}")
        time.sleep(0.005)
    return Target(name, port, proc)


def start_moto(workdir: str) -> Target:
    port = free_port()
    err = open(os.path.join(workdir, "moto.log"), "ab")
    proc = subprocess.Popen([shutil.which("moto_server") or "moto_server", "-H", "127.0.0.1",
                             "-p", str(port)], stdout=err, stderr=err, cwd=workdir)
    wait_for_port(port, proc, 60, "moto_server")
    return Target("moto", port, proc)


def start_nginx(binary: str, body: bytes, huawei_body: bytes, workers: str,
                workdir: str) -> Target:
    """nginx answering every request with a fixed 200: `body` (icemu's AWS Describe answer) on
    `/`, `huawei_body` (its Huawei one, as application/json) on `/v1/`."""
    root = os.path.join(workdir, "nginx")
    os.makedirs(os.path.join(root, "logs"), exist_ok=True)
    port = free_port()
    text, huawei_text = body.decode(), huawei_body.decode()
    for t in (text, huawei_text):
        if "'" in t or "$" in t or "\\" in t:
            raise RuntimeError("the read answer holds a character nginx's return would interpret")
    conf = f"""
worker_processes {workers};
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 75s;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            default_type application/x-amz-json-1.1;
            return 200 '{text}';
        }}
        location /v1/ {{
            default_type application/json;
            return 200 '{huawei_text}';
        }}
    }}
}}
"""
    path = os.path.join(root, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    err = open(os.path.join(workdir, "nginx.stderr"), "ab")
    proc = subprocess.Popen([binary, "-p", root, "-c", path], stdout=err, stderr=err)
    wait_for_port(port, proc, 10, "nginx")
    return Target("nginx", port, proc)


# --------------------------------------------------------------------------------------------
# State, through the API


def sso_client(target: Target):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "sso-admin", endpoint_url=target.url.rstrip("/"), region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=4))


def write_ids(workdir: str, name: str, ids: list[str]) -> str:
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        f.write("\n".join(ids) + "\n")
    return path


def prepare_api_state(target: Target, provisions: int, assignments: int, workdir: str) -> None:
    """A permission set, `provisions` provisioning requests and `assignments` assignment
    creations, each to its own account (accounts 9xxxxxxxxxxx: the writes use others)."""
    sso = sso_client(target)
    target.instance_arn = sso.list_instances()["Instances"][0]["InstanceArn"]
    target.ps_arn = sso.create_permission_set(
        InstanceArn=target.instance_arn, Name="bench")["PermissionSet"]["PermissionSetArn"]
    created, provisioned = [], []
    for n in range(assignments):
        created.append(sso.create_account_assignment(
            InstanceArn=target.instance_arn, PermissionSetArn=target.ps_arn,
            TargetId=f"{900000000000 + n:012d}", TargetType="AWS_ACCOUNT", PrincipalType="USER",
            PrincipalId=PRINCIPAL)["AccountAssignmentCreationStatus"]["RequestId"])
    target.ids["DescribeAccountAssignmentCreationStatus"] = write_ids(
        workdir, f"{target.name}-assignment-ids.txt", created)
    if target.name == "moto":
        return  # moto has neither DescribePermissionSetProvisioningStatus nor the status lists
    for n in range(provisions):
        provisioned.append(sso.provision_permission_set(
            InstanceArn=target.instance_arn, PermissionSetArn=target.ps_arn,
            TargetType="AWS_ACCOUNT", TargetId=f"{910000000000 + n:012d}",
        )["PermissionSetProvisioningStatus"]["RequestId"])
    target.ids["DescribePermissionSetProvisioningStatus"] = write_ids(
        workdir, f"{target.name}-provision-ids.txt", provisioned)


def capture_deep_token(target: Target, page: int) -> None:
    """Walks ListPermissionSetProvisioningStatus (MaxResults 100) to the token of `page`."""
    target.deep_page = page
    if page <= 1:
        target.tokens["deep"] = ""
        return
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
    headers = {"X-Amz-Target": "SWBExternalService.ListPermissionSetProvisioningStatus",
               "Content-Type": "application/x-amz-json-1.1"}
    token = None
    for n in range(1, page):
        body = {"InstanceArn": target.instance_arn, "MaxResults": 100}
        if token:
            body["NextToken"] = token
        conn.request("POST", "/", json.dumps(body), headers)
        answer = conn.getresponse()
        data = json.loads(answer.read())
        if answer.status != 200:
            raise RuntimeError(f"listing page {n} answered {answer.status}: {data}")
        token = data.get("NextToken")
        if not token:
            raise RuntimeError(f"the list ended at page {n}, before page {page}")
    conn.close()
    target.tokens["deep"] = token


# What bench/lua/common.lua's bench.huawei_headers() sends, less the (unchecked) signature.
HUAWEI_HEADERS = {"Content-Type": "application/json",
                  "X-Domain-Id": "0a6d25d23900d45c0faac010e0fb4de0"}


def huawei_get(target: Target, path: str) -> bytes:
    """One GET on the Huawei surface, `path` under /v1/instances/ins-<hex>; the body of its 200."""
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
    conn.request("GET", f"/v1/instances/{target.huawei_instance}{path}", headers=HUAWEI_HEADERS)
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    if answer.status != 200:
        raise RuntimeError(f"GET {path} answered {answer.status}: {body!r}")
    return body


def capture_huawei_marker(target: Target, page: int) -> None:
    """Walks GET .../permission-sets/provisioning-statuses?limit=100 to the marker of `page`."""
    if page <= 1:
        target.tokens["huawei-deep"] = ""
        return
    marker = None
    for n in range(1, page):
        query = "?limit=100" + (f"&marker={urllib.parse.quote(marker, safe='')}" if marker else "")
        data = json.loads(huawei_get(target, "/permission-sets/provisioning-statuses" + query))
        marker = data["page_info"]["next_marker"]
        if not marker:
            raise RuntimeError(f"the Huawei list ended at page {n}, before page {page}")
    target.tokens["huawei-deep"] = urllib.parse.quote(marker, safe="")


def read_answer(target: Target, op: str, member: str, request_id: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
    conn.request("POST", "/", json.dumps({"InstanceArn": target.instance_arn, member: request_id}),
                 {"X-Amz-Target": f"SWBExternalService.{op}",
                  "Content-Type": "application/x-amz-json-1.1"})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    if answer.status != 200:
        raise RuntimeError(f"{op} answered {answer.status}: {body!r}")
    return body


# --------------------------------------------------------------------------------------------
# Workloads


@dataclass(frozen=True)
class Workload:
    key: str
    script: str
    op: str
    kind: str  # read | write | list
    moto_op: str | None  # what moto runs instead (None: the same op)
    surface: str = "aws"  # aws | huawei (no moto run: moto has no Huawei API)
    help: str = ""

    @property
    def nginx_script(self) -> str:
        """What nginx runs: a Describe of the same surface (nginx ignores the request)."""
        return "huawei_read.lua" if self.surface == "huawei" else "read.lua"


STAND_IN = "DescribeAccountAssignmentCreationStatus"
WORKLOADS = [
    Workload("read-assignment", "read.lua", "DescribeAccountAssignmentCreationStatus", "read", None,
             help="DescribeAccountAssignmentCreationStatus, rotating through the prepared ids"),
    Workload("read-provision", "read.lua", "DescribePermissionSetProvisioningStatus", "read",
             STAND_IN, help="DescribePermissionSetProvisioningStatus (moto: *)"),
    Workload("list-page1", "list.lua", "ListPermissionSetProvisioningStatus", "list", STAND_IN,
             help="ListPermissionSetProvisioningStatus, MaxResults 100, page 1 (moto: *)"),
    Workload("list-deep", "list.lua", "ListPermissionSetProvisioningStatus", "list", STAND_IN,
             help="the same, NextToken of page prepare/100 (20), walked to beforehand (moto: *)"),
    # The same calls on the Huawei surface, over the same state (the ids above).
    Workload("huawei-read-assignment", "huawei_read.lua",
             "DescribeAccountAssignmentCreationStatus", "read", None, "huawei",
             "GET .../account-assignments/creation-status/{request_id}"),
    Workload("huawei-read-provision", "huawei_read.lua",
             "DescribePermissionSetProvisioningStatus", "read", None, "huawei",
             "GET .../permission-sets/provisioning-status/{request_id}"),
    Workload("huawei-list-page1", "huawei_list.lua", "ListPermissionSetProvisioningStatus", "list",
             None, "huawei", "GET .../permission-sets/provisioning-statuses?limit=100, page 1"),
    Workload("huawei-list-deep", "huawei_list.lua", "ListPermissionSetProvisioningStatus", "list",
             None, "huawei", "the same, &marker= of page prepare/100, walked to beforehand"),
    # Writes last: they add rows, which must not change what the reads above measure.
    Workload("write-provision", "write.lua", "ProvisionPermissionSet", "write", None,
             help="ProvisionPermissionSet to a new 12-digit account each call"),
    Workload("write-assignment", "write.lua", "CreateAccountAssignment", "write", None,
             help="CreateAccountAssignment to a new account each call"),
    Workload("huawei-write-provision", "huawei_write.lua", "ProvisionPermissionSet", "write", None,
             "huawei", "POST .../permission-sets/{ps}/provision, a new 32-hex account each call"),
    Workload("huawei-write-assignment", "huawei_write.lua", "CreateAccountAssignment", "write",
             None, "huawei", "POST .../account-assignments/create to a new account each call"),
]
# Names that select a group of workloads in --workloads.
WORKLOAD_GROUPS = {
    "aws": [w.key for w in WORKLOADS if w.surface == "aws"],
    "huawei": [w.key for w in WORKLOADS if w.surface == "huawei"],
}


@dataclass
class Result:
    target: str
    workload: str
    connections: int
    rps: float
    p50_us: int
    p99_us: int
    non2xx: int
    socket_errors: int
    requests: int
    note: str = ""
    settled: int | None = None  # icemu writes: requests of the run it settled before the run ended


class Runner:
    def __init__(self, args, workdir: str, threads: int):
        self.args = args
        self.workdir = workdir
        self.threads = threads
        self.account_base = 100000000000
        self.runs = 0

    def wrk(self, target: Target, workload: Workload, connections: int, op: str,
            token: str | None = None, ids: str | None = None,
            threads: int | None = None) -> Result:
        self.runs += 1
        env = dict(os.environ, BENCH_DIR=BENCH_DIR, BENCH_OP=op,
                   BENCH_INSTANCE_ARN=target.instance_arn or "arn:aws:sso:::instance/ssoins-0",
                   BENCH_PS_ARN=target.ps_arn or "-", BENCH_PRINCIPAL_ID=PRINCIPAL,
                   BENCH_INSTANCE_ID=target.huawei_instance or "ins-0",
                   BENCH_PS_ID=target.huawei_ps or "-",
                   BENCH_ACCOUNT_BASE=str(self.account_base), BENCH_TOKEN=token or "",
                   BENCH_IDS=ids or "")
        # Every write run starts at a new block of accounts (10^8 per wrk thread).
        self.account_base += 1000000000
        script = workload.script
        if target.name == "nginx" or op != workload.op:
            script = workload.nginx_script  # nginx ignores the request; moto's stand-in: Describe
        threads = max(1, min(threads or self.threads, connections))
        # icemu's writes settle 1-3 s after their answers (auto scheduler): how many of this
        # run's did before it ended tells that settling went on during the run.
        counts = target.name.startswith("icemu") and workload.kind == "write"
        before = in_flight(target.port) if counts else None
        cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{self.args.duration:g}s",
               "--timeout", "5s", "-s", os.path.join(BENCH_DIR, script), target.url]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True)
        after = in_flight(target.port) if counts else None
        line = next((l for l in out.stdout.splitlines() if l.startswith("BENCH_RESULT ")), None)
        if out.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({out.returncode}) on {target.name} {workload.key}:\n"
                               f"{out.stdout}\n{out.stderr}")
        data = json.loads(line.split(" ", 1)[1])
        result = Result(target.name, workload.key, connections, data["rps"], data["p50_us"],
                        data["p99_us"], data["non2xx"], data["socket_errors"], data["requests"])
        if before is not None and after is not None:
            result.settled = max(0, before + data["requests"] - after)
        if counts:
            # What is left settles before the next target runs, not during its run.
            left = wait_settled(target.port, self.args.settle_wait)
            if left:
                log(f"{target.name}: {left} requests still IN_PROGRESS "
                    f"{self.args.settle_wait:g} s after the run")
        wait_idle(target.proc.pid, target.name)
        return result


def median_result(results: list[Result]) -> Result:
    first = results[0]
    settled = [r.settled for r in results if r.settled is not None]
    return Result(first.target, first.workload, first.connections,
                  statistics.median(r.rps for r in results),
                  int(statistics.median(r.p50_us for r in results)),
                  int(statistics.median(r.p99_us for r in results)),
                  sum(r.non2xx for r in results), sum(r.socket_errors for r in results),
                  sum(r.requests for r in results), first.note,
                  sum(settled) if settled else None)


def ms(us: int) -> str:
    return f"{us / 1000:.2f}"


def setup_lines(args) -> list[str]:
    """How this run measured, printed above every table: what differs from the shipped
    configuration and the default load generator says so."""
    if args.icemu_args:
        icemu = ("icemu NOT as shipped (options given): " + " ".join(args.icemu_args))
    else:
        icemu = ("icemu as shipped: info logs, auto scheduler with its default delays "
                 "(1000-3000 ms), so writes settle during the run")
    threads = f"wrk {args.threads_used} thread{'s' if args.threads_used > 1 else ''}"
    threads += f" ({args.threads_why})" if args.threads_why else " (option given)"
    rounds = f"median of {args.rounds} rounds" if args.rounds > 1 else "1 round"
    return [icemu,
            f"{threads}, {args.duration:g} s a run, {rounds}, targets in turn; "
            f"nginx {args.nginx_workers} worker(s)"]


def print_setup(args) -> None:
    for line in setup_lines(args):
        print(f"# {line}")


def print_table(results: list[Result], args) -> None:
    print()
    print_setup(args)
    print(f"{'target':<10} {'workload':<23} {'conns':>5} {'req/s':>10} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'non-2xx':>8} {'sock err':>8}  note")
    print("-" * 101)
    for r in results:
        note = r.note
        if r.settled is not None and r.requests:
            note = (note + "; " if note else "") + \
                f"{100 * r.settled / r.requests:.0f}% settled during the run"
        print(f"{r.target:<10} {r.workload:<23} {r.connections:>5} {r.rps:>10.0f} "
              f"{ms(r.p50_us):>8} {ms(r.p99_us):>8} {r.non2xx:>8} {r.socket_errors:>8}  {note}")


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "n/a"
    return f"{a / b:.2f}"


# The budgets, at 32 connections with the shipped configuration: (icemu/moto, icemu/nginx) by
# kind of workload; p99 under 5 ms for both kinds.
BUDGETS = {"read": (100, 0.5), "write": (60, 0.2)}
P99_BUDGET_MS = 5
COLD_START_BUDGET_MS = 20


def print_ratios(results: list[Result], connections: list[int], args) -> None:
    by = {(r.target, r.workload, r.connections): r for r in results}
    print()
    print_setup(args)
    print(f"{'workload':<23} {'conns':>5} {'icemu/moto':>11} {'icemu/nginx':>12}")
    print("-" * 55)
    for w in WORKLOADS:
        for c in connections:
            i = by.get(("icemu", w.key, c))
            if i is None:
                continue
            m = by.get(("moto", w.key, c))
            n = by.get(("nginx", w.key, c))
            mark = " *" if w.moto_op and m else ""
            to_moto = "—" if w.surface == "huawei" else ratio(i.rps, m.rps if m else None) + mark
            print(f"{w.key:<23} {c:>5} {to_moto:>11} {ratio(i.rps, n.rps if n else None):>12}")
    surfaces = {w.surface for w in WORKLOADS if ("icemu", w.key) in {k[:2] for k in by}}
    if "aws" in surfaces:
        print("(* moto lacks the operation: its row runs DescribeAccountAssignmentCreationStatus)")
    if "huawei" in surfaces:
        print("(— moto has no Huawei API: the huawei-* workloads run on icemu and nginx only)")

    print()
    print("budgets, icemu (reads and writes at 32 connections; other counts for comparison):")
    checks: list[tuple[str, str, bool | None, str]] = []

    def check(label: str, value: float | None, limit: float, above: bool, fmt: str,
              note: str = "") -> None:
        if value is None:
            checks.append((label, "n/a", None, ""))
            return
        ok = value >= limit if above else value < limit
        checks.append((label, fmt.format(value), ok, note))

    ceiling_below = False
    budgeted = [w for w in WORKLOADS if w.kind in BUDGETS]
    for c in connections:
        for w in budgeted:
            i = by.get(("icemu", w.key, c))
            m = by.get(("moto", w.key, c))
            n = by.get(("nginx", w.key, c))
            if i is None:
                continue
            star = " (moto: stand-in op)" if w.moto_op else ""
            moto_min, nginx_min = BUDGETS[w.kind]
            if w.surface == "aws":
                # The fixed-body nginx's own ratio to moto: the most any server could show here.
                ceiling = n.rps / m.rps if n and m and m.rps else None
                note = f"(nginx/moto {ceiling:.1f})" if ceiling is not None else ""
                ceiling_below |= ceiling is not None and ceiling < moto_min
                check(f"{w.key} c={c}: icemu/moto >= {moto_min}{star}",
                      i.rps / m.rps if m and m.rps else None, moto_min, True, "{:.1f}", note)
            check(f"{w.key} c={c}: icemu/nginx >= {nginx_min}",
                  i.rps / n.rps if n and n.rps else None, nginx_min, True, "{:.2f}")
    for w in budgeted:
        i = by.get(("icemu", w.key, 32))
        if i is not None:
            check(f"{w.key} c=32: p99 < {P99_BUDGET_MS} ms", i.p99_us / 1000, P99_BUDGET_MS,
                  False, "{:.2f} ms")
    bad = sum(r.non2xx + r.socket_errors for r in results if r.target == "icemu")
    check("icemu non-2xx + socket errors, all runs = 0", float(bad), 0.5, False, "{:.0f}")
    for label, value, ok, *note in checks:
        verdict = "n/a" if ok is None else ("ok" if ok else "MISS")
        print(f"  {label:<62} {value:>10}  {verdict} {''.join(note)}".rstrip())
    if ceiling_below:
        print("  (nginx/moto below a moto budget: not even the fixed body reaches it at that "
              "connection count,\n   where the round trip, not the server, sets the rate)")
    if args.icemu_args:
        print("  (icemu ran with options given, not as shipped: the budgets hold for the shipped "
              "configuration)")


# --------------------------------------------------------------------------------------------
# The comparison


def choose_threads(args, workdir: str, nginx: Target) -> None:
    """Sets args.threads_used: the number given, or (auto) 1 on a machine of two cores or
    fewer; with more, 1 or 2, whichever lets nginx answer faster (a generator that takes the
    core the server needs slows the baseline, not only the generator)."""
    if args.threads != "auto":
        args.threads_used, args.threads_why = int(args.threads), ""
        return
    cores = os.cpu_count() or 1
    if cores <= 2:
        args.threads_used = 1
        args.threads_why = f"auto: {cores} cores, one for wrk and one for the server"
        return
    probe = Runner(args, workdir, 1)
    read = next(w for w in WORKLOADS if w.key == "read-assignment")
    op = "DescribeAccountAssignmentCreationStatus"
    rates = {t: probe.wrk(nginx, read, 32, op, ids=nginx.ids.get(op), threads=t).rps
             for t in (1, 2)}
    args.threads_used = max(rates, key=lambda t: rates[t])
    args.threads_why = (f"auto: {cores} cores; nginx answered {rates[1]:.0f} req/s with 1 wrk "
                        f"thread, {rates[2]:.0f} with 2")


def run_compare(args, workdir: str) -> None:
    connections = args.connections
    selected = [w for w in WORKLOADS if not args.workloads or w.key in args.workloads]
    aws_selected = any(w.surface == "aws" for w in selected)
    icemu = moto = nginx = None
    try:
        log("starting icemu (" + (" ".join(args.icemu_args) or "its shipped configuration") +
            ", temporary database)")
        icemu = start_icemu(args.icemu, os.path.join(workdir, "icemu.db"), workdir,
                            args.icemu_args)
        log(f"preparing icemu: {args.prepare} provisioning requests, {args.prepare // 2} "
            "assignment creations through boto3")
        prepare_api_state(icemu, args.prepare, args.prepare // 2, workdir)
        # The reads see the requests as they stay: settled (in the auto scheduler's 1-3 s).
        left = wait_settled(icemu.port, args.settle_wait)
        if left:
            log(f"icemu: {left} prepared requests still IN_PROGRESS (not settled by time)")
        deep = max(1, args.prepare // 100)
        capture_deep_token(icemu, deep)
        capture_huawei_marker(icemu, deep)
        icemu.tokens["page1"] = ""

        # nginx's fixed bodies: icemu's answer to the same assignment's Describe, on each surface
        # (one body per surface, whatever the workload).
        ids = open(icemu.ids["DescribeAccountAssignmentCreationStatus"]).readline().strip()
        body = read_answer(icemu, "DescribeAccountAssignmentCreationStatus",
                           "AccountAssignmentCreationRequestId", ids)
        huawei_body = huawei_get(icemu, f"/account-assignments/creation-status/{ids}")
        log(f"nginx body: icemu's DescribeAccountAssignmentCreationStatus answer, {len(body)} "
            f"bytes; on /v1/, its Huawei answer (GET .../creation-status/{{id}}), "
            f"{len(huawei_body)} bytes")

        nginx = start_nginx(args.nginx, body, huawei_body, args.nginx_workers, workdir)
        nginx.ids["DescribeAccountAssignmentCreationStatus"] = \
            icemu.ids["DescribeAccountAssignmentCreationStatus"]
        nginx.instance_arn = icemu.instance_arn
        targets = [icemu, nginx]
        if args.moto and aws_selected:
            log("starting moto_server")
            moto = start_moto(workdir)
            log(f"preparing moto: {args.prepare // 2} assignment creations through boto3")
            prepare_api_state(moto, 0, args.prepare // 2, workdir)
            targets.append(moto)
        choose_threads(args, workdir, nginx)
        log(f"wrk: {args.threads_used} thread(s)" +
            (f" ({args.threads_why})" if args.threads_why else ""))

        def targets_of(w: Workload) -> list[Target]:
            return [t for t in targets if not (t is moto and w.surface == "huawei")]

        runner = Runner(args, workdir, args.threads_used)
        results: list[Result] = []
        total = sum(len(targets_of(w)) for w in selected) * len(connections) * args.rounds
        log(f"{total} wrk runs of {args.duration:g} s each, in this order: "
            + ", ".join(t.name for t in targets) + ", ... (moto: AWS workloads only)")
        for w in selected:
            deep_key = {"list-deep": "deep", "huawei-list-deep": "huawei-deep"}.get(w.key, "page1")
            for c in connections:
                per_target: dict[str, list[Result]] = {t.name: [] for t in targets_of(w)}
                for _ in range(args.rounds):
                    for t in targets_of(w):
                        op = w.op
                        note = ""
                        if t is moto and w.moto_op:
                            op, note = w.moto_op, f"* moto runs {w.moto_op}"
                        if t is nginx:
                            op, note = "DescribeAccountAssignmentCreationStatus", "fixed body"
                        token = t.tokens.get(deep_key)
                        r = runner.wrk(t, w, c, op, token=token, ids=t.ids.get(op))
                        r.note = note
                        if t is icemu and deep_key != "page1":
                            r.note = f"page {icemu.deep_page}"
                        per_target[t.name].append(r)
                        settled = (f"  settled during the run {r.settled}/{r.requests}"
                                   if r.settled is not None else "")
                        log(f"{t.name:<6} {w.key:<23} c={c:<4} {r.rps:>9.0f} req/s  "
                            f"p99 {ms(r.p99_us)} ms  non-2xx {r.non2xx}{settled}")
                for t in targets_of(w):
                    results.append(median_result(per_target[t.name]))
        rss = rss_anon_kib(icemu.proc.pid)
        print_table(results, args)
        print_ratios(results, connections, args)
        if rss is not None:
            print(f"\nicemu RssAnon after the load: {rss / 1024:.1f} MiB "
                  f"{'ok' if rss < 64 * 1024 else 'MISS'} (budget < 64 MiB)")
        if not args.moto and aws_selected and not args.no_moto:
            print("\nmoto_server was not found on PATH: its rows and the icemu/moto ratios are "
                  "missing.")
    finally:
        for t, name in ((icemu, "icemu"), (moto, "moto_server"), (nginx, "nginx")):
            stop(t.proc if t else None, name)


# --------------------------------------------------------------------------------------------
# Scale: 1,000 against 1,000,000 stored requests, cold start, RssAnon


def fill(args, workdir: str, name: str, requests: int) -> dict:
    db = os.path.join(workdir, f"{name}.db")
    started = time.monotonic()
    out = subprocess.run(
        [args.fill, "--db", db, "--requests", str(requests), "--samples", "10000",
         "--assignment-every", "100", "--provision-ids", os.path.join(workdir, f"{name}-p.txt"),
         "--assignment-ids", os.path.join(workdir, f"{name}-a.txt")],
        capture_output=True, text=True, check=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    info.update(db=db, provisions=requests - requests // 100,
                p_ids=os.path.join(workdir, f"{name}-p.txt"),
                a_ids=os.path.join(workdir, f"{name}-a.txt"))
    log(f"filled {db}: {requests} requests in {time.monotonic() - started:.1f} s")
    return info


def cold_start(binary: str, db: str | None, workdir: str, runs: int,
               extra: list[str]) -> list[float]:
    """Milliseconds from exec to the first 200 on /_icemu/health; a tight polling loop."""
    times = []
    for n in range(runs):
        path = db or os.path.join(workdir, f"cold-{n}.db")
        port = free_port()
        cmd = [binary, "--listen", f"127.0.0.1:{port}", "--db", path] + extra
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                close_fds=False)
        try:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                        s.sendall(HEALTH_REQUEST)
                        if s.recv(64).startswith(b"HTTP/1.1 200"):
                            break
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError(f"icemu exited with {proc.returncode} during start")
            times.append((time.perf_counter() - started) * 1000)
        finally:
            stop(proc, "icemu")
    return times


def run_scale(args, workdir: str) -> None:
    small_info = fill(args, workdir, "small", args.scale_small)
    big_info = fill(args, workdir, "big", args.scale_big)
    small = big = None
    try:
        small = start_icemu(args.icemu, small_info["db"], workdir, args.icemu_args,
                            f"icemu-{args.scale_small}")
        big = start_icemu(args.icemu, big_info["db"], workdir, args.icemu_args,
                          f"icemu-{args.scale_big}")
        for t, info in ((small, small_info), (big, big_info)):
            t.instance_arn = f"arn:aws:sso:::instance/ssoins-{info['instance_id']}"
            t.ids["DescribePermissionSetProvisioningStatus"] = info["p_ids"]
            t.ids["DescribeAccountAssignmentCreationStatus"] = info["a_ids"]
            t.tokens["page1"] = ""
            page = min(10000, max(1, info["provisions"] // 100))
            started = time.monotonic()
            capture_deep_token(t, page)
            log(f"{t.name}: token of page {page} after {time.monotonic() - started:.1f} s of walking")

        # No baseline here: one wrk thread unless a number was given.
        if args.threads == "auto":
            args.threads_used, args.threads_why = 1, "auto: no nginx in this mode"
        else:
            args.threads_used, args.threads_why = int(args.threads), ""
        runner = Runner(args, workdir, args.threads_used)
        wl = {w.key: w for w in WORKLOADS}
        keys = ["read-provision", "read-assignment", "list-page1", "list-deep"]
        results: list[Result] = []
        for key in keys:
            w = wl[key]
            for c in args.connections:
                per: dict[str, list[Result]] = {small.name: [], big.name: []}
                for _ in range(args.rounds):
                    for t in (small, big):
                        token = t.tokens.get("deep" if key == "list-deep" else "page1")
                        r = runner.wrk(t, w, c, w.op, token=token, ids=t.ids.get(w.op))
                        if key == "list-deep":
                            r.note = f"page {t.deep_page}"
                        per[t.name].append(r)
                        log(f"{t.name:<14} {key:<16} c={c:<4} {r.rps:>9.0f} req/s  "
                            f"p99 {ms(r.p99_us)} ms  non-2xx {r.non2xx}")
                results.extend(median_result(per[t.name]) for t in (small, big))
        rss = {t.name: rss_anon_kib(t.proc.pid) for t in (small, big)}
    finally:
        stop(small.proc if small else None, "icemu")
        stop(big.proc if big else None, "icemu")

    print_table(results, args)
    by = {(r.target, r.workload, r.connections): r for r in results}
    print()
    print_setup(args)
    print("scale budgets:")
    for c in args.connections:
        for key in ("read-provision", "read-assignment", "list-page1", "list-deep"):
            s, b = by[(small.name, key, c)], by[(big.name, key, c)]
            value = b.rps / s.rps if s.rps else 0
            print(f"  {key:<16} c={c:<4} {args.scale_big} / {args.scale_small} stored: "
                  f"{value:.2f} of the req/s  {'ok' if value >= 0.75 else 'MISS'} (>= 0.75)")
        for t in (small, big):
            p1, deep = by[(t.name, "list-page1", c)], by[(t.name, "list-deep", c)]
            value = deep.rps / p1.rps if p1.rps else 0
            print(f"  list page {t.deep_page} / page 1 on {t.name} c={c}: {value:.2f} of the "
                  f"req/s  {'ok' if value >= 0.75 else 'MISS'} (>= 0.75)")
    for name, kib in rss.items():
        if kib is not None:
            print(f"  RssAnon of {name} after the load: {kib / 1024:.1f} MiB "
                  f"{'ok' if kib < 64 * 1024 else 'MISS'} (< 64 MiB)")

    for label, db in (("a new database", None), (f"{args.scale_big} stored requests", big_info["db"])):
        times = cold_start(args.icemu, db, workdir, args.cold_runs, args.icemu_args)
        med = statistics.median(times)
        print(f"  cold start, exec to 200 on /_icemu/health, {label}: median {med:.1f} ms of "
              f"{len(times)} (min {min(times):.1f}, max {max(times):.1f})  "
              f"{'ok' if med < COLD_START_BUDGET_MS else 'MISS'} (< {COLD_START_BUDGET_MS} ms)")


# --------------------------------------------------------------------------------------------


def main() -> int:
    width = max(len(w.key) for w in WORKLOADS)
    epilog = "\n".join(
        ["workloads (run in this order; writes last, so their rows do not change what the reads",
         "measure):"]
        + [f"  {w.key:<{width}}  {w.help}" for w in WORKLOADS]
        + ["",
           "* moto lacks the operation: its row runs DescribeAccountAssignmentCreationStatus.",
           "huawei-* call the Huawei Cloud surface (/v1/instances/ins-<hex>/..., application/json,",
           "X-Domain-Id, a static SDK-HMAC-SHA256 Authorization) over the same instance and",
           "request ids; moto has no Huawei API, so they run on icemu and nginx only (nginx's",
           "body on /v1/: icemu's Huawei creation-status answer).",
           "",
           "Budgets, at 32 connections with icemu as shipped: reads (*read-*) >= 0.5x nginx and",
           ">= 100x moto; writes (*write-*, settling during the run) >= 0.2x nginx and >= 60x",
           "moto; p99 < 5 ms for both; no non-2xx; RssAnon < 64 MiB after the load; cold start",
           "(--scale) < 20 ms on a new store. The huawei-* ones have no moto ratio.",
           "",
           "icemu runs as shipped (info logs, auto scheduler, delays 1000-3000 ms); --icemu-arg",
           "passes a flag to it instead (e.g. --icemu-arg=--log-level=warn), and every table then",
           "says that icemu did not run as shipped.",
           "",
           "Environment: BENCH_CHECK=1 counts every non-2xx answer in Lua and prints the first",
           "one's body (slower). bench/compare.sh also reads ICEMU_BIN, ICEMU_FILL_BIN and",
           "ICEMU_BENCH_PRESET."])
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=epilog,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--icemu", required=True, help="icemu binary")
    p.add_argument("--fill", required=True, help="icemu_fill binary")
    p.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    p.add_argument("--duration", type=float, default=None, help="seconds per wrk run (5)")
    p.add_argument("--connections", default="32", help="comma-separated, e.g. 1,32,256 (32)")
    p.add_argument("--quick", action="store_true",
                   help="2 s runs, 32 connections, 1 round: a check of the harness, not a result")
    p.add_argument("--scale", action="store_true",
                   help="1,000 vs 1,000,000 stored requests, cold start, RssAnon")
    p.add_argument("--rounds", type=int, default=None,
                   help="repeat every (workload, connections) N times, the targets in turn; the "
                        "table shows medians (3; 1 with --quick)")
    p.add_argument("--workloads", default="",
                   help="comma-separated subset of the workloads below, or aws / huawei for "
                        "all of a surface's (default: all)")
    p.add_argument("--prepare", type=int, default=2000,
                   help="provisioning requests created through the API before the reads (2000; "
                        "half as many assignment creations)")
    p.add_argument("--threads", default="auto",
                   help="wrk threads: auto (1 on 2 cores or fewer; else 1 or 2, whichever nginx "
                        "answers faster) or a number (at most connections)")
    p.add_argument("--icemu-arg", dest="icemu_args", action="append", default=[],
                   metavar="FLAG", help="a flag for icemu, e.g. --icemu-arg=--log-level=warn "
                   "(repeatable; the tables then say icemu did not run as shipped)")
    p.add_argument("--settle-wait", type=float, default=15,
                   help="seconds to wait, after icemu's write runs and its preparation, for "
                        "what is IN_PROGRESS to settle (15)")
    p.add_argument("--nginx-workers", default="1",
                   help="nginx worker_processes (1: icemu serves on one thread; or auto)")
    p.add_argument("--no-moto", action="store_true", help="leave moto_server out")
    p.add_argument("--scale-small", type=int, default=1000)
    p.add_argument("--scale-big", type=int, default=1000000)
    p.add_argument("--cold-runs", type=int, default=10)
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = p.parse_args()

    if args.threads != "auto" and not (args.threads.isdigit() and int(args.threads) > 0):
        p.error("--threads takes auto or a positive number")
    if args.quick:
        args.connections = "32"
    if args.duration is None:
        args.duration = 2 if args.quick else 5
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    args.threads_used, args.threads_why = 1, ""
    args.connections = [int(c) for c in str(args.connections).split(",") if c]
    args.workloads = [k for w in args.workloads.split(",") if w
                      for k in WORKLOAD_GROUPS.get(w, [w])]
    unknown = set(args.workloads) - {w.key for w in WORKLOADS}
    if unknown:
        p.error("unknown workload(s): " + ", ".join(sorted(unknown)))
    args.icemu = os.path.abspath(args.icemu)
    args.fill = os.path.abspath(args.fill)
    args.moto = not args.no_moto and shutil.which("moto_server") is not None
    if not args.no_moto and not args.moto:
        log("moto_server is not on PATH: skipping moto")

    workdir = tempfile.mkdtemp(prefix="icemu-bench-")
    log(f"working directory {workdir}")
    try:
        if args.scale:
            run_scale(args, workdir)
        else:
            run_compare(args, workdir)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

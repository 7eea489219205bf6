#!/usr/bin/env python3
"""Instructions icemu executes per request, counted by valgrind's callgrind.

A count of instructions is the same whatever else the machine does, so it can compare two builds
on a machine that is not quiet (requests a second cannot). For each workload this starts icemu
under callgrind (with its shipped configuration unless --icemu-arg says otherwise), makes the same
permission set and request as every run, sends N requests over C keep-alive connections, waits for
what they created to settle (the auto scheduler's 1-3 s: a write's settlement is part of its
cost), stops icemu and reads the total. The same run with no requests gives the fixed part (start,
preparation, stop), which is subtracted.

    bench/instructions.py                                   every workload, 3000 requests, 32 connections
    bench/instructions.py --workloads read-provision -n 1000 -c 1
    bench/instructions.py --icemu-arg=--log-level=warn      not as shipped (the output says so)

Needs valgrind (Debian package valgrind). The counts of a run under valgrind, where icemu is
about 50 times slower than the clients, group requests differently from a run at full speed:
commits carry more requests, and settlements fewer (each call finds one or two due). Compare
builds with the same command; the absolute figures are not those of a full-speed run.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRINCIPAL = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
HUAWEI_HEADERS = (b"Content-Type: application/json\r\n"
                  b"X-Domain-Id: 0a6d25d23900d45c0faac010e0fb4de0\r\n")
WORKLOADS = ["read-provision", "read-assignment", "huawei-read-provision", "write-provision",
             "write-assignment", "huawei-write-provision"]


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


class Run:
    """icemu under callgrind, with a permission set and one request of each kind made."""

    def __init__(self, args, out: str):
        self.dir = tempfile.mkdtemp(prefix="icemu-instructions-")
        port_file = os.path.join(self.dir, "port")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", args.icemu,
               "--listen", "127.0.0.1:0", "--port-file", port_file,
               "--db", os.path.join(self.dir, "icemu.db")] + args.icemu_args
        self.log = open(os.path.join(self.dir, "icemu.log"), "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, cwd=self.dir)
        deadline = time.monotonic() + 120
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"icemu under valgrind did not start; see {self.log.name}")
            time.sleep(0.05)
        self.port = int(open(port_file).read())
        self.instance = self.call("ListInstances", {})["Instances"][0]["InstanceArn"]
        self.ps = self.call("CreatePermissionSet", {"InstanceArn": self.instance,
                                                    "Name": "counted"})["PermissionSet"][
            "PermissionSetArn"]
        self.provision_id = self.call("ProvisionPermissionSet", {
            "InstanceArn": self.instance, "PermissionSetArn": self.ps,
            "TargetType": "AWS_ACCOUNT", "TargetId": "999999999999",
        })["PermissionSetProvisioningStatus"]["RequestId"]
        self.assignment_id = self.call("CreateAccountAssignment", {
            "InstanceArn": self.instance, "PermissionSetArn": self.ps,
            "TargetType": "AWS_ACCOUNT", "TargetId": "999999999998", "PrincipalType": "USER",
            "PrincipalId": PRINCIPAL,
        })["AccountAssignmentCreationStatus"]["RequestId"]

    def call(self, op: str, body: dict) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("POST", "/", json.dumps(body), {
            "X-Amz-Target": f"SWBExternalService.{op}",
            "Content-Type": "application/x-amz-json-1.1"})
        answer = conn.getresponse()
        data = json.loads(answer.read())
        conn.close()
        if answer.status != 200:
            raise RuntimeError(f"{op} answered {answer.status}: {data}")
        return data

    def in_flight(self) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", "/_icemu/health")
        data = json.loads(conn.getresponse().read())
        conn.close()
        return int(data["scheduler"]["in_flight"])

    def request(self, workload: str, n: int) -> bytes:
        """The bytes of request number `n` of `workload`, as a client sends them."""
        ins = self.instance.rsplit("/ssoins-", 1)[1]
        ps = self.ps.rsplit("/ps-", 1)[1]
        if workload.startswith("huawei-"):
            if workload == "huawei-read-provision":
                head = (f"GET /v1/instances/ins-{ins}/permission-sets/provisioning-status/"
                        f"{self.provision_id} HTTP/1.1\r\n").encode()
                return head + b"Host: icemu\r\n" + HUAWEI_HEADERS + b"\r\n"
            body = json.dumps({"target_type": "ACCOUNT",
                               "target_id": f"{n:032x}"}).encode()
            head = (f"POST /v1/instances/ins-{ins}/permission-sets/ps-{ps}/provision "
                    f"HTTP/1.1\r\n").encode()
            return (head + b"Host: icemu\r\n" + HUAWEI_HEADERS +
                    f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        account = f"{100000000000 + n:012d}"
        op, body = {
            "read-provision": ("DescribePermissionSetProvisioningStatus", {
                "InstanceArn": self.instance, "ProvisionPermissionSetRequestId": self.provision_id}),
            "read-assignment": ("DescribeAccountAssignmentCreationStatus", {
                "InstanceArn": self.instance,
                "AccountAssignmentCreationRequestId": self.assignment_id}),
            "write-provision": ("ProvisionPermissionSet", {
                "InstanceArn": self.instance, "PermissionSetArn": self.ps,
                "TargetType": "AWS_ACCOUNT", "TargetId": account}),
            "write-assignment": ("CreateAccountAssignment", {
                "InstanceArn": self.instance, "PermissionSetArn": self.ps,
                "TargetType": "AWS_ACCOUNT", "TargetId": account, "PrincipalType": "USER",
                "PrincipalId": PRINCIPAL}),
        }[workload]
        data = json.dumps(body).encode()
        return (b"POST / HTTP/1.1\r\nHost: icemu\r\nX-Amz-Target: SWBExternalService." +
                op.encode() + b"\r\nContent-Type: application/x-amz-json-1.1\r\n"
                b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data)

    async def drive(self, workload: str, total: int, connections: int) -> None:
        sent = 0

        async def one_connection() -> None:
            nonlocal sent
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            while sent < total:
                n = sent
                sent += 1
                writer.write(self.request(workload, n))
                head = await reader.readuntil(b"\r\n\r\n")
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"{workload}: {head.splitlines()[0].decode()}")
                length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
            writer.close()

        await asyncio.gather(*(one_connection() for _ in range(connections)))

    def finish(self, settle_limit: float) -> None:
        """Waits for what the run created to settle (1-3 s after each answer), asking as seldom
        as it can: each health call counts the requests in flight, which adds to the total. Gives
        up when nothing settled for 5 s (a scheduler mode that does not settle by time)."""
        time.sleep(3.5)
        deadline = time.monotonic() + settle_limit
        left, still_since = self.in_flight(), time.monotonic()
        while left and time.monotonic() < deadline and time.monotonic() - still_since < 5:
            time.sleep(1)
            now = self.in_flight()
            if now != left:
                left, still_since = now, time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=120)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def total_instructions(path: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {path}")


def count(args, workload: str | None, workdir: str) -> int:
    out = os.path.join(workdir, f"callgrind.{workload or 'fixed'}")
    run = Run(args, out)
    try:
        if workload:
            asyncio.run(run.drive(workload, args.requests, args.connections))
    finally:
        run.finish(args.settle_wait)
    return total_instructions(out)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="workloads: " +
                                ", ".join(WORKLOADS),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--icemu", default=os.path.join(ROOT, "build/release/bin/icemu"))
    p.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated")
    p.add_argument("-n", "--requests", type=int, default=3000, help="requests a run (3000)")
    p.add_argument("-c", "--connections", type=int, default=32, help="connections (32)")
    p.add_argument("--icemu-arg", dest="icemu_args", action="append", default=[],
                   metavar="FLAG", help="a flag for icemu (repeatable): not as shipped")
    p.add_argument("--settle-wait", type=float, default=60,
                   help="seconds to wait for what the run created to settle (60)")
    args = p.parse_args()
    workloads = [w for w in args.workloads.split(",") if w]
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        p.error("unknown workload(s): " + ", ".join(sorted(unknown)))
    if shutil.which("valgrind") is None:
        p.error("valgrind is not on PATH (Debian package valgrind)")
    args.icemu = os.path.abspath(args.icemu)
    setup = ("icemu NOT as shipped: " + " ".join(args.icemu_args) if args.icemu_args
             else "icemu as shipped (info logs, auto scheduler: a write's settlement counts)")
    workdir = tempfile.mkdtemp(prefix="icemu-callgrind-")
    try:
        log("the fixed part: start, preparation and stop, no requests")
        fixed = count(args, None, workdir)
        print(f"# {setup}; {args.requests} requests on {args.connections} connections a "
              f"workload; callgrind")
        for w in workloads:
            log(f"{w}: {args.requests} requests under callgrind")
            total = count(args, w, workdir)
            per = (total - fixed) / args.requests
            print(f"{w:<24} {per / 1000:8.1f}K instructions a request", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

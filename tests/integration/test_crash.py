"""Crash safety (docs/configuration.md, "Durability and storage failures"):

- several clients write at once (boto3 threads on the AWS surface, raw HTTP threads on both
  surfaces); icemu is killed with SIGKILL mid-stream and restarted on the same file, twice: every
  write that was answered 200 with a request id is there, and requests that fell due while icemu
  was down settle at once;
- the store fills up (`store.max_size_mib`): writes fail with a clear error in each dialect while
  icemu keeps serving reads, every answered write is stored, no failed one is, and the file passes
  `PRAGMA integrity_check`;
- a read-only store (`store.read_only`) serves reads, refuses writes clearly and is not changed;
  one that would need a migration stops start-up with exit status 2.
"""

import hashlib
import http.client
import itertools
import json
import os
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, IcemuTestCase, icemu_binary

HUAWEI_INSTANCE = "ins-560aa041748d679e"
PRINCIPAL = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
STORE_FULL = "The store is full (store.max_size_mib, or the disk): the change was not saved."
READ_ONLY = "The store is read-only (store.read_only): the change was not saved."


def raw_call(port, method, path, body=None, headers=None, timeout=30):
    """One request on a fresh connection: (status, lowercase headers, parsed JSON body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/json"}
        hdrs.update(headers or {})
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, (
            json.loads(raw) if raw else None)
    finally:
        conn.close()


def aws_call(port, operation, body):
    return raw_call(port, "POST", "/", body, {
        "X-Amz-Target": "SWBExternalService." + operation,
        "Content-Type": "application/x-amz-json-1.1"})


class Writers:
    """Threads that write until told to stop or until the server goes away, recording every write
    that was answered 200 with a request id."""

    def __init__(self):
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = []  # (kind, identifier)
        self.failures = []      # unexpected answers, for the assertion message
        self.threads = []

    def ack(self, kind, ident):
        with self.lock:
            self.acknowledged.append((kind, ident))

    def count(self):
        with self.lock:
            return len(self.acknowledged)

    def start(self, target, *args):
        t = threading.Thread(target=self._run, args=(target,) + args, daemon=True)
        self.threads.append(t)
        t.start()

    def _run(self, target, *args):
        try:
            target(*args)
        except (OSError, http.client.HTTPException):
            pass  # the server was killed mid-request: that write was not acknowledged
        except Exception as e:  # botocore's connection errors, or a real failure
            if "Connect" not in type(e).__name__ and "Endpoint" not in type(e).__name__:
                with self.lock:
                    self.failures.append(repr(e))

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


class KillNineTest(IcemuTestCase):
    per_test = True
    # Requests fall due 0.3-1.2 s after they are made: many are overdue by the restart.
    icemu_env = {"ICEMU_SCHEDULER_MODE": "auto", "ICEMU_SCHEDULER_DELAY_MS": "300-1200"}

    def assignment_writer(self, writers, sso, instance, ps_arn, accounts):
        for account in accounts:
            if writers.stop.is_set():
                return
            status = sso.create_account_assignment(
                InstanceArn=instance, TargetId=account, TargetType="AWS_ACCOUNT",
                PermissionSetArn=ps_arn, PrincipalType="USER", PrincipalId=PRINCIPAL,
            )["AccountAssignmentCreationStatus"]
            if status["Status"] == "IN_PROGRESS" and status.get("RequestId"):
                writers.ack("assignment", status["RequestId"])

    def provision_writer(self, writers, sso, instance, ps_arn, accounts):
        for account in accounts:
            if writers.stop.is_set():
                return
            status = sso.provision_permission_set(
                InstanceArn=instance, PermissionSetArn=ps_arn, TargetId=account,
                TargetType="AWS_ACCOUNT")["PermissionSetProvisioningStatus"]
            if status.get("RequestId"):
                writers.ack("provision", status["RequestId"])

    def aws_raw_writer(self, writers, port, instance, prefix):
        for n in itertools.count():
            if writers.stop.is_set():
                return
            status, headers, body = aws_call(port, "CreatePermissionSet",
                                             {"InstanceArn": instance, "Name": "%s%d" % (prefix, n)})
            if status == 200 and headers.get("x-amzn-requestid"):
                writers.ack("permission_set", body["PermissionSet"]["PermissionSetArn"])

    def huawei_raw_writer(self, writers, port, prefix):
        for n in itertools.count():
            if writers.stop.is_set():
                return
            status, headers, body = raw_call(
                port, "POST", "/v1/instances/%s/permission-sets" % HUAWEI_INSTANCE,
                {"name": "%s%d" % (prefix, n)}, {"X-Domain-Id": "0" * 32})
            if status == 200 and headers.get("x-request-id"):
                writers.ack("huawei_permission_set", body["permission_set"]["permission_set_id"])

    def write_and_kill(self, round_no, min_acknowledged=60):
        """Starts five writers, SIGKILLs icemu once they have `min_acknowledged` answers (or
        after 20 s), and returns what was acknowledged."""
        instance = self.instance_arn()
        ps_a = self.create_permission_set("Crash%dA" % round_no)["PermissionSetArn"]
        ps_b = self.create_permission_set("Crash%dB" % round_no)["PermissionSetArn"]
        base = 100000000000 + round_no * 10000000
        writers = Writers()
        port = self.icemu.port
        # One boto3 client per thread, made here: creating clients is not thread-safe.
        writers.start(self.assignment_writer, writers, self.icemu.client(), instance, ps_a,
                      ["%012d" % (base + i) for i in range(100000)])
        writers.start(self.assignment_writer, writers, self.icemu.client(), instance, ps_b,
                      ["%012d" % (base + 200000 + i) for i in range(100000)])
        writers.start(self.provision_writer, writers, self.icemu.client(), instance, ps_b,
                      ["%012d" % (base + 400000 + i) for i in range(100000)])
        writers.start(self.aws_raw_writer, writers, port, instance, "R%dA" % round_no)
        writers.start(self.huawei_raw_writer, writers, port, "R%dH" % round_no)
        deadline = time.monotonic() + 20
        while writers.count() < min_acknowledged and time.monotonic() < deadline:
            time.sleep(0.01)
        self.icemu.kill9()  # mid-stream: every writer has a request in flight or about to be
        writers.join()
        self.assertEqual(writers.failures, [])
        self.assertGreaterEqual(len(writers.acknowledged), min_acknowledged)
        return writers.acknowledged

    def check_present(self, acknowledged):
        sso = self.icemu.client()
        instance = self.instance_arn(sso)
        for kind, ident in acknowledged:
            if kind == "assignment":
                got = sso.describe_account_assignment_creation_status(
                    InstanceArn=instance, AccountAssignmentCreationRequestId=ident
                )["AccountAssignmentCreationStatus"]
                self.assertEqual(got["RequestId"], ident)
            elif kind == "provision":
                got = sso.describe_permission_set_provisioning_status(
                    InstanceArn=instance, ProvisionPermissionSetRequestId=ident
                )["PermissionSetProvisioningStatus"]
                self.assertEqual(got["RequestId"], ident)
            elif kind == "permission_set":
                got = sso.describe_permission_set(InstanceArn=instance, PermissionSetArn=ident)
                self.assertEqual(got["PermissionSet"]["PermissionSetArn"], ident)
            else:
                status, _, body = raw_call(self.icemu.port, "GET", "/v1/instances/%s/"
                                           "permission-sets/%s" % (HUAWEI_INSTANCE, ident))
                self.assertEqual(status, 200, body)

    def overdue_on_disk(self):
        """Ids of the requests the killed icemu left IN_PROGRESS and due by now, read from its
        file read-only (so that its WAL stays as the crash left it, for icemu to recover)."""
        db = sqlite3.connect("file:%s?mode=ro" % self.icemu.db, uri=True)
        try:
            rows = db.execute("SELECT id, due_ms FROM requests WHERE status = 0").fetchall()
        finally:
            db.close()
        now_ms = int(time.time() * 1000)
        return {str(uuid.UUID(bytes=id_of_key(bytes(key)))) for key, due in rows
                if due is not None and due <= now_ms}

    def test_every_acknowledged_write_survives_kill_9_twice(self):
        acknowledged = []
        for round_no in (1, 2):
            acknowledged += self.write_and_kill(round_no)
            time.sleep(1.3)  # past the longest delay: every request made before the kill is due
            overdue = self.overdue_on_disk()
            self.assertGreater(len(overdue), 0, "nothing was left in flight by the kill")
            self.icemu.start()  # same file, new port
            self.sso = self.icemu.client()
            # Overdue requests settle at once: already in the first listing after the restart.
            listed = {r["request_id"]: r["status"] for r in self.icemu.requests()}
            self.assertEqual({rid: listed.get(rid) for rid in overdue},
                             {rid: "SUCCEEDED" for rid in overdue})
            self.assertEqual(self.icemu.requests(status="IN_PROGRESS"), [])
            self.assertLessEqual({ident for kind, ident in acknowledged
                                  if kind in ("assignment", "provision")}, set(listed))
            self.check_present(acknowledged)
        kinds = {kind for kind, _ in acknowledged}
        self.assertEqual(kinds, {"assignment", "provision", "permission_set",
                                 "huawei_permission_set"})
        self.icemu.stop()
        with sqlite3.connect(self.icemu.db) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")


class UnwrittenSettlementTest(IcemuTestCase):
    """A settlement is answered at once and written into its request's row later, in the rows'
    order (docs/architecture.md): a kill -9 in between loses none and settles none twice, and a
    stop writes them all."""
    per_test = True
    # Settled by hand; rows are written once the longest delay (60 s) has passed since creation.
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual", "ICEMU_SCHEDULER_DELAY_MS": "1000-60000"}

    def on_disk(self):
        """(settlements not yet written, rows stored IN_PROGRESS), read from the file read-only."""
        db = sqlite3.connect("file:%s?mode=ro" % self.icemu.db, uri=True)
        try:
            waiting = db.execute("SELECT count(*) FROM settled_requests").fetchone()[0]
            running = db.execute("SELECT count(*) FROM requests WHERE status = 0").fetchone()[0]
        finally:
            db.close()
        return waiting, running

    def make_requests(self, n):
        ps = self.create_permission_set("Rows")["PermissionSetArn"]
        return ps, [self.create_assignment(ps, "%012d" % (555000000000 + i))["RequestId"]
                    for i in range(n)]

    def test_kill_9_before_the_rows_are_written_loses_no_settlement(self):
        ps, ids = self.make_requests(6)
        outcomes = {ids[0]: "SUCCEEDED", ids[1]: "FAILED", ids[2]: "SUCCEEDED",
                    ids[3]: "SUCCEEDED"}
        for rid, status in outcomes.items():
            self.icemu.settle(rid, status, "quota" if status == "FAILED" else None)
        self.icemu.kill9()
        # Answered, so committed: the settlements are on disk, the rows not yet written.
        self.assertEqual(self.on_disk(), (4, 6))

        self.icemu.start()
        self.sso = self.icemu.client()
        for rid in ids:
            got = self.icemu.request(rid)
            self.assertEqual(got["status"], outcomes.get(rid, "IN_PROGRESS"), got)
            described = self.sso.describe_account_assignment_creation_status(
                InstanceArn=self.instance_arn(),
                AccountAssignmentCreationRequestId=rid)["AccountAssignmentCreationStatus"]
            self.assertEqual(described["Status"], outcomes.get(rid, "IN_PROGRESS"))
            if rid == ids[1]:
                self.assertEqual(described["FailureReason"], "quota")
        # Read back, not settled again: the second start logs no settlement of them.
        second = self.icemu.log_text().split("--- start 2 ---", 1)[1]
        self.assertEqual([line for line in second.splitlines() if "settled" in line], [])
        listed = self.sso.list_account_assignments(
            InstanceArn=self.instance_arn(), AccountId="555000000000",
            PermissionSetArn=ps)["AccountAssignments"]
        self.assertEqual(len(listed), 1, listed)
        self.assertEqual(len(self.icemu.requests(status="IN_PROGRESS")), 2)
        status, _ = self.icemu.admin("POST", "/_icemu/requests/%s/settle" % ids[0],
                                     {"status": "FAILED"})
        self.assertEqual(status, 409)

        # Past the longest delay the rows are written, and the table of settlements empties.
        self.icemu.advance(61000)
        deadline = time.monotonic() + 10
        while self.on_disk() != (0, 2) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.on_disk(), (0, 2))
        self.assertEqual(self.icemu.request(ids[1])["status"], "FAILED")

    def test_a_stop_writes_every_settlement(self):
        _, ids = self.make_requests(4)
        for rid in ids[:3]:
            self.icemu.settle(rid)
        self.icemu.stop()
        self.assertEqual(self.on_disk(), (0, 1))


# store/request_keys.cpp, written again from its description: the table is keyed by a 122-bit
# key; the id is a six-round Feistel permutation of it over the free bits of a version-4 UUID.
ROUND_KEYS = (0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb,
              0x2545f4914f6cdd1d, 0xd6e8feb86659fd93, 0xa0761d6478bd642f)
MASK61, MASK64 = (1 << 61) - 1, (1 << 64) - 1


def fmix64(v):
    v ^= v >> 33
    v = (v * 0xff51afd7ed558ccd) & MASK64
    v ^= v >> 33
    v = (v * 0xc4ceb9fe1a85ec53) & MASK64
    return v ^ (v >> 33)


def id_of_key(key):
    value = int.from_bytes(key, "big")
    left, right = value >> 61, value & MASK61
    for k in ROUND_KEYS:
        left, right = right, left ^ (fmix64(right ^ k) & MASK61)
    free = (left << 61) | right  # 48 bits, 12 bits, 62 bits around the fixed ones
    first, middle, last = free >> 74, (free >> 62) & 0xfff, free & ((1 << 62) - 1)
    return ((first << 80) | (0x4 << 76) | (middle << 64) | (0b10 << 62) | last).to_bytes(16, "big")


def policy(tag, size):
    """A valid policy document of about `size` characters, unique by `tag`."""
    resource = "arn:aws:s3:::bucket/%s/" % tag
    resource += "x" * (size - len(resource) - 120)
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource}]})


class StoreFullTest(IcemuTestCase):
    per_test = True
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual", "ICEMU_STORE_MAX_SIZE_MIB": "1"}

    def aws_writer(self, writers, sso, instance, prefix, created, put, failed):
        full_answers = 0
        for n in itertools.count():
            if writers.stop.is_set() or full_answers >= 5:
                return
            name = "%s%d" % (prefix, n)
            try:
                arn = sso.create_permission_set(InstanceArn=instance, Name=name)[
                    "PermissionSet"]["PermissionSetArn"]
            except ClientError as e:
                self.assertStoreFull(e)
                failed.append(("create", name))
                full_answers += 1
                continue
            created.append((name, arn))
            doc = policy(name, 20000)
            try:
                sso.put_inline_policy_to_permission_set(InstanceArn=instance,
                                                        PermissionSetArn=arn, InlinePolicy=doc)
                put.append((arn, doc))
            except ClientError as e:
                self.assertStoreFull(e)
                failed.append(("put", arn))
                full_answers += 1

    def huawei_writer(self, writers, port, created, huawei_full):
        for n in itertools.count():
            if writers.stop.is_set() or len(huawei_full) >= 5:
                return
            name = "hw%d" % n
            status, headers, body = raw_call(
                port, "POST", "/v1/instances/%s/permission-sets" % HUAWEI_INSTANCE,
                {"name": name, "description": "d" * 1000})
            if status == 200:
                created.append((name, body["permission_set"]["permission_set_id"]))
                continue
            self.assertEqual(status, 500, body)
            self.assertEqual(body, {"error_code": "IIC.500",
                                    "error_msg": "Internal Server Error: " + STORE_FULL,
                                    "request_id": headers.get("x-request-id")})
            huawei_full.append(name)

    def assertStoreFull(self, error):
        response = error.response
        self.assertEqual(response["Error"]["Code"], "InternalServerException", response)
        self.assertEqual(response["Error"]["Message"], STORE_FULL)
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], 500)

    def test_a_full_store_fails_writes_clearly_and_keeps_serving(self):
        instance = self.instance_arn()
        created, put, failed, huawei_created, huawei_full = [], [], [], [], []
        writers = Writers()
        for prefix in ("A", "B", "C"):
            writers.start(self.aws_writer, writers, self.icemu.client(), instance, prefix,
                          created, put, failed)
        writers.start(self.huawei_writer, writers, self.icemu.port, huawei_created, huawei_full)
        for t in writers.threads:
            t.join(240)
        self.assertFalse(any(t.is_alive() for t in writers.threads), "writers did not finish")
        self.assertEqual(writers.failures, [])
        self.assertGreater(len(put), 0)
        self.assertGreater(len(failed), 0)
        self.assertGreater(len(huawei_full), 0)

        # Alive, and the read path works: every answered write is there, no failed one is.
        self.assertEqual(self.icemu.health()["status"], "ok")
        listed = set()
        for page in self.sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance):
            listed.update(page["PermissionSets"])
        self.assertLessEqual({arn for _, arn in created}, listed)
        for arn, doc in put:
            self.assertEqual(self.sso.get_inline_policy_for_permission_set(
                InstanceArn=instance, PermissionSetArn=arn)["InlinePolicy"], doc)
        failed_puts = {arn for kind, arn in failed if kind == "put"}
        for arn in failed_puts:
            self.assertEqual(self.sso.get_inline_policy_for_permission_set(
                InstanceArn=instance, PermissionSetArn=arn)["InlinePolicy"], "")
        names = {}
        for arn in listed:
            ps = self.sso.describe_permission_set(InstanceArn=instance, PermissionSetArn=arn)
            names[ps["PermissionSet"]["Name"]] = arn
        for kind, name in failed:
            if kind == "create":
                self.assertNotIn(name, names)
        for name in huawei_full:
            self.assertNotIn(name, names)
        for name, ps_id in huawei_created:
            self.assertIn(name, names)
            self.assertTrue(names[name].endswith("/" + ps_id))

        self.icemu.stop()
        with sqlite3.connect(self.icemu.db) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            stored = {row[0] for row in db.execute("SELECT name FROM permission_sets")}
        self.assertEqual(stored, set(names))


class ReadOnlyStoreTest(IcemuTestCase):
    per_test = True
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def test_a_read_only_store_serves_reads_and_refuses_writes(self):
        instance = self.instance_arn()
        ps = self.create_permission_set("Kept")["PermissionSetArn"]
        self.sso.put_inline_policy_to_permission_set(
            InstanceArn=instance, PermissionSetArn=ps, InlinePolicy=policy("kept", 300))
        request_id = self.create_assignment(ps, "111122223333")["RequestId"]
        self.icemu.stop()
        with open(self.icemu.db, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()

        self.icemu.env["ICEMU_STORE_READ_ONLY"] = "true"
        self.icemu.start()
        sso = self.icemu.client()
        self.assertEqual(self.icemu.health()["status"], "ok")
        self.assertEqual(sso.list_permission_sets(InstanceArn=instance)["PermissionSets"], [ps])
        self.assertIn("kept", sso.get_inline_policy_for_permission_set(
            InstanceArn=instance, PermissionSetArn=ps)["InlinePolicy"])
        status = sso.describe_account_assignment_creation_status(
            InstanceArn=instance, AccountAssignmentCreationRequestId=request_id
        )["AccountAssignmentCreationStatus"]
        self.assertEqual(status["Status"], "IN_PROGRESS")

        for call in (lambda: sso.create_permission_set(InstanceArn=instance, Name="New"),
                     lambda: sso.tag_resource(InstanceArn=instance, ResourceArn=instance,
                                              Tags=[{"Key": "k", "Value": "v"}]),
                     lambda: self.create_assignment(ps, "444455556666", sso=sso)):
            with self.assertRaises(ClientError) as cm:
                call()
            self.assertEqual(cm.exception.response["Error"]["Code"], "InternalServerException")
            self.assertEqual(cm.exception.response["Error"]["Message"], READ_ONLY)
        status, headers, body = raw_call(
            self.icemu.port, "POST", "/v1/instances/%s/permission-sets" % HUAWEI_INSTANCE,
            {"name": "New"})
        self.assertEqual((status, body["error_code"], body["error_msg"]),
                         (500, "IIC.500", "Internal Server Error: " + READ_ONLY))
        status, body = self.icemu.admin("POST", "/_icemu/requests/%s/settle" % request_id,
                                        {"status": "SUCCEEDED"})
        self.assertEqual((status, body), (500, {"error": "store_read_only", "message": READ_ONLY}))
        # Reads still work after the refused writes.
        self.assertEqual(self.icemu.request(request_id)["status"], "IN_PROGRESS")
        self.icemu.stop()

        with open(self.icemu.db, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), digest)
        self.assertIn("read-only store", self.icemu.log_text())

    def run_icemu(self, *args):
        with tempfile.TemporaryDirectory() as tmp:
            return subprocess.run([icemu_binary(), "--listen", "127.0.0.1:0"] + list(args),
                                  cwd=tmp, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                                **{k: v for k, v in os.environ.items()
                                                   if k.endswith("SAN_OPTIONS")}},
                                  capture_output=True, text=True, timeout=60)

    def test_a_read_only_store_that_needs_migrating_stops_start_up(self):
        path = os.path.join(self.icemu.tmp, "old.db")
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE legacy(x)")
            db.execute("PRAGMA user_version=1")
        run = self.run_icemu("--db", path, "--store-read-only", "true")
        self.assertEqual(run.returncode, 2, run.stderr)
        lines = run.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, run.stderr)
        self.assertRegex(lines[0], r"^icemu: store .*old\.db \(store\.read_only\): opened "
                                   r"read-only, but its schema is version 1 and icemu needs "
                                   r"version \d+: open it once writable to migrate it$")

    def test_a_missing_read_only_store_stops_start_up(self):
        path = os.path.join(self.icemu.tmp, "missing.db")
        run = self.run_icemu("--db", path, "--store-read-only", "true")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("missing.db (store.read_only)", run.stderr)
        self.assertFalse(os.path.exists(path))
        run = self.run_icemu("--db", ":memory:", "--store-read-only", "true")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertEqual(run.stderr.strip(), "icemu: store.read_only: an in-memory store "
                                             "(:memory:) cannot be read-only")


if __name__ == "__main__":
    unittest.main()

"""Runs a real icemu process for the integration tests and talks to it.

The binary is `$ICEMU_BIN` (ctest sets it to the built target). Each `Icemu` gets its own
temporary directory, used as the working directory (so no conf/icemu.json is picked up unless a
test passes `--config`), for the database and for the log, and listens on a free port
(`--listen 127.0.0.1:0 --port-file`), so tests can run in parallel.

    server = Icemu(env={"ICEMU_SCHEDULER_MODE": "manual"})
    server.start()
    sso = server.client()                       # boto3 sso-admin, no retries
    status, body = server.admin("GET", "/_icemu/requests?status=IN_PROGRESS")
    server.kill9(); server.restart()            # same database and arguments, new port
    server.stop()                               # SIGTERM; asserts exit status 0
    server.close()                              # kills if needed, removes the directory
"""

import http.client
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

REGION = "us-east-1"
ACCESS_KEY_ID = "AKIDEXAMPLE"
SECRET_ACCESS_KEY = "secret"
DEFAULT_ACCOUNT = "123456789012"

# Sanitizer builds on a loaded 2-core machine are slow: every wait allows this much (more under
# valgrind: scripts/valgrind.sh sets ICEMU_START_TIMEOUT_S and ICEMU_STOP_TIMEOUT_S).
START_TIMEOUT_S = float(os.environ.get("ICEMU_START_TIMEOUT_S", "20"))
STOP_TIMEOUT_S = float(os.environ.get("ICEMU_STOP_TIMEOUT_S", "20"))
HTTP_TIMEOUT_S = 30.0

# A command that icemu runs under, e.g. ICEMU_WRAPPER="valgrind --error-exitcode=1" (split as a
# shell would; read here, never passed to icemu).
WRAPPER = shlex.split(os.environ.get("ICEMU_WRAPPER", ""))

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INSTANCE_ARN_RE = re.compile(r"arn:aws:sso:::instance/ssoins-([0-9a-f]{16})")
PERMISSION_SET_ARN_RE = re.compile(
    r"arn:aws:sso:::permissionSet/ssoins-([0-9a-f]{16})/ps-([0-9a-f]{16})")

# Lines that a sanitizer prints when it finds something, even without aborting.
_SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")

# ICEMU_* variables of the calling environment that may pass through to the server (to debug a
# test run); every other ICEMU_* is dropped so that the caller's settings cannot leak in.
_PASS_THROUGH_ENV = ("ICEMU_LOG_LEVEL", "ICEMU_LOG_FORMAT")

_session = None


def _bypass_proxies():
    """icemu is on loopback: never send test traffic (urllib, botocore, the AWS CLI) through a
    proxy configured in the environment."""
    for var in ("no_proxy", "NO_PROXY"):
        hosts = [h for h in os.environ.get(var, "").split(",") if h]
        for host in ("127.0.0.1", "localhost"):
            if host not in hosts:
                hosts.append(host)
        os.environ[var] = ",".join(hosts)


_bypass_proxies()


def _boto3_session():
    """One boto3 session per test process: its loader caches the service model."""
    global _session
    if _session is None:
        _session = boto3.session.Session(
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            region_name=REGION,
        )
    return _session


def icemu_binary():
    """The icemu binary under test; fails the test clearly when it is not configured."""
    path = os.environ.get("ICEMU_BIN", "")
    if not path:
        raise unittest.SkipTest("ICEMU_BIN is not set (run the tests through ctest)")
    if not os.access(path, os.X_OK):
        raise AssertionError("ICEMU_BIN=%s is not an executable file" % path)
    return path


class IcemuError(AssertionError):
    """icemu did not start, stop or answer as expected; the message carries its log."""


class Icemu:
    """One icemu process (restartable) with its own directory, database and log."""

    def __init__(self, args=(), env=None, binary=None, db=None):
        self.binary = binary or icemu_binary()
        self.args = list(args)
        self.env = dict(env or {})
        self.tmp = tempfile.mkdtemp(prefix="icemu-test-")
        self.db = db or os.path.join(self.tmp, "icemu.db")
        self.port_file = os.path.join(self.tmp, "port")
        self.proc = None
        self.port = None
        self.starts = 0
        self.log_paths = []
        self._log = None

    # ---- lifecycle -------------------------------------------------------------------------

    def command(self):
        return WRAPPER + [self.binary, "--listen", "127.0.0.1:0", "--port-file", self.port_file,
                          "--db", self.db] + self.args

    def child_env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("ICEMU_") or k in _PASS_THROUGH_ENV}
        env.update(self.env)
        return env

    def start(self):
        """Starts icemu and waits until `GET /_icemu/health` answers 200."""
        if self.proc is not None:
            raise IcemuError("icemu is already running")
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        self.starts += 1
        log_path = os.path.join(self.tmp, "icemu-%d.log" % self.starts)
        self.log_paths.append(log_path)
        self._log = open(log_path, "wb")
        self.port = None
        self.proc = subprocess.Popen(self.command(), cwd=self.tmp, env=self.child_env(),
                                     stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error = "no port file yet"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._close_log()
                code = self.proc.returncode
                self.proc = None
                raise IcemuError("icemu exited with status %s while starting\n%s"
                                 % (code, self.describe()))
            port = self._read_port_file()
            if port is not None:
                self.port = port
                try:
                    status, _ = self.admin("GET", "/_icemu/health", timeout=2.0)
                    if status == 200:
                        return self
                    last_error = "health answered %s" % status
                except (OSError, http.client.HTTPException, ValueError) as e:
                    last_error = "health: %r" % (e,)
            time.sleep(0.02)
        self.kill9()
        raise IcemuError("icemu was not healthy within %.0f s (%s)\n%s"
                         % (START_TIMEOUT_S, last_error, self.describe()))

    def _read_port_file(self):
        try:
            with open(self.port_file) as f:
                text = f.read().strip()
        except FileNotFoundError:
            return None
        if not text.isdigit() or not 0 < int(text) < 65536:
            return None  # not written completely yet
        return int(text)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, wait, and assert a clean exit (status 0, no sanitizer report)."""
        if self.proc is None:
            return
        proc = self.proc
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.proc = None
            self._close_log()
            raise IcemuError("icemu did not exit within %.0f s of SIGTERM\n%s"
                             % (timeout, self.describe()))
        self.proc = None
        self._close_log()
        if proc.returncode != 0:
            raise IcemuError("icemu exited with status %s after SIGTERM (expected 0)\n%s"
                             % (proc.returncode, self.describe()))
        self.check_log()
        return proc.returncode

    def kill9(self):
        """SIGKILL, as a crash would: no clean shutdown."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc = None
        self._close_log()
        self.check_log()

    def sigstop(self):
        """Freezes the process (SIGSTOP): its timers cannot fire until kill9() or sigcont()."""
        self.proc.send_signal(signal.SIGSTOP)

    def sigcont(self):
        self.proc.send_signal(signal.SIGCONT)

    def restart(self, args=None, env=None):
        """Stops icemu if it runs (SIGTERM, clean exit asserted) and starts it again on the same
        database and arguments, on a new port. `args`/`env` replace or extend them from now on."""
        self.stop()
        if args is not None:
            self.args = list(args)
        if env is not None:
            self.env.update(env)
        return self.start()

    def close(self, keep=False):
        """Kills the process if it still runs and removes the directory (unless `keep`)."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None
        self._close_log()
        if not keep and not os.environ.get("ICEMU_KEEP_TMP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    # ---- logs --------------------------------------------------------------------------------

    def log_text(self):
        """Everything icemu wrote to stdout/stderr, over all its starts."""
        parts = []
        for i, path in enumerate(self.log_paths, 1):
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", "replace")
            except FileNotFoundError:
                continue
            parts.append("--- start %d ---\n%s" % (i, text))
        return "\n".join(parts)

    def describe(self, lines=80):
        tail = self.log_text().splitlines()[-lines:]
        return ("command: %s\nenv: %s\nlog (last %d lines):\n%s"
                % (" ".join(self.command()), self.env, lines, "\n".join(tail)))

    def check_log(self):
        text = self.log_text()
        for marker in _SANITIZER_MARKERS:
            if marker in text:
                raise IcemuError("icemu's log contains a sanitizer report (%r)\n%s"
                                 % (marker, self.describe(200)))

    # ---- clients -----------------------------------------------------------------------------

    @property
    def endpoint(self):
        if self.port is None:
            raise IcemuError("icemu is not running")
        return "http://127.0.0.1:%d" % self.port

    def client(self, retries=None, **config):
        """A boto3 `sso-admin` client for this icemu. No retries by default, so that an error
        surfaces at once (`total_max_attempts` 1 = the first attempt only; `max_attempts` counts
        retries after it)."""
        cfg = Config(retries=retries or {"total_max_attempts": 1, "mode": "standard"},
                     connect_timeout=5, read_timeout=HTTP_TIMEOUT_S, **config)
        return _boto3_session().client("sso-admin", endpoint_url=self.endpoint, config=cfg)

    def admin(self, method, path, body=None, timeout=HTTP_TIMEOUT_S):
        """Calls the admin API; returns (status, parsed JSON). A dict/list body is sent as JSON;
        None sends an empty body. Fails if the answer is not JSON."""
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif method in ("POST", "PUT"):
            data = b""
        req = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            raise IcemuError("%s %s answered %s with a body that is not JSON: %r"
                             % (method, path, status, raw[:500])) from None

    def raw(self, method, path, body=b"", headers=None, timeout=HTTP_TIMEOUT_S):
        """One HTTP request on a fresh connection; returns (status, headers, body bytes).
        The headers object is case-insensitive: `headers.get("x-amzn-requestid")`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def aws_raw(self, operation, body=b"{}", target_prefix="SWBExternalService"):
        """A raw JSON 1.1 call (unsigned: the default auth mode is `open`); `body` may be a
        dict. Returns (status, headers, body bytes)."""
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        return self.raw("POST", "/", body, {
            "X-Amz-Target": "%s.%s" % (target_prefix, operation),
            "Content-Type": "application/x-amz-json-1.1",
        })

    # ---- admin shortcuts (each asserts the documented status) ------------------------------

    def health(self):
        return self._ok("GET", "/_icemu/health")

    def reset(self):
        return self._ok("POST", "/_icemu/reset")

    def requests(self, **filters):
        """`GET /_icemu/requests` with filters status=, kind=, instance=; returns the list."""
        query = "&".join("%s=%s" % (k, v) for k, v in filters.items() if v is not None)
        return self._ok("GET", "/_icemu/requests" + ("?" + query if query else ""))["requests"]

    def request(self, request_id):
        """The one request `GET /_icemu/requests` lists with this id (fails if absent)."""
        found = [r for r in self.requests() if r.get("request_id") == request_id]
        if len(found) != 1:
            raise AssertionError("request %s listed %d times by /_icemu/requests"
                                 % (request_id, len(found)))
        return found[0]

    def settle(self, request_id, status="SUCCEEDED", failure_reason=None):
        body = {"status": status}
        if failure_reason is not None:
            body["failure_reason"] = failure_reason
        return self._ok("POST", "/_icemu/requests/%s/settle" % request_id, body)

    def scheduler(self, **changes):
        """`PUT /_icemu/scheduler` with the given settings, or `GET` when none are given."""
        if changes:
            return self._ok("PUT", "/_icemu/scheduler", changes)
        return self._ok("GET", "/_icemu/scheduler")

    def advance(self, ms):
        return self._ok("POST", "/_icemu/clock/advance", {"ms": ms})

    def _ok(self, method, path, body=None):
        status, answer = self.admin(method, path, body)
        if status != 200:
            raise AssertionError("%s %s answered %s: %r" % (method, path, status, answer))
        return answer


class IcemuTestCase(unittest.TestCase):
    """Starts icemu for the tests and always cleans up.

    Default: one icemu per class, reset (`POST /_icemu/reset`) before each test. With
    `per_test = True` each test gets a fresh icemu (for restarts, kill -9 and start-up settings);
    with `reset_each_test = False` the shared one keeps its state between tests (for data that
    `setUpClass` builds once, e.g. hundreds of items to paginate). `icemu_args` / `icemu_env`
    configure it; `self.icemu` is the server, `self.sso` a boto3 client for it. On a failing
    test the server's log is printed to stderr."""

    icemu_args = ()
    icemu_env = {}
    per_test = False
    reset_each_test = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = None
        if cls.per_test:
            return
        cls.shared = Icemu(args=cls.icemu_args, env=cls.icemu_env)
        try:
            cls.shared.start()
            cls.populate(cls.shared)
        except BaseException as e:
            # unittest skips tearDownClass when setUpClass fails: clean up here.
            shared, cls.shared = cls.shared, None
            log = shared.describe()
            shared.close()
            if isinstance(e, IcemuError) or not isinstance(e, Exception):
                raise
            raise IcemuError("setting up %s failed: %r\n%s" % (cls.__name__, e, log)) from e

    @classmethod
    def populate(cls, server):
        """Builds data shared by the tests of a class (with `reset_each_test = False`)."""

    @classmethod
    def tearDownClass(cls):
        shared, cls.shared = cls.shared, None
        if shared is not None:
            try:
                shared.stop()
            finally:
                shared.close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self._servers = []
        if self.per_test:
            self.icemu = self.start_icemu()
        else:
            self.icemu = self.shared
            self._servers.append(self.shared)
            if self.reset_each_test:
                self.assertEqual(self.icemu.reset(), {"reset": True})
        self.sso = self.icemu.client()

    def start_icemu(self, args=None, env=None):
        """Starts another icemu owned by this test: stopped (exit 0 asserted) and removed after."""
        server = Icemu(args=self.icemu_args if args is None else args,
                       env=self.icemu_env if env is None else env)
        self._servers.append(server)
        self.addCleanup(self._finish, server)
        server.start()
        return server

    def _finish(self, server):
        try:
            server.stop()
        finally:
            server.close(keep=True)  # run() removes the directory once the log was shown

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        outcome = super().run(result)
        failed = len(result.failures) + len(result.errors) > before
        for server in getattr(self, "_servers", []):
            if failed:
                sys.stderr.write("\n==== icemu log for %s ====\n%s\n"
                                 % (self.id(), server.describe(120)))
            if server is not self.shared:
                server.close(keep=failed and bool(os.environ.get("ICEMU_KEEP_TMP")))
        return outcome

    # ---- helpers for AWS tests ---------------------------------------------------------------

    def instance(self, sso=None):
        """The initial instance (owner 123456789012) as ListInstances returns it."""
        instances = (sso or self.sso).list_instances()["Instances"]
        mine = [i for i in instances if i.get("OwnerAccountId") == DEFAULT_ACCOUNT]
        self.assertEqual(len(mine), 1, instances)
        return mine[0]

    def instance_arn(self, sso=None):
        return self.instance(sso)["InstanceArn"]

    def create_permission_set(self, name, instance_arn=None, sso=None, **extra):
        sso = sso or self.sso
        instance_arn = instance_arn or self.instance_arn(sso)
        return sso.create_permission_set(InstanceArn=instance_arn, Name=name,
                                         **extra)["PermissionSet"]

    def create_assignment(self, ps_arn, account, principal_id=None, principal_type="USER",
                          instance_arn=None, sso=None):
        sso = sso or self.sso
        return sso.create_account_assignment(
            InstanceArn=instance_arn or self.instance_arn(sso),
            TargetId=account, TargetType="AWS_ACCOUNT", PermissionSetArn=ps_arn,
            PrincipalType=principal_type,
            PrincipalId=principal_id or "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3",
        )["AccountAssignmentCreationStatus"]

    def assertClientError(self, code, call, *args, **kwargs):
        """Calls and asserts a botocore ClientError with this error code; returns the error."""
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            call(*args, **kwargs)
        error = cm.exception.response["Error"]
        self.assertEqual(error["Code"], code, cm.exception.response)
        return cm.exception

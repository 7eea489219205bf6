"""Runs an icemu binary on a free port with a store of its own, and waits for it."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

from .client import Icemu

__all__ = ["IcemuProcess", "IcemuProcessError", "find_binary", "wait_healthy"]

# icemu variables the process must not take from the environment: the plugin decides where it
# listens, and its admin API must be on that same address.
_OWNED_VARIABLES = ("ICEMU_LISTEN", "ICEMU_PORT_FILE", "ICEMU_DB", "ICEMU_ADMIN_LISTEN",
                    "ICEMU_ADMIN_PORT_FILE")

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class IcemuProcessError(RuntimeError):
    """icemu could not be found, did not start, or did not stop cleanly; the message has its
    log's last lines."""


def find_binary(explicit=None):
    """The icemu binary: `explicit`, else $ICEMU_BIN, else `icemu` on PATH."""
    for candidate, origin in ((explicit, "--icemu-bin"), (os.environ.get("ICEMU_BIN"), "ICEMU_BIN")):
        if candidate:
            if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
                raise IcemuProcessError("%s=%s is not an executable file" % (origin, candidate))
            return os.path.abspath(candidate)
    found = shutil.which("icemu")
    if found is None:
        raise IcemuProcessError(
            "icemu not found: pass --icemu-bin PATH, set ICEMU_BIN, put icemu on PATH, or set "
            "ICEMU_ENDPOINT to the URL of a running icemu")
    return found


def wait_healthy(url, timeout, alive=None):
    """Polls `url` + /_icemu/health until it answers 200, `alive()` turns false or `timeout`
    seconds pass; returns None when healthy, else what went wrong last."""
    deadline = time.monotonic() + timeout
    problem = "no answer"
    while True:
        if alive is not None and not alive():
            return "the process exited"
        try:
            with _opener.open(url + "/_icemu/health", timeout=2.0) as resp:
                if resp.status == 200:
                    return None
                problem = "health answered %s" % resp.status
        except OSError as e:
            problem = "health: %s" % (e,)
        if time.monotonic() >= deadline:
            return problem
        time.sleep(0.05)


class IcemuProcess:
    """One icemu process: `--listen 127.0.0.1:0 --port-file`, `--db` in `directory` (a new
    temporary directory by default, removed by `close()`), standard output and error in
    `directory`/icemu.log. `args` are more icemu flags; `env` adds to the environment."""

    def __init__(self, binary, args=(), env=None, directory=None, cwd=None,
                 start_timeout=20.0, stop_timeout=20.0):
        self.binary = binary
        self.args = list(args)
        self.env = dict(env or {})
        self._own_directory = directory is None
        self.directory = str(directory) if directory else tempfile.mkdtemp(prefix="icemu-")
        os.makedirs(self.directory, exist_ok=True)
        self.cwd = str(cwd) if cwd else self.directory
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.db_path = os.path.join(self.directory, "icemu.db")
        self.log_path = os.path.join(self.directory, "icemu.log")
        self.port_file = os.path.join(self.directory, "icemu.port")
        self.endpoint = None
        self.proc = None

    def command(self):
        return [self.binary, "--listen", "127.0.0.1:0", "--port-file", self.port_file,
                "--db", self.db_path] + self.args

    def start(self):
        """Starts icemu and returns an `Icemu` for it once `/_icemu/health` answers."""
        env = {k: v for k, v in os.environ.items() if k not in _OWNED_VARIABLES}
        env.update(self.env)
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command(), cwd=self.cwd, env=env,
                                         stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT)
        token = env.get("ICEMU_ADMIN_TOKEN") or None
        deadline = time.monotonic() + self.start_timeout
        port = None
        while port is None:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise IcemuProcessError("icemu exited with status %s while starting\n%s"
                                        % (code, self.describe()))
            port = self._read_port()
            if port is None:
                if time.monotonic() >= deadline:
                    self.kill()
                    raise IcemuProcessError("icemu wrote no port file within %.0f s\n%s"
                                            % (self.start_timeout, self.describe()))
                time.sleep(0.02)
        self.endpoint = "http://127.0.0.1:%d" % port
        problem = wait_healthy(self.endpoint, max(deadline - time.monotonic(), 1.0),
                               alive=lambda: self.proc.poll() is None)
        if problem is not None:
            self.kill()
            raise IcemuProcessError("icemu was not healthy within %.0f s (%s)\n%s"
                                    % (self.start_timeout, problem, self.describe()))
        return Icemu(self.endpoint, admin_token=token, process=self)

    def _read_port(self):
        try:
            with open(self.port_file) as f:
                text = f.read().strip()
        except FileNotFoundError:
            return None
        if not text.isdigit() or not 0 < int(text) < 65536:
            return None  # not written completely yet
        return int(text)

    def stop(self):
        """SIGTERM, then waits for the exit; raises IcemuProcessError when icemu does not exit
        with status 0 within `stop_timeout` (it is killed then)."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise IcemuProcessError("icemu did not exit within %.0f s of SIGTERM\n%s"
                                    % (self.stop_timeout, self.describe())) from None
        if proc.returncode != 0:
            raise IcemuProcessError("icemu exited with status %s after SIGTERM\n%s"
                                    % (proc.returncode, self.describe()))

    def kill(self):
        """SIGKILL, for when icemu is beyond a clean stop."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc = None

    def close(self):
        """Kills icemu if it still runs and removes the directory if it made it."""
        self.kill()
        if self._own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_text(self, since=0):
        """What icemu wrote to standard output and error, from byte `since` on."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(since)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def describe(self, lines=40):
        tail = self.log_text().splitlines()[-lines:]
        return "command: %s\nlog %s (last %d lines):\n%s" % (
            " ".join(self.command()), self.log_path, lines, "\n".join(tail))

"""The pytest plugin (entry point `pytest11`): the `icemu` and `icemu_server` fixtures.

One icemu per test session, started on first use: `--icemu-endpoint` / $ICEMU_ENDPOINT attach
to a running one (a container in CI); otherwise the binary of `--icemu-bin`, $ICEMU_BIN or
`icemu` on PATH runs on a free port with a store in the session's temporary directory. The
store is reset before each test that uses `icemu`; the process is stopped (SIGTERM) at the end;
a failing test's report gets the log icemu wrote during that test.
"""

import os

import pytest

from .client import Icemu
from .process import IcemuProcess, IcemuProcessError, find_binary, wait_healthy

_log_start = pytest.StashKey()


def pytest_addoption(parser):
    group = parser.getgroup("icemu", "icemu (IAM Identity Center provisioning emulator)")
    group.addoption("--icemu-bin", metavar="PATH", default=None,
                    help="icemu binary to run (default: $ICEMU_BIN, else icemu on PATH)")
    group.addoption("--icemu-endpoint", metavar="URL", default=None,
                    help="use the icemu running at URL instead of starting one "
                         "(default: $ICEMU_ENDPOINT)")
    parser.addini("icemu_args", type="args", default=[],
                  help="more icemu flags for the icemu the plugin starts, e.g. "
                       "--config conf/icemu-test.json (run in the rootdir)")
    parser.addini("icemu_start_timeout", default="20",
                  help="seconds to wait for icemu to answer its health check (default 20)")


@pytest.fixture(scope="session")
def icemu_server(request, tmp_path_factory):
    """The session's icemu, as it is (no reset): for session- or module-scoped fixtures."""
    config = request.config
    timeout = float(config.getini("icemu_start_timeout"))
    explicit_bin = config.getoption("icemu_bin")
    endpoint = config.getoption("icemu_endpoint")
    if endpoint is None and explicit_bin is None:
        endpoint = os.environ.get("ICEMU_ENDPOINT") or None
    if endpoint is not None:
        server = Icemu(endpoint, admin_endpoint=os.environ.get("ICEMU_ADMIN_ENDPOINT") or None,
                       admin_token=os.environ.get("ICEMU_ADMIN_TOKEN") or None)
        # Health is open on the main address, with or without an admin token or address.
        problem = wait_healthy(server.endpoint, timeout)
        if problem is not None:
            raise IcemuProcessError("no icemu at %s (%s)" % (server.endpoint, problem))
        yield server
        return
    process = IcemuProcess(find_binary(explicit_bin), args=config.getini("icemu_args"),
                           directory=tmp_path_factory.mktemp("icemu"), cwd=config.rootpath,
                           start_timeout=timeout)
    try:
        server = process.start()
        yield server
        process.stop()
    finally:
        process.close()


@pytest.fixture
def icemu(icemu_server, request):
    """The session's icemu, reset: no permission set, assignment, request or run-time fault
    rule; the initial instance; the scheduler and clock as configured."""
    icemu_server.reset()
    if icemu_server.process is not None:
        request.node.stash[_log_start] = (icemu_server, icemu_server.process.log_size())
    return icemu_server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    server, since = item.stash.get(_log_start, (None, 0))
    if server is not None and call.excinfo is not None and \
            not call.excinfo.errisinstance(pytest.skip.Exception):
        process = server.process
        if process.proc is not None:
            # A last admin call: icemu writes a call's log line after its answer, so the lines
            # of the test's last calls are in the file once this one is answered.
            try:
                server.health()
            except Exception:  # noqa: BLE001 - the log is shown whatever state icemu is in
                pass
        item.add_report_section(call.when, "icemu log", "%s, %s:\n%s" % (
            server.endpoint, process.log_path, process.log_text(since)))
    yield

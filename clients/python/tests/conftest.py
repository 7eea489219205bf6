"""The plugin's own tests. They run against a real icemu: $ICEMU_BIN, as for the plugin.

`tests/run-in-venv.sh` installs the plugin into a venv and runs them (ctest does so). Tests of
the fixture itself use the installed plugin's `icemu`; tests of what pytest shows (a failing
test's log, attach mode, options) run an inner pytest with `pytester`, in a subprocess.
"""

import os
import re

import pytest

from pytest_icemu import IcemuProcess, find_binary

pytest_plugins = ["pytester"]

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"

# `<!-- tested-as: NAME -->` right before a fenced block marks it as a file the tests run.
_EXAMPLE_RE = re.compile(r"<!-- tested-as: (\S+) -->\n```[a-z]*\n(.*?)\n```", re.S)


def examples(markdown_path):
    """{name: code} of the marked blocks of a markdown file of the repository."""
    with open(os.path.join(REPO, markdown_path), encoding="utf-8") as f:
        text = f.read()
    found = {}
    for name, code in _EXAMPLE_RE.findall(text):
        assert name not in found, "%s marks %s twice" % (markdown_path, name)
        found[name] = code + "\n"
    return found


@pytest.fixture
def inner(pytester, monkeypatch):
    """Runs an inner pytest in a subprocess (so that it loads the installed plugin as a user's
    pytest does) in pytester's directory; returns its RunResult."""
    monkeypatch.delenv("ICEMU_ENDPOINT", raising=False)

    def run(*args, env=None, timeout=120):
        for key, value in (env or {}).items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=timeout)

    return run


@pytest.fixture
def own_icemu(tmp_path):
    """An icemu of the test's own (not the session's), for attach mode; stopped after."""
    started = []

    def start(args=(), env=None):
        process = IcemuProcess(find_binary(), args=args, env=env,
                               directory=tmp_path / ("own-%d" % len(started)))
        started.append(process)
        return process.start()

    yield start
    for process in started:
        try:
            process.stop()
        finally:
            process.close()

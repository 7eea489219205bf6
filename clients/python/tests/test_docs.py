"""The examples of docs/testing-your-code.md and README.md, run as they are written.

Each block marked `<!-- tested-as: NAME -->` is taken from the markdown as it is. The pytest
examples run in an inner pytest against a real icemu. The CI examples need a Docker engine and
GitHub's runners, which these tests do not have: what they check is what can be checked here —
the YAML parses, the container's port, variables and health command are icemu's (against
`icemu --help`, docker/Dockerfile and a real icemu started with the same variables), and the
health command itself answers 0 for a healthy icemu and 1 for none.
"""

import os
import re
import shlex
import subprocess
import urllib.parse

import pytest
import yaml

from pytest_icemu import IcemuProcess, find_binary

from conftest import REPO, examples

DOCS = "docs/testing-your-code.md"


@pytest.fixture(scope="module")
def docs():
    return examples(DOCS)


@pytest.fixture(scope="module")
def help_text():
    return subprocess.run([find_binary(), "--help"], check=True, capture_output=True,
                          text=True).stdout


def icemu_variables(help_text):
    return set(re.findall(r"\bICEMU_[A-Z_]+\b", help_text))


def image_port():
    with open(os.path.join(REPO, "docker", "Dockerfile")) as f:
        [port] = re.findall(r"^EXPOSE (\d+)$", f.read(), re.M)
    return port


def test_every_tested_block_is_there(docs):
    assert set(docs) == {"install-pytest-plugin.sh", "test_grant_access.py",
                         "assignments.test.mjs", "docker-run.sh",
                         ".github/workflows/integration.yml"}
    assert set(examples("README.md")) == {"test_icemu.py"}


@pytest.mark.parametrize("markdown,name", [(DOCS, "test_grant_access.py"),
                                           ("README.md", "test_icemu.py")])
def test_pytest_example_passes(inner, pytester, markdown, name):
    code = examples(markdown)[name]
    pytester.makepyfile(**{name[:-3]: code})
    result = inner("-v")
    tests = len(re.findall(r"^def test_", code, re.M))
    assert tests >= 1
    result.assert_outcomes(passed=tests)


def test_pytest_example_fails_when_the_code_under_test_is_wrong(inner, pytester, docs):
    # The example's assertions can fail: the same tests against a `grant` that ignores FAILED.
    code = docs["test_grant_access.py"].replace(
        '    if status["Status"] == "FAILED":\n        raise RuntimeError(status["FailureReason"])\n',
        "")
    assert code != docs["test_grant_access.py"]
    pytester.makepyfile(test_grant_access=code)
    inner().assert_outcomes(passed=3, failed=1)


def test_docker_run_block(docs, help_text, tmp_path):
    lines = [line for line in docs["docker-run.sh"].splitlines() if line.strip()]
    [run] = [shlex.split(line) for line in lines if line.startswith("docker run ")]
    env, ports, i = {}, [], 2
    while run[i].startswith("-"):
        if run[i] == "-e":
            name, _, value = run[i + 1].partition("=")
            env[name] = value
            i += 2
        elif run[i] == "-p":
            ports.append(run[i + 1])
            i += 2
        elif run[i] in ("-d", "--rm"):
            i += 1
        else:
            i += 2  # --name NAME
    assert run[i] == "icemu", "the image the README's docker build tags"
    assert run[i + 1:] == []
    assert ports == ["4577:%s" % image_port()]
    assert set(env) <= icemu_variables(help_text)
    # The container's variables start icemu.
    started = IcemuProcess(find_binary(), env=env, directory=tmp_path / "env")
    try:
        server = started.start()
        assert server.scheduler()["delay_ms"] == {"min": 0, "max": 100}
        started.stop()
    finally:
        started.close()
    # The health wait is on the container's health check; the tests get the published port.
    assert "docker inspect -f '{{.State.Health.Status}}' icemu" in lines[1]
    [endpoint] = re.findall(r"ICEMU_ENDPOINT=(\S+)", docs["docker-run.sh"])
    assert str(urllib.parse.urlsplit(endpoint).port) == ports[0].split(":")[0]


def test_github_actions_block(docs, help_text, tmp_path):
    workflow = yaml.safe_load(docs[".github/workflows/integration.yml"])
    [job] = workflow["jobs"].values()
    service = job["services"]["icemu"]
    [published] = service["ports"]
    host_port, container_port = published.split(":")
    assert container_port == image_port()
    assert set(service["env"]) <= icemu_variables(help_text)
    options = shlex.split(service["options"])
    health_cmd = options[options.index("--health-cmd") + 1]
    assert health_cmd == "icemu healthcheck"
    for flag in ("--health-interval", "--health-timeout", "--health-retries"):
        assert flag in options
    endpoint = job["env"]["ICEMU_ENDPOINT"]
    assert str(urllib.parse.urlsplit(endpoint).port) == host_port

    # The service's variables start icemu, and the health command as the service runs it
    # (icemu on PATH, the image's ICEMU_LISTEN pointing at it) answers 0, then 1 once it stopped.
    started = IcemuProcess(find_binary(), env={k: str(v) for k, v in service["env"].items()},
                           directory=tmp_path / "service")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "icemu").symlink_to(find_binary())
    try:
        server = started.start()
        health_env = dict(os.environ, PATH="%s%s%s" % (bindir, os.pathsep, os.environ["PATH"]),
                          ICEMU_LISTEN=server.endpoint[len("http://"):])
        assert subprocess.run(shlex.split(health_cmd), env=health_env, cwd=tmp_path,
                              timeout=30).returncode == 0
        started.stop()
        assert subprocess.run(shlex.split(health_cmd), env=health_env, cwd=tmp_path,
                              timeout=30).returncode == 1
    finally:
        started.close()

    # The steps install the clients from the paths of this repository.
    runs = " ".join(step.get("run", "") for step in job["steps"])
    for path in re.findall(r"\./icemu/(\S+)", runs):
        assert os.path.isfile(os.path.join(REPO, path, "pyproject.toml")) or \
            os.path.isfile(os.path.join(REPO, path, "package.json")), path
    assert "./icemu/clients/python" in runs and "./icemu/clients/node" in runs


def github_anchors(markdown_text):
    """The anchors GitHub gives the headings of a markdown text."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown_text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("markdown", [DOCS, "clients/python/README.md",
                                      "clients/node/README.md"])
def test_relative_links_lead_somewhere(markdown):
    base = os.path.dirname(os.path.join(REPO, markdown))
    with open(os.path.join(REPO, markdown), encoding="utf-8") as f:
        text = f.read()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = os.path.normpath(os.path.join(base, path)) if path else os.path.join(REPO, markdown)
        assert os.path.exists(target), "%s: %s" % (markdown, link)
        if anchor:
            with open(target, encoding="utf-8") as f:
                assert anchor in github_anchors(f.read()), "%s: %s" % (markdown, link)

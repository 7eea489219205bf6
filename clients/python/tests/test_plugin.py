"""What pytest does with the plugin: an inner pytest in a subprocess, as a user's run."""

import json
import os
import signal
import textwrap
import urllib.error
import urllib.request

from pytest_icemu import find_binary


def read_json(path):
    with open(path) as f:
        return json.load(f)


def test_the_plugin_is_registered_through_its_entry_point(inner, pytester):
    result = inner("--help")
    result.stdout.fnmatch_lines(["icemu (IAM Identity Center provisioning emulator):",
                                 "*--icemu-bin=PATH*", "*--icemu-endpoint=URL*"])
    result = inner("--fixtures")
    result.stdout.fnmatch_lines(["*fixtures defined from pytest_icemu.plugin*",
                                 "icemu_server [[]session scope[]] -- *", "*",
                                 "icemu -- *"])


def test_a_failing_test_shows_the_icemu_log_of_that_test_only(inner, pytester):
    pytester.makepyfile(test_log=textwrap.dedent("""
        def test_passes(icemu):
            assert icemu.requests() == []

        def test_fails(icemu):
            sso = icemu.client()
            sso.list_instances()
            assert False, "the failure"

        def test_no_icemu():
            assert False, "no icemu here"
    """))
    result = inner("-rA")
    result.assert_outcomes(passed=1, failed=2)
    text = result.stdout.str()
    assert text.count("Captured icemu log call") == 1
    section = text.split("Captured icemu log call", 1)[1].split("\n_____", 1)[0]
    section = section.split("short test summary", 1)[0]
    assert "surface=aws op=ListInstances status=200" in section
    # Only what the failing test did, not the passing test's call before it.
    assert "op=requests" not in section
    assert "/icemu.log:" in section


def test_each_test_starts_from_a_reset_store(inner, pytester):
    pytester.makepyfile(test_reset=textwrap.dedent("""
        ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"

        def test_1_makes_state(icemu):
            icemu.set_scheduler("manual", seed=5)
            icemu.advance_clock(30)
            icemu.add_fault({"match": {}, "outcome": {"status": "FAILED"}})
            sso = icemu.client()
            sso.create_permission_set(InstanceArn=ARN, Name="Left")

        def test_2_sees_none_of_it(icemu):
            sso = icemu.client()
            assert sso.list_permission_sets(InstanceArn=ARN)["PermissionSets"] == []
            assert icemu.faults() == []
            assert icemu.scheduler()["mode"] == "auto"
            assert icemu.health()["scheduler"]["clock_offset_ms"] == 0
    """))
    inner().assert_outcomes(passed=2)


def test_one_icemu_per_session_stopped_at_the_end(inner, pytester, tmp_path):
    record = tmp_path / "seen.jsonl"
    pytester.makepyfile(test_session=textwrap.dedent("""
        import json

        def test_a(icemu):
            save(icemu)

        def test_b(icemu):
            save(icemu)

        def save(icemu):
            with open(%r, "a") as f:
                f.write(json.dumps({"pid": icemu.process.proc.pid, "endpoint": icemu.endpoint,
                                    "log": icemu.process.log_path}) + "\\n")
    """ % str(record)))
    inner().assert_outcomes(passed=2)
    seen = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(seen) == 2 and seen[0] == seen[1]
    try:
        os.kill(seen[0]["pid"], 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive, "icemu still runs after the session"
    with open(seen[0]["log"]) as f:
        log = f.read()
    # SIGTERM, and icemu's clean stop.
    assert "stopping signal=%d" % signal.SIGTERM in log
    assert log.rstrip().endswith("stopped")


def test_no_icemu_is_started_for_tests_that_do_not_ask(inner, pytester):
    pytester.makepyfile(test_none="def test_plain():\n    pass\n")
    inner(env={"ICEMU_BIN": "/nonexistent/icemu"}).assert_outcomes(passed=1)


def test_binary_from_the_option_then_icemu_bin_then_path(inner, pytester, tmp_path):
    binary = find_binary()
    pytester.makepyfile(test_bin="def test_up(icemu):\n    assert icemu.health()['status'] == 'ok'\n")
    # --icemu-bin wins over ICEMU_BIN.
    inner("--icemu-bin=" + binary, env={"ICEMU_BIN": "/nonexistent/icemu"}).assert_outcomes(passed=1)
    # `icemu` on PATH when neither is given.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "icemu").symlink_to(binary)
    path = "%s%s%s" % (bindir, os.pathsep, os.environ.get("PATH", ""))
    inner(env={"ICEMU_BIN": None, "PATH": path}).assert_outcomes(passed=1)
    # Nothing at all: the test errors and says what to do.
    result = inner(env={"ICEMU_BIN": None, "PATH": str(tmp_path / "empty")})
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*icemu not found: pass --icemu-bin PATH, set ICEMU_BIN, put "
                                 "icemu on PATH, or set ICEMU_ENDPOINT*"])
    result = inner(env={"ICEMU_BIN": "/nonexistent/icemu"})
    result.stdout.fnmatch_lines(["*ICEMU_BIN=/nonexistent/icemu is not an executable file*"])


def test_icemu_args_and_a_start_failure_with_its_log(inner, pytester):
    pytester.makeini("[pytest]\nicemu_args = --scheduler-mode manual --scheduler-polls 4\n")
    pytester.makepyfile(test_args=textwrap.dedent("""
        def test_configured(icemu):
            assert icemu.scheduler()["mode"] == "manual"
            assert icemu.scheduler()["polls"] == 4
            icemu.set_scheduler("auto")

        def test_reset_restores_the_configuration(icemu):
            assert icemu.scheduler()["mode"] == "manual"
    """))
    inner().assert_outcomes(passed=2)
    pytester.makeini("[pytest]\nicemu_args = --scheduler-mode sometimes\n")
    result = inner()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(["*icemu exited with status 2 while starting*",
                                 "*--scheduler-mode*sometimes*"])


def test_the_environment_reaches_icemu_but_not_its_listen_addresses(inner, pytester):
    pytester.makepyfile(test_env=textwrap.dedent("""
        import urllib.error, urllib.request
        import pytest

        def test_token_in_force(icemu):
            assert icemu.scheduler()["mode"] == "polls"
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(icemu.endpoint + "/_icemu/requests")
            assert e.value.code == 401
    """))
    inner(env={"ICEMU_SCHEDULER_MODE": "polls", "ICEMU_ADMIN_TOKEN": "s3cret",
               "ICEMU_ADMIN_LISTEN": "127.0.0.1:1", "ICEMU_LISTEN": "127.0.0.1:1",
               "ICEMU_DB": "/nonexistent/dir/icemu.db"}).assert_outcomes(passed=1)


def test_attach_mode_uses_the_running_icemu(inner, pytester, own_icemu, tmp_path):
    server = own_icemu()
    server.set_scheduler("manual")
    record = tmp_path / "attached.json"
    pytester.makepyfile(test_attach=textwrap.dedent("""
        import json, os
        ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"

        def test_1(icemu):
            with open(%r, "w") as f:
                json.dump({"endpoint": icemu.endpoint, "process": icemu.process is None}, f)
            # Reset before the test: the scheduler is back to its configured mode.
            assert icemu.scheduler()["mode"] == "auto"
            icemu.client().create_permission_set(InstanceArn=ARN, Name="FromInner")

        def test_2_fails(icemu):
            assert False
    """ % str(record)))
    result = inner("-rA", env={"ICEMU_ENDPOINT": server.endpoint,
                               "ICEMU_BIN": "/nonexistent/icemu"})
    result.assert_outcomes(passed=1, failed=1)
    assert read_json(record) == {"endpoint": server.endpoint, "process": True}
    # No log to show: it is the running icemu's own.
    assert "Captured icemu log" not in result.stdout.str()
    # What the last test left stays: the store is reset before a test, not after.
    assert server.faults() == []
    names = [ps for ps in server.client().list_permission_sets(
        InstanceArn="arn:aws:sso:::instance/ssoins-560aa041748d679e")["PermissionSets"]]
    assert names == [], "test_2 reset the store before it ran"
    assert server.requests() == []


def test_attach_mode_state_left_by_the_last_test(inner, pytester, own_icemu):
    server = own_icemu()
    pytester.makepyfile(test_last=textwrap.dedent("""
        ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"

        def test_only(icemu):
            icemu.client().create_permission_set(InstanceArn=ARN, Name="StaysAfter")
    """))
    inner(env={"ICEMU_ENDPOINT": server.endpoint}).assert_outcomes(passed=1)
    sets = server.client().list_permission_sets(
        InstanceArn="arn:aws:sso:::instance/ssoins-560aa041748d679e")["PermissionSets"]
    assert len(sets) == 1


def test_attach_mode_with_an_admin_address_and_token(inner, pytester, own_icemu, tmp_path):
    port_file = tmp_path / "admin.port"
    server = own_icemu(args=["--admin-listen", "127.0.0.1:0", "--admin-port-file",
                             str(port_file)], env={"ICEMU_ADMIN_TOKEN": "tok"})
    admin = "http://127.0.0.1:%s" % port_file.read_text().strip()
    # The main address does not serve the admin API.
    try:
        urllib.request.urlopen(server.endpoint + "/_icemu/requests")
        raise AssertionError("the main address served /_icemu/requests")
    except urllib.error.HTTPError as e:
        assert e.code == 404
    pytester.makepyfile(test_admin=textwrap.dedent("""
        def test_admin_calls_go_to_the_admin_address(icemu):
            assert icemu.requests() == []
            assert icemu.set_scheduler("manual")["mode"] == "manual"
    """))
    env = {"ICEMU_ENDPOINT": server.endpoint, "ICEMU_ADMIN_ENDPOINT": admin,
           "ICEMU_ADMIN_TOKEN": "tok"}
    inner(env=env).assert_outcomes(passed=1)
    result = inner(env=dict(env, ICEMU_ADMIN_TOKEN="wrong"))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*IcemuError: unauthorized: the admin API needs its token*"])


def test_the_endpoint_option_wins_and_a_missing_icemu_is_an_error(inner, pytester, own_icemu):
    server = own_icemu()
    pytester.makeini("[pytest]\nicemu_start_timeout = 1\n")
    pytester.makepyfile(test_opt="def test_up(icemu):\n    assert icemu.process is None\n")
    inner("--icemu-endpoint=" + server.endpoint,
          env={"ICEMU_ENDPOINT": "http://127.0.0.1:1"}).assert_outcomes(passed=1)
    result = inner(env={"ICEMU_ENDPOINT": "http://127.0.0.1:1"})
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*no icemu at http://127.0.0.1:1 (health:*"])


def test_an_unclean_exit_at_the_end_is_an_error(inner, pytester, tmp_path):
    # The real icemu behind a wrapper that stops it and then exits 3, as an icemu that did not
    # shut down cleanly would.
    wrapper = tmp_path / "icemu"
    wrapper.write_text(textwrap.dedent("""\
        #!/bin/sh
        "$REAL_ICEMU" "$@" &
        child=$!
        trap 'kill -TERM $child; wait $child; exit 3' TERM
        wait $child
    """))
    wrapper.chmod(0o755)
    pytester.makepyfile(test_exit="def test_up(icemu):\n    assert icemu.health()['status'] == 'ok'\n")
    result = inner("--icemu-bin=%s" % wrapper, env={"REAL_ICEMU": find_binary()})
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_up*",
                                 "*icemu exited with status 3 after SIGTERM*"])


def test_a_program_that_never_answers_is_killed_after_the_start_timeout(inner, pytester,
                                                                         tmp_path):
    silent = tmp_path / "icemu"
    silent.write_text('#!/bin/sh\necho "$$" > "$PID_FILE"\nexec sleep 60\n')
    silent.chmod(0o755)
    pid_file = tmp_path / "pid"
    pytester.makeini("[pytest]\nicemu_start_timeout = 1\n")
    pytester.makepyfile(test_silent="def test_up(icemu):\n    pass\n")
    result = inner("--icemu-bin=%s" % silent, env={"PID_FILE": str(pid_file)})
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*icemu wrote no port file within 1 s*"])
    try:
        os.kill(int(pid_file.read_text()), 0)
        raise AssertionError("the program still runs")
    except ProcessLookupError:
        pass

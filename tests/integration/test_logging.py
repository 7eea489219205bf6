"""The log at the shipped `info` level: one line per request (method, path, operation, status,
duration, request id) and one per settlement, each written while icemu keeps running (the lines
of a turn of the event loop go out together at its end), in both formats."""

import json
import re
import time
import unittest

from botocore.exceptions import ClientError

from harness import Icemu

ACCOUNT = "111122223333"
TEXT_REQUEST_RE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info request method=(\S+) path=(\S+) "
    r"surface=(\S+) op=(\S+) status=(\d{3}) ms=\d+\.\d{3} request_id=(\S+)$")
TEXT_SETTLED_RE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info settled request_id=(\S+) kind=(\S+) "
    r"status=(\S+) failure_reason=")
# How long the lines of answered calls may take to reach the file: they are written at the end
# of the event loop's turn, so anything near this bound means they were held back.
SHOWS_WITHIN_S = 10.0


class LoggingTest(unittest.TestCase):
    def run_calls(self, server):
        """Some calls of both outcomes; returns {request id: (operation, status)} and the ids
        of the asynchronous requests created."""
        sso = server.client()
        calls = {}

        def note(op, answer, status=200):
            calls[answer["ResponseMetadata"]["RequestId"]] = (op, status)
            return answer

        inst = note("ListInstances", sso.list_instances())["Instances"][0]["InstanceArn"]
        ps = note("CreatePermissionSet", sso.create_permission_set(
            InstanceArn=inst, Name="logged"))["PermissionSet"]["PermissionSetArn"]
        created = []
        for n in range(5):
            answer = note("ProvisionPermissionSet", sso.provision_permission_set(
                InstanceArn=inst, PermissionSetArn=ps, TargetType="AWS_ACCOUNT",
                TargetId="%012d" % (111100000000 + n)))
            created.append(answer["PermissionSetProvisioningStatus"]["RequestId"])
        for request_id in created:
            note("DescribePermissionSetProvisioningStatus",
                 sso.describe_permission_set_provisioning_status(
                     InstanceArn=inst, ProvisionPermissionSetRequestId=request_id))
        try:
            sso.describe_permission_set(InstanceArn=inst, PermissionSetArn=ps + "0")
            self.fail("a malformed permission set ARN was accepted")
        except ClientError as e:
            note("DescribePermissionSet", e.response,
                 e.response["ResponseMetadata"]["HTTPStatusCode"])
        return calls, created

    def wait_for_lines(self, server, count):
        """The log's lines once it holds at least `count` request and settled lines."""
        deadline = time.monotonic() + SHOWS_WITHIN_S
        while True:
            lines = server.log_text().splitlines()
            logged = [l for l in lines if " request " in l or '"request"' in l
                      or " settled " in l or '"settled"' in l]
            if len(logged) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def settle_all(self, server):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, body = server.admin("GET", "/_icemu/requests?status=IN_PROGRESS")
            self.assertEqual(status, 200)
            if not body["requests"]:
                return
            time.sleep(0.05)
        self.fail("requests still IN_PROGRESS after 30 s")

    def check(self, fmt):
        server = Icemu(args=["--log-level", "info", "--log-format", fmt,
                             "--scheduler-mode", "auto", "--scheduler-delay-ms", "20-60"])
        self.addCleanup(server.close)
        server.start()
        calls, created = self.run_calls(server)
        self.settle_all(server)
        # Read while icemu runs, without stopping it: the lines are there already.
        lines = self.wait_for_lines(server, len(calls) + len(created))
        requests, settled = {}, {}
        for line in lines:
            if line.startswith("--- start "):  # the harness's mark between starts
                continue
            if fmt == "json":
                record = json.loads(line)
                if record["msg"] == "request":
                    requests.setdefault(record["request_id"], []).append(
                        (record["op"], record["status"], record["method"], record["path"]))
                    self.assertIsInstance(record["ms"], float)
                elif record["msg"] == "settled":
                    settled.setdefault(record["request_id"], []).append(record["status"])
                continue
            match = TEXT_REQUEST_RE.match(line)
            if match:
                method, path, _surface, op, status, request_id = match.groups()
                requests.setdefault(request_id, []).append((op, int(status), method, path))
                continue
            match = TEXT_SETTLED_RE.match(line)
            if match:
                settled.setdefault(match.group(1), []).append(match.group(3))
        for request_id, (op, status) in calls.items():
            self.assertEqual(requests.get(request_id), [(op, status, "POST", "/")],
                             "one line for %s %s\n%s" % (op, request_id, server.describe()))
        for request_id in created:
            self.assertEqual(settled.get(request_id), ["SUCCEEDED"],
                             "one settled line for %s\n%s" % (request_id, server.describe()))
        # No request id is logged twice (the admin calls, which have none, show "-").
        for request_id, entries in requests.items():
            if request_id != "-":
                self.assertEqual(len(entries), 1,
                                 "%s logged %d times" % (request_id, len(entries)))
        server.stop()

    def test_text_lines_one_per_request_and_settlement_while_running(self):
        self.check("text")

    def test_json_lines_one_per_request_and_settlement_while_running(self):
        self.check("json")


if __name__ == "__main__":
    unittest.main()

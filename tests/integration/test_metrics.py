"""`GET /_icemu/metrics`: Prometheus text whose counters, histogram and gauges
move with the traffic."""

import re
import unittest

from harness import IcemuTestCase

ACCOUNT_A = "111122223333"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
SAMPLE_RE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')
LABEL_RE = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')


class MetricsTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def scrape(self):
        """{(name, frozenset(labels)): value}; asserts the text format on the way."""
        status, headers, body = self.icemu.raw("GET", "/_icemu/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "text/plain; version=0.0.4")
        samples = {}
        for line in body.decode().splitlines():
            if line.startswith("#"):
                self.assertRegex(line, r"^# (HELP|TYPE) icemu_[a-z_]+ .+$")
                continue
            match = SAMPLE_RE.match(line)
            self.assertIsNotNone(match, "not a sample without timestamp: %r" % line)
            name, labels, value = match.groups()
            key = (name, frozenset(LABEL_RE.findall(labels or "")))
            samples[key] = float(value)
        return samples

    @staticmethod
    def value(samples, name, **labels):
        return samples.get((name, frozenset(labels.items())), 0.0)

    def test_request_counters_move_with_the_traffic(self):
        inst = self.instance_arn()
        before = self.scrape()
        for _ in range(3):
            self.sso.list_permission_sets(InstanceArn=inst)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_permission_set,
                               InstanceArn=inst,
                               PermissionSetArn=inst.replace("instance/", "permissionSet/")
                               + "/ps-0123456789abcdef")
        after = self.scrape()

        def delta(name, **labels):
            return self.value(after, name, **labels) - self.value(before, name, **labels)

        self.assertEqual(delta("icemu_http_requests_total", surface="aws",
                               operation="ListPermissionSets", status="200"), 3)
        self.assertEqual(delta("icemu_http_requests_total", surface="aws",
                               operation="DescribePermissionSet", status="400"), 1)
        # The previous scrape was counted once it was written.
        self.assertEqual(delta("icemu_http_requests_total", surface="admin",
                               operation="metrics", status="200"), 1)
        self.assertEqual(delta("icemu_http_request_duration_seconds_count", surface="aws"), 4)
        self.assertGreater(delta("icemu_http_request_duration_seconds_sum", surface="aws"), 0)
        self.assertEqual(self.value(after, "icemu_http_request_duration_seconds_bucket",
                                    surface="aws", le="+Inf"),
                         self.value(after, "icemu_http_request_duration_seconds_count",
                                    surface="aws"))
        buckets = [self.value(after, "icemu_http_request_duration_seconds_bucket",
                              surface="aws", le=le)
                   for le in ("0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
                              "0.1", "0.25", "0.5", "1", "+Inf")]
        self.assertEqual(buckets, sorted(buckets))  # cumulative

    def test_async_request_gauges_follow_the_store(self):
        inst = self.instance_arn()
        ps_arn = self.create_permission_set("Metered", instance_arn=inst)["PermissionSetArn"]
        created = self.create_assignment(ps_arn, ACCOUNT_A, principal_id=USER_1,
                                         instance_arn=inst)
        samples = self.scrape()
        self.assertEqual(self.value(samples, "icemu_async_requests", kind="ASSIGNMENT_CREATE",
                                    status="IN_PROGRESS"), 1)
        self.assertEqual(self.value(samples, "icemu_async_requests", kind="PROVISION",
                                    status="SUCCEEDED"), 0)
        self.assertIn(("icemu_async_requests",
                       frozenset({"kind": "ASSIGNMENT_DELETE", "status": "FAILED"}.items())),
                      samples)  # every combination is present, 0 included
        self.assertEqual(self.value(samples, "icemu_scheduler_queue_depth"), 1)
        self.assertGreater(self.value(samples, "icemu_store_bytes"), 0)

        self.icemu.settle(created["RequestId"], "FAILED")
        samples = self.scrape()
        self.assertEqual(self.value(samples, "icemu_async_requests", kind="ASSIGNMENT_CREATE",
                                    status="IN_PROGRESS"), 0)
        self.assertEqual(self.value(samples, "icemu_async_requests", kind="ASSIGNMENT_CREATE",
                                    status="FAILED"), 1)
        self.assertEqual(self.value(samples, "icemu_scheduler_queue_depth"), 0)

    def test_throttled_calls_are_counted_with_their_status(self):
        inst = self.instance_arn()
        status, body = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"operation": "ListPermissionSets"},
             "error": {"code": "InternalServerException"}, "times": 2}]})
        self.assertEqual(status, 200, body)
        before = self.scrape()
        for _ in range(2):
            self.assertClientError("InternalServerException", self.sso.list_permission_sets,
                                   InstanceArn=inst)
        after = self.scrape()
        labels = {"surface": "aws", "operation": "ListPermissionSets", "status": "500"}
        self.assertEqual(self.value(after, "icemu_http_requests_total", **labels)
                         - self.value(before, "icemu_http_requests_total", **labels), 2)

    def test_other_methods_are_refused(self):
        status, body = self.icemu.admin("POST", "/_icemu/metrics")
        self.assertEqual(status, 405)
        self.assertEqual(body["error"], "method_not_allowed")


if __name__ == "__main__":
    unittest.main()

"""The request journal (`/_icemu/journal`): every call of both surfaces, driven by boto3 and raw
HTTP, is recorded with its bodies (JSON values), status, error code, account and request id;
filters, the count with a request subset, clearing, the ring's size, the body limit, secrets,
and the server's own rejections."""

import json
import unittest

from harness import DEFAULT_ACCOUNT, IcemuTestCase

ACCOUNT_A = "111122223333"
HUAWEI_ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"


def huawei(icemu, method, path, body=None):
    data = b"" if body is None else json.dumps(body).encode()
    return icemu.raw(method, path, data, {"Content-Type": "application/json",
                                          "X-Domain-Id": HUAWEI_ACCOUNT})


class JournalTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def journal(self, query=""):
        status, answer = self.icemu.admin("GET", "/_icemu/journal" + query)
        self.assertEqual(status, 200, answer)
        return answer["calls"]

    def count(self, match):
        status, answer = self.icemu.admin("POST", "/_icemu/journal/count", match)
        self.assertEqual(status, 200, answer)
        return answer["count"]

    def provision(self, ps_arn, account, instance_arn=None):
        return self.sso.provision_permission_set(
            InstanceArn=instance_arn or self.instance_arn(), PermissionSetArn=ps_arn,
            TargetId=account, TargetType="AWS_ACCOUNT")["PermissionSetProvisioningStatus"]

    def provision_settled(self, ps_arn, account, instance_arn):
        self.icemu.settle(self.provision(ps_arn, account, instance_arn)["RequestId"])

    def test_boto3_calls_are_journaled_newest_first_with_their_bodies(self):
        ps = self.create_permission_set("Journaled")
        status = self.provision(ps["PermissionSetArn"], ACCOUNT_A)
        self.icemu.settle(status["RequestId"], "FAILED", "no such role")
        failed = self.sso.describe_permission_set_provisioning_status(
            InstanceArn=self.instance_arn(),
            ProvisionPermissionSetRequestId=status["RequestId"])
        calls = [c for c in self.journal("?surface=aws") if c["operation"] != "ListInstances"]
        self.assertEqual([c["operation"] for c in calls],
                         ["DescribePermissionSetProvisioningStatus", "ProvisionPermissionSet",
                          "CreatePermissionSet"])
        seqs = [c["seq"] for c in calls]
        self.assertEqual(seqs, sorted(seqs, reverse=True))
        described, provisioned = calls[0], calls[1]
        self.assertEqual(provisioned["request"]["TargetId"], ACCOUNT_A)
        self.assertEqual(provisioned["response"]["PermissionSetProvisioningStatus"]["RequestId"],
                         status["RequestId"])
        self.assertEqual(described["response"]["PermissionSetProvisioningStatus"]
                         ["FailureReason"], "no such role")
        self.assertEqual(failed["PermissionSetProvisioningStatus"]["Status"], "FAILED")
        for call in calls:
            self.assertEqual(call["surface"], "aws")
            self.assertEqual(call["method"], "POST")
            self.assertEqual(call["path"], "/")
            self.assertEqual(call["status"], 200)
            self.assertIsNone(call["error"])
            self.assertEqual(call["account_id"], DEFAULT_ACCOUNT)
            self.assertIsInstance(call["duration_ms"], (int, float))
            self.assertGreaterEqual(call["clock_time"], call["time"])
            self.assertFalse(call["request_truncated"])
            self.assertFalse(call["response_truncated"])
        # The request id is the one the client was answered with.
        self.assertEqual(described["request_id"],
                         failed["ResponseMetadata"]["RequestId"])

    def test_the_journal_keeps_the_virtual_clock(self):
        self.icemu.advance(3_600_000)
        self.sso.list_instances()
        call = self.journal("?operation=ListInstances&limit=1")[0]
        self.assertGreaterEqual(call["clock_time"] - call["time"], 3_600_000)

    def test_errors_carry_their_code_and_filters_select_them(self):
        inst = self.instance_arn()
        missing = inst.replace("instance/", "permissionSet/") + "/ps-0123456789abcdef"
        self.assertClientError("ResourceNotFoundException", self.sso.describe_permission_set,
                               InstanceArn=inst, PermissionSetArn=missing)
        calls = self.journal("?status=400")
        self.assertEqual(len(calls), 1, calls)
        self.assertEqual(calls[0]["error"], "ResourceNotFoundException")
        self.assertEqual(calls[0]["operation"], "DescribePermissionSet")
        self.assertEqual(calls[0]["response"]["__type"], "ResourceNotFoundException")
        self.assertEqual(self.journal("?error=ResourceNotFoundException"), calls)
        self.assertEqual(self.journal("?error=ConflictException"), [])
        # since and limit
        everything = self.journal()
        self.assertGreaterEqual(len(everything), 2)
        self.assertEqual(self.journal("?limit=1"), everything[:1])
        self.assertEqual(self.journal("?since=%d" % everything[1]["seq"]), everything[:1])

    def test_count_matches_a_subset_of_the_request(self):
        inst = self.instance_arn()
        ps = self.create_permission_set("Counted", instance_arn=inst)["PermissionSetArn"]
        self.provision_settled(ps, ACCOUNT_A, inst)
        self.provision_settled(ps, "444455556666", inst)
        self.provision_settled(ps, ACCOUNT_A, inst)
        self.assertEqual(self.count({"operation": "ProvisionPermissionSet",
                                     "request": {"TargetId": ACCOUNT_A}}), 2)
        self.assertEqual(self.count({"operation": "ProvisionPermissionSet",
                                     "request": {"TargetId": "444455556666",
                                                 "PermissionSetArn": ps}}), 1)
        self.assertEqual(self.count({"operation": "ProvisionPermissionSet",
                                     "request": {"TargetId": "999999999999"}}), 0)
        self.assertEqual(self.count({"operation": "ProvisionPermissionSet"}), 3)
        self.assertEqual(self.count({"surface": "aws", "status": 200}), 5)  # + ListInstances
        self.assertEqual(self.count({}), 5)

    def test_bad_filters_are_400_naming_the_filter(self):
        for query, word in [("?status=abc", "status"), ("?status=99", "status"),
                            ("?limit=0", "limit"), ("?since=-1", "since"),
                            ("?colour=red", "colour")]:
            status, answer = self.icemu.admin("GET", "/_icemu/journal" + query)
            self.assertEqual(status, 400, query)
            self.assertEqual(answer["error"], "bad_request")
            self.assertIn(word, answer["message"])
        for body, word in [({"request": "x"}, "request"), ({"status": "200"}, "status"),
                           ({"operation": 5}, "operation"), ({"colour": "red"}, "colour"),
                           (b"[1]", "JSON object")]:
            status, answer = self.icemu.admin("POST", "/_icemu/journal/count", body)
            self.assertEqual(status, 400, body)
            self.assertIn(word, answer["message"])

    def test_huawei_calls_are_journaled_and_admin_calls_are_not(self):
        status, headers, body = huawei(self.icemu, "GET", "/v1/instances")
        self.assertEqual(status, 200)
        instance_id = json.loads(body)["instances"][0]["instance_id"]
        status, _, _ = huawei(self.icemu, "POST",
                              "/v1/instances/%s/permission-sets" % instance_id, {"name": "hw"})
        self.assertEqual(status, 200)
        status, _, _ = huawei(self.icemu, "POST",
                              "/v1/instances/%s/permission-sets" % instance_id, {"name": "hw"})
        self.assertEqual(status, 409)
        self.icemu.requests()
        self.icemu.health()
        calls = self.journal()
        self.assertEqual([c["surface"] for c in calls], ["huawei"] * 3)
        conflict, created, listed = calls
        self.assertEqual(listed["method"], "GET")
        self.assertEqual(listed["path"], "/v1/instances")
        self.assertIsNone(listed["request"])
        self.assertEqual(listed["request_id"], headers.get("X-Request-Id"))
        self.assertEqual(listed["account_id"], HUAWEI_ACCOUNT)
        self.assertEqual(created["operation"], "CreatePermissionSet")
        self.assertEqual(created["request"], {"name": "hw"})
        self.assertEqual(conflict["status"], 409)
        self.assertEqual(conflict["error"], conflict["response"]["error_code"])
        self.assertTrue(conflict["error"].startswith("IIC."), conflict)
        self.assertEqual(len(self.journal("?surface=huawei&operation=CreatePermissionSet")), 2)

    def test_secrets_are_never_kept(self):
        status, _, _ = huawei(self.icemu, "POST", "/v1/instances/ssoins-0000000000000000/x",
                              {"user_name": "ana", "password": "hunter2",
                               "nested": {"SecretAccessKey": "wJalr"}})
        self.assertGreaterEqual(status, 400)
        self.sso.list_instances()  # signed: Authorization carries a SigV4 signature
        text = json.dumps(self.journal())
        for secret in ("hunter2", "wJalr", "AWS4-HMAC-SHA256", "Signature=", "Credential="):
            self.assertNotIn(secret, text)
        call = self.journal("?surface=huawei")[0]
        self.assertEqual(call["request"], {"user_name": "ana", "password": "***",
                                           "nested": {"SecretAccessKey": "***"}})

    def test_delete_clears_and_reset_starts_afresh(self):
        self.sso.list_instances()
        self.assertEqual(len(self.journal()), 1)
        status, answer = self.icemu.admin("DELETE", "/_icemu/journal")
        self.assertEqual((status, answer), (200, {"cleared": True}))
        self.assertEqual(self.journal(), [])
        self.sso.list_instances()
        self.assertEqual(len(self.journal()), 1)
        self.icemu.reset()
        self.assertEqual(self.journal(), [])

    def test_rejections_are_journaled(self):
        status, _, _ = self.icemu.aws_raw("ListInstances", b"{" + b" " * 2_000_000 + b"}")
        self.assertEqual(status, 413)
        status, _, _ = self.icemu.raw("GET", "/v1/instances", headers={"Bad Header": "x"})
        self.assertEqual(status, 400)
        calls = self.journal()
        self.assertEqual([c["status"] for c in calls[:2]], [400, 413])
        self.assertEqual(calls[1]["surface"], "aws")
        self.assertEqual(calls[1]["error"], "RequestEntityTooLargeException")
        self.assertEqual(calls[0]["surface"], "huawei")


class JournalSizeTest(IcemuTestCase):
    icemu_env = {"ICEMU_JOURNAL_SIZE": "3", "ICEMU_JOURNAL_MAX_BODY_BYTES": "40"}

    def test_the_ring_keeps_the_last_calls_and_cuts_long_bodies(self):
        sso = self.sso
        for _ in range(5):
            sso.list_instances()
        status, answer = self.icemu.admin("GET", "/_icemu/journal")
        calls = answer["calls"]
        self.assertEqual(len(calls), 3)
        self.assertEqual([c["seq"] for c in calls], [5, 4, 3])
        body = {"InstanceArn": "arn:aws:sso:::instance/ssoins-0123456789abcdef",
                "Name": "a-name-that-makes-the-body-longer-than-forty-bytes"}
        self.icemu.aws_raw("CreatePermissionSet", body)
        call = self.journal_first()
        self.assertTrue(call["request_truncated"])
        self.assertEqual(call["request"], json.dumps(body)[:40])  # the bytes sent, cut

    def journal_first(self):
        status, answer = self.icemu.admin("GET", "/_icemu/journal?limit=1")
        self.assertEqual(status, 200)
        return answer["calls"][0]


class JournalOffTest(IcemuTestCase):
    icemu_env = {"ICEMU_JOURNAL_SIZE": "0"}

    def test_size_zero_journals_nothing(self):
        self.sso.list_instances()
        self.assertEqual(self.icemu.admin("GET", "/_icemu/journal"), (200, {"calls": []}))
        self.assertEqual(self.icemu.admin("POST", "/_icemu/journal/count", {}),
                         (200, {"count": 0}))


if __name__ == "__main__":
    unittest.main()

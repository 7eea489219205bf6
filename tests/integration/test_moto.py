"""A suite written for moto's server mode switches to icemu by its endpoint (README, "Coming from
moto"): POST /moto-api/reset is POST /_icemu/reset, behind the same admin protection; the
initial instance takes the id the suite expects from initial_state.instances[].instance_id; with
--scheduler-delay-ms 0 a request answers IN_PROGRESS and is settled before the next call; what
icemu does differently on purpose (unknown resources are ResourceNotFoundException, ids are
validated by the model) is checked too."""

import http.client
import json
import os
import shutil
import tempfile
import unittest

from harness import IcemuTestCase

ACCOUNT = "111122223333"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
SUITE_INSTANCE = "ssoins-1111222233334444"
SUITE_INSTANCE_ARN = "arn:aws:sso:::instance/" + SUITE_INSTANCE


def call(port, method, path, headers=None):
    """A raw call with an empty body; returns (status, parsed JSON)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=b"", headers=headers or {})
        res = conn.getresponse()
        return res.status, json.loads(res.read())
    finally:
        conn.close()


class MotoResetTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def test_moto_reset_does_what_the_icemu_reset_does(self):
        inst = self.instance_arn()
        ps = self.create_permission_set("BeforeReset", instance_arn=inst)["PermissionSetArn"]
        self.create_assignment(ps, ACCOUNT, principal_id=USER, instance_arn=inst)
        self.icemu.scheduler(mode="polls", polls=3)
        self.icemu.advance(60000)
        status, body = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"operation": "ListPermissionSets"},
             "error": {"code": "ThrottlingException"}, "times": 1}]})
        self.assertEqual(status, 200)
        self.assertEqual(len(self.icemu.requests()), 1)

        status, body = call(self.icemu.port, "POST", "/moto-api/reset")
        self.assertEqual((status, body), (200, {"reset": True}))  # POST /_icemu/reset's answer

        self.assertEqual(self.sso.list_permission_sets(InstanceArn=inst)["PermissionSets"], [])
        self.assertEqual(self.icemu.requests(), [])
        self.assertEqual(self.icemu.scheduler()["mode"], "manual")  # back to the configuration
        self.assertEqual(self.icemu.health()["scheduler"]["clock_offset_ms"], 0)
        self.assertEqual(self.icemu.admin("GET", "/_icemu/faults")[1], {"rules": []})
        self.assertEqual(self.instance_arn(), inst)  # the initial state, same id

    def test_only_post_resets(self):
        self.create_permission_set("Kept")
        status, body = call(self.icemu.port, "GET", "/moto-api/reset")
        self.assertEqual((status, body["error"]), (405, "method_not_allowed"))
        status, body = call(self.icemu.port, "POST", "/moto-api/data.json")
        self.assertEqual((status, body["error"]), (404, "not_found"))
        self.assertEqual(len(self.sso.list_permission_sets(
            InstanceArn=self.instance_arn())["PermissionSets"]), 1)


class MotoResetProtectionTest(IcemuTestCase):
    """The admin protection applies to /moto-api/reset as to /_icemu/reset."""
    per_test = True

    def setUp(self):
        unittest.TestCase.setUp(self)
        self._servers = []

    def test_a_token_guards_the_moto_reset(self):
        server = self.start_icemu(args=["--admin-token", "t0ken"], env={})
        self.assertEqual(call(server.port, "POST", "/moto-api/reset")[0], 401)
        self.assertEqual(call(server.port, "POST", "/moto-api/reset",
                              {"Authorization": "Bearer t0ken"}), (200, {"reset": True}))

    def test_an_admin_listener_takes_the_moto_reset_off_the_main_address(self):
        port_dir = tempfile.mkdtemp(prefix="icemu-moto-")
        self.addCleanup(shutil.rmtree, port_dir, True)
        port_file = os.path.join(port_dir, "admin-port")
        server = self.start_icemu(args=["--admin-listen", "127.0.0.1:0",
                                        "--admin-port-file", port_file], env={})
        with open(port_file) as f:
            admin_port = int(f.read())
        status, body = call(server.port, "POST", "/moto-api/reset")
        self.assertEqual((status, body["error"]), (404, "not_found"))
        self.assertEqual(call(admin_port, "POST", "/moto-api/reset"), (200, {"reset": True}))


class ComingFromMotoTest(IcemuTestCase):
    """icemu configured as the README's "Coming from moto" section says."""
    per_test = True

    def setUp(self):
        unittest.TestCase.setUp(self)
        self._servers = []
        directory = tempfile.mkdtemp(prefix="icemu-moto-conf-")
        self.addCleanup(shutil.rmtree, directory, True)
        config = os.path.join(directory, "moto.json")
        with open(config, "w") as f:
            json.dump({"initial_state": {"instances": [
                {"owner_account_id": "123456789012", "instance_id": SUITE_INSTANCE}]}}, f)
        self.icemu = self.start_icemu(args=["--config", config, "--scheduler-delay-ms", "0"],
                                      env={})
        self.sso = self.icemu.client()

    def test_the_suite_finds_its_instance_and_settled_requests(self):
        self.assertEqual([i["InstanceArn"] for i in self.sso.list_instances()["Instances"]],
                         [SUITE_INSTANCE_ARN])
        ps = self.create_permission_set("FromMoto", instance_arn=SUITE_INSTANCE_ARN)[
            "PermissionSetArn"]
        created = self.create_assignment(ps, ACCOUNT, principal_id=USER,
                                         instance_arn=SUITE_INSTANCE_ARN)
        self.assertEqual(created["Status"], "IN_PROGRESS")  # always, unlike moto
        status = self.sso.describe_account_assignment_creation_status(
            InstanceArn=SUITE_INSTANCE_ARN,
            AccountAssignmentCreationRequestId=created["RequestId"])[
            "AccountAssignmentCreationStatus"]
        self.assertEqual(status["Status"], "SUCCEEDED")  # settled before this call, no polling
        listed = self.sso.list_account_assignments(InstanceArn=SUITE_INSTANCE_ARN,
                                                   AccountId=ACCOUNT, PermissionSetArn=ps)
        self.assertEqual(len(listed["AccountAssignments"]), 1)
        # The reset keeps the configured id.
        self.assertEqual(call(self.icemu.port, "POST", "/moto-api/reset"), (200, {"reset": True}))
        self.assertEqual([i["InstanceArn"] for i in self.sso.list_instances()["Instances"]],
                         [SUITE_INSTANCE_ARN])

    def test_what_icemu_does_differently_on_purpose(self):
        # An unknown instance or permission set is not found (moto answers as if it existed).
        unknown = "arn:aws:sso:::instance/ssoins-0000000000000000"
        self.assertClientError("ResourceNotFoundException", self.sso.list_permission_sets,
                               InstanceArn=unknown)
        self.assertClientError(
            "ResourceNotFoundException", self.sso.describe_permission_set,
            InstanceArn=SUITE_INSTANCE_ARN,
            PermissionSetArn="arn:aws:sso:::permissionSet/%s/ps-0000000000000000"
                             % SUITE_INSTANCE)
        # Ids are validated by the model: moto's invented instance ARNs are refused.
        self.assertClientError("ValidationException", self.sso.list_permission_sets,
                               InstanceArn="arn:aws:sso:::instance/ins-not-a-real-one")


if __name__ == "__main__":
    unittest.main()

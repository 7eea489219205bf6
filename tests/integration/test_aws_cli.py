"""The AWS CLI (`aws sso-admin ... --endpoint-url`) against icemu, in manual mode. Each call
starts a Python interpreter, so this module runs on the release pass only (label `integration`,
not `asan`)."""

import json
import os
import re
import shutil
import subprocess
import unittest

from harness import DEFAULT_ACCOUNT, INSTANCE_ARN_RE, PERMISSION_SET_ARN_RE, IcemuTestCase

CLI_TIMEOUT_S = 60  # an interpreter start per call, slower on a loaded machine
ACCOUNT_A = "111122223333"
GROUP_1 = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


def _service_error_exit():
    """The exit status of a call the service answered with an error: 254 on CLI v2 (Debian 12's
    awscli package), 255 on v1 (pip/pyenv installs), as each version documents."""
    out = subprocess.run(["aws", "--version"], capture_output=True, text=True,
                         timeout=CLI_TIMEOUT_S)
    m = re.search(r"aws-cli/(\d+)\.", out.stdout + out.stderr)
    return 255 if m and m.group(1) == "1" else 254


@unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not installed")
class AwsCliTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def aws(self, *args, expect_exit=0):
        """Runs `aws sso-admin ARGS --output json`; returns (parsed stdout or None, stderr)."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("ICEMU_")}
        missing = os.path.join(self.icemu.tmp, "no-such-aws-config")
        env.update({
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": missing,
            "AWS_SHARED_CREDENTIALS_FILE": missing,
        })
        cmd = ["aws", "sso-admin"] + list(args) + [
            "--endpoint-url", self.icemu.endpoint, "--region", "us-east-1", "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, expect_exit,
                         "%s\nstdout: %s\nstderr: %s" % (" ".join(cmd), proc.stdout, proc.stderr))
        return (json.loads(proc.stdout) if proc.stdout.strip() else None), proc.stderr

    def test_list_instances(self):
        out, _ = self.aws("list-instances")
        self.assertEqual(len(out["Instances"]), 1)
        inst = out["Instances"][0]
        self.assertRegex(inst["InstanceArn"], INSTANCE_ARN_RE)
        self.assertEqual(inst["OwnerAccountId"], DEFAULT_ACCOUNT)
        self.assertEqual(inst["Status"], "ACTIVE")
        self.assertIn("CreatedDate", inst)

    def test_assignment_workflow(self):
        inst = self.instance_arn()
        out, _ = self.aws("create-permission-set", "--instance-arn", inst, "--name", "CliSet",
                          "--session-duration", "PT4H")
        ps = out["PermissionSet"]
        self.assertEqual(ps["Name"], "CliSet")
        self.assertEqual(ps["SessionDuration"], "PT4H")
        self.assertRegex(ps["PermissionSetArn"], PERMISSION_SET_ARN_RE)
        ps_arn = ps["PermissionSetArn"]

        out, _ = self.aws("create-account-assignment", "--instance-arn", inst,
                          "--target-id", ACCOUNT_A, "--target-type", "AWS_ACCOUNT",
                          "--permission-set-arn", ps_arn, "--principal-type", "GROUP",
                          "--principal-id", GROUP_1)
        created = out["AccountAssignmentCreationStatus"]
        self.assertEqual(created["Status"], "IN_PROGRESS")
        request_id = created["RequestId"]

        def describe():
            out, _ = self.aws("describe-account-assignment-creation-status",
                              "--instance-arn", inst,
                              "--account-assignment-creation-request-id", request_id)
            return out["AccountAssignmentCreationStatus"]

        status = describe()
        self.assertEqual(status["Status"], "IN_PROGRESS")
        self.assertEqual(status["RequestId"], request_id)
        self.assertEqual(status["TargetId"], ACCOUNT_A)
        self.assertEqual(status["PrincipalType"], "GROUP")
        self.assertEqual(status["PrincipalId"], GROUP_1)
        self.assertEqual(status["PermissionSetArn"], ps_arn)

        self.icemu.settle(request_id, "SUCCEEDED")
        self.assertEqual(describe()["Status"], "SUCCEEDED")

        out, _ = self.aws("list-account-assignments", "--instance-arn", inst,
                          "--account-id", ACCOUNT_A, "--permission-set-arn", ps_arn)
        self.assertEqual(out["AccountAssignments"], [{
            "AccountId": ACCOUNT_A, "PermissionSetArn": ps_arn,
            "PrincipalType": "GROUP", "PrincipalId": GROUP_1}])

    def test_failed_provisioning_shows_its_reason(self):
        inst = self.instance_arn()
        ps_arn = self.create_permission_set("CliProv", instance_arn=inst)["PermissionSetArn"]
        out, _ = self.aws("provision-permission-set", "--instance-arn", inst,
                          "--permission-set-arn", ps_arn, "--target-type", "AWS_ACCOUNT",
                          "--target-id", ACCOUNT_A)
        request_id = out["PermissionSetProvisioningStatus"]["RequestId"]
        reason = "Received a 404 status error: Assignment not found."
        self.icemu.settle(request_id, "FAILED", reason)
        out, _ = self.aws("describe-permission-set-provisioning-status", "--instance-arn", inst,
                          "--provision-permission-set-request-id", request_id)
        status = out["PermissionSetProvisioningStatus"]
        self.assertEqual(status["Status"], "FAILED")
        self.assertEqual(status["FailureReason"], reason)

    def test_cli_follows_next_token(self):
        inst = self.instance_arn()
        arns = {self.create_permission_set("CliPage%d" % i, instance_arn=inst)["PermissionSetArn"]
                for i in range(5)}
        out, _ = self.aws("list-permission-sets", "--instance-arn", inst, "--page-size", "2")
        self.assertEqual(len(out["PermissionSets"]), 5)
        self.assertEqual(set(out["PermissionSets"]), arns)

    def test_unknown_permission_set_is_a_service_error(self):
        inst = self.instance_arn()
        hex16 = INSTANCE_ARN_RE.fullmatch(inst).group(1)
        out, stderr = self.aws(
            "describe-permission-set", "--instance-arn", inst, "--permission-set-arn",
            "arn:aws:sso:::permissionSet/ssoins-%s/ps-0000000000000000" % hex16,
            expect_exit=_service_error_exit())
        self.assertIsNone(out)
        self.assertIn("ResourceNotFoundException", stderr)
        self.assertIn("DescribePermissionSet", stderr)


if __name__ == "__main__":
    unittest.main()

"""Every implemented operation of sso-admin through the AWS CLI
(`aws sso-admin <op> --endpoint-url ... --output json`): exit 0 and the JSON output parsed and
checked, and for each family of operations the documented error of one bad call (exit 254 on CLI
v2, 255 on v1, stderr naming the exception and the operation). One icemu for the class,
`ICEMU_SCHEDULER_DELAY_MS=0` (a request is settled before the next call is answered). Each call
starts a Python interpreter: release pass only (label `integration`, not `asan`)."""

import datetime
import json
import os
import re
import shutil
import subprocess
import unittest

from harness import (DEFAULT_ACCOUNT, INSTANCE_ARN_RE, PERMISSION_SET_ARN_RE, UUID_RE,
                     IcemuTestCase)

CLI_TIMEOUT_S = 60  # an interpreter start per call, slower on a loaded machine
ACCOUNT = "111122223333"
OTHER_OWNER = "210987654321"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
GROUP = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
MANAGED_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
MANAGED_ARN_2 = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
APP_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}

# Every operation this module runs (asserted against the documented list by the conformance test).
FAMILY = set()


def _service_error_exit():
    """The exit status of a call the service answered with an error: 254 on CLI v2, 255 on
    v1, as each version documents."""
    out = subprocess.run(["aws", "--version"], capture_output=True, text=True,
                         timeout=CLI_TIMEOUT_S)
    m = re.search(r"aws-cli/(\d+)\.", out.stdout + out.stderr)
    return 255 if m and m.group(1) == "1" else 254


def _cli_operation(command):
    return "".join(part.capitalize() for part in command.split("-"))


@unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not installed")
class AwsCliFamilyTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_DELAY_MS": "0"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.error_exit = _service_error_exit()

    def aws(self, command, *args, expect_error=None, access_key="AKIDEXAMPLE"):
        """Runs `aws sso-admin COMMAND ARGS --output json`. Success: returns the parsed output
        ({} when it printed nothing). With `expect_error`: asserts the service-error exit
        status and that stderr names the exception and the operation; returns stderr."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("ICEMU_")}
        missing = os.path.join(self.icemu.tmp, "no-such-aws-config")
        env.update({
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": missing,
            "AWS_SHARED_CREDENTIALS_FILE": missing,
        })
        cmd = ["aws", "sso-admin", command] + [str(a) for a in args] + [
            "--endpoint-url", self.icemu.endpoint, "--region", "us-east-1", "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        shown = "%s\nexit %d\nstdout: %s\nstderr: %s" % (" ".join(cmd), proc.returncode,
                                                         proc.stdout, proc.stderr)
        operation = _cli_operation(command)
        if expect_error is not None:
            self.assertEqual(proc.returncode, self.error_exit, shown)
            self.assertEqual(proc.stdout.strip(), "", shown)
            self.assertIn("(%s)" % expect_error, proc.stderr, shown)
            self.assertIn(operation, proc.stderr, shown)
            return proc.stderr
        self.assertEqual(proc.returncode, 0, shown)
        FAMILY.add(operation)
        return json.loads(proc.stdout) if proc.stdout.strip() else {}

    def assertDate(self, value):
        """A timestamp as the CLI prints it: v1 echoes the wire's epoch seconds (a number with
        at most 3 decimals), v2 prints ISO 8601. Either way it must be now-ish."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.assertEqual(round(value, 3), value)
            parsed = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        else:
            self.assertIsInstance(value, str)
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            self.assertIsNotNone(parsed.tzinfo, value)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - parsed).total_seconds()), 600, value)

    def missing_ps(self, inst):
        hex16 = INSTANCE_ARN_RE.fullmatch(inst).group(1)
        return "arn:aws:sso:::permissionSet/ssoins-%s/ps-0123456789abcdef" % hex16

    # ---- instances -----------------------------------------------------------------------------

    def test_instances(self):
        out = self.aws("list-instances")
        self.assertEqual(len(out["Instances"]), 1)
        inst = out["Instances"][0]
        self.assertRegex(inst["InstanceArn"], INSTANCE_ARN_RE)
        self.assertEqual(inst["OwnerAccountId"], DEFAULT_ACCOUNT)
        self.assertEqual(inst["Status"], "ACTIVE")
        self.assertDate(inst["CreatedDate"])

        out = self.aws("describe-instance", "--instance-arn", inst["InstanceArn"])
        self.assertEqual(out["InstanceArn"], inst["InstanceArn"])
        self.assertEqual(out["IdentityStoreId"], inst["IdentityStoreId"])
        self.assertEqual(out["Status"], "ACTIVE")

        # The SigV4 access key id, when it is 12 digits, is the owner of the new instance.
        out = self.aws("create-instance", "--name", "cli-second", "--tags", "Key=env,Value=test",
                       access_key=OTHER_OWNER)
        second = out["InstanceArn"]
        self.assertRegex(second, INSTANCE_ARN_RE)
        self.assertNotEqual(second, inst["InstanceArn"])
        self.aws("create-instance", "--name", "again", access_key=OTHER_OWNER,
                 expect_error="ConflictException")

        self.assertEqual(self.aws("update-instance", "--instance-arn", second,
                                  "--name", "cli-renamed"), {})
        out = self.aws("describe-instance", "--instance-arn", second)
        self.assertEqual(out["Name"], "cli-renamed")
        self.assertEqual(out["OwnerAccountId"], OTHER_OWNER)
        self.assertEqual(self.aws("delete-instance", "--instance-arn", second), {})
        self.aws("describe-instance", "--instance-arn", second,
                 expect_error="ResourceNotFoundException")
        self.assertEqual(len(self.aws("list-instances")["Instances"]), 1)

    # ---- permission sets -----------------------------------------------------------------------

    def test_permission_sets(self):
        inst = self.instance_arn()
        out = self.aws("create-permission-set", "--instance-arn", inst, "--name", "CliSet",
                       "--description", "through the CLI", "--session-duration", "PT4H",
                       "--relay-state", "/console/home", "--tags", "Key=team,Value=cli")
        ps = out["PermissionSet"]
        self.assertRegex(ps["PermissionSetArn"], PERMISSION_SET_ARN_RE)
        self.assertEqual((ps["Name"], ps["Description"], ps["SessionDuration"], ps["RelayState"]),
                         ("CliSet", "through the CLI", "PT4H", "/console/home"))
        self.assertDate(ps["CreatedDate"])
        arn = ps["PermissionSetArn"]
        stderr = self.aws("create-permission-set", "--instance-arn", inst, "--name", "CliSet",
                          expect_error="ConflictException")
        self.assertIn("PermissionSet with name CliSet already exists.", stderr)

        self.assertEqual(self.aws("update-permission-set", "--instance-arn", inst,
                                  "--permission-set-arn", arn, "--description", "updated",
                                  "--session-duration", "PT8H"), {})
        out = self.aws("describe-permission-set", "--instance-arn", inst,
                       "--permission-set-arn", arn)["PermissionSet"]
        self.assertEqual(out["Description"], "updated")
        self.assertEqual(out["SessionDuration"], "PT8H")
        self.assertNotIn("RelayState", out)  # an omitted RelayState is cleared
        self.aws("describe-permission-set", "--instance-arn", inst,
                 "--permission-set-arn", self.missing_ps(inst),
                 expect_error="ResourceNotFoundException")

        more = {self.create_permission_set("CliMore%d" % i, instance_arn=inst)["PermissionSetArn"]
                for i in range(4)}
        out = self.aws("list-permission-sets", "--instance-arn", inst, "--page-size", "2")
        self.assertEqual(sorted(out["PermissionSets"]), sorted(more | {arn}))
        stderr = self.aws("list-permission-sets", "--instance-arn", inst, "--max-results", "101",
                          expect_error="ValidationException")
        self.assertIn("'maxResults'", stderr)

        self.assertEqual(self.aws("delete-permission-set", "--instance-arn", inst,
                                  "--permission-set-arn", arn), {})
        self.aws("delete-permission-set", "--instance-arn", inst, "--permission-set-arn", arn,
                 expect_error="ResourceNotFoundException")

    # ---- policies and the permissions boundary -------------------------------------------------

    def test_policies(self):
        inst = self.instance_arn()
        arn = self.create_permission_set("CliPolicies", instance_arn=inst)["PermissionSetArn"]
        ps = ("--instance-arn", inst, "--permission-set-arn", arn)

        # No inline policy: AWS answers an empty string, as the CLI prints it.
        self.assertEqual(self.aws("get-inline-policy-for-permission-set", *ps),
                         {"InlinePolicy": ""})
        self.assertEqual(self.aws("put-inline-policy-to-permission-set", *ps,
                                  "--inline-policy", json.dumps(POLICY)), {})
        out = self.aws("get-inline-policy-for-permission-set", *ps)
        self.assertEqual(json.loads(out["InlinePolicy"]), POLICY)
        self.assertEqual(self.aws("delete-inline-policy-from-permission-set", *ps), {})
        self.assertEqual(self.aws("get-inline-policy-for-permission-set", *ps),
                         {"InlinePolicy": ""})

        for policy in (MANAGED_ARN, MANAGED_ARN_2):
            self.assertEqual(self.aws("attach-managed-policy-to-permission-set", *ps,
                                      "--managed-policy-arn", policy), {})
        self.aws("attach-managed-policy-to-permission-set", *ps, "--managed-policy-arn",
                 MANAGED_ARN, expect_error="ConflictException")
        out = self.aws("list-managed-policies-in-permission-set", *ps, "--page-size", "1")
        self.assertEqual(sorted(out["AttachedManagedPolicies"], key=lambda p: p["Arn"]), [
            {"Name": "ReadOnlyAccess", "Arn": MANAGED_ARN},
            {"Name": "ViewOnlyAccess", "Arn": MANAGED_ARN_2}])
        self.assertEqual(self.aws("detach-managed-policy-from-permission-set", *ps,
                                  "--managed-policy-arn", MANAGED_ARN), {})
        self.aws("detach-managed-policy-from-permission-set", *ps, "--managed-policy-arn",
                 MANAGED_ARN, expect_error="ResourceNotFoundException")

        self.assertEqual(self.aws("attach-customer-managed-policy-reference-to-permission-set",
                                  *ps, "--customer-managed-policy-reference",
                                  "Name=CliPolicy,Path=/team/"), {})
        self.assertEqual(self.aws("attach-customer-managed-policy-reference-to-permission-set",
                                  *ps, "--customer-managed-policy-reference", "Name=Plain"), {})
        self.aws("attach-customer-managed-policy-reference-to-permission-set", *ps,
                 "--customer-managed-policy-reference", "Name=Plain",
                 expect_error="ConflictException")
        out = self.aws("list-customer-managed-policy-references-in-permission-set", *ps)
        self.assertEqual(sorted(out["CustomerManagedPolicyReferences"], key=lambda r: r["Name"]),
                         [{"Name": "CliPolicy", "Path": "/team/"}, {"Name": "Plain", "Path": "/"}])
        self.assertEqual(self.aws("detach-customer-managed-policy-reference-from-permission-set",
                                  *ps, "--customer-managed-policy-reference",
                                  "Name=CliPolicy,Path=/team/"), {})
        self.aws("detach-customer-managed-policy-reference-from-permission-set", *ps,
                 "--customer-managed-policy-reference", "Name=CliPolicy,Path=/team/",
                 expect_error="ResourceNotFoundException")

        boundary = {"CustomerManagedPolicyReference": {"Name": "Boundary", "Path": "/b/"}}
        self.assertEqual(self.aws("put-permissions-boundary-to-permission-set", *ps,
                                  "--permissions-boundary", json.dumps(boundary)), {})
        out = self.aws("get-permissions-boundary-for-permission-set", *ps)
        self.assertEqual(out["PermissionsBoundary"], boundary)
        self.assertEqual(self.aws("put-permissions-boundary-to-permission-set", *ps,
                                  "--permissions-boundary", "ManagedPolicyArn=" + MANAGED_ARN), {})
        out = self.aws("get-permissions-boundary-for-permission-set", *ps)
        self.assertEqual(out["PermissionsBoundary"], {"ManagedPolicyArn": MANAGED_ARN})
        self.assertEqual(self.aws("delete-permissions-boundary-from-permission-set", *ps), {})
        self.assertEqual(self.aws("get-permissions-boundary-for-permission-set", *ps), {})
        self.aws("put-permissions-boundary-to-permission-set", *ps, "--permissions-boundary",
                 json.dumps(dict(boundary, ManagedPolicyArn=MANAGED_ARN)),
                 expect_error="ValidationException")

        self.aws("put-inline-policy-to-permission-set", "--instance-arn", inst,
                 "--permission-set-arn", self.missing_ps(inst), "--inline-policy",
                 json.dumps(POLICY), expect_error="ResourceNotFoundException")

    # ---- tags ----------------------------------------------------------------------------------

    def test_tags(self):
        inst = self.instance_arn()
        arn = self.create_permission_set("CliTags", instance_arn=inst,
                                         Tags=[{"Key": "team", "Value": "cli"}])["PermissionSetArn"]
        res = ("--instance-arn", inst, "--resource-arn", arn)
        self.assertEqual(self.aws("tag-resource", *res, "--tags", "Key=env,Value=dev",
                                  "Key=team,Value=platform"), {})
        out = self.aws("list-tags-for-resource", *res)
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in out["Tags"]),
                         [("env", "dev"), ("team", "platform")])
        self.assertEqual(self.aws("untag-resource", *res, "--tag-keys", "env"), {})
        out = self.aws("list-tags-for-resource", *res)
        self.assertEqual(out["Tags"], [{"Key": "team", "Value": "platform"}])
        # The instance itself is taggable too.
        self.assertEqual(self.aws("tag-resource", "--instance-arn", inst, "--resource-arn", inst,
                                  "--tags", "Key=owner,Value=ops"), {})
        out = self.aws("list-tags-for-resource", "--instance-arn", inst, "--resource-arn", inst)
        self.assertEqual(out["Tags"], [{"Key": "owner", "Value": "ops"}])
        self.aws("tag-resource", "--instance-arn", inst, "--resource-arn", self.missing_ps(inst),
                 "--tags", "Key=a,Value=b", expect_error="ResourceNotFoundException")

    # ---- assignments and provisioning ----------------------------------------------------------

    def test_assignments_and_provisioning(self):
        inst = self.instance_arn()
        arn = self.create_permission_set("CliAssign", instance_arn=inst)["PermissionSetArn"]
        assignment = ("--instance-arn", inst, "--target-id", ACCOUNT, "--target-type",
                      "AWS_ACCOUNT", "--permission-set-arn", arn, "--principal-type", "USER",
                      "--principal-id", USER)

        created = self.aws("create-account-assignment", *assignment)[
            "AccountAssignmentCreationStatus"]
        self.assertEqual(created["Status"], "IN_PROGRESS")
        self.assertRegex(created["RequestId"], UUID_RE)
        self.assertDate(created["CreatedDate"])
        status = self.aws("describe-account-assignment-creation-status", "--instance-arn", inst,
                          "--account-assignment-creation-request-id", created["RequestId"])[
            "AccountAssignmentCreationStatus"]
        self.assertEqual(status["Status"], "SUCCEEDED")
        self.assertEqual((status["TargetId"], status["TargetType"], status["PermissionSetArn"],
                          status["PrincipalType"], status["PrincipalId"]),
                         (ACCOUNT, "AWS_ACCOUNT", arn, "USER", USER))
        out = self.aws("list-account-assignment-creation-status", "--instance-arn", inst,
                       "--filter", "Status=SUCCEEDED")
        self.assertEqual([s["RequestId"] for s in out["AccountAssignmentsCreationStatus"]],
                         [created["RequestId"]])
        self.assertEqual(set(out["AccountAssignmentsCreationStatus"][0]),
                         {"Status", "RequestId", "CreatedDate"})
        self.aws("describe-account-assignment-creation-status", "--instance-arn", inst,
                 "--account-assignment-creation-request-id",
                 "00000000-0000-4000-8000-000000000000", expect_error="ResourceNotFoundException")

        out = self.aws("list-account-assignments", "--instance-arn", inst, "--account-id",
                       ACCOUNT, "--permission-set-arn", arn)
        self.assertEqual(out["AccountAssignments"], [{
            "AccountId": ACCOUNT, "PermissionSetArn": arn, "PrincipalType": "USER",
            "PrincipalId": USER}])
        out = self.aws("list-account-assignments-for-principal", "--instance-arn", inst,
                       "--principal-id", USER, "--principal-type", "USER",
                       "--filter", "AccountId=" + ACCOUNT)
        self.assertEqual(out["AccountAssignments"], [{
            "AccountId": ACCOUNT, "PermissionSetArn": arn, "PrincipalType": "USER",
            "PrincipalId": USER}])

        # Provisioning: a content change makes the account stale until provisioned again.
        self.create_assignment(arn, ACCOUNT, principal_id=GROUP, principal_type="GROUP",
                               instance_arn=inst)
        self.aws("attach-managed-policy-to-permission-set", "--instance-arn", inst,
                 "--permission-set-arn", arn, "--managed-policy-arn", MANAGED_ARN)
        out = self.aws("list-accounts-for-provisioned-permission-set", "--instance-arn", inst,
                       "--permission-set-arn", arn, "--provisioning-status",
                       "LATEST_PERMISSION_SET_NOT_PROVISIONED")
        self.assertEqual(out["AccountIds"], [ACCOUNT])
        provisioned = self.aws("provision-permission-set", "--instance-arn", inst,
                               "--permission-set-arn", arn, "--target-type",
                               "ALL_PROVISIONED_ACCOUNTS")["PermissionSetProvisioningStatus"]
        self.assertEqual(provisioned["Status"], "IN_PROGRESS")
        self.assertRegex(provisioned["RequestId"], UUID_RE)
        status = self.aws("describe-permission-set-provisioning-status", "--instance-arn", inst,
                          "--provision-permission-set-request-id", provisioned["RequestId"])[
            "PermissionSetProvisioningStatus"]
        self.assertEqual(status["Status"], "SUCCEEDED")
        self.assertEqual(status["PermissionSetArn"], arn)
        self.assertNotIn("TargetId", status)
        self.assertDate(status["CreatedDate"])
        out = self.aws("list-permission-set-provisioning-status", "--instance-arn", inst)
        self.assertIn(provisioned["RequestId"],
                      [s["RequestId"] for s in out["PermissionSetsProvisioningStatus"]])
        out = self.aws("list-accounts-for-provisioned-permission-set", "--instance-arn", inst,
                       "--permission-set-arn", arn, "--provisioning-status",
                       "LATEST_PERMISSION_SET_PROVISIONED")
        self.assertEqual(out["AccountIds"], [ACCOUNT])
        out = self.aws("list-permission-sets-provisioned-to-account", "--instance-arn", inst,
                       "--account-id", ACCOUNT)
        self.assertEqual(out["PermissionSets"], [arn])
        self.aws("describe-permission-set-provisioning-status", "--instance-arn", inst,
                 "--provision-permission-set-request-id", "00000000-0000-4000-8000-000000000000",
                 expect_error="ResourceNotFoundException")
        self.aws("provision-permission-set", "--instance-arn", inst, "--permission-set-arn",
                 self.missing_ps(inst), "--target-type", "AWS_ACCOUNT", "--target-id", ACCOUNT,
                 expect_error="ResourceNotFoundException")

        # Deleting both assignments deprovisions the permission set from the account.
        stderr = self.aws("delete-permission-set", "--instance-arn", inst,
                          "--permission-set-arn", arn, expect_error="ConflictException")
        self.assertIn("Could not delete because PermissionSet has ApplicationProfile "
                      "associated with it.", stderr)
        deleted = self.aws("delete-account-assignment", *assignment)[
            "AccountAssignmentDeletionStatus"]
        self.assertEqual(deleted["Status"], "IN_PROGRESS")
        self.assertNotEqual(deleted["RequestId"], created["RequestId"])
        status = self.aws("describe-account-assignment-deletion-status", "--instance-arn", inst,
                          "--account-assignment-deletion-request-id", deleted["RequestId"])[
            "AccountAssignmentDeletionStatus"]
        self.assertEqual(status["Status"], "SUCCEEDED")
        self.assertEqual(status["PrincipalId"], USER)
        out = self.aws("list-account-assignment-deletion-status", "--instance-arn", inst)
        self.assertEqual([s["RequestId"] for s in out["AccountAssignmentsDeletionStatus"]],
                         [deleted["RequestId"]])
        self.aws("delete-account-assignment", *assignment,
                 expect_error="ResourceNotFoundException")
        self.sso.delete_account_assignment(
            InstanceArn=inst, TargetId=ACCOUNT, TargetType="AWS_ACCOUNT", PermissionSetArn=arn,
            PrincipalType="GROUP", PrincipalId=GROUP)
        out = self.aws("list-permission-sets-provisioned-to-account", "--instance-arn", inst,
                       "--account-id", ACCOUNT)
        self.assertEqual(out.get("PermissionSets", []), [])
        self.assertEqual(self.aws("delete-permission-set", "--instance-arn", inst,
                                  "--permission-set-arn", arn), {})

    # ---- the application family ----------------------------------------------------------------

    def aws_json(self, command, body, expect_error=None):
        """`aws sso-admin COMMAND --cli-input-json BODY`: structures as the CLI reads them."""
        return self.aws(command, "--cli-input-json", json.dumps(body), expect_error=expect_error)

    def test_applications(self):
        inst = self.aws("list-instances")["Instances"][0]["InstanceArn"]
        providers = self.aws("list-application-providers")["ApplicationProviders"]
        self.assertIn(APP_PROVIDER, [p["ApplicationProviderArn"] for p in providers])
        out = self.aws("describe-application-provider", "--application-provider-arn",
                       APP_PROVIDER)
        self.assertEqual(out["FederationProtocol"], "OAUTH")
        app = self.aws_json("create-application", {
            "InstanceArn": inst, "ApplicationProviderArn": APP_PROVIDER, "Name": "cli-app",
            "PortalOptions": {"Visibility": "ENABLED"},
            "Tags": [{"Key": "env", "Value": "cli"}]})["ApplicationArn"]
        self.assertRegex(app, r"^arn:aws:sso::%s:application/ssoins-[0-9a-f]{16}/apl-[0-9a-f]{16}$"
                         % DEFAULT_ACCOUNT)
        out = self.aws("describe-application", "--application-arn", app)
        self.assertEqual((out["Name"], out["Status"]), ("cli-app", "ENABLED"))
        self.assertDate(out["CreatedDate"])
        out = self.aws("list-applications", "--instance-arn", inst)
        self.assertEqual([a["ApplicationArn"] for a in out["Applications"]], [app])
        self.assertEqual(self.aws("update-application", "--application-arn", app,
                                  "--description", "from the CLI"), {})
        self.aws_json("put-application-assignment-configuration",
                      {"ApplicationArn": app, "AssignmentRequired": False})
        out = self.aws("get-application-assignment-configuration", "--application-arn", app)
        self.assertEqual(out, {"AssignmentRequired": False})
        self.aws("put-application-session-configuration", "--application-arn", app,
                 "--user-background-session-application-status", "ENABLED")
        out = self.aws("get-application-session-configuration", "--application-arn", app)
        self.assertEqual(out, {"UserBackgroundSessionApplicationStatus": "ENABLED"})

        principal = ["--application-arn", app, "--principal-id", USER, "--principal-type", "USER"]
        self.aws("create-application-assignment", *principal)
        self.aws("create-application-assignment", *principal, expect_error="ConflictException")
        out = self.aws("describe-application-assignment", *principal)
        self.assertEqual(out, {"ApplicationArn": app, "PrincipalId": USER, "PrincipalType": "USER"})
        out = self.aws("list-application-assignments", "--application-arn", app)
        self.assertEqual(len(out["ApplicationAssignments"]), 1)
        out = self.aws("list-application-assignments-for-principal", "--instance-arn", inst,
                       "--principal-id", USER, "--principal-type", "USER")
        self.assertEqual([a["ApplicationArn"] for a in out["ApplicationAssignments"]], [app])
        self.aws("delete-application-assignment", *principal)
        self.aws("describe-application-assignment", *principal,
                 expect_error="ResourceNotFoundException")

        self.aws_json("put-application-access-scope", {
            "ApplicationArn": app, "Scope": "sso:account:access", "AuthorizedTargets": [app]})
        out = self.aws("get-application-access-scope", "--application-arn", app,
                       "--scope", "sso:account:access")
        self.assertEqual(out, {"Scope": "sso:account:access", "AuthorizedTargets": [app]})
        out = self.aws("list-application-access-scopes", "--application-arn", app)
        self.assertEqual([s["Scope"] for s in out["Scopes"]], ["sso:account:access"])
        self.aws("delete-application-access-scope", "--application-arn", app,
                 "--scope", "sso:account:access")

        method = {"Iam": {"ActorPolicy": POLICY}}
        self.aws_json("put-application-authentication-method", {
            "ApplicationArn": app, "AuthenticationMethodType": "IAM",
            "AuthenticationMethod": method})
        out = self.aws("get-application-authentication-method", "--application-arn", app,
                       "--authentication-method-type", "IAM")
        self.assertEqual(out["AuthenticationMethod"], method)
        out = self.aws("list-application-authentication-methods", "--application-arn", app)
        self.assertEqual([m["AuthenticationMethodType"] for m in out["AuthenticationMethods"]],
                         ["IAM"])
        self.aws("delete-application-authentication-method", "--application-arn", app,
                 "--authentication-method-type", "IAM")

        grant = {"AuthorizationCode": {"RedirectUris": ["https://app.example.com/cb"]}}
        self.aws_json("put-application-grant", {"ApplicationArn": app,
                                                "GrantType": "authorization_code", "Grant": grant})
        out = self.aws("get-application-grant", "--application-arn", app,
                       "--grant-type", "authorization_code")
        self.assertEqual(out["Grant"], grant)
        out = self.aws("list-application-grants", "--application-arn", app)
        self.assertEqual(out["Grants"], [{"GrantType": "authorization_code", "Grant": grant}])
        self.aws("delete-application-grant", "--application-arn", app,
                 "--grant-type", "authorization_code")
        self.aws("get-application-grant", "--application-arn", app, "--grant-type",
                 "authorization_code", expect_error="ResourceNotFoundException")

        self.assertEqual(self.aws("delete-application", "--application-arn", app), {})
        self.aws("describe-application", "--application-arn", app,
                 expect_error="ResourceNotFoundException")

    def test_trusted_token_issuers_and_abac(self):
        inst = self.aws("list-instances")["Instances"][0]["InstanceArn"]
        config = {"OidcJwtConfiguration": {
            "IssuerUrl": "https://idp.example.com", "ClaimAttributePath": "email",
            "IdentityStoreAttributePath": "emails.value", "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}
        issuer = self.aws_json("create-trusted-token-issuer", {
            "InstanceArn": inst, "Name": "cli-idp", "TrustedTokenIssuerType": "OIDC_JWT",
            "TrustedTokenIssuerConfiguration": config})["TrustedTokenIssuerArn"]
        out = self.aws("describe-trusted-token-issuer", "--trusted-token-issuer-arn", issuer)
        self.assertEqual(out["TrustedTokenIssuerConfiguration"], config)
        out = self.aws("list-trusted-token-issuers", "--instance-arn", inst)
        self.assertEqual([i["Name"] for i in out["TrustedTokenIssuers"]], ["cli-idp"])
        self.aws("update-trusted-token-issuer", "--trusted-token-issuer-arn", issuer,
                 "--name", "cli-idp-2")
        self.aws("delete-trusted-token-issuer", "--trusted-token-issuer-arn", issuer)
        self.aws("describe-trusted-token-issuer", "--trusted-token-issuer-arn", issuer,
                 expect_error="ResourceNotFoundException")

        abac = {"AccessControlAttributes": [
            {"Key": "team", "Value": {"Source": ["${path:enterprise.department}"]}}]}
        self.aws_json("create-instance-access-control-attribute-configuration", {
            "InstanceArn": inst, "InstanceAccessControlAttributeConfiguration": abac})
        out = self.aws("describe-instance-access-control-attribute-configuration",
                       "--instance-arn", inst)
        self.assertEqual(out, {"Status": "ENABLED",
                               "InstanceAccessControlAttributeConfiguration": abac})
        self.aws_json("update-instance-access-control-attribute-configuration", {
            "InstanceArn": inst, "InstanceAccessControlAttributeConfiguration": abac})
        self.aws("delete-instance-access-control-attribute-configuration", "--instance-arn", inst)
        self.aws("describe-instance-access-control-attribute-configuration", "--instance-arn",
                 inst, expect_error="ResourceNotFoundException")

    def test_regions(self):
        inst = self.instance_arn()
        # A delay of 0: an added Region is ACTIVE by the next call, a removed one gone.
        self.assertEqual(self.aws("add-region", "--instance-arn", inst,
                                  "--region-name", "eu-west-1"), {"Status": "ADDING"})
        out = self.aws("describe-region", "--instance-arn", inst, "--region-name", "eu-west-1")
        self.assertEqual((out["RegionName"], out["Status"], out["IsPrimaryRegion"]),
                         ("eu-west-1", "ACTIVE", False))
        self.assertDate(out["AddedDate"])
        out = self.aws("list-regions", "--instance-arn", inst)
        self.assertEqual([(r["RegionName"], r["IsPrimaryRegion"]) for r in out["Regions"]],
                         [("us-east-1", True), ("eu-west-1", False)])
        self.aws("add-region", "--instance-arn", inst, "--region-name", "us-east-1",
                 expect_error="ConflictException")
        self.aws("remove-region", "--instance-arn", inst, "--region-name", "us-east-1",
                 expect_error="ValidationException")
        self.assertEqual(self.aws("remove-region", "--instance-arn", inst,
                                  "--region-name", "eu-west-1"), {"Status": "REMOVING"})
        self.aws("describe-region", "--instance-arn", inst, "--region-name", "eu-west-1",
                 expect_error="ResourceNotFoundException")

    # ---- coverage ------------------------------------------------------------------------------

    def test_zz_every_operation_of_the_family_ran(self):
        """Runs last (alphabetical order): the tests above ran every implemented operation."""
        from test_aws_conformance import DOCUMENTED
        if not {"ListInstances", "CreatePermissionSet", "CreateAccountAssignment",
                "AttachManagedPolicyToPermissionSet", "TagResource"} <= FAMILY:
            self.skipTest("runs only after the whole class (run the module, not one test)")
        self.assertEqual(sorted(DOCUMENTED - FAMILY), [])


if __name__ == "__main__":
    unittest.main()

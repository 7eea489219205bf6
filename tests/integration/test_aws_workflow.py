"""The AWS provisioning and assignment workflow through boto3, in manual scheduler mode: every
request stays IN_PROGRESS until the test settles it through the admin API.
"""

import datetime
import time
import unittest

from botocore.exceptions import ClientError

from harness import (DEFAULT_ACCOUNT, INSTANCE_ARN_RE, PERMISSION_SET_ARN_RE, UUID_RE,
                     IcemuTestCase)

CONFLICT_IN_FLIGHT = "There is a conflicting operation in process."
ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
ACCOUNT_C = "777788889999"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
USER_2 = "3f6b0c1e-5d2a-4c8e-9a7b-1e2d3c4b5a69"
FAILURE = "Received a 404 status error: Permission set provision not found in AWS account %s."


def _distinct_ms():
    """CreatedDate has millisecond resolution: keeps two requests from sharing one, so that
    "newest first" is a single well-defined order (this waits for a timestamp, not an outcome)."""
    time.sleep(0.005)


class ManualWorkflowTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()
        self.inst_hex = INSTANCE_ARN_RE.fullmatch(self.inst).group(1)

    # ---- helpers -----------------------------------------------------------------------------

    def new_ps(self, name="Workflow", **extra):
        return self.create_permission_set(name, instance_arn=self.inst, **extra)

    def assign(self, ps_arn, account=ACCOUNT_A, principal=USER_1):
        return self.create_assignment(ps_arn, account, principal_id=principal,
                                      instance_arn=self.inst)

    def describe_creation(self, request_id):
        return self.sso.describe_account_assignment_creation_status(
            InstanceArn=self.inst,
            AccountAssignmentCreationRequestId=request_id)["AccountAssignmentCreationStatus"]

    def provision(self, ps_arn, account=None):
        kwargs = {"TargetType": "ALL_PROVISIONED_ACCOUNTS"}
        if account is not None:
            kwargs = {"TargetType": "AWS_ACCOUNT", "TargetId": account}
        return self.sso.provision_permission_set(
            InstanceArn=self.inst, PermissionSetArn=ps_arn,
            **kwargs)["PermissionSetProvisioningStatus"]

    def describe_provisioning(self, request_id):
        return self.sso.describe_permission_set_provisioning_status(
            InstanceArn=self.inst,
            ProvisionPermissionSetRequestId=request_id)["PermissionSetProvisioningStatus"]

    def accounts_for(self, ps_arn, provisioning_status=None):
        kwargs = {}
        if provisioning_status:
            kwargs["ProvisioningStatus"] = provisioning_status
        return self.sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=self.inst, PermissionSetArn=ps_arn, **kwargs)["AccountIds"]

    def sets_for(self, account, provisioning_status=None):
        kwargs = {}
        if provisioning_status:
            kwargs["ProvisioningStatus"] = provisioning_status
        return self.sso.list_permission_sets_provisioned_to_account(
            InstanceArn=self.inst, AccountId=account, **kwargs)["PermissionSets"]

    def assignments(self, ps_arn, account=ACCOUNT_A):
        return self.sso.list_account_assignments(
            InstanceArn=self.inst, AccountId=account,
            PermissionSetArn=ps_arn)["AccountAssignments"]

    def assigned_and_provisioned(self, ps_arn, account=ACCOUNT_A):
        """A permission set with a settled (SUCCEEDED) assignment in `account`."""
        created = self.assign(ps_arn, account)
        self.icemu.settle(created["RequestId"], "SUCCEEDED")
        return created

    # ---- instances and permission sets -------------------------------------------------------

    def test_list_instances_finds_the_initial_instance(self):
        instances = self.sso.list_instances()["Instances"]
        self.assertEqual(len(instances), 1, instances)
        inst = instances[0]
        self.assertEqual(inst["OwnerAccountId"], DEFAULT_ACCOUNT)
        self.assertRegex(inst["InstanceArn"], r"^arn:aws:sso:::instance/ssoins-[0-9a-f]{16}$")
        self.assertRegex(inst["IdentityStoreId"], r"^[a-zA-Z0-9-]+$")  # the model's Id pattern
        self.assertEqual(inst["Status"], "ACTIVE")
        self.assertIsInstance(inst["CreatedDate"], datetime.datetime)
        self.assertNotIn("NextToken", self.sso.list_instances())

    def test_describe_instance_matches_list_instances(self):
        listed = self.instance()
        described = self.sso.describe_instance(InstanceArn=self.inst)
        for key in ("InstanceArn", "IdentityStoreId", "OwnerAccountId", "Status", "CreatedDate"):
            self.assertEqual(described[key], listed[key], key)

    def test_create_permission_set_returns_what_was_sent(self):
        ps = self.new_ps("ReadOnly", Description="Read-only access", SessionDuration="PT2H",
                         RelayState="https://console.aws.amazon.com/")
        m = PERMISSION_SET_ARN_RE.fullmatch(ps["PermissionSetArn"])
        self.assertIsNotNone(m, ps["PermissionSetArn"])
        self.assertEqual(m.group(1), self.inst_hex)
        self.assertEqual(ps["Name"], "ReadOnly")
        self.assertEqual(ps["Description"], "Read-only access")
        self.assertEqual(ps["SessionDuration"], "PT2H")
        self.assertEqual(ps["RelayState"], "https://console.aws.amazon.com/")
        self.assertIsInstance(ps["CreatedDate"], datetime.datetime)

        described = self.sso.describe_permission_set(
            InstanceArn=self.inst, PermissionSetArn=ps["PermissionSetArn"])["PermissionSet"]
        self.assertEqual(described, ps)

    def test_list_permission_sets_lists_each_created_one_once(self):
        self.assertEqual(self.sso.list_permission_sets(InstanceArn=self.inst)["PermissionSets"],
                         [])
        arns = {self.new_ps("Set%d" % i)["PermissionSetArn"] for i in range(3)}
        listed = self.sso.list_permission_sets(InstanceArn=self.inst)["PermissionSets"]
        self.assertEqual(len(listed), 3)
        self.assertEqual(set(listed), arns)

    def test_duplicate_permission_set_name_is_a_conflict(self):
        self.new_ps("AdministratorAccess")
        err = self.assertClientError("ConflictException", self.new_ps, "AdministratorAccess")
        self.assertEqual(err.response["Error"]["Message"],
                         "PermissionSet with name AdministratorAccess already exists.")
        self.assertEqual(
            len(self.sso.list_permission_sets(InstanceArn=self.inst)["PermissionSets"]), 1)

    # ---- account assignments -----------------------------------------------------------------

    def test_account_assignment_lifecycle(self):
        ps_arn = self.new_ps()["PermissionSetArn"]

        created = self.assign(ps_arn)
        self.assertEqual(created["Status"], "IN_PROGRESS")
        self.assertRegex(created["RequestId"], "^%s$" % UUID_RE.pattern)
        self.assertEqual(created["TargetId"], ACCOUNT_A)
        self.assertEqual(created["TargetType"], "AWS_ACCOUNT")
        self.assertEqual(created["PermissionSetArn"], ps_arn)
        self.assertEqual(created["PrincipalType"], "USER")
        self.assertEqual(created["PrincipalId"], USER_1)
        self.assertIsInstance(created["CreatedDate"], datetime.datetime)
        self.assertNotIn("FailureReason", created)
        request_id = created["RequestId"]

        described = self.describe_creation(request_id)
        self.assertEqual(described["Status"], "IN_PROGRESS")
        self.assertEqual(described["RequestId"], request_id)

        # Effects happen at settlement: nothing is listed or provisioned yet.
        self.assertEqual(self.assignments(ps_arn), [])
        self.assertEqual(self.accounts_for(ps_arn), [])

        in_progress = self.icemu.requests(status="IN_PROGRESS")
        listed = [r for r in in_progress if r["request_id"] == request_id]
        self.assertEqual(len(listed), 1, in_progress)
        req = listed[0]
        self.assertEqual(req["kind"], "ASSIGNMENT_CREATE")
        self.assertEqual(req["status"], "IN_PROGRESS")
        self.assertEqual(req["account_id"], ACCOUNT_A)
        self.assertEqual(req["principal_type"], "USER")
        self.assertEqual(req["principal_id"], USER_1)
        self.assertTrue(req["permission_set_id"] and req["permission_set_id"] in ps_arn, req)
        self.assertIn(self.inst_hex, req["instance_id"])
        self.assertIn(request_id, [r["request_id"]
                                   for r in self.icemu.requests(kind="ASSIGNMENT_CREATE")])
        self.assertNotIn(request_id, [r["request_id"]
                                      for r in self.icemu.requests(kind="PROVISION")])

        settled = self.icemu.settle(request_id, "SUCCEEDED")
        self.assertEqual(settled["request_id"], request_id)
        self.assertEqual(settled["status"], "SUCCEEDED")
        self.assertEqual(settled, self.icemu.request(request_id))
        self.assertNotIn(request_id, [r["request_id"]
                                      for r in self.icemu.requests(status="IN_PROGRESS")])
        self.assertIn(request_id, [r["request_id"]
                                   for r in self.icemu.requests(status="SUCCEEDED")])

        described = self.describe_creation(request_id)
        self.assertEqual(described["Status"], "SUCCEEDED")
        self.assertNotIn("FailureReason", described)
        self.assertEqual(described["PermissionSetArn"], ps_arn)
        self.assertEqual(described["TargetId"], ACCOUNT_A)
        self.assertEqual(described["CreatedDate"], created["CreatedDate"])

        self.assertEqual(self.assignments(ps_arn), [{
            "AccountId": ACCOUNT_A, "PermissionSetArn": ps_arn,
            "PrincipalType": "USER", "PrincipalId": USER_1,
        }])
        self.assertEqual(self.sets_for(ACCOUNT_A), [ps_arn])
        self.assertEqual(self.accounts_for(ps_arn), [ACCOUNT_A])
        self.assertEqual(self.sets_for(ACCOUNT_B), [])

    def test_failed_assignment_reports_its_reason_and_changes_nothing(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.assign(ps_arn)["RequestId"]
        reason = "An unexpected internal service exception was encountered"
        settled = self.icemu.settle(request_id, "FAILED", reason)
        self.assertEqual(settled["status"], "FAILED")
        self.assertEqual(settled["failure_reason"], reason)

        described = self.describe_creation(request_id)
        self.assertEqual(described["Status"], "FAILED")
        self.assertEqual(described["FailureReason"], reason)
        self.assertEqual(self.assignments(ps_arn), [])
        self.assertEqual(self.accounts_for(ps_arn), [])
        self.assertEqual(self.sets_for(ACCOUNT_A), [])

    def test_second_request_on_the_same_pair_in_flight_is_a_conflict(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        first = self.assign(ps_arn, ACCOUNT_A, USER_1)

        # Same (permission set, account), another principal: still the same pair.
        err = self.assertClientError("ConflictException", self.assign, ps_arn, ACCOUNT_A, USER_2)
        self.assertEqual(err.response["Error"]["Message"], CONFLICT_IN_FLIGHT)
        err = self.assertClientError("ConflictException", self.provision, ps_arn, ACCOUNT_A)
        self.assertEqual(err.response["Error"]["Message"], CONFLICT_IN_FLIGHT)
        # The refused calls created no request.
        self.assertEqual([r["request_id"] for r in self.icemu.requests()], [first["RequestId"]])

        # Another account is another pair.
        other = self.assign(ps_arn, ACCOUNT_B, USER_2)
        self.assertEqual(other["Status"], "IN_PROGRESS")

        # Once settled, the pair is free again.
        self.icemu.settle(first["RequestId"], "SUCCEEDED")
        again = self.assign(ps_arn, ACCOUNT_A, USER_2)
        self.assertEqual(again["Status"], "IN_PROGRESS")
        self.assertNotEqual(again["RequestId"], first["RequestId"])

    # ---- provisioning ------------------------------------------------------------------------

    def test_provision_to_an_account_that_fails(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        started = self.provision(ps_arn, ACCOUNT_A)
        self.assertEqual(started["Status"], "IN_PROGRESS")
        self.assertRegex(started["RequestId"], "^%s$" % UUID_RE.pattern)
        self.assertEqual(started["AccountId"], ACCOUNT_A)
        self.assertEqual(started["PermissionSetArn"], ps_arn)
        self.assertIsInstance(started["CreatedDate"], datetime.datetime)
        request_id = started["RequestId"]

        self.assertEqual(self.describe_provisioning(request_id)["Status"], "IN_PROGRESS")
        self.assertEqual(self.icemu.request(request_id)["kind"], "PROVISION")

        reason = FAILURE % ACCOUNT_A
        self.icemu.settle(request_id, "FAILED", reason)
        described = self.describe_provisioning(request_id)
        self.assertEqual(described["Status"], "FAILED")
        self.assertEqual(described["FailureReason"], reason)
        self.assertEqual(described["AccountId"], ACCOUNT_A)
        self.assertEqual(described["PermissionSetArn"], ps_arn)
        self.assertEqual(self.accounts_for(ps_arn), [])  # a FAILED request changes nothing

    def test_provision_to_an_account_without_assignment_provisions_it(self):
        # The real service creates the role without any assignment.
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.provision(ps_arn, ACCOUNT_B)["RequestId"]
        self.assertEqual(self.accounts_for(ps_arn), [])
        self.icemu.settle(request_id, "SUCCEEDED")
        self.assertEqual(self.describe_provisioning(request_id)["Status"], "SUCCEEDED")
        self.assertEqual(self.accounts_for(ps_arn), [ACCOUNT_B])
        self.assertEqual(self.sets_for(ACCOUNT_B), [ps_arn])
        self.assertEqual(self.assignments(ps_arn, ACCOUNT_B), [])

    def test_provision_to_all_provisioned_accounts_that_fails(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        self.assigned_and_provisioned(ps_arn, ACCOUNT_A)

        started = self.provision(ps_arn)
        self.assertEqual(started["Status"], "IN_PROGRESS")
        self.assertEqual(started["PermissionSetArn"], ps_arn)
        request_id = started["RequestId"]
        self.assertEqual(self.describe_provisioning(request_id)["Status"], "IN_PROGRESS")
        # In flight for every provisioned account: the pair is taken.
        err = self.assertClientError("ConflictException", self.provision, ps_arn, ACCOUNT_A)
        self.assertEqual(err.response["Error"]["Message"], CONFLICT_IN_FLIGHT)

        reason = "Received a 404 status error: Assignment not found."
        self.icemu.settle(request_id, "FAILED", reason)
        described = self.describe_provisioning(request_id)
        self.assertEqual(described["Status"], "FAILED")
        self.assertEqual(described["FailureReason"], reason)
        self.assertEqual(self.accounts_for(ps_arn), [ACCOUNT_A])  # still provisioned from before

    def test_provision_to_all_provisioned_accounts_with_none_succeeds_at_once(self):
        # icemu's choice (docs/lifecycle.md): nothing to do settles SUCCEEDED at once, even in manual
        # mode; the response itself still says IN_PROGRESS.
        ps_arn = self.new_ps()["PermissionSetArn"]
        started = self.provision(ps_arn)
        self.assertEqual(started["Status"], "IN_PROGRESS")
        self.assertEqual(self.describe_provisioning(started["RequestId"])["Status"], "SUCCEEDED")
        self.assertEqual(self.accounts_for(ps_arn), [])

    def test_successful_provisioning_is_the_latest_version(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.provision(ps_arn, ACCOUNT_A)["RequestId"]
        self.icemu.settle(request_id, "SUCCEEDED")
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_PROVISIONED"),
                         [ACCOUNT_A])
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_NOT_PROVISIONED"), [])
        self.assertEqual(self.sets_for(ACCOUNT_A, "LATEST_PERMISSION_SET_PROVISIONED"), [ps_arn])
        self.assertEqual(self.sets_for(ACCOUNT_A, "LATEST_PERMISSION_SET_NOT_PROVISIONED"), [])

    def test_content_change_needs_provisioning_again(self):
        ps_arn = self.new_ps(Description="v1")["PermissionSetArn"]
        self.assigned_and_provisioned(ps_arn, ACCOUNT_A)
        self.sso.update_permission_set(InstanceArn=self.inst, PermissionSetArn=ps_arn,
                                       Description="v2")
        self.assertEqual(self.sso.describe_permission_set(
            InstanceArn=self.inst, PermissionSetArn=ps_arn)["PermissionSet"]["Description"], "v2")
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_NOT_PROVISIONED"),
                         [ACCOUNT_A])
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_PROVISIONED"), [])
        self.assertEqual(self.accounts_for(ps_arn), [ACCOUNT_A])  # no filter: both kinds

        request_id = self.provision(ps_arn)["RequestId"]  # ALL_PROVISIONED_ACCOUNTS
        self.icemu.settle(request_id, "SUCCEEDED")
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_PROVISIONED"),
                         [ACCOUNT_A])
        self.assertEqual(self.accounts_for(ps_arn, "LATEST_PERMISSION_SET_NOT_PROVISIONED"), [])

    # ---- status lists ------------------------------------------------------------------------

    def assert_slim_newest_first(self, items, ids_in_creation_order):
        for item in items:
            self.assertEqual(set(item), {"Status", "RequestId", "CreatedDate"}, item)
        self.assertEqual([i["RequestId"] for i in items], list(reversed(ids_in_creation_order)))
        dates = [i["CreatedDate"] for i in items]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_list_permission_set_provisioning_status(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        ids = []
        for account in (ACCOUNT_A, ACCOUNT_B, ACCOUNT_C):
            if ids:
                _distinct_ms()
            ids.append(self.provision(ps_arn, account)["RequestId"])
        self.icemu.settle(ids[0], "SUCCEEDED")
        self.icemu.settle(ids[1], "FAILED", FAILURE % ACCOUNT_B)

        def listed(**kwargs):
            return self.sso.list_permission_set_provisioning_status(
                InstanceArn=self.inst, **kwargs)["PermissionSetsProvisioningStatus"]

        items = listed()
        self.assert_slim_newest_first(items, ids)
        self.assertEqual([i["Status"] for i in items], ["IN_PROGRESS", "FAILED", "SUCCEEDED"])
        self.assertEqual([i["RequestId"] for i in listed(Filter={"Status": "FAILED"})], [ids[1]])
        self.assertEqual([i["RequestId"] for i in listed(Filter={"Status": "SUCCEEDED"})],
                         [ids[0]])
        self.assertEqual([i["RequestId"] for i in listed(Filter={"Status": "IN_PROGRESS"})],
                         [ids[2]])

    def test_list_account_assignment_creation_status(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        ids = []
        for account in (ACCOUNT_A, ACCOUNT_B, ACCOUNT_C):
            if ids:
                _distinct_ms()
            ids.append(self.assign(ps_arn, account)["RequestId"])
        self.icemu.settle(ids[2], "SUCCEEDED")
        self.icemu.settle(ids[0], "FAILED", "An unexpected internal service exception was "
                                            "encountered")

        def listed(**kwargs):
            return self.sso.list_account_assignment_creation_status(
                InstanceArn=self.inst, **kwargs)["AccountAssignmentsCreationStatus"]

        items = listed()
        self.assert_slim_newest_first(items, ids)
        self.assertEqual([i["Status"] for i in items], ["SUCCEEDED", "IN_PROGRESS", "FAILED"])
        self.assertEqual([i["RequestId"] for i in listed(Filter={"Status": "IN_PROGRESS"})],
                         [ids[1]])
        self.assertEqual([i["RequestId"] for i in listed(Filter={"Status": "FAILED"})], [ids[0]])
        # Provisioning requests are another list.
        self.assertEqual(self.sso.list_permission_set_provisioning_status(
            InstanceArn=self.inst)["PermissionSetsProvisioningStatus"], [])

    # ---- the admin API around settlement -----------------------------------------------------

    def test_settling_a_settled_request_is_409(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.assign(ps_arn)["RequestId"]
        self.icemu.settle(request_id, "SUCCEEDED")
        status, body = self.icemu.admin("POST", "/_icemu/requests/%s/settle" % request_id,
                                        {"status": "FAILED", "failure_reason": "late"})
        self.assertEqual(status, 409, body)
        self.assertIn("error", body)
        self.assertIn("message", body)
        self.assertEqual(self.describe_creation(request_id)["Status"], "SUCCEEDED")

    def test_settling_an_unknown_request_is_404(self):
        status, body = self.icemu.admin(
            "POST", "/_icemu/requests/00000000-0000-4000-8000-000000000000/settle",
            {"status": "SUCCEEDED"})
        self.assertEqual(status, 404, body)
        self.assertIn("error", body)
        self.assertIn("message", body)

    def test_settling_with_a_bad_body_is_400(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.assign(ps_arn)["RequestId"]
        for body in ({"status": "MAYBE"}, {"status": "IN_PROGRESS"}, b"{not json"):
            status, answer = self.icemu.admin(
                "POST", "/_icemu/requests/%s/settle" % request_id, body)
            self.assertEqual(status, 400, (body, answer))
            self.assertIn("error", answer)
        self.assertEqual(self.describe_creation(request_id)["Status"], "IN_PROGRESS")

    def test_admin_requests_filter_by_instance(self):
        ps_arn = self.new_ps()["PermissionSetArn"]
        request_id = self.assign(ps_arn)["RequestId"]
        instance_id = self.icemu.request(request_id)["instance_id"]
        self.assertEqual([r["request_id"] for r in self.icemu.requests(instance=instance_id)],
                         [request_id])
        self.assertEqual(self.icemu.requests(status="FAILED"), [])


if __name__ == "__main__":
    unittest.main()

"""Inline policies, AWS managed policies, customer managed policy references and permissions
boundaries through boto3, and a
replay of what Terraform's aws_ssoadmin_* resources call."""

import json
import unittest

from harness import IcemuTestCase

CONFLICT_IN_FLIGHT = "There is a conflicting operation in process."
ACCOUNT_A = "111122223333"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
VIEW_ONLY = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
# AWS managed policies of IAM's catalogue (data/aws-managed-policies.tsv): (path, name).
CATALOGUE = [("/", "AdministratorAccess"), ("/", "AmazonS3ReadOnlyAccess"),
             ("/", "AmazonEC2ReadOnlyAccess"), ("/", "AWSBillingReadOnlyAccess"),
             ("/", "IAMReadOnlyAccess"), ("/", "PowerUserAccess"), ("/", "SecurityAudit"),
             ("/job-function/", "Billing"), ("/job-function/", "DatabaseAdministrator"),
             ("/job-function/", "NetworkAdministrator"), ("/job-function/", "SystemAdministrator"),
             ("/job-function/", "SupportUser")]
CATALOGUE_ARNS = ["arn:aws:iam::aws:policy%s%s" % entry for entry in CATALOGUE]
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})


class PolicyTestCase(IcemuTestCase):
    """Manual scheduler: a request stays IN_PROGRESS until the test settles it."""
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()
        self.ps = self.create_permission_set("Policies", instance_arn=self.inst)[
            "PermissionSetArn"]
        self.unknown_ps = self.ps[:-16] + "0000000000000000"

    def ids(self, ps=None):
        return {"InstanceArn": self.inst, "PermissionSetArn": ps or self.ps}

    def in_flight_assignment(self):
        """An assignment request on self.ps left IN_PROGRESS."""
        return self.create_assignment(self.ps, ACCOUNT_A, principal_id=USER_1,
                                      instance_arn=self.inst)

    def assertMessage(self, err, text):
        self.assertEqual(err.response["Error"]["Message"], text, err.response)

    def managed(self, ps=None):
        return self.sso.list_managed_policies_in_permission_set(
            **self.ids(ps))["AttachedManagedPolicies"]

    def references(self, ps=None):
        return self.sso.list_customer_managed_policy_references_in_permission_set(
            **self.ids(ps))["CustomerManagedPolicyReferences"]

    def not_latest(self):
        return self.sso.list_accounts_for_provisioned_permission_set(
            ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED", **self.ids())["AccountIds"]


class InlinePolicyTest(PolicyTestCase):

    def test_put_inline_policy_to_permission_set(self):
        out = self.sso.put_inline_policy_to_permission_set(InlinePolicy=POLICY, **self.ids())
        self.assertEqual(set(out) - {"ResponseMetadata"}, set())
        self.assertEqual(
            self.sso.get_inline_policy_for_permission_set(**self.ids())["InlinePolicy"], POLICY)
        self.sso.put_inline_policy_to_permission_set(InlinePolicy="{}", **self.ids())
        self.assertEqual(
            self.sso.get_inline_policy_for_permission_set(**self.ids())["InlinePolicy"], "{}")
        # Errors: unknown permission set, over 32768 characters, a request in flight.
        self.assertClientError("ResourceNotFoundException",
                               self.sso.put_inline_policy_to_permission_set,
                               InlinePolicy=POLICY, **self.ids(self.unknown_ps))
        self.assertClientError("ValidationException",
                               self.sso.put_inline_policy_to_permission_set,
                               InlinePolicy="x" * 32769, **self.ids())
        self.in_flight_assignment()
        err = self.assertClientError("ConflictException",
                                     self.sso.put_inline_policy_to_permission_set,
                                     InlinePolicy=POLICY, **self.ids())
        self.assertMessage(err, CONFLICT_IN_FLIGHT)

    def test_get_inline_policy_for_permission_set(self):
        # Without an inline policy AWS answers an empty string, and clients index it directly.
        out = self.sso.get_inline_policy_for_permission_set(**self.ids())
        self.assertEqual(out["InlinePolicy"], "")
        status, _, body = self.icemu.aws_raw("GetInlinePolicyForPermissionSet", self.ids())
        self.assertEqual((status, body), (200, b'{"InlinePolicy":""}'))
        self.assertClientError("ResourceNotFoundException",
                               self.sso.get_inline_policy_for_permission_set,
                               **self.ids(self.unknown_ps))

    def test_delete_inline_policy_from_permission_set(self):
        self.sso.put_inline_policy_to_permission_set(InlinePolicy=POLICY, **self.ids())
        self.sso.delete_inline_policy_from_permission_set(**self.ids())
        self.assertEqual(
            self.sso.get_inline_policy_for_permission_set(**self.ids())["InlinePolicy"], "")
        self.sso.delete_inline_policy_from_permission_set(**self.ids())  # none: still ""
        self.assertEqual(
            self.sso.get_inline_policy_for_permission_set(**self.ids())["InlinePolicy"], "")
        self.assertClientError("ResourceNotFoundException",
                               self.sso.delete_inline_policy_from_permission_set,
                               **self.ids(self.unknown_ps))
        self.in_flight_assignment()
        self.assertClientError("ConflictException",
                               self.sso.delete_inline_policy_from_permission_set, **self.ids())


class ManagedPolicyTest(PolicyTestCase):

    def test_attach_managed_policy_to_permission_set(self):
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=VIEW_ONLY, **self.ids())
        self.assertEqual(self.managed(), [{"Name": "ViewOnlyAccess", "Arn": VIEW_ONLY}])
        ps_id = self.ps.rsplit("/", 1)[1]
        err = self.assertClientError("ConflictException",
                                     self.sso.attach_managed_policy_to_permission_set,
                                     ManagedPolicyArn=VIEW_ONLY, **self.ids())
        # AWS's own text, typo included: clients match on "...to a manged policy".
        self.assertMessage(err, "Permission set with id %s already has a typed link attachment "
                                "to a manged policy with %s" % (ps_id, VIEW_ONLY))
        # Only AWS managed policies match the model's pattern.
        self.assertClientError("ValidationException",
                               self.sso.attach_managed_policy_to_permission_set,
                               ManagedPolicyArn="arn:aws:iam::123456789012:policy/Mine",
                               **self.ids())
        self.assertClientError("ResourceNotFoundException",
                               self.sso.attach_managed_policy_to_permission_set,
                               ManagedPolicyArn=READ_ONLY, **self.ids(self.unknown_ps))

    def test_managed_and_customer_managed_policies_share_a_quota_of_20(self):
        for arn in CATALOGUE_ARNS:
            self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=arn, **self.ids())
        for i in range(8):
            self.sso.attach_customer_managed_policy_reference_to_permission_set(
                CustomerManagedPolicyReference={"Name": "Custom%d" % i}, **self.ids())
        self.assertClientError("ServiceQuotaExceededException",
                               self.sso.attach_managed_policy_to_permission_set,
                               ManagedPolicyArn=READ_ONLY, **self.ids())
        self.assertClientError("ServiceQuotaExceededException",
                               self.sso.attach_customer_managed_policy_reference_to_permission_set,
                               CustomerManagedPolicyReference={"Name": "Custom8"}, **self.ids())
        self.assertEqual(len(self.managed()), 12)
        self.assertEqual(len(self.references()), 8)

    def test_detach_managed_policy_from_permission_set(self):
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=VIEW_ONLY, **self.ids())
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=READ_ONLY, **self.ids())
        self.sso.detach_managed_policy_from_permission_set(ManagedPolicyArn=VIEW_ONLY,
                                                           **self.ids())
        self.assertEqual(self.managed(), [{"Name": "ReadOnlyAccess", "Arn": READ_ONLY}])
        self.assertClientError("ResourceNotFoundException",
                               self.sso.detach_managed_policy_from_permission_set,
                               ManagedPolicyArn=VIEW_ONLY, **self.ids())
        self.in_flight_assignment()
        err = self.assertClientError("ConflictException",
                                     self.sso.detach_managed_policy_from_permission_set,
                                     ManagedPolicyArn=READ_ONLY, **self.ids())
        self.assertMessage(err, CONFLICT_IN_FLIGHT)

    def test_list_managed_policies_in_permission_set(self):
        self.assertEqual(self.managed(), [])
        arns = CATALOGUE_ARNS[:5]
        for arn in arns:
            self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=arn, **self.ids())
        pages = self.sso.get_paginator("list_managed_policies_in_permission_set").paginate(
            PaginationConfig={"PageSize": 2}, **self.ids())
        listed = [p for page in pages for p in page["AttachedManagedPolicies"]]
        self.assertEqual(listed, [{"Name": name, "Arn": arn}
                                  for (_, name), arn in zip(CATALOGUE, arns)])
        first = self.sso.list_managed_policies_in_permission_set(MaxResults=2, **self.ids())
        self.assertIn("NextToken", first)
        self.assertClientError("ValidationException",
                               self.sso.list_managed_policies_in_permission_set,
                               MaxResults=101, **self.ids())
        other = self.create_permission_set("Other", instance_arn=self.inst)["PermissionSetArn"]
        self.assertClientError("ValidationException",
                               self.sso.list_managed_policies_in_permission_set,
                               NextToken=first["NextToken"], **self.ids(other))
        self.assertClientError("ResourceNotFoundException",
                               self.sso.list_managed_policies_in_permission_set,
                               **self.ids(self.unknown_ps))


class ManagedPolicyCatalogueTest(PolicyTestCase):
    """Only policies IAM knows attach (data/aws-managed-policies.tsv, any partition), plus those
    aws.extra_managed_policies adds; a boundary naming an AWS managed policy is checked alike."""
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual",
                 "ICEMU_AWS_EXTRA_MANAGED_POLICIES":
                     "arn:aws:iam::aws:policy/BrandNewPolicy,"
                     "arn:aws:iam::aws:policy/service-role/BrandNewServiceRolePolicy"}

    def test_an_unknown_aws_managed_policy_does_not_exist(self):
        missing = "arn:aws:iam::aws:policy/DoesNotExist"
        err = self.assertClientError("ResourceNotFoundException",
                                     self.sso.attach_managed_policy_to_permission_set,
                                     ManagedPolicyArn=missing, **self.ids())
        self.assertMessage(err, "Policy does not exist with ARN: " + missing)
        # The path is part of the policy: ViewOnlyAccess lives under /job-function/ only.
        err = self.assertClientError("ResourceNotFoundException",
                                     self.sso.attach_managed_policy_to_permission_set,
                                     ManagedPolicyArn="arn:aws:iam::aws:policy/ViewOnlyAccess",
                                     **self.ids())
        self.assertMessage(err, "Policy does not exist with ARN: "
                                "arn:aws:iam::aws:policy/ViewOnlyAccess")
        self.assertEqual(self.managed(), [])

    def test_every_partition_names_the_same_policies(self):
        arns = ["arn:aws-cn:iam::aws:policy/AdministratorAccess",
                "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess",
                "arn:aws-iso:iam::aws:policy/ReadOnlyAccess",
                "arn:aws-iso-b:iam::aws:policy/SecurityAudit"]
        for arn in arns:
            self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=arn, **self.ids())
        self.assertEqual(self.managed(), [
            {"Name": "AdministratorAccess", "Arn": arns[0]},
            {"Name": "ViewOnlyAccess", "Arn": arns[1]},
            {"Name": "ReadOnlyAccess", "Arn": arns[2]},
            {"Name": "SecurityAudit", "Arn": arns[3]}])
        self.assertClientError("ResourceNotFoundException",
                               self.sso.attach_managed_policy_to_permission_set,
                               ManagedPolicyArn="arn:aws-cn:iam::aws:policy/DoesNotExist",
                               **self.ids())

    def test_configured_extra_policies_attach_by_their_last_segment(self):
        for arn in ("arn:aws:iam::aws:policy/BrandNewPolicy",
                    "arn:aws-cn:iam::aws:policy/service-role/BrandNewServiceRolePolicy"):
            self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=arn, **self.ids())
        self.assertEqual([p["Name"] for p in self.managed()],
                         ["BrandNewPolicy", "BrandNewServiceRolePolicy"])

    def test_a_policy_iam_does_not_let_attach_is_refused(self):
        arn = "arn:aws:iam::aws:policy/service-role/AWSConfigRole"
        err = self.assertClientError("ValidationException",
                                     self.sso.attach_managed_policy_to_permission_set,
                                     ManagedPolicyArn=arn, **self.ids())
        self.assertMessage(err, "Policy %s is not attachable." % arn)

    def test_a_permissions_boundary_names_a_known_policy(self):
        missing = "arn:aws:iam::aws:policy/DoesNotExist"
        err = self.assertClientError("ResourceNotFoundException",
                                     self.sso.put_permissions_boundary_to_permission_set,
                                     PermissionsBoundary={"ManagedPolicyArn": missing},
                                     **self.ids())
        self.assertMessage(err, "Policy does not exist with ARN: " + missing)
        self.assertNotIn("PermissionsBoundary",
                         self.sso.get_permissions_boundary_for_permission_set(**self.ids()))
        extra = "arn:aws-us-gov:iam::aws:policy/BrandNewPolicy"
        self.sso.put_permissions_boundary_to_permission_set(
            PermissionsBoundary={"ManagedPolicyArn": extra}, **self.ids())
        self.assertEqual(self.sso.get_permissions_boundary_for_permission_set(
            **self.ids())["PermissionsBoundary"], {"ManagedPolicyArn": extra})


class CustomerManagedPolicyTest(PolicyTestCase):

    def test_attach_customer_managed_policy_reference_to_permission_set(self):
        self.sso.attach_customer_managed_policy_reference_to_permission_set(
            CustomerManagedPolicyReference={"Name": "Mine"}, **self.ids())
        self.sso.attach_customer_managed_policy_reference_to_permission_set(
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"}, **self.ids())
        self.assertEqual(self.references(), [{"Name": "Mine", "Path": "/"},
                                             {"Name": "Mine", "Path": "/team/"}])
        err = self.assertClientError(
            "ConflictException", self.sso.attach_customer_managed_policy_reference_to_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/"}, **self.ids())
        self.assertMessage(err, "Given customer managed policy with name: Mine  and path / "
                                "already attached")
        err = self.assertClientError(
            "ConflictException", self.sso.attach_customer_managed_policy_reference_to_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"}, **self.ids())
        self.assertMessage(err, "Given customer managed policy with name: Mine  and path /team/ "
                                "already attached")
        self.assertClientError(
            "ValidationException", self.sso.attach_customer_managed_policy_reference_to_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "no-slashes"}, **self.ids())
        self.assertClientError(
            "ResourceNotFoundException",
            self.sso.attach_customer_managed_policy_reference_to_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine"}, **self.ids(self.unknown_ps))
        self.in_flight_assignment()
        self.assertClientError(
            "ConflictException", self.sso.attach_customer_managed_policy_reference_to_permission_set,
            CustomerManagedPolicyReference={"Name": "Other"}, **self.ids())

    def test_detach_customer_managed_policy_reference_from_permission_set(self):
        self.sso.attach_customer_managed_policy_reference_to_permission_set(
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"}, **self.ids())
        # The path defaults to "/": this reference is not the attached one.
        self.assertClientError(
            "ResourceNotFoundException",
            self.sso.detach_customer_managed_policy_reference_from_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine"}, **self.ids())
        self.sso.detach_customer_managed_policy_reference_from_permission_set(
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"}, **self.ids())
        self.assertEqual(self.references(), [])
        self.assertClientError(
            "ResourceNotFoundException",
            self.sso.detach_customer_managed_policy_reference_from_permission_set,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"}, **self.ids())

    def test_list_customer_managed_policy_references_in_permission_set(self):
        self.assertEqual(self.references(), [])
        for i in range(3):
            self.sso.attach_customer_managed_policy_reference_to_permission_set(
                CustomerManagedPolicyReference={"Name": "C%d" % i}, **self.ids())
        first = self.sso.list_customer_managed_policy_references_in_permission_set(
            MaxResults=2, **self.ids())
        self.assertEqual([r["Name"] for r in first["CustomerManagedPolicyReferences"]],
                         ["C0", "C1"])
        rest = self.sso.list_customer_managed_policy_references_in_permission_set(
            MaxResults=2, NextToken=first["NextToken"], **self.ids())
        self.assertEqual(rest["CustomerManagedPolicyReferences"], [{"Name": "C2", "Path": "/"}])
        self.assertNotIn("NextToken", rest)
        self.assertClientError(
            "ResourceNotFoundException",
            self.sso.list_customer_managed_policy_references_in_permission_set,
            **self.ids(self.unknown_ps))


class PermissionsBoundaryTest(PolicyTestCase):

    def test_put_permissions_boundary_to_permission_set(self):
        self.sso.put_permissions_boundary_to_permission_set(
            PermissionsBoundary={"ManagedPolicyArn": READ_ONLY}, **self.ids())
        self.assertEqual(self.sso.get_permissions_boundary_for_permission_set(
            **self.ids())["PermissionsBoundary"], {"ManagedPolicyArn": READ_ONLY})
        self.sso.put_permissions_boundary_to_permission_set(
            PermissionsBoundary={"CustomerManagedPolicyReference": {"Name": "Boundary"}},
            **self.ids())
        self.assertEqual(self.sso.get_permissions_boundary_for_permission_set(
            **self.ids())["PermissionsBoundary"],
            {"CustomerManagedPolicyReference": {"Name": "Boundary", "Path": "/"}})
        # Exactly one of the two members.
        for bad in ({}, {"ManagedPolicyArn": READ_ONLY,
                         "CustomerManagedPolicyReference": {"Name": "Boundary"}}):
            self.assertClientError("ValidationException",
                                   self.sso.put_permissions_boundary_to_permission_set,
                                   PermissionsBoundary=bad, **self.ids())
        self.assertClientError("ResourceNotFoundException",
                               self.sso.put_permissions_boundary_to_permission_set,
                               PermissionsBoundary={"ManagedPolicyArn": READ_ONLY},
                               **self.ids(self.unknown_ps))
        self.in_flight_assignment()
        self.assertClientError("ConflictException",
                               self.sso.put_permissions_boundary_to_permission_set,
                               PermissionsBoundary={"ManagedPolicyArn": READ_ONLY}, **self.ids())

    def test_get_permissions_boundary_for_permission_set(self):
        # Without a boundary: {} (icemu's choice; the real answer is unknown).
        self.assertNotIn("PermissionsBoundary",
                         self.sso.get_permissions_boundary_for_permission_set(**self.ids()))
        status, _, body = self.icemu.aws_raw("GetPermissionsBoundaryForPermissionSet", self.ids())
        self.assertEqual((status, body), (200, b"{}"))
        self.assertClientError("ResourceNotFoundException",
                               self.sso.get_permissions_boundary_for_permission_set,
                               **self.ids(self.unknown_ps))

    def test_delete_permissions_boundary_from_permission_set(self):
        self.sso.put_permissions_boundary_to_permission_set(
            PermissionsBoundary={"ManagedPolicyArn": READ_ONLY}, **self.ids())
        self.sso.delete_permissions_boundary_from_permission_set(**self.ids())
        self.assertNotIn("PermissionsBoundary",
                         self.sso.get_permissions_boundary_for_permission_set(**self.ids()))
        self.sso.delete_permissions_boundary_from_permission_set(**self.ids())  # none: still {}
        self.assertClientError("ResourceNotFoundException",
                               self.sso.delete_permissions_boundary_from_permission_set,
                               **self.ids(self.unknown_ps))


class ContentChangeTest(PolicyTestCase):

    def provisioned(self):
        """self.ps provisioned (at its current version) to ACCOUNT_A by a settled assignment."""
        created = self.in_flight_assignment()
        self.icemu.settle(created["RequestId"])
        self.assertEqual(self.not_latest(), [])

    def reprovision(self):
        req = self.sso.provision_permission_set(TargetType="ALL_PROVISIONED_ACCOUNTS",
                                                **self.ids())["PermissionSetProvisioningStatus"]
        self.icemu.settle(req["RequestId"])
        self.assertEqual(self.not_latest(), [])

    def test_every_content_change_leaves_accounts_behind_until_provisioned(self):
        self.provisioned()
        changes = [
            lambda: self.sso.put_inline_policy_to_permission_set(InlinePolicy=POLICY,
                                                                 **self.ids()),
            lambda: self.sso.delete_inline_policy_from_permission_set(**self.ids()),
            lambda: self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=READ_ONLY,
                                                                     **self.ids()),
            lambda: self.sso.detach_managed_policy_from_permission_set(
                ManagedPolicyArn=READ_ONLY, **self.ids()),
            lambda: self.sso.attach_customer_managed_policy_reference_to_permission_set(
                CustomerManagedPolicyReference={"Name": "Mine"}, **self.ids()),
            lambda: self.sso.detach_customer_managed_policy_reference_from_permission_set(
                CustomerManagedPolicyReference={"Name": "Mine"}, **self.ids()),
            lambda: self.sso.put_permissions_boundary_to_permission_set(
                PermissionsBoundary={"ManagedPolicyArn": READ_ONLY}, **self.ids()),
            lambda: self.sso.delete_permissions_boundary_from_permission_set(**self.ids()),
            lambda: self.sso.update_permission_set(Description="changed", **self.ids()),
        ]
        for i, change in enumerate(changes):
            change()
            self.assertEqual(self.not_latest(), [ACCOUNT_A], "change %d" % i)
            self.reprovision()
        # Tags are not content.
        self.sso.tag_resource(ResourceArn=self.ps, Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(self.not_latest(), [])

    def test_deleting_a_permission_set_deletes_its_policies(self):
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=READ_ONLY, **self.ids())
        self.sso.put_inline_policy_to_permission_set(InlinePolicy=POLICY, **self.ids())
        self.sso.delete_permission_set(**self.ids())
        self.assertClientError("ResourceNotFoundException",
                               self.sso.list_managed_policies_in_permission_set, **self.ids())
        again = self.create_permission_set("Policies", instance_arn=self.inst)["PermissionSetArn"]
        self.assertEqual(self.managed(again), [])
        self.assertEqual(
            self.sso.get_inline_policy_for_permission_set(**self.ids(again))["InlinePolicy"], "")


class TerraformReplayTest(IcemuTestCase):
    """What terraform-provider-aws does for aws_ssoadmin_permission_set,
    aws_ssoadmin_managed_policy_attachment and aws_ssoadmin_account_assignment,
    with a scheduler delay of 0: every request is settled before the next call is answered, so the
    first poll already sees SUCCEEDED."""
    icemu_env = {"ICEMU_SCHEDULER_MODE": "auto", "ICEMU_SCHEDULER_DELAY_MS": "0"}

    def poll(self, describe, key, request_id, **ids):
        """Terraform's StateChangeConf: Pending IN_PROGRESS, Target SUCCEEDED (bounded here)."""
        for _ in range(50):
            status = describe(**ids, **{key: request_id})
            body = next(v for k, v in status.items() if k != "ResponseMetadata")
            if body["Status"] != "IN_PROGRESS":
                self.assertEqual(body["Status"], "SUCCEEDED", body)
                return body
        self.fail("request %s still IN_PROGRESS" % request_id)

    def test_permission_set_policy_and_assignment_lifecycle(self):
        inst = self.instance_arn()
        # aws_ssoadmin_permission_set create, then read (Describe + ListTagsForResource).
        ps = self.sso.create_permission_set(
            InstanceArn=inst, Name="TerraformReplay", SessionDuration="PT8H",
            Tags=[{"Key": "managed-by", "Value": "terraform"}])["PermissionSet"]["PermissionSetArn"]
        ids = {"InstanceArn": inst, "PermissionSetArn": ps}
        self.sso.describe_permission_set(**ids)
        tags = self.sso.list_tags_for_resource(InstanceArn=inst, ResourceArn=ps)
        self.assertEqual(tags["Tags"], [{"Key": "managed-by", "Value": "terraform"}])
        self.assertNotIn("NextToken", tags)

        # aws_ssoadmin_managed_policy_attachment create: pre-check, attach, provision, poll.
        self.assertEqual(self.sso.list_managed_policies_in_permission_set(
            **ids)["AttachedManagedPolicies"], [])
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=READ_ONLY, **ids)
        prov = self.sso.provision_permission_set(
            TargetType="ALL_PROVISIONED_ACCOUNTS", **ids)["PermissionSetProvisioningStatus"]
        self.assertEqual(prov["Status"], "IN_PROGRESS")
        self.assertNotIn("AccountId", prov)
        self.poll(self.sso.describe_permission_set_provisioning_status,
                  "ProvisionPermissionSetRequestId", prov["RequestId"], InstanceArn=inst)
        self.assertEqual(self.sso.list_managed_policies_in_permission_set(
            **ids)["AttachedManagedPolicies"], [{"Name": "ReadOnlyAccess", "Arn": READ_ONLY}])

        # aws_ssoadmin_account_assignment create: duplicate pre-check, create, poll, read.
        assignment = {"TargetId": ACCOUNT_A, "TargetType": "AWS_ACCOUNT", "PrincipalType": "USER",
                      "PrincipalId": USER_1}
        self.assertEqual(self.sso.list_account_assignments(
            AccountId=ACCOUNT_A, **ids)["AccountAssignments"], [])
        created = self.sso.create_account_assignment(
            **ids, **assignment)["AccountAssignmentCreationStatus"]
        self.assertEqual(created["Status"], "IN_PROGRESS")
        self.poll(self.sso.describe_account_assignment_creation_status,
                  "AccountAssignmentCreationRequestId", created["RequestId"], InstanceArn=inst)
        listed = self.sso.list_account_assignments(AccountId=ACCOUNT_A, **ids)["AccountAssignments"]
        self.assertEqual([(a["PrincipalId"], a["PrincipalType"]) for a in listed],
                         [(USER_1, "USER")])
        self.assertEqual(self.sso.list_accounts_for_provisioned_permission_set(
            **ids)["AccountIds"], [ACCOUNT_A])

        # A later policy change re-provisions ALL_PROVISIONED_ACCOUNTS (now one account).
        self.sso.attach_managed_policy_to_permission_set(ManagedPolicyArn=VIEW_ONLY, **ids)
        self.assertEqual(self.sso.list_accounts_for_provisioned_permission_set(
            ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED", **ids)["AccountIds"],
            [ACCOUNT_A])
        prov = self.sso.provision_permission_set(
            TargetType="ALL_PROVISIONED_ACCOUNTS", **ids)["PermissionSetProvisioningStatus"]
        self.poll(self.sso.describe_permission_set_provisioning_status,
                  "ProvisionPermissionSetRequestId", prov["RequestId"], InstanceArn=inst)
        self.assertEqual(self.sso.list_accounts_for_provisioned_permission_set(
            ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED", **ids)["AccountIds"],
            [ACCOUNT_A])

        # Destroy: delete the assignment, poll, detach, delete the permission set.
        deleted = self.sso.delete_account_assignment(
            **ids, **assignment)["AccountAssignmentDeletionStatus"]
        self.assertNotEqual(deleted["RequestId"], created["RequestId"])
        self.poll(self.sso.describe_account_assignment_deletion_status,
                  "AccountAssignmentDeletionRequestId", deleted["RequestId"], InstanceArn=inst)
        self.assertEqual(self.sso.list_account_assignments(
            AccountId=ACCOUNT_A, **ids)["AccountAssignments"], [])
        self.sso.detach_managed_policy_from_permission_set(ManagedPolicyArn=READ_ONLY, **ids)
        self.sso.detach_managed_policy_from_permission_set(ManagedPolicyArn=VIEW_ONLY, **ids)
        self.sso.delete_permission_set(**ids)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_permission_set,
                               **ids)
        self.assertClientError("ResourceNotFoundException", self.sso.list_tags_for_resource,
                               InstanceArn=inst, ResourceArn=ps)


if __name__ == "__main__":
    unittest.main()

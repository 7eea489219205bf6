"""TagResource, UntagResource and ListTagsForResource on permission sets and instances, and the
Tags members of CreatePermissionSet and CreateInstance, through boto3 (ListTagsForResource has
no MaxResults in the AWS API)."""

import unittest

from harness import IcemuTestCase

ACCOUNT_A = "111122223333"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
APPLICATION_ARN = "arn:aws:sso::123456789012:application/ssoins-0123456789abcdef/apl-0123456789abcdef"
OTHER_INSTANCE = "arn:aws:sso:::instance/ssoins-0000000000000000"


def tags(**pairs):
    return [{"Key": k, "Value": v} for k, v in pairs.items()]


class TagTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()
        self.ps = self.create_permission_set("Tagged", instance_arn=self.inst,
                                             Tags=tags(env="dev", team="a"))["PermissionSetArn"]
        self.unknown_ps = self.ps[:-16] + "0000000000000000"

    def listed(self, arn=None):
        return self.sso.list_tags_for_resource(InstanceArn=self.inst,
                                               ResourceArn=arn or self.ps)["Tags"]

    def test_create_permission_set_stores_its_tags(self):
        self.assertEqual(self.listed(), tags(env="dev", team="a"))
        too_many = [{"Key": "k%d" % i, "Value": "v"} for i in range(51)]
        self.assertClientError("ServiceQuotaExceededException", self.sso.create_permission_set,
                               InstanceArn=self.inst, Name="TooMany", Tags=too_many)
        names = self.sso.list_permission_sets(InstanceArn=self.inst)["PermissionSets"]
        self.assertEqual(names, [self.ps])  # nothing was created
        self.assertClientError("ValidationException", self.sso.create_permission_set,
                               InstanceArn=self.inst, Name="BadTag",
                               Tags=[{"Key": "bad*key", "Value": "v"}])

    def test_tag_resource(self):
        out = self.sso.tag_resource(InstanceArn=self.inst, ResourceArn=self.ps,
                                    Tags=tags(env="prod", cost="42"))
        self.assertEqual(set(out) - {"ResponseMetadata"}, set())
        # An existing key keeps its place and takes the new value.
        self.assertEqual(self.listed(), tags(env="prod", team="a", cost="42"))
        # InstanceArn is optional.
        self.sso.tag_resource(ResourceArn=self.ps, Tags=tags(owner="me"))
        self.assertEqual(len(self.listed()), 4)
        # Tags do not conflict with requests in flight.
        self.create_assignment(self.ps, ACCOUNT_A, principal_id=USER_1, instance_arn=self.inst)
        self.sso.tag_resource(ResourceArn=self.ps, Tags=tags(during="request"))

    def test_tag_resource_errors(self):
        self.sso.tag_resource(ResourceArn=self.ps,
                              Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(48)])
        err = self.assertClientError("ServiceQuotaExceededException", self.sso.tag_resource,
                                     ResourceArn=self.ps, Tags=tags(one_more="x"))
        self.assertIn("50", err.response["Error"]["Message"])
        self.sso.tag_resource(ResourceArn=self.ps, Tags=tags(env="overwrite-at-50"))
        self.assertEqual(len(self.listed()), 50)
        self.assertClientError("ResourceNotFoundException", self.sso.tag_resource,
                               ResourceArn=self.unknown_ps, Tags=tags(a="b"))
        self.assertClientError("ResourceNotFoundException", self.sso.tag_resource,
                               ResourceArn=APPLICATION_ARN, Tags=tags(a="b"))
        self.assertClientError("ResourceNotFoundException", self.sso.tag_resource,
                               InstanceArn=OTHER_INSTANCE, ResourceArn=self.ps, Tags=tags(a="b"))
        self.assertClientError("ValidationException", self.sso.tag_resource,
                               ResourceArn="arn:aws:sso:::group/ssoins-0123456789abcdef",
                               Tags=tags(a="b"))
        self.assertClientError("ValidationException", self.sso.tag_resource,
                               ResourceArn=self.ps,
                               Tags=[{"Key": "k", "Value": "v" * 257}])

    def test_untag_resource(self):
        self.sso.untag_resource(InstanceArn=self.inst, ResourceArn=self.ps,
                                TagKeys=["team", "not-there"])
        self.assertEqual(self.listed(), tags(env="dev"))
        self.sso.untag_resource(ResourceArn=self.ps, TagKeys=["env"])
        self.assertEqual(self.listed(), [])
        self.assertClientError("ResourceNotFoundException", self.sso.untag_resource,
                               ResourceArn=self.unknown_ps, TagKeys=["env"])
        self.assertClientError("ValidationException", self.sso.untag_resource,
                               ResourceArn=self.ps, TagKeys=["k"] * 76)

    def test_list_tags_for_resource(self):
        self.sso.tag_resource(ResourceArn=self.ps,
                              Tags=[{"Key": "k%02d" % i, "Value": str(i)} for i in range(48)])
        out = self.sso.list_tags_for_resource(ResourceArn=self.ps)
        self.assertEqual(len(out["Tags"]), 50)
        self.assertNotIn("NextToken", out)  # pages of 100, at most 50 tags
        pages = list(self.sso.get_paginator("list_tags_for_resource").paginate(
            ResourceArn=self.ps))
        self.assertEqual(sum(len(p["Tags"]) for p in pages), 50)
        self.assertEqual(self.listed(self.inst), [])
        self.assertClientError("ValidationException", self.sso.list_tags_for_resource,
                               ResourceArn=self.ps, NextToken="AAAAAAAAAAAAAAAAAAAAAAAA")
        self.assertClientError("ResourceNotFoundException", self.sso.list_tags_for_resource,
                               ResourceArn=self.unknown_ps)
        self.assertClientError("ResourceNotFoundException", self.sso.list_tags_for_resource,
                               ResourceArn=OTHER_INSTANCE)

    def test_instance_tags_are_separate_from_permission_set_tags(self):
        self.sso.tag_resource(ResourceArn=self.inst, Tags=tags(env="instance"))
        self.assertEqual(self.listed(self.inst), tags(env="instance"))
        self.assertEqual(self.listed(), tags(env="dev", team="a"))
        self.sso.untag_resource(ResourceArn=self.inst, TagKeys=["env"])
        self.assertEqual(self.listed(self.inst), [])

    def test_deleting_a_permission_set_deletes_its_tags(self):
        self.sso.delete_permission_set(InstanceArn=self.inst, PermissionSetArn=self.ps)
        self.assertClientError("ResourceNotFoundException", self.sso.list_tags_for_resource,
                               ResourceArn=self.ps)
        again = self.create_permission_set("Tagged", instance_arn=self.inst)["PermissionSetArn"]
        self.assertEqual(self.listed(again), [])

    def test_tags_do_not_bump_the_version(self):
        created = self.create_assignment(self.ps, ACCOUNT_A, principal_id=USER_1,
                                         instance_arn=self.inst)
        self.icemu.settle(created["RequestId"])
        self.sso.tag_resource(ResourceArn=self.ps, Tags=tags(k="v"))
        self.sso.untag_resource(ResourceArn=self.ps, TagKeys=["env"])
        self.assertEqual(self.sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=self.inst, PermissionSetArn=self.ps,
            ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED")["AccountIds"], [])


if __name__ == "__main__":
    unittest.main()

"""CreateInstance, UpdateInstance, DeleteInstance and DescribeInstance through boto3 (DESIGN.md §2,
§6: the caller's account is a 12-digit access key id, else the configured default account)."""

import datetime
import re
import unittest

import boto3
from botocore.config import Config

from harness import DEFAULT_ACCOUNT, INSTANCE_ARN_RE, REGION, IcemuTestCase

ACCOUNT_B = "210987654321"
ACCOUNT_C = "333344445555"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
UNKNOWN_INSTANCE = "arn:aws:sso:::instance/ssoins-0000000000000000"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


class InstanceTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def client_for(self, access_key_id):
        """A boto3 client whose SigV4 Credential names `access_key_id` (open auth mode: a
        12-digit key id stands for the caller's account)."""
        session = boto3.session.Session(aws_access_key_id=access_key_id,
                                        aws_secret_access_key="secret", region_name=REGION)
        return session.client("sso-admin", endpoint_url=self.icemu.endpoint, config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"}))

    def test_create_instance(self):
        sso_b = self.client_for(ACCOUNT_B)
        out = sso_b.create_instance(Name="team-b", Tags=[{"Key": "env", "Value": "test"}])
        self.assertEqual(set(out) - {"ResponseMetadata"}, {"InstanceArn"})
        arn = out["InstanceArn"]
        self.assertIsNotNone(INSTANCE_ARN_RE.fullmatch(arn), arn)
        described = self.sso.describe_instance(InstanceArn=arn)
        self.assertEqual(described["OwnerAccountId"], ACCOUNT_B)
        self.assertEqual(described["Status"], "ACTIVE")
        self.assertEqual(described["Name"], "team-b")
        self.assertRegex(described["IdentityStoreId"], r"^d-[0-9a-f]{10}$")
        self.assertIsInstance(described["CreatedDate"], datetime.datetime)
        self.assertNotIn("EncryptionConfigurationDetails", described)
        self.assertEqual(self.sso.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "env", "Value": "test"}])
        listed = [i["InstanceArn"] for i in self.sso.list_instances()["Instances"]]
        self.assertIn(arn, listed)
        self.assertEqual(len(listed), 2)
        # A permission set can live in the new instance.
        ps = self.create_permission_set("InNewInstance", instance_arn=arn, sso=sso_b)
        self.assertIn(INSTANCE_ARN_RE.fullmatch(arn).group(1), ps["PermissionSetArn"])

    def test_create_instance_errors(self):
        # One instance per owner account: the default account (a key id that is not 12 digits)
        # owns the initial instance.
        err = self.assertClientError("ConflictException", self.sso.create_instance)
        self.assertEqual(err.response["Error"]["Message"],
                         "An instance of IAM Identity Center already exists for account %s."
                         % DEFAULT_ACCOUNT)
        self.client_for(ACCOUNT_B).create_instance()
        self.assertClientError("ConflictException", self.client_for(ACCOUNT_B).create_instance,
                               Name="again")
        self.assertClientError("ConflictException", self.client_for(DEFAULT_ACCOUNT).create_instance)
        sso_c = self.client_for(ACCOUNT_C)
        self.assertClientError("ValidationException", sso_c.create_instance, Name="bad name!")
        self.assertClientError("ServiceQuotaExceededException", sso_c.create_instance,
                               Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(51)])
        self.assertEqual(len(self.sso.list_instances()["Instances"]), 2)  # none made for C

    def test_create_instance_retry_with_its_client_token_answers_the_same_instance(self):
        # SDKs fill ClientToken in and resend it on a retry: the retry must not be a conflict.
        sso_b = self.client_for(ACCOUNT_B)
        first = sso_b.create_instance(Name="once", ClientToken="token-1")["InstanceArn"]
        again = sso_b.create_instance(Name="once", ClientToken="token-1")["InstanceArn"]
        self.assertEqual(again, first)
        self.assertClientError("ConflictException", sso_b.create_instance, ClientToken="token-2")
        self.assertClientError("ConflictException", sso_b.create_instance)
        owned = [i for i in self.sso.list_instances()["Instances"] if i["OwnerAccountId"] == ACCOUNT_B]
        self.assertEqual(len(owned), 1)

    def test_update_instance(self):
        arn = self.client_for(ACCOUNT_B).create_instance(Name="before")["InstanceArn"]
        out = self.sso.update_instance(InstanceArn=arn, Name="after")
        self.assertEqual(set(out) - {"ResponseMetadata"}, set())
        self.assertEqual(self.sso.describe_instance(InstanceArn=arn)["Name"], "after")
        # EncryptionConfiguration is accepted and not stored; an absent Name keeps the name.
        self.sso.update_instance(InstanceArn=arn, EncryptionConfiguration={
            "KeyType": "CUSTOMER_MANAGED_KEY", "KmsKeyArn": KMS_KEY})
        described = self.sso.describe_instance(InstanceArn=arn)
        self.assertEqual(described["Name"], "after")
        self.assertNotIn("EncryptionConfigurationDetails", described)
        self.assertClientError("ValidationException", self.sso.update_instance, InstanceArn=arn,
                               EncryptionConfiguration={"KeyType": "NO_SUCH_TYPE"})
        self.assertClientError("ResourceNotFoundException", self.sso.update_instance,
                               InstanceArn=UNKNOWN_INSTANCE, Name="x")

    def test_delete_instance(self):
        sso_b = self.client_for(ACCOUNT_B)
        arn = sso_b.create_instance()["InstanceArn"]
        ps = self.create_permission_set("Doomed", instance_arn=arn, sso=sso_b,
                                        Tags=[{"Key": "k", "Value": "v"}])["PermissionSetArn"]
        created = self.create_assignment(ps, DEFAULT_ACCOUNT, principal_id=USER_1,
                                         instance_arn=arn, sso=sso_b)
        err = self.assertClientError("ConflictException", sso_b.delete_instance, InstanceArn=arn)
        self.assertEqual(err.response["Error"]["Message"],
                         "There is a conflicting operation in process.")
        self.icemu.settle(created["RequestId"])
        out = sso_b.delete_instance(InstanceArn=arn)
        self.assertEqual(set(out) - {"ResponseMetadata"}, set())
        self.assertClientError("ResourceNotFoundException", self.sso.describe_instance,
                               InstanceArn=arn)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_permission_set,
                               InstanceArn=arn, PermissionSetArn=ps)
        self.assertEqual(self.icemu.requests(instance=INSTANCE_ARN_RE.fullmatch(arn).group(1)),
                         [])
        self.assertEqual(len(self.sso.list_instances()["Instances"]), 1)
        # The account may create an instance again.
        self.assertNotEqual(sso_b.create_instance()["InstanceArn"], arn)
        self.assertClientError("ResourceNotFoundException", self.sso.delete_instance,
                               InstanceArn=UNKNOWN_INSTANCE)

    def test_describe_instance_of_an_unknown_instance(self):
        err = self.assertClientError("ResourceNotFoundException", self.sso.describe_instance,
                                     InstanceArn=UNKNOWN_INSTANCE)
        self.assertTrue(re.search("ssoins-0000000000000000", err.response["Error"]["Message"]))

    def test_reset_removes_created_instances(self):
        self.client_for(ACCOUNT_B).create_instance()
        self.icemu.reset()
        self.assertEqual([i["OwnerAccountId"] for i in self.sso.list_instances()["Instances"]],
                         [DEFAULT_ACCOUNT])


if __name__ == "__main__":
    unittest.main()

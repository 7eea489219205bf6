"""CreateInstance, UpdateInstance, DeleteInstance and DescribeInstance through boto3 (the
caller's account is a 12-digit access key id, else the configured default account)."""

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
        # Never updated: an AWS owned key, in force.
        self.assertEqual(described["EncryptionConfigurationDetails"],
                         {"KeyType": "AWS_OWNED_KMS_KEY", "EncryptionStatus": "ENABLED"})
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
        # An absent Name keeps the name (EncryptionConfiguration: InstanceEncryptionTest).
        self.sso.update_instance(InstanceArn=arn, EncryptionConfiguration={
            "KeyType": "CUSTOMER_MANAGED_KEY", "KmsKeyArn": KMS_KEY})
        described = self.sso.describe_instance(InstanceArn=arn)
        self.assertEqual(described["Name"], "after")
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


class InstanceEncryptionTest(IcemuTestCase):
    """UpdateInstance's EncryptionConfiguration: an INSTANCE_ENCRYPTION request that
    DescribeInstance reports as EncryptionConfigurationDetails, UPDATING until it settles
    (reference: the botocore model; terraform-provider-aws's aws_ssoadmin_instance waits for
    EncryptionStatus ENABLED)."""
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    CUSTOMER = {"KeyType": "CUSTOMER_MANAGED_KEY", "KmsKeyArn": KMS_KEY}

    def details(self, arn=None):
        return self.sso.describe_instance(InstanceArn=arn or self.instance_arn())[
            "EncryptionConfigurationDetails"]

    def update(self, config, arn=None):
        out = self.sso.update_instance(InstanceArn=arn or self.instance_arn(),
                                       EncryptionConfiguration=config)
        self.assertEqual(set(out) - {"ResponseMetadata"}, set())

    def encryption_requests(self, **filters):
        return self.icemu.requests(kind="INSTANCE_ENCRYPTION", **filters)

    def test_an_update_is_updating_until_settled_then_enabled(self):
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "ENABLED"})
        self.update(self.CUSTOMER)
        self.assertEqual(self.details(), dict(self.CUSTOMER, EncryptionStatus="UPDATING"))
        # The admin API lists it; the fields that do not apply are null.
        (request,) = self.encryption_requests()
        hex_id = INSTANCE_ARN_RE.fullmatch(self.instance_arn()).group(1)
        self.assertEqual({k: request[k] for k in (
            "kind", "status", "instance_id", "permission_set_id", "account_id", "principal_type",
            "principal_id", "failure_reason", "due_date", "surface")}, {
            "kind": "INSTANCE_ENCRYPTION", "status": "IN_PROGRESS",
            "instance_id": "ssoins-" + hex_id, "permission_set_id": None, "account_id": None,
            "principal_type": None, "principal_id": None, "failure_reason": None,
            "due_date": None, "surface": "aws"})
        self.assertEqual(self.icemu.requests(kind="PROVISION"), [])
        # A second update while one is in progress is a conflict.
        err = self.assertClientError("ConflictException", self.update,
                                     {"KeyType": "AWS_OWNED_KMS_KEY"})
        self.assertEqual(err.response["Error"]["Message"],
                         "There is a conflicting operation in process.")
        # So is deleting the instance; renaming it is not.
        self.assertClientError("ConflictException", self.sso.delete_instance,
                               InstanceArn=self.instance_arn())
        self.sso.update_instance(InstanceArn=self.instance_arn(), Name="renamed")
        self.icemu.settle(request["request_id"])
        self.assertEqual(self.details(), dict(self.CUSTOMER, EncryptionStatus="ENABLED"))
        # Back to an AWS owned key: no KMS key ARN any more.
        self.update({"KeyType": "AWS_OWNED_KMS_KEY"})
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "UPDATING"})
        (second,) = self.encryption_requests(status="IN_PROGRESS")
        self.icemu.settle(second["request_id"])
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "ENABLED"})
        self.assertEqual(len(self.encryption_requests(status="SUCCEEDED")), 2)

    def test_a_failed_update_keeps_the_configuration_in_force(self):
        self.update(self.CUSTOMER)
        (request,) = self.encryption_requests()
        reason = "KMS key is disabled"
        self.icemu.settle(request["request_id"], "FAILED", reason)
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "UPDATE_FAILED",
                                          "EncryptionStatusReason": reason})
        # A new update may follow; its success clears the failure.
        self.update(self.CUSTOMER)
        (pending,) = self.encryption_requests(status="IN_PROGRESS")
        self.icemu.settle(pending["request_id"])
        self.assertEqual(self.details(), dict(self.CUSTOMER, EncryptionStatus="ENABLED"))

    def test_the_scheduler_settles_it_like_any_request(self):
        # auto with a delay: due after it (clock/advance); an outcome rule can fail it.
        self.icemu.scheduler(mode="auto", delay_ms={"min": 1000, "max": 1000})
        status, _ = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"kind": "INSTANCE_ENCRYPTION"},
             "outcome": {"status": "FAILED", "failure_reason": "The KMS key is not accessible."},
             "times": 1}]})
        self.assertEqual(status, 200)
        self.update(self.CUSTOMER)
        self.assertEqual(self.details()["EncryptionStatus"], "UPDATING")
        settled = self.icemu.advance(1000)["settled"]
        self.assertEqual(len(settled), 1)
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "UPDATE_FAILED",
                                          "EncryptionStatusReason":
                                              "The KMS key is not accessible."})
        # The rule is used up: the next one succeeds at its due time.
        self.update(self.CUSTOMER)
        self.icemu.advance(1000)
        self.assertEqual(self.details(), dict(self.CUSTOMER, EncryptionStatus="ENABLED"))
        # A delay of 0: settled before the next call is answered.
        self.icemu.scheduler(delay_ms={"min": 0, "max": 0})
        self.update({"KeyType": "AWS_OWNED_KMS_KEY"})
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "ENABLED"})
        # polls: the Nth DescribeInstance settles it and already answers ENABLED.
        self.icemu.scheduler(mode="polls", polls=2)
        self.update(self.CUSTOMER)
        self.assertEqual(self.details()["EncryptionStatus"], "UPDATING")
        self.assertEqual(self.details(), dict(self.CUSTOMER, EncryptionStatus="ENABLED"))

    def test_validation(self):
        arn = self.instance_arn()
        for config in ({"KeyType": "CUSTOMER_MANAGED_KEY"},
                       {"KeyType": "AWS_OWNED_KMS_KEY", "KmsKeyArn": KMS_KEY},
                       {"KeyType": "CUSTOMER_MANAGED_KEY",
                        "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/mine"}):
            with self.subTest(config):
                self.assertClientError("ValidationException", self.sso.update_instance,
                                       InstanceArn=arn, EncryptionConfiguration=config)
        self.assertEqual(self.encryption_requests(), [])
        self.assertClientError("ResourceNotFoundException", self.sso.update_instance,
                               InstanceArn=UNKNOWN_INSTANCE,
                               EncryptionConfiguration=self.CUSTOMER)

    def test_metrics_count_the_kind(self):
        self.update(self.CUSTOMER)
        status, _, text = self.icemu.raw("GET", "/_icemu/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b'icemu_async_requests{kind="INSTANCE_ENCRYPTION",status="IN_PROGRESS"} 1',
                      text)
        self.assertIn(b'icemu_async_requests{kind="INSTANCE_ENCRYPTION",status="FAILED"} 0',
                      text)

    def test_a_reset_clears_it(self):
        self.update(self.CUSTOMER)
        self.icemu.settle(self.encryption_requests()[0]["request_id"])
        self.icemu.reset()
        self.assertEqual(self.encryption_requests(), [])
        self.assertEqual(self.details(), {"KeyType": "AWS_OWNED_KMS_KEY",
                                          "EncryptionStatus": "ENABLED"})

    def test_it_survives_a_restart(self):
        server = self.start_icemu()
        sso = server.client()
        arn = self.instance_arn(sso)
        sso.update_instance(InstanceArn=arn, EncryptionConfiguration=self.CUSTOMER)
        server.kill9()
        server.restart()
        sso = server.client()
        details = sso.describe_instance(InstanceArn=arn)["EncryptionConfigurationDetails"]
        self.assertEqual(details, dict(self.CUSTOMER, EncryptionStatus="UPDATING"))
        (request,) = server.requests(kind="INSTANCE_ENCRYPTION")
        server.settle(request["request_id"])
        server.stop()
        server.restart()
        sso = server.client()
        details = sso.describe_instance(InstanceArn=arn)["EncryptionConfigurationDetails"]
        self.assertEqual(details, dict(self.CUSTOMER, EncryptionStatus="ENABLED"))


if __name__ == "__main__":
    unittest.main()

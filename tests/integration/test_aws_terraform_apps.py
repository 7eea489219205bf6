"""Replays of what terraform-provider-aws (internal/service/ssoadmin) calls for
aws_ssoadmin_application, _application_assignment, _application_assignment_configuration,
_application_access_scope, _instance_access_control_attributes and _trusted_token_issuer: create,
read, update, delete, and a read after an out-of-band delete, which must answer the
ResourceNotFoundException the provider treats as "gone" (it then drops the resource from state)."""

import unittest

from harness import IcemuTestCase

CUSTOM = "arn:aws:sso::aws:applicationProvider/custom"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
ABAC = {"AccessControlAttributes": [
    {"Key": "department", "Value": {"Source": ["${path:enterprise.department}"]}}]}


class TerraformApplicationReplayTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "auto", "ICEMU_SCHEDULER_DELAY_MS": "0"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()

    def gone(self, call, **ids):
        """The read after an out-of-band delete: the not-found error the provider tests for."""
        self.assertClientError("ResourceNotFoundException", call, **ids)

    def create_application(self, name="tf-app"):
        return self.sso.create_application(
            InstanceArn=self.inst, ApplicationProviderArn=CUSTOM, Name=name,
            ClientToken="terraform-" + name,
            PortalOptions={"Visibility": "ENABLED",
                           "SignInOptions": {"Origin": "IDENTITY_CENTER"}},
            Tags=[{"Key": "managed-by", "Value": "terraform"}])["ApplicationArn"]

    def test_application(self):
        arn = self.create_application()
        # Read: DescribeApplication, then the tags.
        app = self.sso.describe_application(ApplicationArn=arn)
        self.assertEqual((app["Name"], app["Status"], app["ApplicationProviderArn"]),
                         ("tf-app", "ENABLED", CUSTOM))
        self.assertEqual(self.sso.list_tags_for_resource(InstanceArn=self.inst,
                                                         ResourceArn=arn)["Tags"],
                         [{"Key": "managed-by", "Value": "terraform"}])
        # Update: the changed members, and tags through TagResource/UntagResource.
        self.sso.update_application(ApplicationArn=arn, Description="managed", Status="DISABLED")
        self.sso.tag_resource(InstanceArn=self.inst, ResourceArn=arn,
                              Tags=[{"Key": "env", "Value": "ci"}])
        self.sso.untag_resource(InstanceArn=self.inst, ResourceArn=arn, TagKeys=["managed-by"])
        app = self.sso.describe_application(ApplicationArn=arn)
        self.assertEqual((app["Description"], app["Status"]), ("managed", "DISABLED"))
        self.assertEqual(self.sso.list_tags_for_resource(InstanceArn=self.inst,
                                                         ResourceArn=arn)["Tags"],
                         [{"Key": "env", "Value": "ci"}])
        # Delete, and the read after an out-of-band delete.
        self.sso.delete_application(ApplicationArn=arn)
        self.gone(self.sso.describe_application, ApplicationArn=arn)
        # The provider's destroy of a resource already gone: its delete answers not found too.
        self.gone(self.sso.delete_application, ApplicationArn=arn)

    def test_application_assignment_and_configuration(self):
        arn = self.create_application()
        ids = {"ApplicationArn": arn, "PrincipalId": USER, "PrincipalType": "USER"}
        self.sso.create_application_assignment(**ids)
        self.assertEqual({k: v for k, v in self.sso.describe_application_assignment(**ids).items()
                          if k != "ResponseMetadata"}, ids)
        self.sso.put_application_assignment_configuration(ApplicationArn=arn,
                                                          AssignmentRequired=True)
        self.assertTrue(self.sso.get_application_assignment_configuration(
            ApplicationArn=arn)["AssignmentRequired"])
        self.sso.put_application_assignment_configuration(ApplicationArn=arn,
                                                          AssignmentRequired=False)
        self.assertFalse(self.sso.get_application_assignment_configuration(
            ApplicationArn=arn)["AssignmentRequired"])
        # Assignment: delete, then the read after an out-of-band delete.
        self.sso.delete_application_assignment(**ids)
        self.gone(self.sso.describe_application_assignment, **ids)
        # Configuration: once the application is gone, its read is not found.
        self.sso.delete_application(ApplicationArn=arn)
        self.gone(self.sso.get_application_assignment_configuration, ApplicationArn=arn)

    def test_application_access_scope(self):
        arn = self.create_application()
        target = self.create_application("tf-target")
        self.sso.put_application_access_scope(ApplicationArn=arn, Scope="sso:account:access",
                                              AuthorizedTargets=[target])
        scope = self.sso.get_application_access_scope(ApplicationArn=arn,
                                                      Scope="sso:account:access")
        self.assertEqual((scope["Scope"], scope["AuthorizedTargets"]),
                         ("sso:account:access", [target]))
        self.sso.delete_application_access_scope(ApplicationArn=arn, Scope="sso:account:access")
        self.gone(self.sso.get_application_access_scope, ApplicationArn=arn,
                  Scope="sso:account:access")

    def test_instance_access_control_attributes(self):
        self.sso.create_instance_access_control_attribute_configuration(
            InstanceArn=self.inst, InstanceAccessControlAttributeConfiguration=ABAC)
        described = self.sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=self.inst)
        self.assertEqual(described["Status"], "ENABLED")  # a delay of 0
        self.assertEqual(described["InstanceAccessControlAttributeConfiguration"], ABAC)
        updated = {"AccessControlAttributes": ABAC["AccessControlAttributes"] + [
            {"Key": "costcenter", "Value": {"Source": ["${path:enterprise.costCenter}"]}}]}
        self.sso.update_instance_access_control_attribute_configuration(
            InstanceArn=self.inst, InstanceAccessControlAttributeConfiguration=updated)
        self.assertEqual(self.sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=self.inst)["InstanceAccessControlAttributeConfiguration"], updated)
        self.sso.delete_instance_access_control_attribute_configuration(InstanceArn=self.inst)
        self.gone(self.sso.describe_instance_access_control_attribute_configuration,
                  InstanceArn=self.inst)

    def test_trusted_token_issuer(self):
        config = {"OidcJwtConfiguration": {
            "IssuerUrl": "https://token.actions.githubusercontent.com",
            "ClaimAttributePath": "email", "IdentityStoreAttributePath": "emails.value",
            "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}
        arn = self.sso.create_trusted_token_issuer(
            InstanceArn=self.inst, Name="tf-issuer", TrustedTokenIssuerType="OIDC_JWT",
            TrustedTokenIssuerConfiguration=config, ClientToken="terraform-issuer",
            Tags=[{"Key": "managed-by", "Value": "terraform"}])["TrustedTokenIssuerArn"]
        issuer = self.sso.describe_trusted_token_issuer(TrustedTokenIssuerArn=arn)
        self.assertEqual(issuer["TrustedTokenIssuerConfiguration"], config)
        self.assertEqual(self.sso.list_tags_for_resource(InstanceArn=self.inst,
                                                         ResourceArn=arn)["Tags"],
                         [{"Key": "managed-by", "Value": "terraform"}])
        self.sso.update_trusted_token_issuer(
            TrustedTokenIssuerArn=arn, Name="tf-issuer-2",
            TrustedTokenIssuerConfiguration={"OidcJwtConfiguration": {
                "ClaimAttributePath": "sub", "IdentityStoreAttributePath": "userName"}})
        issuer = self.sso.describe_trusted_token_issuer(TrustedTokenIssuerArn=arn)
        self.assertEqual(issuer["Name"], "tf-issuer-2")
        self.assertEqual(issuer["TrustedTokenIssuerConfiguration"]["OidcJwtConfiguration"], {
            "IssuerUrl": "https://token.actions.githubusercontent.com",
            "ClaimAttributePath": "sub", "IdentityStoreAttributePath": "userName",
            "JwksRetrievalOption": "OPEN_ID_DISCOVERY"})
        self.sso.delete_trusted_token_issuer(TrustedTokenIssuerArn=arn)
        self.gone(self.sso.describe_trusted_token_issuer, TrustedTokenIssuerArn=arn)


if __name__ == "__main__":
    unittest.main()

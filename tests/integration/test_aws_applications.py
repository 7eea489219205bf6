"""The application family of sso-admin through boto3: application providers, applications (with
their tags, assignment and session configuration), application assignments, access scopes,
authentication methods, grants and trusted token issuers; each stored and read back exactly,
paginated, cleared by reset and kept across a restart."""

import json
import re
import unittest

from harness import DEFAULT_ACCOUNT, IcemuTestCase

CUSTOM = "arn:aws:sso::aws:applicationProvider/custom"
CUSTOM_SAML = "arn:aws:sso::aws:applicationProvider/custom-saml"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
GROUP = "9067639464-1111c8fc-c296-4863-a233-a59111da7aa3"
ISSUER_CONFIG = {"OidcJwtConfiguration": {
    "IssuerUrl": "https://idp.example.com", "ClaimAttributePath": "email",
    "IdentityStoreAttributePath": "emails.value", "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}
ACTOR_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
     "Action": "sso-oauth:CreateTokenWithIAM", "Resource": "*"}]}

APPLICATION_ARN = re.compile(
    r"arn:aws:sso::%s:application/ssoins-[0-9a-f]{16}/apl-[0-9a-f]{16}$" % DEFAULT_ACCOUNT)
ISSUER_ARN = re.compile(
    r"arn:aws:sso::%s:trustedTokenIssuer/ssoins-[0-9a-f]{16}/tti-"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" % DEFAULT_ACCOUNT)


def clean(answer):
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


class ApplicationTestCase(IcemuTestCase):
    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()

    def create_application(self, name="App", **extra):
        extra.setdefault("ApplicationProviderArn", CUSTOM)
        return self.sso.create_application(InstanceArn=self.inst, Name=name,
                                           **extra)["ApplicationArn"]


class ApplicationProviderTest(ApplicationTestCase):
    def test_list_and_describe_providers(self):
        providers = self.sso.list_application_providers()["ApplicationProviders"]
        by_arn = {p["ApplicationProviderArn"]: p for p in providers}
        self.assertEqual(set(by_arn), {CUSTOM, CUSTOM_SAML})
        self.assertEqual(by_arn[CUSTOM]["FederationProtocol"], "OAUTH")
        self.assertEqual(by_arn[CUSTOM_SAML]["FederationProtocol"], "SAML")
        self.assertTrue(by_arn[CUSTOM]["DisplayData"]["DisplayName"])
        described = clean(self.sso.describe_application_provider(ApplicationProviderArn=CUSTOM))
        self.assertEqual(described, by_arn[CUSTOM])
        first = self.sso.list_application_providers(MaxResults=1)
        self.assertEqual(len(first["ApplicationProviders"]), 1)
        second = self.sso.list_application_providers(MaxResults=1, NextToken=first["NextToken"])
        self.assertEqual(first["ApplicationProviders"] + second["ApplicationProviders"],
                         providers)
        self.assertNotIn("NextToken", second)
        self.assertClientError("ResourceNotFoundException",
                               self.sso.describe_application_provider,
                               ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/none")


class ApplicationTest(ApplicationTestCase):
    def test_create_describe_update_delete(self):
        created = self.sso.create_application(
            InstanceArn=self.inst, ApplicationProviderArn=CUSTOM, Name="Portal",
            Description="the portal",
            PortalOptions={"SignInOptions": {"Origin": "APPLICATION",
                                             "ApplicationUrl": "https://app.example.com"},
                           "Visibility": "ENABLED"},
            Tags=[{"Key": "team", "Value": "web"}])
        arn = created["ApplicationArn"]
        self.assertRegex(arn, APPLICATION_ARN)
        self.assertEqual(created["InstanceArn"], self.inst)
        store = self.instance()["IdentityStoreId"]
        self.assertEqual(created["IdentityStoreArn"],
                         "arn:aws:identitystore::%s:identitystore/%s" % (DEFAULT_ACCOUNT, store))
        described = clean(self.sso.describe_application(ApplicationArn=arn))
        created_date = described.pop("CreatedDate")
        self.assertGreater(created_date.year, 2000)
        self.assertEqual(described, {
            "ApplicationArn": arn, "ApplicationProviderArn": CUSTOM, "Name": "Portal",
            "ApplicationAccount": DEFAULT_ACCOUNT, "InstanceArn": self.inst,
            "IdentityStoreArn": created["IdentityStoreArn"], "Status": "ENABLED",
            "PortalOptions": {"SignInOptions": {"Origin": "APPLICATION",
                                                "ApplicationUrl": "https://app.example.com"},
                              "Visibility": "ENABLED"},
            "Description": "the portal"})
        self.assertEqual(self.sso.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "team", "Value": "web"}])

        self.sso.update_application(ApplicationArn=arn, Name="Portal2", Status="DISABLED",
                                    PortalOptions={"SignInOptions": {"Origin": "IDENTITY_CENTER"}})
        described = self.sso.describe_application(ApplicationArn=arn)
        self.assertEqual(described["Name"], "Portal2")
        self.assertEqual(described["Status"], "DISABLED")
        self.assertEqual(described["Description"], "the portal")
        # The update's sign-in options replace the old ones; Visibility stays.
        self.assertEqual(described["PortalOptions"], {"SignInOptions": {"Origin": "IDENTITY_CENTER"},
                                                      "Visibility": "ENABLED"})

        self.sso.delete_application(ApplicationArn=arn)
        for call in (self.sso.describe_application, self.sso.delete_application,
                     self.sso.get_application_assignment_configuration):
            self.assertClientError("ResourceNotFoundException", call, ApplicationArn=arn)
        self.assertClientError("ResourceNotFoundException", self.sso.list_tags_for_resource,
                               ResourceArn=arn)
        self.assertEqual(self.sso.list_applications(InstanceArn=self.inst)["Applications"], [])

    def test_created_disabled_and_client_token(self):
        arn = self.create_application("Off", Status="DISABLED", ClientToken="token-1")
        self.assertEqual(self.sso.describe_application(ApplicationArn=arn)["Status"], "DISABLED")
        again = self.create_application("Off", Status="DISABLED", ClientToken="token-1")
        self.assertEqual(again, arn)
        self.assertEqual(len(self.sso.list_applications(InstanceArn=self.inst)["Applications"]), 1)

    def test_conflicts_and_not_found(self):
        arn = self.create_application("Same")
        self.assertClientError("ConflictException", self.create_application, "Same")
        self.assertClientError("ResourceNotFoundException", self.create_application, "Other",
                               ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/nope")
        unknown = arn[:-16] + "0000000000000000"
        self.assertClientError("ResourceNotFoundException", self.sso.describe_application,
                               ApplicationArn=unknown)
        # The ARN's account must be the instance owner's.
        other_account = arn.replace(DEFAULT_ACCOUNT, "999999999999")
        self.assertClientError("ResourceNotFoundException", self.sso.describe_application,
                               ApplicationArn=other_account)
        self.assertClientError("ValidationException", self.sso.describe_application,
                               ApplicationArn="arn:aws:sso::123:application/x")

    def test_list_with_filter_and_pages(self):
        arns = [self.create_application("App%d" % i,
                                        ApplicationProviderArn=CUSTOM if i % 2 else CUSTOM_SAML)
                for i in range(5)]
        pages = self.sso.get_paginator("list_applications").paginate(
            InstanceArn=self.inst, PaginationConfig={"PageSize": 2})
        listed = [a["ApplicationArn"] for p in pages for a in p["Applications"]]
        self.assertEqual(listed, arns)
        saml = self.sso.list_applications(InstanceArn=self.inst,
                                          Filter={"ApplicationProvider": CUSTOM_SAML})
        self.assertEqual([a["ApplicationArn"] for a in saml["Applications"]], arns[0::2])
        mine = self.sso.list_applications(InstanceArn=self.inst,
                                          Filter={"ApplicationAccount": DEFAULT_ACCOUNT})
        self.assertEqual(len(mine["Applications"]), 5)
        other = self.sso.list_applications(InstanceArn=self.inst,
                                           Filter={"ApplicationAccount": "999999999999"})
        self.assertEqual(other["Applications"], [])
        first = self.sso.list_applications(InstanceArn=self.inst, MaxResults=2)
        self.assertClientError("ValidationException", self.sso.list_applications,
                               InstanceArn=self.inst, NextToken=first["NextToken"],
                               Filter={"ApplicationProvider": CUSTOM})

    def test_tags(self):
        arn = self.create_application()
        self.sso.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"},
                                                     {"Key": "b", "Value": "2"}])
        self.sso.tag_resource(InstanceArn=self.inst, ResourceArn=arn,
                              Tags=[{"Key": "a", "Value": "3"}])
        self.sso.untag_resource(ResourceArn=arn, TagKeys=["b", "missing"])
        self.assertEqual(self.sso.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "a", "Value": "3"}])
        too_many = [{"Key": "k%d" % i, "Value": "v"} for i in range(50)]
        self.assertClientError("ServiceQuotaExceededException", self.sso.tag_resource,
                               ResourceArn=arn, Tags=too_many)
        self.assertClientError("ResourceNotFoundException", self.sso.tag_resource,
                               InstanceArn="arn:aws:sso:::instance/ssoins-0000000000000000",
                               ResourceArn=arn, Tags=[{"Key": "x", "Value": "y"}])

    def test_configurations(self):
        arn = self.create_application()
        # Until put: assignment required, background sessions disabled (icemu's choice).
        self.assertTrue(self.sso.get_application_assignment_configuration(
            ApplicationArn=arn)["AssignmentRequired"])
        self.sso.put_application_assignment_configuration(ApplicationArn=arn,
                                                          AssignmentRequired=False)
        self.assertFalse(self.sso.get_application_assignment_configuration(
            ApplicationArn=arn)["AssignmentRequired"])
        self.assertEqual(self.sso.get_application_session_configuration(ApplicationArn=arn)
                         ["UserBackgroundSessionApplicationStatus"], "DISABLED")
        self.sso.put_application_session_configuration(
            ApplicationArn=arn, UserBackgroundSessionApplicationStatus="ENABLED")
        self.assertEqual(self.sso.get_application_session_configuration(ApplicationArn=arn)
                         ["UserBackgroundSessionApplicationStatus"], "ENABLED")


class ApplicationAssignmentTest(ApplicationTestCase):
    def test_assignments(self):
        arn = self.create_application("A")
        other = self.create_application("B")
        self.sso.create_application_assignment(ApplicationArn=arn, PrincipalId=USER,
                                               PrincipalType="USER")
        self.sso.create_application_assignment(ApplicationArn=arn, PrincipalId=GROUP,
                                               PrincipalType="GROUP")
        self.sso.create_application_assignment(ApplicationArn=other, PrincipalId=USER,
                                               PrincipalType="USER")
        self.assertClientError("ConflictException", self.sso.create_application_assignment,
                               ApplicationArn=arn, PrincipalId=USER, PrincipalType="USER")
        self.assertEqual(clean(self.sso.describe_application_assignment(
            ApplicationArn=arn, PrincipalId=USER, PrincipalType="USER")),
            {"ApplicationArn": arn, "PrincipalId": USER, "PrincipalType": "USER"})
        self.assertClientError("ResourceNotFoundException",
                               self.sso.describe_application_assignment, ApplicationArn=arn,
                               PrincipalId=USER, PrincipalType="GROUP")
        listed = self.sso.list_application_assignments(ApplicationArn=arn)
        self.assertEqual(listed["ApplicationAssignments"], [
            {"ApplicationArn": arn, "PrincipalId": USER, "PrincipalType": "USER"},
            {"ApplicationArn": arn, "PrincipalId": GROUP, "PrincipalType": "GROUP"}])
        first = self.sso.list_application_assignments(ApplicationArn=arn, MaxResults=1)
        rest = self.sso.list_application_assignments(ApplicationArn=arn,
                                                     NextToken=first["NextToken"])
        self.assertEqual(first["ApplicationAssignments"] + rest["ApplicationAssignments"],
                         listed["ApplicationAssignments"])
        mine = self.sso.list_application_assignments_for_principal(
            InstanceArn=self.inst, PrincipalId=USER, PrincipalType="USER")
        self.assertEqual([a["ApplicationArn"] for a in mine["ApplicationAssignments"]],
                         [arn, other])
        filtered = self.sso.list_application_assignments_for_principal(
            InstanceArn=self.inst, PrincipalId=USER, PrincipalType="USER",
            Filter={"ApplicationArn": other})
        self.assertEqual(filtered["ApplicationAssignments"],
                         [{"ApplicationArn": other, "PrincipalId": USER, "PrincipalType": "USER"}])
        self.sso.delete_application_assignment(ApplicationArn=arn, PrincipalId=USER,
                                               PrincipalType="USER")
        self.assertClientError("ResourceNotFoundException",
                               self.sso.delete_application_assignment, ApplicationArn=arn,
                               PrincipalId=USER, PrincipalType="USER")
        # Deleting the application takes its assignments with it.
        self.sso.delete_application(ApplicationArn=other)
        mine = self.sso.list_application_assignments_for_principal(
            InstanceArn=self.inst, PrincipalId=USER, PrincipalType="USER")
        self.assertEqual(mine["ApplicationAssignments"], [])
        self.assertClientError("ResourceNotFoundException",
                               self.sso.create_application_assignment, ApplicationArn=other,
                               PrincipalId=USER, PrincipalType="USER")


class ApplicationDocumentTest(ApplicationTestCase):
    def test_access_scopes(self):
        arn = self.create_application()
        target = self.create_application("Target")
        self.sso.put_application_access_scope(ApplicationArn=arn, Scope="sso:account:access",
                                              AuthorizedTargets=[target])
        self.sso.put_application_access_scope(ApplicationArn=arn, Scope="redshift:connect")
        self.assertEqual(clean(self.sso.get_application_access_scope(
            ApplicationArn=arn, Scope="sso:account:access")),
            {"Scope": "sso:account:access", "AuthorizedTargets": [target]})
        self.assertEqual(self.sso.list_application_access_scopes(ApplicationArn=arn)["Scopes"],
                         [{"Scope": "sso:account:access", "AuthorizedTargets": [target]},
                          {"Scope": "redshift:connect"}])
        # A put replaces the scope's targets.
        self.sso.put_application_access_scope(ApplicationArn=arn, Scope="sso:account:access",
                                              AuthorizedTargets=[arn])
        self.assertEqual(self.sso.get_application_access_scope(
            ApplicationArn=arn, Scope="sso:account:access")["AuthorizedTargets"], [arn])
        self.sso.delete_application_access_scope(ApplicationArn=arn, Scope="redshift:connect")
        self.assertClientError("ResourceNotFoundException", self.sso.get_application_access_scope,
                               ApplicationArn=arn, Scope="redshift:connect")
        self.assertClientError("ResourceNotFoundException",
                               self.sso.delete_application_access_scope, ApplicationArn=arn,
                               Scope="redshift:connect")

    def test_authentication_methods(self):
        arn = self.create_application()
        method = {"Iam": {"ActorPolicy": ACTOR_POLICY}}
        self.sso.put_application_authentication_method(
            ApplicationArn=arn, AuthenticationMethodType="IAM", AuthenticationMethod=method)
        got = self.sso.get_application_authentication_method(ApplicationArn=arn,
                                                             AuthenticationMethodType="IAM")
        self.assertEqual(got["AuthenticationMethod"], method)
        listed = self.sso.list_application_authentication_methods(ApplicationArn=arn)
        self.assertEqual(listed["AuthenticationMethods"],
                         [{"AuthenticationMethodType": "IAM", "AuthenticationMethod": method}])
        self.sso.delete_application_authentication_method(ApplicationArn=arn,
                                                          AuthenticationMethodType="IAM")
        self.assertClientError("ResourceNotFoundException",
                               self.sso.get_application_authentication_method,
                               ApplicationArn=arn, AuthenticationMethodType="IAM")

    def test_grants(self):
        arn = self.create_application()
        issuer = self.sso.create_trusted_token_issuer(
            InstanceArn=self.inst, Name="idp", TrustedTokenIssuerType="OIDC_JWT",
            TrustedTokenIssuerConfiguration=ISSUER_CONFIG)["TrustedTokenIssuerArn"]
        grants = {
            "authorization_code": {"AuthorizationCode": {
                "RedirectUris": ["https://app.example.com/callback"]}},
            "urn:ietf:params:oauth:grant-type:jwt-bearer": {"JwtBearer": {
                "AuthorizedTokenIssuers": [{"TrustedTokenIssuerArn": issuer,
                                            "AuthorizedAudiences": ["app"]}]}},
            "refresh_token": {"RefreshToken": {}},
            "urn:ietf:params:oauth:grant-type:token-exchange": {"TokenExchange": {}},
        }
        for grant_type, grant in grants.items():
            self.sso.put_application_grant(ApplicationArn=arn, GrantType=grant_type, Grant=grant)
        for grant_type, grant in grants.items():
            self.assertEqual(self.sso.get_application_grant(ApplicationArn=arn,
                                                            GrantType=grant_type)["Grant"], grant)
        listed = self.sso.list_application_grants(ApplicationArn=arn)["Grants"]
        self.assertEqual(listed, [{"GrantType": t, "Grant": g} for t, g in grants.items()])
        self.sso.delete_application_grant(ApplicationArn=arn, GrantType="refresh_token")
        self.assertClientError("ResourceNotFoundException", self.sso.get_application_grant,
                               ApplicationArn=arn, GrantType="refresh_token")
        self.assertEqual(len(self.sso.list_application_grants(ApplicationArn=arn)["Grants"]), 3)


class TrustedTokenIssuerTest(ApplicationTestCase):
    def create(self, name="idp", **extra):
        return self.sso.create_trusted_token_issuer(
            InstanceArn=self.inst, Name=name, TrustedTokenIssuerType="OIDC_JWT",
            TrustedTokenIssuerConfiguration=ISSUER_CONFIG, **extra)["TrustedTokenIssuerArn"]

    def test_create_describe_update_delete(self):
        arn = self.create(Tags=[{"Key": "k", "Value": "v"}])
        self.assertRegex(arn, ISSUER_ARN)
        self.assertEqual(clean(self.sso.describe_trusted_token_issuer(TrustedTokenIssuerArn=arn)),
                         {"TrustedTokenIssuerArn": arn, "Name": "idp",
                          "TrustedTokenIssuerType": "OIDC_JWT",
                          "TrustedTokenIssuerConfiguration": ISSUER_CONFIG})
        self.assertEqual(self.sso.list_tags_for_resource(ResourceArn=arn)["Tags"],
                         [{"Key": "k", "Value": "v"}])
        self.sso.update_trusted_token_issuer(
            TrustedTokenIssuerArn=arn, Name="idp2",
            TrustedTokenIssuerConfiguration={"OidcJwtConfiguration": {
                "ClaimAttributePath": "sub"}})
        described = self.sso.describe_trusted_token_issuer(TrustedTokenIssuerArn=arn)
        self.assertEqual(described["Name"], "idp2")
        expected = json.loads(json.dumps(ISSUER_CONFIG))
        expected["OidcJwtConfiguration"]["ClaimAttributePath"] = "sub"
        self.assertEqual(described["TrustedTokenIssuerConfiguration"], expected)
        self.assertEqual(self.sso.list_trusted_token_issuers(InstanceArn=self.inst)
                         ["TrustedTokenIssuers"],
                         [{"TrustedTokenIssuerArn": arn, "Name": "idp2",
                           "TrustedTokenIssuerType": "OIDC_JWT"}])
        self.sso.delete_trusted_token_issuer(TrustedTokenIssuerArn=arn)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_trusted_token_issuer,
                               TrustedTokenIssuerArn=arn)
        self.assertClientError("ResourceNotFoundException", self.sso.delete_trusted_token_issuer,
                               TrustedTokenIssuerArn=arn)
        self.assertEqual(self.sso.list_trusted_token_issuers(InstanceArn=self.inst)
                         ["TrustedTokenIssuers"], [])

    def test_duplicate_name_and_client_token(self):
        arn = self.create(ClientToken="tti-token")
        self.assertEqual(self.create(ClientToken="tti-token"), arn)
        self.assertClientError("ConflictException", self.create)
        other = self.create("other")
        self.assertClientError("ConflictException", self.sso.update_trusted_token_issuer,
                               TrustedTokenIssuerArn=other, Name="idp")
        pages = self.sso.get_paginator("list_trusted_token_issuers").paginate(
            InstanceArn=self.inst, PaginationConfig={"PageSize": 1})
        self.assertEqual([i["TrustedTokenIssuerArn"] for p in pages
                          for i in p["TrustedTokenIssuers"]], [arn, other])


class AccessControlAttributesTest(ApplicationTestCase):
    """The ABAC configuration as an ACCESS_CONTROL_ATTRIBUTES request, settled by the scheduler
    like every kind."""
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}
    ABAC = {"AccessControlAttributes": [
        {"Key": "department", "Value": {"Source": ["${path:enterprise.department}"]}}]}

    def create(self):
        self.sso.create_instance_access_control_attribute_configuration(
            InstanceArn=self.inst, InstanceAccessControlAttributeConfiguration=self.ABAC)

    def described(self):
        return clean(self.sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=self.inst))

    def test_in_progress_until_settled(self):
        self.assertClientError("ResourceNotFoundException",
                               self.sso.describe_instance_access_control_attribute_configuration,
                               InstanceArn=self.inst)
        self.create()
        self.assertEqual(self.described(), {
            "Status": "CREATION_IN_PROGRESS",
            "InstanceAccessControlAttributeConfiguration": self.ABAC})
        self.assertClientError("ConflictException", self.create)
        (request,) = self.icemu.requests(kind="ACCESS_CONTROL_ATTRIBUTES")
        self.assertEqual((request["status"], request["instance_id"], request["permission_set_id"]),
                         ("IN_PROGRESS", "ssoins-" + self.inst.rsplit("ssoins-", 1)[1], None))
        self.icemu.settle(request["request_id"])
        self.assertEqual(self.described()["Status"], "ENABLED")

    def test_a_failed_request_is_creation_failed_with_its_reason(self):
        self.create()
        (request,) = self.icemu.requests(kind="ACCESS_CONTROL_ATTRIBUTES")
        self.icemu.settle(request["request_id"], "FAILED", "Attribute source not found.")
        self.assertEqual(self.described(), {
            "Status": "CREATION_FAILED", "StatusReason": "Attribute source not found.",
            "InstanceAccessControlAttributeConfiguration": self.ABAC})

    def test_the_scheduler_and_outcome_rules(self):
        self.icemu.scheduler(mode="auto", delay_ms={"min": 1000, "max": 1000})
        status, _ = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"kind": "ACCESS_CONTROL_ATTRIBUTES"},
             "outcome": {"status": "FAILED", "failure_reason": "Rule says no."}, "times": 1}]})
        self.assertEqual(status, 200)
        self.create()
        self.assertEqual(self.described()["Status"], "CREATION_IN_PROGRESS")
        self.assertEqual(len(self.icemu.advance(1000)["settled"]), 1)
        self.assertEqual(self.described()["StatusReason"], "Rule says no.")
        # The rule is used up: a new configuration is enabled at its due time.
        self.sso.delete_instance_access_control_attribute_configuration(InstanceArn=self.inst)
        self.create()
        self.icemu.advance(1000)
        self.assertEqual(self.described()["Status"], "ENABLED")
        # polls mode: enabled on the Nth describe.
        self.sso.delete_instance_access_control_attribute_configuration(InstanceArn=self.inst)
        self.icemu.scheduler(mode="polls", polls=2)
        self.create()
        self.assertEqual(self.described()["Status"], "CREATION_IN_PROGRESS")
        self.assertEqual(self.described()["Status"], "ENABLED")


class ResetAndRestartTest(ApplicationTestCase):
    per_test = True

    def populate_all(self):
        app = self.create_application(Tags=[{"Key": "k", "Value": "v"}])
        self.sso.create_application_assignment(ApplicationArn=app, PrincipalId=USER,
                                               PrincipalType="USER")
        self.sso.put_application_grant(ApplicationArn=app, GrantType="refresh_token",
                                       Grant={"RefreshToken": {}})
        issuer = self.sso.create_trusted_token_issuer(
            InstanceArn=self.inst, Name="idp", TrustedTokenIssuerType="OIDC_JWT",
            TrustedTokenIssuerConfiguration=ISSUER_CONFIG)["TrustedTokenIssuerArn"]
        return app, issuer

    def test_survives_a_restart(self):
        app, issuer = self.populate_all()
        before = clean(self.sso.describe_application(ApplicationArn=app))
        self.icemu.restart()
        self.sso = self.icemu.client()
        self.assertEqual(clean(self.sso.describe_application(ApplicationArn=app)), before)
        self.assertEqual(len(self.sso.list_application_assignments(ApplicationArn=app)
                             ["ApplicationAssignments"]), 1)
        self.assertEqual(self.sso.get_application_grant(ApplicationArn=app,
                                                        GrantType="refresh_token")["Grant"],
                         {"RefreshToken": {}})
        self.assertEqual(self.sso.list_tags_for_resource(ResourceArn=app)["Tags"],
                         [{"Key": "k", "Value": "v"}])
        self.assertEqual(self.sso.describe_trusted_token_issuer(
            TrustedTokenIssuerArn=issuer)["Name"], "idp")

    def test_reset_clears_everything(self):
        app, issuer = self.populate_all()
        self.assertEqual(self.icemu.reset(), {"reset": True})
        self.assertEqual(self.sso.list_applications(InstanceArn=self.inst)["Applications"], [])
        self.assertEqual(self.sso.list_trusted_token_issuers(InstanceArn=self.inst)
                         ["TrustedTokenIssuers"], [])
        self.assertEqual(self.sso.list_application_assignments_for_principal(
            InstanceArn=self.inst, PrincipalId=USER, PrincipalType="USER")
            ["ApplicationAssignments"], [])
        app, issuer = self.populate_all()
        instance_id = self.inst.rsplit("ssoins-", 1)[1]
        status, _ = self.icemu.admin("POST", "/_icemu/reset?instance=" + instance_id)
        self.assertEqual(status, 200)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_application,
                               ApplicationArn=app)
        self.assertClientError("ResourceNotFoundException", self.sso.describe_trusted_token_issuer,
                               TrustedTokenIssuerArn=issuer)


if __name__ == "__main__":
    unittest.main()

"""The application family and the added Regions in `GET /_icemu/state` and `icemu export --db`:
built through boto3, each exported member checked against what the Describe, Get and List calls
answer."""

import json
import subprocess
import unittest

from harness import DEFAULT_ACCOUNT, IcemuTestCase, icemu_binary

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
ABAC = {"AccessControlAttributes": [
    {"Key": "department", "Value": {"Source": ["${path:enterprise.department}"]}}]}


def clean(answer):
    return {k: v for k, v in answer.items() if k not in ("ResponseMetadata", "NextToken")}


class StateAppsTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def state(self):
        status, document = self.icemu.admin("GET", "/_icemu/state")
        self.assertEqual(status, 200, document)
        return document

    def build(self):
        sso = self.sso
        inst = self.instance_arn()
        portal = sso.create_application(
            InstanceArn=inst, ApplicationProviderArn=CUSTOM, Name="Portal",
            Description="the portal", ClientToken="portal-token",
            PortalOptions={"SignInOptions": {"Origin": "APPLICATION",
                                             "ApplicationUrl": "https://app.example.com"},
                           "Visibility": "ENABLED"},
            Tags=[{"Key": "team", "Value": "web"}])["ApplicationArn"]
        wiki = sso.create_application(InstanceArn=inst, ApplicationProviderArn=CUSTOM_SAML,
                                      Name="Wiki", Status="DISABLED")["ApplicationArn"]
        sso.tag_resource(InstanceArn=inst, ResourceArn=portal,
                         Tags=[{"Key": "env", "Value": "ci"}])
        sso.put_application_assignment_configuration(ApplicationArn=portal,
                                                     AssignmentRequired=False)
        sso.put_application_session_configuration(
            ApplicationArn=portal, UserBackgroundSessionApplicationStatus="ENABLED")
        sso.create_application_assignment(ApplicationArn=wiki, PrincipalId=USER,
                                          PrincipalType="USER")
        sso.create_application_assignment(ApplicationArn=portal, PrincipalId=USER,
                                          PrincipalType="USER")
        sso.create_application_assignment(ApplicationArn=portal, PrincipalId=GROUP,
                                          PrincipalType="GROUP")
        sso.put_application_access_scope(ApplicationArn=portal, Scope="sso:account:access",
                                         AuthorizedTargets=[wiki])
        sso.put_application_access_scope(ApplicationArn=portal, Scope="redshift:connect")
        sso.put_application_authentication_method(
            ApplicationArn=portal, AuthenticationMethodType="IAM",
            AuthenticationMethod={"Iam": {"ActorPolicy": ACTOR_POLICY}})
        issuer = sso.create_trusted_token_issuer(
            InstanceArn=inst, Name="idp", TrustedTokenIssuerType="OIDC_JWT",
            TrustedTokenIssuerConfiguration=ISSUER_CONFIG,
            Tags=[{"Key": "owner", "Value": "security"}])["TrustedTokenIssuerArn"]
        sso.put_application_grant(
            ApplicationArn=portal, GrantType="urn:ietf:params:oauth:grant-type:jwt-bearer",
            Grant={"JwtBearer": {"AuthorizedTokenIssuers": [
                {"TrustedTokenIssuerArn": issuer, "AuthorizedAudiences": ["app"]}]}})
        sso.put_application_grant(ApplicationArn=portal, GrantType="refresh_token",
                                  Grant={"RefreshToken": {}})
        sso.create_instance_access_control_attribute_configuration(
            InstanceArn=inst, InstanceAccessControlAttributeConfiguration=ABAC)
        sso.add_region(InstanceArn=inst, RegionName="eu-west-1")
        [added] = self.icemu.requests(kind="REGION", status="IN_PROGRESS")
        self.icemu.settle(added["request_id"])
        sso.add_region(InstanceArn=inst, RegionName="ap-south-1")  # left ADDING
        return inst, [portal, wiki], issuer

    def check_document(self, doc, inst, applications, issuer):
        sso = self.sso
        instance_id = inst.rsplit("/", 1)[1]
        mine = {"owner_account_id": DEFAULT_ACCOUNT, "instance_id": instance_id}

        # Applications, in ListApplications' order, each member as the calls answer it.
        listed = sso.list_applications(InstanceArn=inst)["Applications"]
        self.assertEqual([a["application_arn"] for a in doc["applications"]],
                         [a["ApplicationArn"] for a in listed])
        self.assertEqual([a["application_arn"] for a in doc["applications"]], applications)
        for item in doc["applications"]:
            arn = item["application_arn"]
            described = sso.describe_application(ApplicationArn=arn)
            self.assertEqual({k: item[k] for k in mine}, mine)
            self.assertEqual(item["application_id"], arn.rsplit("/", 1)[1])
            self.assertEqual(item["application_provider_arn"], described["ApplicationProviderArn"])
            self.assertEqual(item["name"], described["Name"])
            self.assertEqual(item["description"], described.get("Description"))
            self.assertEqual(item["status"], described["Status"])
            self.assertEqual(item["portal_options"], described.get("PortalOptions"))
            self.assertEqual(item["created_date"],
                             round(described["CreatedDate"].timestamp() * 1000))
            self.assertEqual(item["assignment_required"],
                             sso.get_application_assignment_configuration(
                                 ApplicationArn=arn)["AssignmentRequired"])
            self.assertEqual(item["user_background_session_application_status"],
                             sso.get_application_session_configuration(
                                 ApplicationArn=arn)["UserBackgroundSessionApplicationStatus"])
            scopes = sso.list_application_access_scopes(ApplicationArn=arn)["Scopes"]
            self.assertEqual(
                [{"Scope": s["scope"], **({"AuthorizedTargets": s["authorized_targets"]}
                                          if s["authorized_targets"] is not None else {})}
                 for s in item["access_scopes"]], scopes)
            methods = sso.list_application_authentication_methods(
                ApplicationArn=arn)["AuthenticationMethods"]
            self.assertEqual([{"AuthenticationMethodType": m["authentication_method_type"],
                               "AuthenticationMethod": m["authentication_method"]}
                              for m in item["authentication_methods"]], methods)
            grants = sso.list_application_grants(ApplicationArn=arn)["Grants"]
            self.assertEqual([{"GrantType": g["grant_type"], "Grant": g["grant"]}
                              for g in item["grants"]], grants)
            tags = sso.list_tags_for_resource(InstanceArn=inst, ResourceArn=arn)["Tags"]
            self.assertEqual([{"Key": t["key"], "Value": t["value"]} for t in item["tags"]], tags)
        portal = doc["applications"][0]
        self.assertEqual(portal["client_token"], "portal-token")
        self.assertFalse(portal["assignment_required"])
        self.assertEqual(len(portal["grants"]), 2)
        self.assertEqual([t["key"] for t in portal["tags"]], ["team", "env"])

        # Application assignments, in creation order across applications.
        self.assertEqual(
            [(a["application_id"], a["principal_type"], a["principal_id"])
             for a in doc["application_assignments"]],
            [(applications[1].rsplit("/", 1)[1], "USER", USER),
             (applications[0].rsplit("/", 1)[1], "USER", USER),
             (applications[0].rsplit("/", 1)[1], "GROUP", GROUP)])
        for_user = sso.list_application_assignments_for_principal(
            InstanceArn=inst, PrincipalId=USER, PrincipalType="USER")["ApplicationAssignments"]
        self.assertEqual([a["ApplicationArn"] for a in for_user], [applications[1], applications[0]])
        for a in doc["application_assignments"]:
            self.assertEqual({k: a[k] for k in mine}, mine)
            arn = [x for x in applications if x.endswith(a["application_id"])][0]
            described = sso.describe_application_assignment(
                ApplicationArn=arn, PrincipalId=a["principal_id"],
                PrincipalType=a["principal_type"])
            self.assertEqual(described["ApplicationArn"], arn)

        # Trusted token issuers.
        [tti] = doc["trusted_token_issuers"]
        described = sso.describe_trusted_token_issuer(TrustedTokenIssuerArn=issuer)
        self.assertEqual(tti["trusted_token_issuer_arn"], issuer)
        self.assertEqual(tti["trusted_token_issuer_id"], issuer.rsplit("/", 1)[1])
        self.assertEqual(tti["name"], described["Name"])
        self.assertEqual(tti["trusted_token_issuer_type"], described["TrustedTokenIssuerType"])
        self.assertEqual(tti["trusted_token_issuer_configuration"],
                         described["TrustedTokenIssuerConfiguration"])
        self.assertEqual(tti["tags"], [{"key": "owner", "value": "security"}])

        # The ABAC configuration, with the request its status comes from.
        [abac] = doc["access_control_attributes"]
        described = sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=inst)
        self.assertEqual(abac["instance_access_control_attribute_configuration"],
                         described["InstanceAccessControlAttributeConfiguration"])
        self.assertEqual(abac["status"], described["Status"])
        self.assertEqual(abac["status"], "CREATION_IN_PROGRESS")
        [request] = [r for r in doc["requests"] if r["kind"] == "ACCESS_CONTROL_ATTRIBUTES"]
        self.assertEqual(abac["request_id"], request["request_id"])
        self.assertIsNone(abac["status_reason"])

        # The added Regions (the primary one is configuration).
        regions = sso.list_regions(InstanceArn=inst)["Regions"]
        self.assertTrue(regions[0]["IsPrimaryRegion"])
        self.assertEqual([(r["region_name"], r["status"], r["added_date"])
                          for r in doc["regions"]],
                         [(r["RegionName"], r["Status"], round(r["AddedDate"].timestamp() * 1000))
                          for r in regions[1:]])
        self.assertEqual([r["region_name"] for r in doc["regions"]], ["eu-west-1", "ap-south-1"])
        self.assertIsNone(doc["regions"][0]["request_id"])
        [adding] = [r for r in doc["requests"] if r["kind"] == "REGION"
                    and r["status"] == "IN_PROGRESS"]
        self.assertEqual(doc["regions"][1]["request_id"], adding["request_id"])

    def test_the_sections_agree_with_describe_and_list(self):
        inst, applications, issuer = self.build()
        doc = self.state()
        self.check_document(doc, inst, applications, issuer)

    def test_export_of_the_stopped_store_writes_the_same_sections(self):
        inst, applications, issuer = self.build()
        served = self.state()
        self.icemu.stop()
        done = subprocess.run([icemu_binary(), "export", "--db", self.icemu.db],
                              capture_output=True, text=True, timeout=60, check=False,
                              env=self.icemu.child_env())
        self.assertEqual(done.returncode, 0, done.stderr)
        exported = json.loads(done.stdout)
        self.assertEqual(exported, served)
        self.icemu.start()
        self.sso = self.icemu.client()
        self.check_document(exported, inst, applications, issuer)

    def test_a_settled_abac_request_is_exported_as_its_status(self):
        inst = self.instance_arn()
        self.sso.create_instance_access_control_attribute_configuration(
            InstanceArn=inst, InstanceAccessControlAttributeConfiguration=ABAC)
        [request] = self.icemu.requests(kind="ACCESS_CONTROL_ATTRIBUTES")
        self.icemu.settle(request["request_id"], "FAILED", "no attributes today")
        [abac] = self.state()["access_control_attributes"]
        self.assertEqual(abac["status"], "CREATION_FAILED")
        self.assertEqual(abac["status_reason"], "no attributes today")
        described = self.sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=inst)
        self.assertEqual(described["StatusReason"], abac["status_reason"])

    def test_the_export_counts_no_describe_in_polls_mode(self):
        inst = self.instance_arn()
        self.icemu.scheduler(mode="polls", polls=1)
        self.sso.create_instance_access_control_attribute_configuration(
            InstanceArn=inst, InstanceAccessControlAttributeConfiguration=ABAC)
        self.sso.add_region(InstanceArn=inst, RegionName="eu-west-1")
        for _ in range(3):
            doc = self.state()
        self.assertEqual(doc["access_control_attributes"][0]["status"], "CREATION_IN_PROGRESS")
        self.assertEqual(doc["regions"][0]["status"], "ADDING")
        self.assertEqual({r["kind"] for r in self.icemu.requests(status="IN_PROGRESS")},
                         {"ACCESS_CONTROL_ATTRIBUTES", "REGION"})
        # The first describe of each is the one that settles it.
        self.assertEqual(self.sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=inst)["Status"], "ENABLED")
        self.assertEqual(self.sso.describe_region(InstanceArn=inst,
                                                  RegionName="eu-west-1")["Status"], "ACTIVE")

    def answers(self, sso, inst, applications, issuer):
        """Every Describe, Get and List answer of the family and the Regions for what build() made."""
        out = {"ListApplications": clean(sso.list_applications(InstanceArn=inst)),
               "ListTrustedTokenIssuers": clean(sso.list_trusted_token_issuers(InstanceArn=inst)),
               "DescribeTrustedTokenIssuer": clean(sso.describe_trusted_token_issuer(
                   TrustedTokenIssuerArn=issuer)),
               "ListTagsForResource(issuer)": clean(sso.list_tags_for_resource(
                   InstanceArn=inst, ResourceArn=issuer)),
               "DescribeInstanceAccessControlAttributeConfiguration": clean(
                   sso.describe_instance_access_control_attribute_configuration(InstanceArn=inst)),
               "ListRegions": clean(sso.list_regions(InstanceArn=inst))}
        for region in ("eu-west-1", "ap-south-1"):
            out["DescribeRegion " + region] = clean(sso.describe_region(InstanceArn=inst,
                                                                        RegionName=region))
        for kind, principal in (("USER", USER), ("GROUP", GROUP)):
            out["ListApplicationAssignmentsForPrincipal " + kind] = clean(
                sso.list_application_assignments_for_principal(
                    InstanceArn=inst, PrincipalId=principal, PrincipalType=kind))
        for app in applications:
            def get(name, **kw):
                out[name + " " + app] = clean(getattr(sso, name)(ApplicationArn=app, **kw))
            get("describe_application")
            get("get_application_assignment_configuration")
            get("get_application_session_configuration")
            get("list_application_assignments")
            get("list_application_access_scopes")
            get("list_application_authentication_methods")
            get("list_application_grants")
            out["ListTagsForResource " + app] = clean(sso.list_tags_for_resource(
                InstanceArn=inst, ResourceArn=app))
        portal = applications[0]
        out["GetApplicationAccessScope"] = clean(sso.get_application_access_scope(
            ApplicationArn=portal, Scope="sso:account:access"))
        out["GetApplicationAuthenticationMethod"] = clean(
            sso.get_application_authentication_method(ApplicationArn=portal,
                                                      AuthenticationMethodType="IAM"))
        out["GetApplicationGrant"] = clean(sso.get_application_grant(
            ApplicationArn=portal, GrantType="refresh_token"))
        return out

    def test_put_loads_the_family_into_a_fresh_icemu_that_answers_the_same(self):
        inst, applications, issuer = self.build()
        expected = self.answers(self.sso, inst, applications, issuer)
        document = self.state()
        second = self.start_icemu()
        status, answer = second.admin("PUT", "/_icemu/state", document)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer, document)
        self.assertEqual(self.answers(second.client(), inst, applications, issuer), expected)
        second.restart()
        self.assertEqual(self.answers(second.client(), inst, applications, issuer), expected)
        # The Region left ADDING keeps its request: settling it there makes it ACTIVE.
        [adding] = second.requests(kind="REGION", status="IN_PROGRESS")
        second.settle(adding["request_id"])
        self.assertEqual(second.client().describe_region(
            InstanceArn=inst, RegionName="ap-south-1")["Status"], "ACTIVE")

    def test_put_refuses_a_bad_application_and_changes_nothing(self):
        inst, applications, issuer = self.build()
        document = self.state()
        before = self.state()
        document["application_assignments"][0]["application_id"] = "apl-" + "0" * 16
        status, answer = self.icemu.admin("PUT", "/_icemu/state", document)
        self.assertEqual(status, 400, answer)
        self.assertIn("application_assignments[0]", answer["message"])
        self.assertEqual(self.state(), before)

    def test_an_empty_sandbox_has_empty_sections(self):
        doc = self.state()
        for section in ("applications", "application_assignments", "trusted_token_issuers",
                        "access_control_attributes", "regions"):
            self.assertEqual(doc[section], [], section)


if __name__ == "__main__":
    unittest.main()

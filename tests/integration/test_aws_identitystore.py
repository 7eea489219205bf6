"""AWS identitystore through boto3 and the AWS CLI: users, groups and memberships of the
instance's identity store, their look-ups, updates and errors, and principals that meet account
assignments."""

import json
import os
import re
import shutil
import subprocess
import unittest

from botocore.config import Config

import boto3
from botocore.exceptions import ClientError

from harness import HTTP_TIMEOUT_S, IcemuTestCase, _boto3_session
from test_auth import ALICE, BOB, VerifyTestCase

ID_RE = re.compile(r"[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CLI_TIMEOUT_S = 60

FULL_USER = {
    "UserName": "jdoe",
    "Name": {"Formatted": "Jane Q. Doe", "FamilyName": "Doe", "GivenName": "Jane",
             "MiddleName": "Q", "HonorificPrefix": "Dr", "HonorificSuffix": "PhD"},
    "DisplayName": "Jane Doe",
    "NickName": "JD",
    "ProfileUrl": "https://example.com/jdoe",
    "Emails": [{"Value": "jdoe@example.com", "Type": "work", "Primary": True}],
    "Addresses": [{"StreetAddress": "1 Main St", "Locality": "Springfield", "Region": "IL",
                   "PostalCode": "62701", "Country": "US", "Formatted": "1 Main St, Springfield",
                   "Type": "work", "Primary": True}],
    "PhoneNumbers": [{"Value": "+1 555 0100", "Type": "mobile", "Primary": True}],
    "UserType": "Employee",
    "Title": "Engineer",
    "PreferredLanguage": "en-US",
    "Locale": "en_US",
    "Timezone": "America/Chicago",
    "Website": "https://jdoe.example.com",
    "Birthdate": "1990-01-01",
    "Photos": [{"Value": "https://example.com/jdoe.png", "Type": "photo", "Primary": True}],
    "Roles": [{"Value": "admin", "Type": "work", "Primary": True}],
}


class IdentityStoreTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_DELAY_MS": "0"}

    def setUp(self):
        super().setUp()
        cfg = Config(retries={"total_max_attempts": 1, "mode": "standard"},
                     read_timeout=HTTP_TIMEOUT_S)
        self.ids = _boto3_session().client("identitystore", endpoint_url=self.icemu.endpoint,
                                           config=cfg)
        instance = self.sso.list_instances()["Instances"][0]
        self.instance_arn = instance["InstanceArn"]
        self.store = instance["IdentityStoreId"]

    def assertError(self, code, fn, **kwargs):
        with self.assertRaises(self.ids.exceptions.ClientError) as cm:
            fn(IdentityStoreId=self.store, **kwargs)
        self.assertEqual(cm.exception.response["Error"]["Code"], code, cm.exception.response)
        return cm.exception.response

    def test_a_user_keeps_every_attribute(self):
        out = self.ids.create_user(IdentityStoreId=self.store, **FULL_USER)
        self.assertEqual(out["IdentityStoreId"], self.store)
        self.assertRegex(out["UserId"], ID_RE)
        self.assertTrue(out["UserId"].startswith(self.store[2:] + "-"))
        user = self.ids.describe_user(IdentityStoreId=self.store, UserId=out["UserId"])
        for key, value in FULL_USER.items():
            self.assertEqual(user[key], value, key)
        self.assertEqual(user["UserStatus"], "ENABLED")
        self.assertEqual(user["UserId"], out["UserId"])
        self.assertIn("CreatedAt", user)
        self.assertEqual(user["CreatedBy"], "arn:aws:iam::123456789012:root")

    def test_user_look_ups_and_filters(self):
        uid = self.ids.create_user(IdentityStoreId=self.store, UserName="alice",
                                   DisplayName="Alice")["UserId"]
        self.ids.create_user(IdentityStoreId=self.store, UserName="bob", DisplayName="Bob")
        got = self.ids.get_user_id(IdentityStoreId=self.store, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "alice"}})
        self.assertEqual(got["UserId"], uid)
        listed = self.ids.list_users(IdentityStoreId=self.store, Filters=[
            {"AttributePath": "UserName", "AttributeValue": "alice"}])["Users"]
        self.assertEqual([u["UserId"] for u in listed], [uid])
        self.assertEqual(len(self.ids.list_users(IdentityStoreId=self.store)["Users"]), 2)
        response = self.assertError("ResourceNotFoundException", self.ids.get_user_id,
                                    AlternateIdentifier={"UniqueAttribute": {
                                        "AttributePath": "userName",
                                        "AttributeValue": "nobody"}})
        self.assertEqual(response["ResourceType"], "USER")

    def test_pagination_walks_every_user(self):
        for i in range(7):
            self.ids.create_user(IdentityStoreId=self.store, UserName="u%d" % i,
                                 DisplayName="U %d" % i)
        paginator = self.ids.get_paginator("list_users")
        names = [u["UserName"] for page in paginator.paginate(
            IdentityStoreId=self.store, PaginationConfig={"PageSize": 3}) for u in page["Users"]]
        self.assertEqual(names, ["u%d" % i for i in range(7)])

    def test_update_user_sets_and_removes_attributes(self):
        uid = self.ids.create_user(IdentityStoreId=self.store, UserName="carol",
                                   DisplayName="Carol", Title="Dev",
                                   Name={"GivenName": "Carol", "FamilyName": "C"})["UserId"]
        self.ids.update_user(IdentityStoreId=self.store, UserId=uid, Operations=[
            {"AttributePath": "displayName", "AttributeValue": "Carol C."},
            {"AttributePath": "name.givenName", "AttributeValue": "Caroline"},
            {"AttributePath": "title"},
            {"AttributePath": "emails", "AttributeValue": [{"Value": "c@example.com",
                                                            "Primary": True}]},
        ])
        user = self.ids.describe_user(IdentityStoreId=self.store, UserId=uid)
        self.assertEqual(user["DisplayName"], "Carol C.")
        self.assertEqual(user["Name"], {"GivenName": "Caroline", "FamilyName": "C"})
        self.assertNotIn("Title", user)
        self.assertEqual(user["Emails"], [{"Value": "c@example.com", "Primary": True}])
        self.assertError("ValidationException", self.ids.update_user, UserId=uid,
                         Operations=[{"AttributePath": "nosuch", "AttributeValue": "x"}])

    def test_duplicates_conflict_with_their_reason(self):
        self.ids.create_user(IdentityStoreId=self.store, UserName="dup", DisplayName="D")
        response = self.assertError("ConflictException", self.ids.create_user, UserName="dup",
                                    DisplayName="D2")
        self.assertEqual(response["Reason"], "UNIQUENESS_CONSTRAINT_VIOLATION")
        self.ids.create_group(IdentityStoreId=self.store, DisplayName="G")
        response = self.assertError("ConflictException", self.ids.create_group, DisplayName="G")
        self.assertEqual(response["Reason"], "UNIQUENESS_CONSTRAINT_VIOLATION")

    def test_unknown_ids_are_not_found_with_their_type(self):
        missing = self.store[2:] + "-00000000-0000-4000-8000-000000000000"
        response = self.assertError("ResourceNotFoundException", self.ids.describe_user,
                                    UserId=missing)
        self.assertEqual((response["ResourceType"], response["ResourceId"]), ("USER", missing))
        response = self.assertError("ResourceNotFoundException", self.ids.describe_group,
                                    GroupId=missing)
        self.assertEqual(response["ResourceType"], "GROUP")
        response = self.assertError("ResourceNotFoundException",
                                    self.ids.describe_group_membership, MembershipId=missing)
        self.assertEqual(response["ResourceType"], "GROUP_MEMBERSHIP")
        with self.assertRaises(self.ids.exceptions.ResourceNotFoundException) as cm:
            self.ids.list_users(IdentityStoreId="d-0000000000")
        self.assertEqual(cm.exception.response["ResourceType"], "IDENTITY_STORE")

    def test_groups_and_memberships(self):
        gid = self.ids.create_group(IdentityStoreId=self.store, DisplayName="Admins",
                                    Description="The admins")["GroupId"]
        group = self.ids.describe_group(IdentityStoreId=self.store, GroupId=gid)
        self.assertEqual((group["DisplayName"], group["Description"]), ("Admins", "The admins"))
        self.assertEqual(self.ids.get_group_id(IdentityStoreId=self.store, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Admins"}})
            ["GroupId"], gid)
        listed = self.ids.list_groups(IdentityStoreId=self.store, Filters=[
            {"AttributePath": "DisplayName", "AttributeValue": "Admins"}])["Groups"]
        self.assertEqual([g["GroupId"] for g in listed], [gid])
        self.ids.update_group(IdentityStoreId=self.store, GroupId=gid, Operations=[
            {"AttributePath": "description", "AttributeValue": "Root"}])
        self.assertEqual(self.ids.describe_group(IdentityStoreId=self.store, GroupId=gid)
                         ["Description"], "Root")

        uid = self.ids.create_user(IdentityStoreId=self.store, UserName="m",
                                   DisplayName="M")["UserId"]
        other = self.ids.create_group(IdentityStoreId=self.store, DisplayName="Other")["GroupId"]
        mid = self.ids.create_group_membership(IdentityStoreId=self.store, GroupId=gid,
                                               MemberId={"UserId": uid})["MembershipId"]
        self.assertError("ConflictException", self.ids.create_group_membership, GroupId=gid,
                         MemberId={"UserId": uid})
        described = self.ids.describe_group_membership(IdentityStoreId=self.store,
                                                       MembershipId=mid)
        self.assertEqual((described["GroupId"], described["MemberId"]), (gid, {"UserId": uid}))
        self.assertEqual(self.ids.get_group_membership_id(
            IdentityStoreId=self.store, GroupId=gid, MemberId={"UserId": uid})["MembershipId"],
            mid)
        self.assertEqual([m["MembershipId"] for m in self.ids.list_group_memberships(
            IdentityStoreId=self.store, GroupId=gid)["GroupMemberships"]], [mid])
        self.assertEqual([m["GroupId"] for m in self.ids.list_group_memberships_for_member(
            IdentityStoreId=self.store, MemberId={"UserId": uid})["GroupMemberships"]], [gid])
        results = self.ids.is_member_in_groups(IdentityStoreId=self.store,
                                               MemberId={"UserId": uid},
                                               GroupIds=[gid, other])["Results"]
        self.assertEqual([(r["GroupId"], r["MembershipExists"]) for r in results],
                         [(gid, True), (other, False)])

        # Deleting the group takes its memberships.
        self.ids.delete_group(IdentityStoreId=self.store, GroupId=gid)
        self.assertError("ResourceNotFoundException", self.ids.describe_group_membership,
                         MembershipId=mid)
        self.assertEqual(self.ids.list_group_memberships_for_member(
            IdentityStoreId=self.store, MemberId={"UserId": uid})["GroupMemberships"], [])
        self.ids.delete_user(IdentityStoreId=self.store, UserId=uid)
        self.assertError("ResourceNotFoundException", self.ids.delete_user, UserId=uid)

    def test_validation_names_the_member(self):
        response = self.assertError("ValidationException", self.ids.describe_user,
                                    UserId="not-an-id")
        self.assertIn("'userId'", response["Error"]["Message"])

    def test_error_rules_match_identitystore_operations(self):
        status, _ = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"operation": "CreateUser"}, "error": {"code": "ThrottlingException"},
             "times": 1}]})
        self.assertEqual(status, 200)
        self.assertError("ThrottlingException", self.ids.create_user, UserName="t",
                         DisplayName="T")
        self.ids.create_user(IdentityStoreId=self.store, UserName="t", DisplayName="T")
        self.icemu.admin("DELETE", "/_icemu/faults")

    def test_a_reset_empties_the_store(self):
        self.ids.create_user(IdentityStoreId=self.store, UserName="r", DisplayName="R")
        self.icemu.admin("POST", "/_icemu/reset")
        self.assertEqual(self.ids.list_users(IdentityStoreId=self.store)["Users"], [])

    def test_a_reset_of_the_instance_empties_its_store(self):
        self.ids.create_user(IdentityStoreId=self.store, UserName="r", DisplayName="R")
        self.ids.create_group(IdentityStoreId=self.store, DisplayName="G")
        instance = self.instance_arn.rsplit("ssoins-", 1)[1]
        status, _ = self.icemu.admin("POST", "/_icemu/reset?instance=" + instance)
        self.assertEqual(status, 200)
        self.assertEqual(self.ids.list_users(IdentityStoreId=self.store)["Users"], [])
        self.assertEqual(self.ids.list_groups(IdentityStoreId=self.store)["Groups"], [])

    def test_terraform_flow_group_assigned_read_back_and_deleted(self):
        """terraform-provider-aws: aws_identitystore_group, then the data source finds it by
        display name (GetGroupId; ListGroups with a filter), aws_ssoadmin_account_assignment
        assigns it, reads it back, and the group is destroyed."""
        gid = self.ids.create_group(IdentityStoreId=self.store, DisplayName="Ops")["GroupId"]
        found = self.ids.get_group_id(IdentityStoreId=self.store, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "Ops"}})
        self.assertEqual(found["GroupId"], gid)
        ps = self.sso.create_permission_set(InstanceArn=self.instance_arn,
                                            Name="OpsAccess")["PermissionSet"]["PermissionSetArn"]
        status = self.sso.create_account_assignment(
            InstanceArn=self.instance_arn, PermissionSetArn=ps, TargetId="111122223333",
            TargetType="AWS_ACCOUNT", PrincipalType="GROUP",
            PrincipalId=gid)["AccountAssignmentCreationStatus"]
        status = self.sso.describe_account_assignment_creation_status(
            InstanceArn=self.instance_arn,
            AccountAssignmentCreationRequestId=status["RequestId"])
        self.assertEqual(status["AccountAssignmentCreationStatus"]["Status"], "SUCCEEDED")
        assigned = self.sso.list_account_assignments_for_principal(
            InstanceArn=self.instance_arn, PrincipalType="GROUP",
            PrincipalId=gid)["AccountAssignments"]
        self.assertEqual([(a["AccountId"], a["PermissionSetArn"]) for a in assigned],
                         [("111122223333", ps)])
        self.sso.delete_account_assignment(
            InstanceArn=self.instance_arn, PermissionSetArn=ps, TargetId="111122223333",
            TargetType="AWS_ACCOUNT", PrincipalType="GROUP", PrincipalId=gid)
        self.ids.delete_group(IdentityStoreId=self.store, GroupId=gid)
        self.assertError("ResourceNotFoundException", self.ids.describe_group, GroupId=gid)


class RequirePrincipalsTest(IcemuTestCase):
    """identity.require_principals: an assignment of a principal the store does not have
    settles FAILED; one of a user or group of the store succeeds."""
    icemu_env = {"ICEMU_SCHEDULER_DELAY_MS": "0", "ICEMU_IDENTITY_REQUIRE_PRINCIPALS": "true"}

    def assign(self, instance, ps, principal_type, principal_id):
        request = self.sso.create_account_assignment(
            InstanceArn=instance, PermissionSetArn=ps, TargetId="111122223333",
            TargetType="AWS_ACCOUNT", PrincipalType=principal_type,
            PrincipalId=principal_id)["AccountAssignmentCreationStatus"]
        return self.sso.describe_account_assignment_creation_status(
            InstanceArn=instance, AccountAssignmentCreationRequestId=request["RequestId"],
        )["AccountAssignmentCreationStatus"]

    def test_only_principals_of_the_store_are_assigned(self):
        ids = _boto3_session().client("identitystore", endpoint_url=self.icemu.endpoint)
        instance = self.sso.list_instances()["Instances"][0]
        store = instance["IdentityStoreId"]
        arn = instance["InstanceArn"]
        ps = self.sso.create_permission_set(InstanceArn=arn, Name="P")["PermissionSet"][
            "PermissionSetArn"]
        ghost = store[2:] + "-9039c8fc-c296-4863-a233-a59111da7aa3"
        status = self.assign(arn, ps, "USER", ghost)
        self.assertEqual(status["Status"], "FAILED")
        self.assertEqual(status["FailureReason"], "The principal USER %s does not exist in "
                         "identity store %s." % (ghost, store))
        uid = ids.create_user(IdentityStoreId=store, UserName="real", DisplayName="R")["UserId"]
        self.assertEqual(self.assign(arn, ps, "USER", uid)["Status"], "SUCCEEDED")
        gid = ids.create_group(IdentityStoreId=store, DisplayName="G")["GroupId"]
        self.assertEqual(self.assign(arn, ps, "GROUP", gid)["Status"], "SUCCEEDED")
        # A user's id is not a group's.
        self.assertEqual(self.assign(arn, ps, "GROUP", uid)["Status"], "FAILED")


APP_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"


def _application_of(sso, instance_arn):
    return sso.create_application(InstanceArn=instance_arn, Name="App",
                                  ApplicationProviderArn=APP_PROVIDER)["ApplicationArn"]


class RequirePrincipalsApplicationTest(IcemuTestCase):
    """identity.require_principals on: an application assignment (synchronous in AWS) of a
    principal the store does not have is refused at once with ResourceNotFoundException."""
    icemu_env = {"ICEMU_IDENTITY_REQUIRE_PRINCIPALS": "true"}

    def test_unknown_principal_is_refused(self):
        ids = _boto3_session().client("identitystore", endpoint_url=self.icemu.endpoint)
        instance = self.sso.list_instances()["Instances"][0]
        store = instance["IdentityStoreId"]
        app = _application_of(self.sso, instance["InstanceArn"])
        ghost = store[2:] + "-9039c8fc-c296-4863-a233-a59111da7aa3"
        with self.assertRaises(ClientError) as caught:
            self.sso.create_application_assignment(ApplicationArn=app, PrincipalType="USER",
                                                   PrincipalId=ghost)
        error = caught.exception.response["Error"]
        self.assertEqual(error["Code"], "ResourceNotFoundException")
        self.assertEqual(error["Message"], "The principal USER %s does not exist in identity "
                         "store %s." % (ghost, store))
        listed = self.sso.list_application_assignments(ApplicationArn=app)
        self.assertEqual(listed["ApplicationAssignments"], [])
        uid = ids.create_user(IdentityStoreId=store, UserName="real", DisplayName="R")["UserId"]
        gid = ids.create_group(IdentityStoreId=store, DisplayName="G")["GroupId"]
        self.sso.create_application_assignment(ApplicationArn=app, PrincipalType="USER",
                                               PrincipalId=uid)
        self.sso.create_application_assignment(ApplicationArn=app, PrincipalType="GROUP",
                                               PrincipalId=gid)
        # A user's id is not a group's.
        with self.assertRaises(ClientError) as caught:
            self.sso.create_application_assignment(ApplicationArn=app, PrincipalType="GROUP",
                                                   PrincipalId=uid)
        self.assertEqual(caught.exception.response["Error"]["Code"],
                         "ResourceNotFoundException")
        listed = self.sso.list_application_assignments(ApplicationArn=app)
        self.assertEqual(sorted((a["PrincipalType"], a["PrincipalId"])
                                for a in listed["ApplicationAssignments"]),
                         [("GROUP", gid), ("USER", uid)])


class AnyPrincipalApplicationTest(IcemuTestCase):
    """identity.require_principals off (the default): any well-formed principal is assigned."""

    def test_unknown_principal_is_assigned(self):
        instance = self.sso.list_instances()["Instances"][0]
        app = _application_of(self.sso, instance["InstanceArn"])
        ghost = instance["IdentityStoreId"][2:] + "-9039c8fc-c296-4863-a233-a59111da7aa3"
        self.sso.create_application_assignment(ApplicationArn=app, PrincipalType="USER",
                                               PrincipalId=ghost)
        described = self.sso.describe_application_assignment(
            ApplicationArn=app, PrincipalType="USER", PrincipalId=ghost)
        self.assertEqual(described["PrincipalId"], ghost)


class IdentityStoreVerifyTest(VerifyTestCase):
    """The verify auth mode: identitystore calls are signed for `identitystore`, and a store
    belongs to its instance's owner."""

    def ids(self, who):
        session = boto3.session.Session(aws_access_key_id=who["key"],
                                        aws_secret_access_key=who["secret"],
                                        region_name="us-east-1")
        return session.client("identitystore", endpoint_url=self.icemu.endpoint,
                              config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    def test_signed_for_identitystore_and_owned_by_the_instance_owner(self):
        store = self.client(ALICE).list_instances()["Instances"][0]["IdentityStoreId"]
        alice = self.ids(ALICE)
        uid = alice.create_user(IdentityStoreId=store, UserName="a", DisplayName="A")["UserId"]
        self.assertEqual(alice.describe_user(IdentityStoreId=store, UserId=uid)["UserName"], "a")
        with self.assertRaises(ClientError) as cm:
            self.ids(BOB).describe_user(IdentityStoreId=store, UserId=uid)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDeniedException")
        wrong = boto3.session.Session(aws_access_key_id=ALICE["key"],
                                      aws_secret_access_key="not-the-secret",
                                      region_name="us-east-1").client(
            "identitystore", endpoint_url=self.icemu.endpoint,
            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
        with self.assertRaises(ClientError) as cm:
            wrong.list_users(IdentityStoreId=store)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidSignatureException")


@unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not installed")
class IdentityStoreCliTest(IcemuTestCase):

    def aws(self, *args):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("ICEMU_")}
        missing = os.path.join(self.icemu.tmp, "no-such-aws-config")
        env.update({"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1",
                    "AWS_PAGER": "", "AWS_CONFIG_FILE": missing,
                    "AWS_SHARED_CREDENTIALS_FILE": missing})
        cmd = ["aws", "identitystore"] + list(args) + [
            "--endpoint-url", self.icemu.endpoint, "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, "%s\n%s%s" % (cmd, proc.stdout, proc.stderr))
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def test_create_find_and_list_a_user(self):
        store = self.sso.list_instances()["Instances"][0]["IdentityStoreId"]
        created = self.aws("create-user", "--identity-store-id", store, "--user-name", "cli",
                           "--display-name", "CLI User",
                           "--name", "GivenName=Cli,FamilyName=User")
        self.assertRegex(created["UserId"], ID_RE)
        found = self.aws("get-user-id", "--identity-store-id", store, "--alternate-identifier",
                         json.dumps({"UniqueAttribute": {"AttributePath": "userName",
                                                         "AttributeValue": "cli"}}))
        self.assertEqual(found["UserId"], created["UserId"])
        listed = self.aws("list-users", "--identity-store-id", store)
        self.assertEqual([u["UserName"] for u in listed["Users"]], ["cli"])
        self.assertEqual(listed["Users"][0]["Name"], {"GivenName": "Cli", "FamilyName": "User"})


if __name__ == "__main__":
    unittest.main()

"""`GET /_icemu/state`: the sandbox built through boto3 and the Huawei surface, as one document that
agrees with what the describe and list calls answer."""

import json
import os
import sqlite3
import subprocess
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import DEFAULT_ACCOUNT, REGION, IcemuTestCase, _boto3_session, icemu_binary

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
HUAWEI_ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'


def huawei_call(test, server, method, path, body=None, ok=True):
    """A Huawei call in plain HTTP: (status, parsed body); `ok` asserts a success status."""
    data = b"" if body is None else json.dumps(body).encode()
    status, _, raw = server.raw(method, path, data, {
        "Content-Type": "application/json", "X-Domain-Id": HUAWEI_ACCOUNT})
    if ok:
        test.assertIn(status, (200, 201, 204), raw)
    return status, (json.loads(raw) if raw else None)


def state_of(test, server):
    status, document = server.admin("GET", "/_icemu/state")
    test.assertEqual(status, 200, document)
    return document


class StateTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def huawei(self, method, path, body=None):
        return huawei_call(self, self.icemu, method, path, body)[1]

    def state(self):
        return state_of(self, self.icemu)

    def test_the_document_agrees_with_describe_and_list(self):
        sso = self.sso
        inst = self.instance_arn()
        sso.tag_resource(InstanceArn=inst, ResourceArn=inst, Tags=[{"Key": "env", "Value": "ci"}])
        ps = self.create_permission_set("Rich", inst, Description="all of it",
                                        SessionDuration="PT4H", RelayState="https://x.example/",
                                        Tags=[{"Key": "team", "Value": "a"}])["PermissionSetArn"]
        sso.put_inline_policy_to_permission_set(InstanceArn=inst, PermissionSetArn=ps,
                                                InlinePolicy=POLICY)
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=inst, PermissionSetArn=ps,
            ManagedPolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=inst, PermissionSetArn=ps,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"})
        sso.put_permissions_boundary_to_permission_set(
            InstanceArn=inst, PermissionSetArn=ps,
            PermissionsBoundary={"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"})
        created = self.create_assignment(ps, ACCOUNT_A, USER, instance_arn=inst)
        self.icemu.settle(created["RequestId"])
        # A Huawei managed role and custom role on the same permission set.
        ins_id = "ins-" + inst.rsplit("ssoins-", 1)[1]
        ps_id = ps.rsplit("/", 1)[1]
        base = "/v1/instances/%s/permission-sets/%s" % (ins_id, ps_id)
        self.huawei("POST", base + "/attach-managed-role",
                    {"managed_role_id": "role-1", "managed_role_name": "ReadOnlyRole"})
        self.huawei("PUT", base + "/custom-role", {"custom_role": POLICY})
        # A provisioning left IN_PROGRESS, and one for another account that failed.
        pending = sso.provision_permission_set(InstanceArn=inst, PermissionSetArn=ps,
                                               TargetId=ACCOUNT_B, TargetType="AWS_ACCOUNT")
        request_id = pending["PermissionSetProvisioningStatus"]["RequestId"]
        self.icemu.settle(request_id, "FAILED", "no role")
        self.icemu.advance(5000)

        doc = self.state()
        self.assertEqual(doc["clock_offset_ms"], 5000)
        self.assertEqual(doc["scheduler"]["mode"], "manual")
        listed = sso.list_instances()["Instances"]
        self.assertEqual(
            sorted((i["instance_id"], i["owner_account_id"]) for i in doc["instances"]),
            sorted((i["InstanceArn"].rsplit("/", 1)[1], i["OwnerAccountId"]) for i in listed))
        mine = [i for i in doc["instances"] if i["owner_account_id"] == DEFAULT_ACCOUNT][0]
        described = sso.describe_instance(InstanceArn=inst)
        self.assertEqual(mine["identity_store_id"], described["IdentityStoreId"])
        self.assertEqual(mine["status"], described["Status"])
        self.assertEqual(mine["tags"], [{"key": "env", "value": "ci"}])
        self.assertEqual(mine["encryption"]["key_type"], "AWS_OWNED_KMS_KEY")

        self.assertEqual(len(doc["permission_sets"]), 1)
        p = doc["permission_sets"][0]
        d = sso.describe_permission_set(InstanceArn=inst, PermissionSetArn=ps)["PermissionSet"]
        self.assertEqual((p["name"], p["description"], p["session_duration"], p["relay_state"]),
                         (d["Name"], d["Description"], d["SessionDuration"], d["RelayState"]))
        self.assertEqual(p["permission_set_id"], ps_id)
        self.assertEqual(p["owner_account_id"], DEFAULT_ACCOUNT)
        self.assertEqual(p["inline_policy"], sso.get_inline_policy_for_permission_set(
            InstanceArn=inst, PermissionSetArn=ps)["InlinePolicy"])
        self.assertEqual(
            p["managed_policies"],
            [{"arn": m["Arn"], "name": m["Name"]} for m in
             sso.list_managed_policies_in_permission_set(
                 InstanceArn=inst, PermissionSetArn=ps)["AttachedManagedPolicies"]])
        self.assertEqual(
            p["customer_managed_policies"],
            [{"name": r["Name"], "path": r["Path"]} for r in
             sso.list_customer_managed_policy_references_in_permission_set(
                 InstanceArn=inst, PermissionSetArn=ps)["CustomerManagedPolicyReferences"]])
        self.assertEqual(p["permissions_boundary"],
                         {"managed_policy_arn": "arn:aws:iam::aws:policy/PowerUserAccess"})
        self.assertEqual(p["managed_roles"], [{"id": "role-1", "name": "ReadOnlyRole"}])
        self.assertEqual(p["custom_role"], POLICY)
        self.assertEqual(p["tags"], [{"key": "team", "value": "a"}])
        accounts = sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=inst, PermissionSetArn=ps)["AccountIds"]
        self.assertEqual(sorted(a["account_id"] for a in p["provisioned_accounts"]),
                         sorted(accounts))
        self.assertEqual(doc["assignments"], [{
            "owner_account_id": DEFAULT_ACCOUNT, "permission_set": "Rich",
            "account_id": ACCOUNT_A, "principal_type": "USER", "principal_id": USER}])
        by_id = {r["request_id"]: r for r in doc["requests"]}
        self.assertEqual(by_id[request_id]["status"], "FAILED")
        self.assertEqual(by_id[request_id]["failure_reason"], "no role")
        self.assertEqual(by_id[created["RequestId"]]["kind"], "ASSIGNMENT_CREATE")
        self.assertEqual(sorted(by_id), sorted(r["request_id"] for r in self.icemu.requests()))

    def build_identity_store(self):
        """Two users (one with every fixture attribute and more), a group with both."""
        ids = _boto3_session().client("identitystore", endpoint_url=self.icemu.endpoint)
        store = self.sso.list_instances()["Instances"][0]["IdentityStoreId"]
        jdoe = ids.create_user(
            IdentityStoreId=store, UserName="jdoe", DisplayName="Jane Doe",
            Name={"GivenName": "Jane", "FamilyName": "Doe"},
            Emails=[{"Value": "jdoe@example.com", "Type": "work", "Primary": True}],
            Title="Engineer")["UserId"]
        bob = ids.create_user(IdentityStoreId=store, UserName="bob", DisplayName="Bob",
                              Name={"GivenName": "Bob", "FamilyName": "B"})["UserId"]
        group = ids.create_group(IdentityStoreId=store, DisplayName="admins",
                                 Description="the admins")["GroupId"]
        for user in (jdoe, bob):
            ids.create_group_membership(IdentityStoreId=store, GroupId=group,
                                        MemberId={"UserId": user})
        return ids, store

    def test_the_identity_store_section_agrees_with_identitystore(self):
        ids, store = self.build_identity_store()
        doc = self.state()
        users = ids.list_users(IdentityStoreId=store)["Users"]
        self.assertEqual(sorted(u["user_id"] for u in doc["users"]),
                         sorted(u["UserId"] for u in users))
        by_name = {u["user_name"]: u for u in doc["users"]}
        jdoe = by_name["jdoe"]
        described = ids.describe_user(IdentityStoreId=store, UserId=jdoe["user_id"])
        self.assertEqual(
            (jdoe["owner_account_id"], jdoe["identity_store_id"], jdoe["display_name"],
             jdoe["given_name"], jdoe["family_name"], jdoe["email"]),
            (DEFAULT_ACCOUNT, store, "Jane Doe", "Jane", "Doe", "jdoe@example.com"))
        self.assertEqual(jdoe["attributes"]["Title"], described["Title"])
        self.assertEqual(jdoe["attributes"]["Emails"], described["Emails"])
        self.assertEqual(jdoe["status"], "ENABLED")
        self.assertEqual(by_name["bob"]["status"], ids.describe_user(
            IdentityStoreId=store, UserId=by_name["bob"]["user_id"])["UserStatus"])
        [group] = doc["groups"]
        self.assertEqual((group["display_name"], group["description"]), ("admins", "the admins"))
        self.assertEqual(group["group_id"], ids.list_groups(IdentityStoreId=store)["Groups"][0][
            "GroupId"])
        listed = ids.list_group_memberships(IdentityStoreId=store,
                                            GroupId=group["group_id"])["GroupMemberships"]
        self.assertEqual(
            sorted((m["membership_id"], m["user_id"], m["user"], m["group"])
                   for m in doc["group_memberships"]),
            sorted((m["MembershipId"], m["MemberId"]["UserId"],
                    "jdoe" if m["MemberId"]["UserId"] == jdoe["user_id"] else "bob", "admins")
                   for m in listed))

    def export(self, db):
        # The configuration of the server (its scheduler mode) goes with it.
        return subprocess.run([icemu_binary(), "export", "--db", db], capture_output=True,
                              text=True, timeout=60, check=False, env=self.icemu.child_env())

    def test_export_writes_the_state_of_a_stopped_icemus_store(self):
        self.build_identity_store()
        ps = self.create_permission_set("Exported")["PermissionSetArn"]
        created = self.create_assignment(ps, ACCOUNT_A, USER)
        self.icemu.settle(created["RequestId"])
        self.icemu.advance(1234)
        served = self.state()
        self.icemu.stop()
        before = os.stat(self.icemu.db)
        done = self.export(self.icemu.db)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout), served)
        after = os.stat(self.icemu.db)
        self.assertEqual((before.st_size, before.st_mtime_ns), (after.st_size, after.st_mtime_ns))
        self.icemu.start()

    def test_export_refuses_a_missing_file_and_a_newer_schema(self):
        self.icemu.stop()
        done = self.export(os.path.join(self.icemu.tmp, "absent.db"))
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("absent.db", done.stderr)
        self.assertEqual(done.stdout, "")
        db = sqlite3.connect(self.icemu.db)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        db.execute("PRAGMA user_version=%d" % (version + 1))
        db.commit()
        db.close()
        done = self.export(self.icemu.db)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("newer than this icemu's", done.stderr)
        self.assertEqual(done.stdout, "")
        db = sqlite3.connect(self.icemu.db)
        db.execute("PRAGMA user_version=%d" % version)
        db.commit()
        db.close()
        self.icemu.start()



class LoadStateTest(IcemuTestCase):
    """`PUT /_icemu/state` and `--fixtures` with a state document: a sandbox built through boto3
    and the Huawei surface, loaded into a second icemu, answers every describe and list call of
    both surfaces the same; a bad document is refused with the member it names, changing
    nothing."""

    per_test = True
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def sso_for(self, server, account=None):
        if account is None:
            return server.client()
        session = boto3.session.Session(aws_access_key_id=account,
                                        aws_secret_access_key="secret", region_name=REGION)
        return session.client("sso-admin", endpoint_url=server.endpoint, config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"}))

    def huawei(self, server, method, path, body=None, ok=True):
        return huawei_call(self, server, method, path, body, ok)

    def state(self, server):
        return state_of(self, server)

    def build(self):
        """A rich sandbox on self.icemu; answers the ids the comparison walks."""
        sso = self.sso
        inst = self.instance_arn()
        sso.update_instance(InstanceArn=inst, Name="main")
        sso.tag_resource(InstanceArn=inst, ResourceArn=inst, Tags=[{"Key": "env", "Value": "ci"}])
        other = self.sso_for(self.icemu, ACCOUNT_B).create_instance(
            Name="team-b", Tags=[{"Key": "team", "Value": "b"}])["InstanceArn"]
        rich = self.create_permission_set("Rich", inst, Description="all of it",
                                          SessionDuration="PT4H", RelayState="https://x.example/",
                                          Tags=[{"Key": "team", "Value": "a"}])["PermissionSetArn"]
        sso.put_inline_policy_to_permission_set(InstanceArn=inst, PermissionSetArn=rich,
                                                InlinePolicy=POLICY)
        sso.attach_managed_policy_to_permission_set(
            InstanceArn=inst, PermissionSetArn=rich,
            ManagedPolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        sso.attach_customer_managed_policy_reference_to_permission_set(
            InstanceArn=inst, PermissionSetArn=rich,
            CustomerManagedPolicyReference={"Name": "Mine", "Path": "/team/"})
        sso.put_permissions_boundary_to_permission_set(
            InstanceArn=inst, PermissionSetArn=rich,
            PermissionsBoundary={"CustomerManagedPolicyReference": {"Name": "Edge"}})
        plain = self.create_permission_set("Plain", inst)["PermissionSetArn"]
        sso.put_permissions_boundary_to_permission_set(
            InstanceArn=inst, PermissionSetArn=plain,
            PermissionsBoundary={"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"})
        ps_id = rich.rsplit("/", 1)[1]
        ins_id = "ins-" + inst.rsplit("ssoins-", 1)[1]
        base = "/v1/instances/%s/permission-sets/%s" % (ins_id, ps_id)
        self.huawei(self.icemu, "POST", base + "/attach-managed-role",
                    {"managed_role_id": "role-1", "managed_role_name": "ReadOnlyRole"})
        self.huawei(self.icemu, "PUT", base + "/custom-role", {"custom_role": POLICY})

        ids = _boto3_session().client("identitystore", endpoint_url=self.icemu.endpoint)
        store = sso.describe_instance(InstanceArn=inst)["IdentityStoreId"]
        jdoe = ids.create_user(
            IdentityStoreId=store, UserName="jdoe", DisplayName="Jane Doe",
            Name={"GivenName": "Jane", "FamilyName": "Doe"},
            Emails=[{"Value": "jdoe@example.com", "Type": "work", "Primary": True}],
            Title="Engineer")["UserId"]
        bob = ids.create_user(IdentityStoreId=store, UserName="bob", DisplayName="Bob",
                              Name={"GivenName": "Bob", "FamilyName": "B"})["UserId"]
        group = ids.create_group(IdentityStoreId=store, DisplayName="admins",
                                 Description="the admins")["GroupId"]
        for user in (jdoe, bob):
            ids.create_group_membership(IdentityStoreId=store, GroupId=group,
                                        MemberId={"UserId": user})

        # Assignments (one settled, one FAILED with a reason, one left IN_PROGRESS), a
        # provisioning after a change (an account behind the current version).
        done = self.create_assignment(rich, ACCOUNT_A, jdoe, instance_arn=inst)
        self.icemu.settle(done["RequestId"])
        grouped = self.create_assignment(rich, ACCOUNT_A, group, principal_type="GROUP",
                                         instance_arn=inst)
        self.icemu.settle(grouped["RequestId"])
        failed = self.create_assignment(plain, ACCOUNT_B, bob, instance_arn=inst)
        self.icemu.settle(failed["RequestId"], "FAILED", "no role")
        sso.update_permission_set(InstanceArn=inst, PermissionSetArn=rich, Description="v2")
        pending = sso.provision_permission_set(InstanceArn=inst, PermissionSetArn=plain,
                                               TargetId=ACCOUNT_A, TargetType="AWS_ACCOUNT")
        self.icemu.advance(5000)
        return {"instances": [inst, other], "permission_sets": {inst: [rich, plain]},
                "accounts": [ACCOUNT_A, ACCOUNT_B],
                "principals": [("USER", jdoe), ("USER", bob), ("GROUP", group)],
                "store": store, "users": [jdoe, bob], "groups": [group],
                "requests": {
                    "create": [done["RequestId"], grouped["RequestId"], failed["RequestId"]],
                    "provision": [pending["PermissionSetProvisioningStatus"]["RequestId"]]}}

    def answers(self, server, made):
        """What every describe and list call of both surfaces answers about `made`."""
        sso = self.sso_for(server)
        ids = _boto3_session().client("identitystore", endpoint_url=server.endpoint)
        out = {}

        def record(name, call, **kwargs):
            key = name + " " + json.dumps(kwargs, sort_keys=True)
            try:
                answer = call(**kwargs)
                answer.pop("ResponseMetadata", None)
                out[key] = answer
            except ClientError as e:
                out[key] = "error " + e.response["Error"]["Code"]

        record("ListInstances", sso.list_instances)
        for inst in made["instances"]:
            record("DescribeInstance", sso.describe_instance, InstanceArn=inst)
            record("ListTagsForResource", sso.list_tags_for_resource, InstanceArn=inst,
                   ResourceArn=inst)
            record("ListPermissionSets", sso.list_permission_sets, InstanceArn=inst)
            for kind in ("list_permission_set_provisioning_status",
                         "list_account_assignment_creation_status",
                         "list_account_assignment_deletion_status"):
                record(kind, getattr(sso, kind), InstanceArn=inst)
            for account in made["accounts"]:
                record("ListPermissionSetsProvisionedToAccount",
                       sso.list_permission_sets_provisioned_to_account, InstanceArn=inst,
                       AccountId=account)
            for ptype, pid in made["principals"]:
                record("ListAccountAssignmentsForPrincipal",
                       sso.list_account_assignments_for_principal, InstanceArn=inst,
                       PrincipalType=ptype, PrincipalId=pid)
            for ps in made["permission_sets"].get(inst, []):
                both = {"InstanceArn": inst, "PermissionSetArn": ps}
                for name in ("describe_permission_set", "get_inline_policy_for_permission_set",
                             "list_managed_policies_in_permission_set",
                             "list_customer_managed_policy_references_in_permission_set",
                             "get_permissions_boundary_for_permission_set",
                             "list_accounts_for_provisioned_permission_set"):
                    record(name, getattr(sso, name), **both)
                record("ListTagsForResource", sso.list_tags_for_resource, InstanceArn=inst,
                       ResourceArn=ps)
                for status in ("LATEST_PERMISSION_SET_PROVISIONED",
                               "LATEST_PERMISSION_SET_NOT_PROVISIONED"):
                    record("ListAccountsForProvisionedPermissionSet",
                           sso.list_accounts_for_provisioned_permission_set,
                           ProvisioningStatus=status, **both)
                for account in made["accounts"]:
                    record("ListAccountAssignments", sso.list_account_assignments,
                           AccountId=account, **both)
                # The Huawei surface's view of the same permission set.
                base = "/v1/instances/ins-%s/permission-sets/%s" % (
                    inst.rsplit("ssoins-", 1)[1], ps.rsplit("/", 1)[1])
                for path in ("", "/managed-policies", "/managed-roles", "/custom-role",
                             "/custom-policy", "/accounts"):
                    out["huawei GET " + base + path] = self.huawei(server, "GET", base + path,
                                                                   ok=False)
            for request in made["requests"]["create"]:
                record("DescribeAccountAssignmentCreationStatus",
                       sso.describe_account_assignment_creation_status, InstanceArn=inst,
                       AccountAssignmentCreationRequestId=request)
            for request in made["requests"]["provision"]:
                record("DescribePermissionSetProvisioningStatus",
                       sso.describe_permission_set_provisioning_status, InstanceArn=inst,
                       ProvisionPermissionSetRequestId=request)
            ins = "/v1/instances/ins-" + inst.rsplit("ssoins-", 1)[1]
            for path in ("/permission-sets", "/permission-set-summary",
                         "/permission-sets/provisioning-statuses",
                         "/account-assignments/creation-statuses",
                         "/account-assignments/deletion-statuses"):
                out["huawei GET " + ins + path] = self.huawei(server, "GET", ins + path, ok=False)
        out["huawei GET /v1/instances"] = self.huawei(server, "GET", "/v1/instances", ok=False)

        store = made["store"]
        record("ListUsers", ids.list_users, IdentityStoreId=store)
        record("ListGroups", ids.list_groups, IdentityStoreId=store)
        for user in made["users"]:
            record("DescribeUser", ids.describe_user, IdentityStoreId=store, UserId=user)
            record("ListGroupMembershipsForMember", ids.list_group_memberships_for_member,
                   IdentityStoreId=store, MemberId={"UserId": user})
        for group in made["groups"]:
            record("DescribeGroup", ids.describe_group, IdentityStoreId=store, GroupId=group)
            record("ListGroupMemberships", ids.list_group_memberships, IdentityStoreId=store,
                   GroupId=group)
        record("GetUserId", ids.get_user_id, IdentityStoreId=store, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "jdoe"}})
        hw = "/v1/identity-stores/" + store
        for path in ("/users", "/groups"):
            out["huawei GET " + hw + path] = self.huawei(server, "GET", hw + path, ok=False)
        return out

    def assertSameAnswers(self, expected, server, made):
        got = self.answers(server, made)
        self.assertEqual(sorted(got), sorted(expected))
        for key in expected:
            self.assertEqual(got[key], expected[key], key)

    def test_put_loads_an_export_into_a_fresh_icemu_that_answers_the_same(self):
        made = self.build()
        expected = self.answers(self.icemu, made)
        document = self.state(self.icemu)
        self.assertTrue(any(r["status"] == "IN_PROGRESS" for r in document["requests"]))
        self.assertTrue(any(r["failure_reason"] == "no role" for r in document["requests"]))

        second = self.start_icemu()
        status, answer = second.admin("PUT", "/_icemu/state", document)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer, document)
        self.assertEqual(self.state(second), document)
        self.assertSameAnswers(expected, second, made)
        # Durable: committed before the answer, and read back after a restart.
        second.restart()
        self.assertEqual(self.state(second), document)
        self.assertSameAnswers(expected, second, made)
        # The request left IN_PROGRESS is still in flight, and settles as any other.
        pending = made["requests"]["provision"][0]
        self.assertEqual(second.request(pending)["status"], "IN_PROGRESS")
        second.settle(pending)
        self.assertEqual(second.request(pending)["status"], "SUCCEEDED")

    def test_a_request_due_later_is_due_again_after_the_load(self):
        self.icemu.scheduler(mode="auto", delay_ms={"min": 60000, "max": 60000})
        ps = self.create_permission_set("Later")["PermissionSetArn"]
        created = self.create_assignment(ps, ACCOUNT_A, USER)
        document = self.state(self.icemu)
        [row] = [r for r in document["requests"] if r["request_id"] == created["RequestId"]]
        self.assertIsNotNone(row["due_date"])
        second = self.start_icemu()
        status, answer = second.admin("PUT", "/_icemu/state", document)
        self.assertEqual(status, 200, answer)
        self.assertEqual(second.request(created["RequestId"])["status"], "IN_PROGRESS")
        self.assertEqual(second.scheduler()["mode"], "auto")
        second.advance(60000)
        self.assertEqual(second.request(created["RequestId"])["status"], "SUCCEEDED")

    def test_bad_documents_are_refused_naming_the_member_and_change_nothing(self):
        self.build()
        good = self.state(self.icemu)

        def changed(edit):
            doc = json.loads(json.dumps(good))
            edit(doc)
            return doc

        def set_in(doc, path, value):
            target = doc
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value

        cases = [
            (changed(lambda d: d.update(extra=1)), "extra: unknown member"),
            (changed(lambda d: set_in(d, ["permission_sets", 0, "managed_policies", 0, "arn"], 7)),
             "permission_sets[0].managed_policies[0].arn: expected a string"),
            (changed(lambda d: set_in(d, ["assignments", 0, "permission_set"], "Nope")),
             "assignments[0].permission_set: no permission set named Nope"),
            (changed(lambda d: set_in(d, ["group_memberships", 0, "user_id"],
                                      "9067639464-00000000-0000-4000-8000-000000000000")),
             "group_memberships[0].user_id: no user"),
            (changed(lambda d: set_in(d, ["instances", 0, "instance_id"], "ssoins-xyz")),
             "instances[0].instance_id: 'ssoins-xyz' is not an instance id"),
            (changed(lambda d: set_in(d, ["requests", 0, "request_id"], "not-a-uuid")),
             "requests[0].request_id: 'not-a-uuid' is not a request id"),
            (changed(lambda d: d["users"].append(dict(d["users"][0]))), "is declared twice"),
            (changed(lambda d: set_in(d, ["clock_offset_ms"], "soon")),
             "clock_offset_ms: expected an integer"),
            (changed(lambda d: set_in(d, ["scheduler", "mode"], "sometimes")), "scheduler.mode"),
            (b"{not json", "not valid JSON"),
            (b"[]", "expected an object"),
        ]
        for body, message in cases:
            status, answer = self.icemu.admin("PUT", "/_icemu/state", body)
            self.assertEqual(status, 400, (message, answer))
            self.assertEqual(answer["error"], "bad_request")
            self.assertIn(message, answer["message"])
            self.assertEqual(self.state(self.icemu), good, message)

    def test_put_needs_the_admin_token(self):
        server = self.start_icemu(env={"ICEMU_SCHEDULER_MODE": "manual",
                                       "ICEMU_ADMIN_TOKEN": "s3cret"})
        status, _, raw = server.raw("PUT", "/_icemu/state", b"{}",
                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 401, raw)
        status, _, raw = server.raw("PUT", "/_icemu/state", b'{"instances": []}', {
            "Content-Type": "application/json", "Authorization": "Bearer s3cret"})
        self.assertEqual(status, 200, raw)
        self.assertEqual(json.loads(raw)["instances"], [])

    def test_fixtures_with_an_export_of_a_stopped_icemu_reproduce_it(self):
        made = self.build()
        expected = self.answers(self.icemu, made)
        served = self.state(self.icemu)
        self.icemu.stop()
        done = subprocess.run([icemu_binary(), "export", "--db", self.icemu.db],
                              capture_output=True, text=True, timeout=60, check=False,
                              env=self.icemu.child_env())
        self.assertEqual(done.returncode, 0, done.stderr)
        path = os.path.join(self.icemu.tmp, "sandbox.json")
        with open(path, "w") as f:
            f.write(done.stdout)
        second = self.start_icemu(args=["--fixtures", path])
        self.assertEqual(self.state(second), served)
        self.assertSameAnswers(expected, second, made)
        self.assertIn("fixtures applied", second.log_text())
        # A store that is not new keeps what it holds: at a restart, and after a reset has left
        # it without a permission set (a state document replaces a store whole: new stores only).
        second.restart()
        self.assertIn("fixtures skipped: the store is not new", second.log_text())
        self.assertEqual(self.state(second), served)
        self.assertEqual(second.reset(), {"reset": True})
        kept = self.state(second)
        self.assertEqual(kept["permission_sets"], [])
        second.restart()
        self.assertEqual(self.state(second), kept)
        self.icemu.start()

    def test_fixtures_with_a_bad_state_document_name_the_file_and_member(self):
        self.icemu.stop()
        path = os.path.join(self.icemu.tmp, "bad.json")
        with open(path, "w") as f:
            json.dump({"instances": [], "requests": [{"request_id": 1}]}, f)
        done = subprocess.run([icemu_binary(), "--db", os.path.join(self.icemu.tmp, "b.db"),
                               "--listen", "127.0.0.1:0", "--fixtures", path],
                              capture_output=True, text=True, timeout=60, check=False,
                              env=self.icemu.child_env())
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("fixtures %s: requests[0].request_id: expected a string" % path,
                      done.stderr)
        self.icemu.start()


if __name__ == "__main__":
    unittest.main()

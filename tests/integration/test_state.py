"""`GET /_icemu/state`: the sandbox built through boto3 and the Huawei surface, as one document that
agrees with what the describe and list calls answer."""

import json
import os
import sqlite3
import subprocess
import unittest

from harness import DEFAULT_ACCOUNT, IcemuTestCase, _boto3_session, icemu_binary

ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
HUAWEI_ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'


class StateTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def huawei(self, method, path, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        status, _, raw = self.icemu.raw(method, path, data, {
            "Content-Type": "application/json", "X-Domain-Id": HUAWEI_ACCOUNT})
        self.assertEqual(status, 200, raw)
        return json.loads(raw) if raw else None

    def state(self):
        status, document = self.icemu.admin("GET", "/_icemu/state")
        self.assertEqual(status, 200, document)
        return document

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

    def test_put_is_not_served_yet(self):
        status, answer = self.icemu.admin("PUT", "/_icemu/state", {})
        self.assertEqual(status, 405, answer)


if __name__ == "__main__":
    unittest.main()

"""`GET /_icemu/state`: the sandbox built through boto3 and the Huawei surface, as one document that
agrees with what the describe and list calls answer."""

import json
import unittest

from harness import DEFAULT_ACCOUNT, IcemuTestCase

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

    def test_put_is_not_served_yet(self):
        status, answer = self.icemu.admin("PUT", "/_icemu/state", {})
        self.assertEqual(status, 405, answer)


if __name__ == "__main__":
    unittest.main()

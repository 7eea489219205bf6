"""Fixtures (`ICEMU_FIXTURES` / `--fixtures`): a JSON file or a folder of them
seeds instances, permission sets and settled assignments at first start; a bad file stops
start-up with exit status 2 and one line naming it."""

import json
import os
import subprocess
import tempfile
import unittest

from harness import START_TIMEOUT_S, IcemuTestCase, _boto3_session, icemu_binary

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docker",
                       "fixtures", "example.json")
INSTANCE_1 = "arn:aws:sso:::instance/ssoins-560aa041748d679e"  # owner 123456789012
INSTANCE_2 = "arn:aws:sso:::instance/ssoins-3135a6abb8060144"  # owner 210987654321
READ_ONLY = "arn:aws:sso:::permissionSet/ssoins-560aa041748d679e/ps-c95483a2804f1294"
ADMIN = "arn:aws:sso:::permissionSet/ssoins-560aa041748d679e/ps-9ab06dd3b5e5c046"
AUDITOR = "arn:aws:sso:::permissionSet/ssoins-3135a6abb8060144/ps-eef831ff4d57ba97"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"


class FixturesTest(IcemuTestCase):
    per_test = True

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="icemu-fixtures-")
        self.addCleanup(self.dir.cleanup)
        super().setUp()

    def write(self, name, content):
        path = os.path.join(self.dir.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def start_with(self, fixtures, **env):
        return self.start_icemu(env=dict(env, ICEMU_FIXTURES=fixtures))

    def fails_to_start(self, fixtures):
        """Runs icemu with these fixtures; returns its stderr after asserting exit status 2."""
        proc = subprocess.run(
            [icemu_binary(), "--listen", "127.0.0.1:0", "--db", ":memory:", "--fixtures", fixtures],
            cwd=self.dir.name, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=START_TIMEOUT_S)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        return proc.stderr

    def test_the_example_seeds_instances_permission_sets_and_settled_assignments(self):
        server = self.start_with(EXAMPLE)
        sso = server.client()
        instances = sorted((i["OwnerAccountId"], i["InstanceArn"], i.get("Name"))
                           for i in sso.list_instances()["Instances"])
        self.assertEqual(instances, [("123456789012", INSTANCE_1, None),
                                     ("210987654321", INSTANCE_2, "second")])
        self.assertEqual(sso.list_permission_sets(InstanceArn=INSTANCE_1)["PermissionSets"],
                         [READ_ONLY, ADMIN])
        admin = sso.describe_permission_set(InstanceArn=INSTANCE_1,
                                            PermissionSetArn=ADMIN)["PermissionSet"]
        self.assertEqual((admin["Name"], admin["Description"], admin["SessionDuration"],
                          admin["RelayState"]),
                         ("Admin", "Full access", "PT4H", "https://console.aws.amazon.com/"))
        self.assertEqual(sso.list_permission_sets(InstanceArn=INSTANCE_2)["PermissionSets"],
                         [AUDITOR])
        assigned = sso.list_account_assignments(InstanceArn=INSTANCE_1, AccountId="111122223333",
                                                PermissionSetArn=ADMIN)["AccountAssignments"]
        self.assertEqual([(a["PrincipalType"], a["PrincipalId"]) for a in assigned],
                         [("USER", USER)])
        self.assertEqual(sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=INSTANCE_2, PermissionSetArn=AUDITOR)["AccountIds"], ["444455556666"])
        self.assertEqual(sso.list_permission_sets_provisioned_to_account(
            InstanceArn=INSTANCE_1, AccountId="111122223333",
            ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED")["PermissionSets"],
            [READ_ONLY, ADMIN])
        self.assertEqual(server.requests(), [])
        self.assertIn("fixtures applied", server.log_text())

    def test_fixtures_apply_at_first_start_only(self):
        path = self.write("seed.json", {"permission_sets": [{"name": "First"}]})
        server = self.start_with(path)
        self.write("seed.json", {"permission_sets": [{"name": "First"}, {"name": "Second"}]})
        server.restart()
        names = [self.describe_name(server, arn) for arn in server.client().list_permission_sets(
            InstanceArn=INSTANCE_1)["PermissionSets"]]
        self.assertEqual(names, ["First"])
        self.assertIn("fixtures skipped: the store already has permission sets",
                      server.log_text())

    def test_users_groups_and_memberships_seed_the_identity_store(self):
        given = "9067639464-00000000-0000-4000-8000-000000000001"
        path = self.write("ids.json", {
            "users": [{"user_name": "alice", "display_name": "Alice", "given_name": "Alice",
                       "family_name": "A", "email": "alice@example.com"},
                      {"user_name": "bob", "user_id": given}],
            "groups": [{"display_name": "Admins", "description": "The admins"}],
            "group_memberships": [{"group": "Admins", "user": "alice"}],
        })
        server = self.start_with(path)
        store = server.client().list_instances()["Instances"][0]["IdentityStoreId"]
        ids = _boto3_session().client("identitystore", endpoint_url=server.endpoint)
        users = {u["UserName"]: u for u in ids.list_users(IdentityStoreId=store)["Users"]}
        self.assertEqual(sorted(users), ["alice", "bob"])
        alice = users["alice"]
        self.assertEqual((alice["DisplayName"], alice["Name"], alice["Emails"]),
                         ("Alice", {"GivenName": "Alice", "FamilyName": "A"},
                          [{"Value": "alice@example.com", "Primary": True}]))
        self.assertEqual(users["bob"]["UserId"], given)
        [group] = ids.list_groups(IdentityStoreId=store)["Groups"]
        self.assertEqual(group["Description"], "The admins")
        [member] = ids.list_group_memberships(IdentityStoreId=store,
                                              GroupId=group["GroupId"])["GroupMemberships"]
        self.assertEqual(member["MemberId"], {"UserId": alice["UserId"]})
        # Derived ids are the same on every machine: a second store seeded alike agrees.
        again = self.start_icemu(env={"ICEMU_FIXTURES": path})
        ids2 = _boto3_session().client("identitystore", endpoint_url=again.endpoint)
        self.assertEqual(ids2.get_user_id(IdentityStoreId=store, AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "alice"}})
            ["UserId"], alice["UserId"])

    def test_a_membership_of_an_unknown_group_stops_start_up(self):
        path = self.write("bad.json", {"group_memberships": [{"group": "None", "user": "x"}]})
        stderr = self.fails_to_start(path)
        self.assertIn("group_memberships[0]: group: no group named None", stderr)

    def describe_name(self, server, arn):
        return server.client().describe_permission_set(
            InstanceArn=INSTANCE_1, PermissionSetArn=arn)["PermissionSet"]["Name"]

    def test_a_folder_is_read_in_name_order_and_a_missing_one_is_empty(self):
        self.write("d/20-second.json", {"permission_sets": [{"name": "Second"}]})
        self.write("d/10-first.json", {"permission_sets": [{"name": "First"}]})
        self.write("d/notes.txt", "not JSON, not read")
        server = self.start_with(os.path.join(self.dir.name, "d"))
        names = [self.describe_name(server, arn) for arn in server.client().list_permission_sets(
            InstanceArn=INSTANCE_1)["PermissionSets"]]
        self.assertEqual(names, ["First", "Second"])

        empty = self.start_with(os.path.join(self.dir.name, "absent"))
        self.assertEqual(empty.client().list_permission_sets(
            InstanceArn=INSTANCE_1)["PermissionSets"], [])

    def test_a_bad_file_stops_start_up_with_one_line_naming_it(self):
        cases = {
            "broken.json": ("{\"instances\": [", "broken.json: not valid JSON"),
            "field.json": ({"permission_sets": [{"name": "Bad Name"}]},
                           "field.json: permission_sets[0].name: 'Bad Name' must be 1-32"),
            "ref.json": ({"assignments": [{"permission_set": "Nope", "account_id": "111122223333",
                                           "principal_type": "USER", "principal_id": USER}]},
                         "ref.json: assignments[0]: permission_set: no permission set named Nope"),
        }
        for name, (content, expected) in cases.items():
            with self.subTest(name):
                stderr = self.fails_to_start(self.write(name, content))
                self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)
                self.assertIn(expected, stderr)
        missing = os.path.join(self.dir.name, "missing.json")
        self.assertIn("missing.json: no such file", self.fails_to_start(missing))


if __name__ == "__main__":
    unittest.main()

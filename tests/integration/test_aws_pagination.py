"""Pagination across hundreds of items: opaque NextToken bound to its operation
and parameters, stable order, MaxResults 1-100, List*Status newest first; boto3's paginators.
The data is built once per class (manual mode: nothing settles unless the test says so)."""

import unittest

from harness import IcemuTestCase

PERMISSION_SETS = 250
ASSIGNMENTS = 120
SETTLED = 60  # of the assignments, the first SETTLED are settled SUCCEEDED
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"


def account(i):
    return "%012d" % (100000000000 + i)


class PaginationTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}
    reset_each_test = False  # every test only reads the data built once below

    @classmethod
    def populate(cls, server):
        sso = server.client()
        cls.inst = sso.list_instances()["Instances"][0]["InstanceArn"]
        cls.ps_arns = [sso.create_permission_set(InstanceArn=cls.inst, Name="Page%03d" % i)[
            "PermissionSet"]["PermissionSetArn"] for i in range(PERMISSION_SETS)]
        cls.target_ps = cls.ps_arns[0]
        cls.request_ids = []
        for i in range(ASSIGNMENTS):
            status = sso.create_account_assignment(
                InstanceArn=cls.inst, TargetId=account(i), TargetType="AWS_ACCOUNT",
                PermissionSetArn=cls.target_ps, PrincipalType="USER",
                PrincipalId=USER_1)["AccountAssignmentCreationStatus"]
            cls.request_ids.append(status["RequestId"])
        for request_id in cls.request_ids[:SETTLED]:
            server.settle(request_id, "SUCCEEDED")

    def walk(self, method, result_key, page_size=None, **params):
        """Follows NextToken by hand; returns (items, page sizes)."""
        items, sizes, token = [], [], None
        for _ in range(1000):
            kwargs = dict(params)
            if page_size is not None:
                kwargs["MaxResults"] = page_size
            if token is not None:
                kwargs["NextToken"] = token
            page = method(**kwargs)
            items.extend(page[result_key])
            sizes.append(len(page[result_key]))
            token = page.get("NextToken")
            if token is None:
                return items, sizes
            self.assertRegex(token, r"^[-a-zA-Z0-9+=/_]{1,2048}$")  # the model's Token shape
        self.fail("NextToken never ended")

    # ---- ListPermissionSets ------------------------------------------------------------------

    def test_pages_of_100_return_every_permission_set_once(self):
        items, sizes = self.walk(self.sso.list_permission_sets, "PermissionSets", 100,
                                 InstanceArn=self.inst)
        self.assertEqual(sizes, [100, 100, 50])
        self.assertEqual(len(items), PERMISSION_SETS)
        self.assertEqual(len(set(items)), PERMISSION_SETS)
        self.assertEqual(set(items), set(self.ps_arns))

    def test_order_is_stable_across_walks_and_page_sizes(self):
        first, _ = self.walk(self.sso.list_permission_sets, "PermissionSets", 100,
                             InstanceArn=self.inst)
        again, _ = self.walk(self.sso.list_permission_sets, "PermissionSets", 100,
                             InstanceArn=self.inst)
        small, sizes = self.walk(self.sso.list_permission_sets, "PermissionSets", 33,
                                 InstanceArn=self.inst)
        self.assertEqual(again, first)
        self.assertEqual(small, first)
        self.assertEqual(sizes, [33] * 7 + [19])

    def test_without_max_results_pages_hold_at_most_100(self):
        page = self.sso.list_permission_sets(InstanceArn=self.inst)
        self.assertLessEqual(len(page["PermissionSets"]), 100)
        self.assertIn("NextToken", page)
        items, _ = self.walk(self.sso.list_permission_sets, "PermissionSets",
                             InstanceArn=self.inst)
        self.assertEqual(len(items), PERMISSION_SETS)

    def test_boto3_paginator_gets_everything(self):
        paginator = self.sso.get_paginator("list_permission_sets")
        pages = list(paginator.paginate(InstanceArn=self.inst,
                                        PaginationConfig={"PageSize": 100}))
        self.assertEqual([len(p["PermissionSets"]) for p in pages], [100, 100, 50])
        full = paginator.paginate(InstanceArn=self.inst).build_full_result()
        self.assertEqual(sorted(full["PermissionSets"]), sorted(self.ps_arns))

    # ---- tokens ------------------------------------------------------------------------------

    def first_token(self):
        page = self.sso.list_permission_sets(InstanceArn=self.inst, MaxResults=10)
        self.assertIn("NextToken", page)
        return page["NextToken"]

    def test_a_token_from_another_operation_is_a_validation_exception(self):
        token = self.first_token()
        self.assertClientError("ValidationException",
                               self.sso.list_account_assignment_creation_status,
                               InstanceArn=self.inst, NextToken=token)
        self.assertClientError("ValidationException",
                               self.sso.list_permission_set_provisioning_status,
                               InstanceArn=self.inst, NextToken=token)
        self.assertClientError("ValidationException",
                               self.sso.list_accounts_for_provisioned_permission_set,
                               InstanceArn=self.inst, PermissionSetArn=self.target_ps,
                               NextToken=token)
        # ...and still works where it came from.
        page = self.sso.list_permission_sets(InstanceArn=self.inst, MaxResults=10,
                                             NextToken=token)
        self.assertEqual(len(page["PermissionSets"]), 10)

    def test_a_token_with_other_parameters_is_a_validation_exception(self):
        page = self.sso.list_account_assignment_creation_status(
            InstanceArn=self.inst, MaxResults=10, Filter={"Status": "IN_PROGRESS"})
        self.assertIn("NextToken", page)
        self.assertClientError("ValidationException",
                               self.sso.list_account_assignment_creation_status,
                               InstanceArn=self.inst, MaxResults=10,
                               Filter={"Status": "SUCCEEDED"}, NextToken=page["NextToken"])

    def test_a_token_icemu_never_issued_is_a_validation_exception(self):
        for token in ("Zm9vYmFy", "not-a-token", "AAAA" * 10):
            self.assertClientError("ValidationException", self.sso.list_permission_sets,
                                   InstanceArn=self.inst, NextToken=token)

    # ---- status lists and provisioned accounts -----------------------------------------------

    def test_assignment_creation_status_pages_newest_first(self):
        items, sizes = self.walk(self.sso.list_account_assignment_creation_status,
                                 "AccountAssignmentsCreationStatus", 50, InstanceArn=self.inst)
        self.assertEqual(sizes, [50, 50, 20])
        ids = [i["RequestId"] for i in items]
        self.assertEqual(len(set(ids)), ASSIGNMENTS)
        self.assertEqual(set(ids), set(self.request_ids))
        dates = [i["CreatedDate"] for i in items]
        self.assertEqual(dates, sorted(dates, reverse=True))
        # 120 boto3 calls span many milliseconds; requests created in the same millisecond may
        # come in either order, so only the dates are compared.
        self.assertGreater(dates[0], dates[-1])
        for item in items:
            self.assertEqual(set(item), {"Status", "RequestId", "CreatedDate"})

        again, _ = self.walk(self.sso.list_account_assignment_creation_status,
                             "AccountAssignmentsCreationStatus", 7, InstanceArn=self.inst)
        self.assertEqual([i["RequestId"] for i in again], ids)

    def test_assignment_creation_status_filter_pages(self):
        for status, expected in (("SUCCEEDED", self.request_ids[:SETTLED]),
                                 ("IN_PROGRESS", self.request_ids[SETTLED:]),
                                 ("FAILED", [])):
            items, _ = self.walk(self.sso.list_account_assignment_creation_status,
                                 "AccountAssignmentsCreationStatus", 25, InstanceArn=self.inst,
                                 Filter={"Status": status})
            self.assertCountEqual([i["RequestId"] for i in items], expected, status)
            self.assertEqual({i["Status"] for i in items}, {status} if expected else set())

    def test_assignment_creation_status_paginator(self):
        paginator = self.sso.get_paginator("list_account_assignment_creation_status")
        full = paginator.paginate(InstanceArn=self.inst,
                                  PaginationConfig={"PageSize": 40}).build_full_result()
        self.assertCountEqual([i["RequestId"] for i in full["AccountAssignmentsCreationStatus"]],
                              self.request_ids)

    def test_provisioned_accounts_page(self):
        items, sizes = self.walk(self.sso.list_accounts_for_provisioned_permission_set,
                                 "AccountIds", 25, InstanceArn=self.inst,
                                 PermissionSetArn=self.target_ps)
        self.assertEqual(sizes, [25, 25, 10])
        self.assertCountEqual(items, [account(i) for i in range(SETTLED)])
        self.assertEqual(self.sso.list_permission_sets_provisioned_to_account(
            InstanceArn=self.inst, AccountId=account(0))["PermissionSets"], [self.target_ps])

    def test_instances_paginate_too(self):
        full = self.sso.get_paginator("list_instances").paginate().build_full_result()
        self.assertEqual(len(full["Instances"]), 1)


if __name__ == "__main__":
    unittest.main()

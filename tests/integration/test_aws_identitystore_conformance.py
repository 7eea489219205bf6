"""Model-driven conformance of AWS identitystore, from botocore's own `identitystore` model, over
raw HTTP (JSON 1.1, target `AWSIdentityStore.<Operation>`), as test_aws_conformance does for
sso-admin:

- all 19 operations of the model are implemented;
- each, called with valid input, answers 200 with a body that matches the model's output shape
  recursively (only modelled members, JSON types, enums, required members, no null);
- every constrained input member (length, pattern, enum, range, list size, nested members and
  list items) and every required member is rejected with a 400 ValidationException naming it
  the way Coral does.
"""

import json
import urllib.error
import urllib.request

import botocore.session

from harness import HTTP_TIMEOUT_S, IcemuTestCase
from test_aws_conformance import (Answer, Constraint, check_output, find_nulls, put,
                                  required_paths, walk_constraints, without)

_MODEL = None


def model():
    global _MODEL
    if _MODEL is None:
        _MODEL = botocore.session.get_session().get_service_model("identitystore")
    return _MODEL


def call(endpoint, operation, body):
    data = json.dumps(body).encode()
    req = urllib.request.Request(endpoint + "/", data=data, method="POST", headers={
        "X-Amz-Target": "AWSIdentityStore." + operation,
        "Content-Type": "application/x-amz-json-1.1",
    })
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as resp:
            return Answer(operation, body, resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as e:
        return Answer(operation, body, e.code, e.headers, e.read())


SEQUENCE = [
    "CreateUser", "CreateGroup", "DescribeUser", "ListUsers", "UpdateUser", "GetUserId",
    "DescribeGroup", "ListGroups", "UpdateGroup", "GetGroupId", "CreateGroupMembership",
    "DescribeGroupMembership", "GetGroupMembershipId", "ListGroupMemberships",
    "ListGroupMembershipsForMember", "IsMemberInGroups", "DeleteGroupMembership", "DeleteUser",
    "DeleteGroup",
]


class IdentityStoreConformanceTest(IcemuTestCase):

    def call(self, operation, body):
        return call(self.icemu.endpoint, operation, body)

    def ok(self, operation, body):
        answer = self.call(operation, body)
        self.assertEqual(answer.status, 200, answer)
        return answer.json

    def make_records(self):
        store = self.sso.list_instances()["Instances"][0]["IdentityStoreId"]
        ctx = {"store": store}
        ctx["user"] = self.ok("CreateUser", dict(self.user_input(store), UserName="base"))[
            "UserId"]
        ctx["group"] = self.ok("CreateGroup", {"IdentityStoreId": store,
                                               "DisplayName": "base"})["GroupId"]
        ctx["membership"] = self.ok("CreateGroupMembership", {
            "IdentityStoreId": store, "GroupId": ctx["group"],
            "MemberId": {"UserId": ctx["user"]}})["MembershipId"]
        return ctx

    @staticmethod
    def user_input(store):
        return {
            "IdentityStoreId": store, "UserName": "conformance", "DisplayName": "Conformance",
            "Name": {"Formatted": "C F", "FamilyName": "F", "GivenName": "C", "MiddleName": "M",
                     "HonorificPrefix": "Dr", "HonorificSuffix": "Jr"},
            "NickName": "nick", "ProfileUrl": "https://example.com/p",
            "Emails": [{"Value": "c@example.com", "Type": "work", "Primary": True}],
            "Addresses": [{"StreetAddress": "1 St", "Locality": "L", "Region": "R",
                           "PostalCode": "1", "Country": "US", "Formatted": "1 St",
                           "Type": "work", "Primary": True}],
            "PhoneNumbers": [{"Value": "+1 555", "Type": "work", "Primary": True}],
            "UserType": "Employee", "Title": "Dev", "PreferredLanguage": "en",
            "Locale": "en_US", "Timezone": "UTC",
            "Photos": [{"Value": "https://example.com/a.png", "Type": "photo",
                        "Display": "thumb", "Primary": True}],
            "Website": "https://example.com", "Birthdate": "2000-01-01",
            "Roles": [{"Value": "r", "Type": "work", "Primary": True}],
        }

    def bases(self, ctx):
        store, user, group, membership = (ctx["store"], ctx["user"], ctx["group"],
                                          ctx["membership"])
        page = {"MaxResults": 10}
        member = {"UserId": user}
        return {
            "CreateUser": self.user_input(store),
            "DescribeUser": {"IdentityStoreId": store, "UserId": user,
                             "Extensions": ["aws:identitystore:enterprise"]},
            "ListUsers": dict(page, IdentityStoreId=store,
                              Extensions=["aws:identitystore:enterprise"],
                              Filters=[{"AttributePath": "UserName",
                                        "AttributeValue": "base"}]),
            "UpdateUser": {"IdentityStoreId": store, "UserId": user, "Operations": [
                {"AttributePath": "displayName", "AttributeValue": "Renamed"}]},
            "DeleteUser": {"IdentityStoreId": store, "UserId": user},
            "GetUserId": {"IdentityStoreId": store, "AlternateIdentifier": {
                "UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "base"}}},
            "CreateGroup": {"IdentityStoreId": store, "DisplayName": "Second",
                            "Description": "second group"},
            "DescribeGroup": {"IdentityStoreId": store, "GroupId": group},
            "ListGroups": dict(page, IdentityStoreId=store, Filters=[
                {"AttributePath": "DisplayName", "AttributeValue": "base"}]),
            "UpdateGroup": {"IdentityStoreId": store, "GroupId": group, "Operations": [
                {"AttributePath": "description", "AttributeValue": "described"}]},
            "DeleteGroup": {"IdentityStoreId": store, "GroupId": group},
            "GetGroupId": {"IdentityStoreId": store, "AlternateIdentifier": {
                "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "base"}}},
            "CreateGroupMembership": {"IdentityStoreId": store, "GroupId": group,
                                      "MemberId": dict(member)},
            "DescribeGroupMembership": {"IdentityStoreId": store, "MembershipId": membership},
            "DeleteGroupMembership": {"IdentityStoreId": store, "MembershipId": membership},
            "GetGroupMembershipId": {"IdentityStoreId": store, "GroupId": group,
                                     "MemberId": dict(member)},
            "ListGroupMemberships": dict(page, IdentityStoreId=store, GroupId=group),
            "ListGroupMembershipsForMember": dict(page, IdentityStoreId=store,
                                                  MemberId=dict(member)),
            "IsMemberInGroups": {"IdentityStoreId": store, "MemberId": dict(member),
                                 "GroupIds": [group]},
        }

    def test_every_operation_of_the_model_is_implemented(self):
        self.assertEqual(sorted(model().operation_names), sorted(SEQUENCE))
        self.assertEqual(len(SEQUENCE), 19)

    def test_outputs_match_the_model(self):
        ctx = self.make_records()
        bases = self.bases(ctx)
        # CreateGroupMembership needs a user that is not a member yet.
        second = self.ok("CreateUser", dict(self.user_input(ctx["store"]), UserName="second"))
        bases["CreateGroupMembership"]["MemberId"] = {"UserId": second["UserId"]}
        problems = []
        for op in SEQUENCE:
            answer = self.call(op, bases[op])
            self.assertEqual(answer.status, 200, answer)
            self.assertIsNone(answer.parse_error, answer)
            shape = model().operation_model(op).output_shape
            check_output(answer.json, shape, "", problems)
            nulls = []
            find_nulls(answer.json, op, nulls)
            problems.extend("%s: null" % n for n in nulls)
        self.assertEqual(problems, [])

    def assertRejects(self, op, what, names, body, failures):
        answer = self.call(op, body)
        quoted = ["'%s'" % n for n in names]
        if (answer.status == 400 and answer.error_type == "ValidationException"
                and isinstance(answer.message, str)
                and any(q in answer.message for q in quoted)):
            return
        failures.append("%s: expected a 400 ValidationException naming %s, got %d %s"
                        % (what, " or ".join(quoted), answer.status,
                           answer.raw[:300].decode("utf-8", "replace")))

    def test_every_constrained_input_member_is_validated(self):
        bases = self.bases(self.make_records())
        constraints = []
        for op in SEQUENCE:
            walk_constraints(op, model().operation_model(op).input_shape, [], bases[op],
                             constraints)
        self.assertGreater(len(constraints), 100)
        kinds = {(c.operation, c.dotted, c.kind.split()[0]) for c in constraints}
        for expected in [("CreateUser", "UserName", "max"), ("DescribeUser", "UserId", "pattern"),
                         ("ListUsers", "MaxResults", "max"), ("ListUsers", "Filters", "max"),
                         ("IsMemberInGroups", "GroupIds", "min"),
                         ("GetUserId", "AlternateIdentifier.UniqueAttribute.AttributePath",
                          "pattern"),
                         ("CreateUser", "Emails.[0].Value", "min")]:
            self.assertIn(expected, kinds)
        failures = []
        for c in constraints:
            body = put(bases[c.operation], c.steps, c.value)
            if c.steps[0] == "AlternateIdentifier" and len(c.steps) > 1:
                # A union: only the member under test.
                body["AlternateIdentifier"] = {c.steps[1]: body["AlternateIdentifier"][c.steps[1]]}
            self.assertRejects(c.operation, c.describe(), c.coral_names(), body, failures)
        self.assertEqual(failures, [], "%d of %d violations not rejected"
                         % (len(failures), len(constraints)))

    def test_every_required_input_member_is_validated(self):
        bases = self.bases(self.make_records())
        failures = []
        count = 0
        for op in SEQUENCE:
            paths = []
            required_paths(model().operation_model(op).input_shape, [], bases[op], paths)
            for steps in paths:
                count += 1
                c = Constraint(op, steps, "required", None)
                self.assertRejects(op, "%s %s: missing" % (op, c.dotted), c.coral_names(),
                                   without(bases[op], steps), failures)
        self.assertGreater(count, 40)
        self.assertEqual(failures, [], "%d of %d missing members not rejected"
                         % (len(failures), count))

    def test_error_answers_carry_their_modelled_members(self):
        ctx = self.make_records()
        missing = ctx["store"][2:] + "-00000000-0000-4000-8000-000000000000"
        answer = self.call("DescribeUser", {"IdentityStoreId": ctx["store"], "UserId": missing})
        self.assertEqual((answer.status, answer.error_type), (400, "ResourceNotFoundException"))
        self.assertEqual((answer.json["ResourceType"], answer.json["ResourceId"]),
                         ("USER", missing))
        self.assertEqual(answer.headers.get("x-amzn-ErrorType"), "ResourceNotFoundException")
        answer = self.call("CreateGroup", {"IdentityStoreId": ctx["store"],
                                           "DisplayName": "base"})
        self.assertEqual((answer.status, answer.error_type), (400, "ConflictException"))
        self.assertEqual(answer.json["Reason"], "UNIQUENESS_CONSTRAINT_VIOLATION")
        answer = self.call("ListGroups", {"IdentityStoreId": "d-ffffffffff"})
        self.assertEqual(answer.json["ResourceType"], "IDENTITY_STORE")
        answer = self.call("NoSuchOperation", {})
        self.assertEqual((answer.status, answer.error_type), (400, "UnknownOperationException"))

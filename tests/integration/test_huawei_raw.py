"""The Huawei surface over raw HTTP, for what the signed SDK never sends: bad JSON, wrong types,
`limit` 0 and 101, a 23-character marker, unknown paths and methods, a body over the limit, and
the wire facts other Huawei clients depend on (Huawei's API reference:
`X-Request-Id` on every answer, `created_date` a string in one object only, null `next_marker`)."""

import json
import re
import unittest

from harness import IcemuTestCase

HEX32 = re.compile(r"^[0-9a-f]{32}$")
ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"


class HuaweiRawTestCase(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual", "ICEMU_MAX_BODY_BYTES": "65536"}

    def call(self, method, path, body=None, headers=None):
        """(status, headers, parsed JSON or None); asserts X-Request-Id on every answer."""
        data = body if isinstance(body, bytes) else (
            b"" if body is None else json.dumps(body).encode())
        hdrs = {"Content-Type": "application/json"}
        hdrs.update(headers or {})
        status, resp_headers, raw = self.icemu.raw(method, path, data, hdrs)
        self.assertRegex(resp_headers.get("X-Request-Id") or "", HEX32, "%s %s" % (method, path))
        parsed = json.loads(raw) if raw else None
        if status >= 400:
            self.assertEqual(resp_headers.get("Content-Type"), "application/json")
            self.assertEqual(sorted(parsed), ["error_code", "error_msg", "request_id"])
            self.assertEqual(parsed["request_id"], resp_headers.get("X-Request-Id"))
        return status, resp_headers, parsed

    def assertBadRequest(self, method, path, body, message):
        status, _, err = self.call(method, path, body)
        self.assertEqual(status, 400, err)
        self.assertEqual(err["error_code"], "IIC.400")
        self.assertEqual(err["error_msg"], message)

    def base(self):
        _, _, body = self.call("GET", "/v1/instances")
        return "/v1/instances/" + body["instances"][0]["instance_id"]

    def permission_set(self, name):
        status, _, body = self.call("POST", self.base() + "/permission-sets", {"name": name})
        self.assertEqual(status, 200, body)
        return body["permission_set"]["permission_set_id"]

    def test_bad_json_and_wrong_body_types(self):
        path = self.base() + "/permission-sets"
        self.assertBadRequest("POST", path, b'{"name": ',
                              "Bad Request: the body is not a JSON object: Invalid value. "
                              "(at offset 9).")
        self.assertBadRequest("POST", path, b'["ReadOnly"]',
                              "Bad Request: the body is not a JSON object: "
                              "the body must be a JSON object.")
        self.assertBadRequest("POST", path, {"name": 12}, "Bad Request: name must be a string.")
        self.assertBadRequest("POST", path, {"name": "a", "tags": {"k": "v"}},
                              "Bad Request: tags must be an array.")
        self.assertBadRequest("POST", path, {"name": "a", "tags": ["k"]},
                              "Bad Request: tags[0] must be an object.")
        ps = self.permission_set("Types")
        self.assertBadRequest("POST", "%s/permission-sets/%s/provision" % (self.base(), ps),
                              {"target_type": ["ACCOUNT"]},
                              "Bad Request: target_type must be a string.")
        self.assertBadRequest("PUT", "%s/permission-sets/%s" % (self.base(), ps),
                              {"session_duration": 3600},
                              "Bad Request: session_duration must be a string.")
        # An empty body where one is required is an empty object: its required members are named.
        self.assertBadRequest("POST", path, b"", "Bad Request: name is required.")

    def test_limit_and_marker(self):
        path = self.base() + "/permission-sets"
        for limit in ("0", "101", "-5", "1.5", "", "abc"):
            self.assertBadRequest("GET", path + "?limit=" + limit, None,
                                  "Bad Request: limit must be an integer from 1 to 100.")
        self.assertBadRequest("GET", path + "?marker=" + "a" * 23, None,
                              "Bad Request: marker must be 24 characters long.")
        self.assertBadRequest("GET", path + "?marker=" + "a" * 24, None,
                              "Bad Request: marker was not issued for this list.")
        for limit in ("1", "100"):
            status, _, body = self.call("GET", path + "?limit=" + limit)
            self.assertEqual(status, 200)
        self.assertEqual(body["page_info"], {"next_marker": None, "current_count": 0})

    def test_unknown_paths_and_methods(self):
        for method, path, status, code in (
                ("GET", "/v1/instances/x/y/z/w/v/u", 404, "IIC.404"),
                ("GET", "/v1/", 404, "IIC.404"),
                ("GET", "/favicon.ico", 404, "IIC.404"),
                ("DELETE", "/v1/instances", 405, "IIC.405"),
                ("PATCH", self.base() + "/permission-sets", 405, "IIC.405"),
                ("GET", self.base() + "/account-assignments/delete", 405, "IIC.405")):
            got, headers, err = self.call(method, path)
            self.assertEqual(got, status, (method, path, err))
            self.assertEqual(err["error_code"], code)
            if status == 405:
                self.assertTrue(headers.get("Allow"))

    def test_body_over_the_limit_is_413_in_huawei_format(self):
        status, _, err = self.call("POST", self.base() + "/permission-sets",
                                   {"name": "big", "description": "x" * 70000})
        self.assertEqual(status, 413)
        self.assertEqual(err["error_code"], "IIC.400")

    def test_error_rules_answer_in_huawei_format(self):
        rules = {"rules": [
            {"match": {"operation": "ListPermissionSets", "surface": "huawei"},
             "error": {"code": "ThrottlingException"}, "times": 2},
            {"match": {"operation": "CreateAccountAssignment"},
             "error": {"code": "ConflictException"}, "times": 1},
        ]}
        status, body = self.icemu.admin("PUT", "/_icemu/faults", rules)
        self.assertEqual(status, 200, body)
        path = self.base() + "/permission-sets"
        for _ in range(2):
            status, _, err = self.call("GET", path)
            self.assertEqual(status, 429, err)
            self.assertEqual(err["error_code"], "APIG.0308")
            self.assertTrue(err["error_msg"].startswith("The throttling threshold has been reached"))
        status, _, body = self.call("GET", path)
        self.assertEqual(status, 200, body)
        ps = self.permission_set("Faulty")
        status, _, err = self.call("POST", self.base() + "/account-assignments/create", {
            "permission_set_id": ps, "principal_id": "u-1", "principal_type": "USER",
            "target_id": ACCOUNT, "target_type": "ACCOUNT"})
        self.assertEqual((status, err["error_code"]), (409, "IIC.1006"), err)
        _, listed = self.icemu.admin("GET", "/_icemu/faults")
        self.assertEqual([r["hits"] for r in listed["rules"]], [2, 1])
        self.icemu.admin("DELETE", "/_icemu/faults")

    def test_wire_facts_for_other_clients(self):
        ps = self.permission_set("Wire")
        status, headers, body = self.call(
            "POST", "%s/permission-sets/%s/provision" % (self.base(), ps),
            {"target_type": "ACCOUNT", "target_id": ACCOUNT})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("Content-Type"), "application/json")
        status_obj = body["permission_set_provisioning_status"]
        self.assertIsInstance(status_obj["created_date"], str)
        self.assertRegex(status_obj["created_date"], r"^\d{13}$")
        _, _, listed = self.call("GET", self.base() + "/permission-sets/provisioning-statuses")
        self.assertIsInstance(listed["permission_sets_provisioning_status"][0]["created_date"], int)
        self.assertIsNone(listed["page_info"]["next_marker"])
        _, _, described = self.call("GET", "%s/permission-sets/%s" % (self.base(), ps))
        self.assertIsInstance(described["permission_set"]["created_date"], int)
        # Empty-body successes: 200 and nothing at all (no "{}").
        status, headers, body = self.call("PUT", "%s/permission-sets/%s/custom-role" % (
            self.base(), ps), {"custom_role": "{}"})
        self.assertEqual(status, 409)  # the provisioning is in flight
        self.assertEqual(body["error_code"], "IIC.1006")
        self.icemu.settle(status_obj["request_id"])
        status, headers, body = self.call("PUT", "%s/permission-sets/%s/custom-role" % (
            self.base(), ps), {"custom_role": "{}"})
        self.assertEqual((status, body), (200, None))
        self.assertEqual(headers.get("Content-Length"), "0")
        # The Python SDK's percent-encoded resource type.
        status, _, body = self.call(
            "GET", "/v1/instances/identitycenter%%3Apermissionset/%s/tags?limit=5" % ps)
        self.assertEqual(status, 200, body)
        self.assertEqual(body, {"tags": [], "page_info": {"next_marker": None, "current_count": 0}})
        # Requests made here are listed by the admin API, their accounts as stored.
        listed = self.icemu.requests(kind="PROVISION")
        self.assertEqual([r["account_id"] for r in listed], [ACCOUNT])


if __name__ == "__main__":
    unittest.main()

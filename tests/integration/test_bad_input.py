"""A corpus of bad input over raw HTTP, for both surfaces and the admin API: malformed and
truncated JSON, wrong JSON types, deep nesting, huge numbers, invalid UTF-8, NUL bytes, over-long
strings, duplicate keys, path traversal and percent-encoding tricks, unknown methods. Every answer
must be a 4xx JSON error in its surface's dialect, with the exact status and code asserted per
case; afterwards the server is alive and its state unchanged (permission sets and requests
counted through the API, and the health endpoint)."""

import json
import re
import socket
import unittest

from harness import HTTP_TIMEOUT_S, IcemuTestCase

INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"
BASE = "/v1/instances/ins-560aa041748d679e"
HW_ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
DEEP = b"[" * 1000000
TOO_DEEP = "Document nesting depth exceeds the maximum allowed (1000) (at offset 1000)"


class BadInputTestCase(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}
    reset_each_test = False

    @classmethod
    def populate(cls, server):
        """Two permission sets (one provisioned, its request in flight) that must survive."""
        sso = server.client()
        arns = [sso.create_permission_set(InstanceArn=INSTANCE_ARN, Name=name)
                ["PermissionSet"]["PermissionSetArn"] for name in ("Keep1", "Keep2")]
        sso.provision_permission_set(InstanceArn=INSTANCE_ARN, PermissionSetArn=arns[0],
                                     TargetType="AWS_ACCOUNT", TargetId="111122223333")
        cls.ps_arn = arns[0]
        cls.ps_id = arns[0].rsplit("/", 1)[1]

    # ---- wire helpers ------------------------------------------------------------------------

    def exchange(self, raw):
        """Sends raw request bytes on a fresh connection, reads one answer (the request must
        say `Connection: close`); returns (status, {lowercase header: value}, body bytes)."""
        with socket.create_connection(("127.0.0.1", self.icemu.port), HTTP_TIMEOUT_S) as s:
            s.sendall(raw)
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 "), data[:200])
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        self.assertEqual(int(headers.get("content-length", "-1")), len(body), data[:300])
        return status, headers, body

    def request(self, method, target, body=b"", headers=()):
        lines = ["%s %s HTTP/1.1" % (method, target), "Host: 127.0.0.1",
                 "Connection: close", "Content-Length: %d" % len(body)]
        lines += ["%s: %s" % h for h in headers]
        raw = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body
        return self.exchange(raw)

    def json_body(self, body):
        """The body as JSON; it must be UTF-8, as every client decodes it."""
        return json.loads(body.decode("utf-8", "strict"))

    def aws(self, operation, body, method="POST", target="/"):
        status, headers, raw = self.request(method, target, body, (
            ("X-Amz-Target", "SWBExternalService." + operation),
            ("Content-Type", "application/x-amz-json-1.1")))
        self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
        self.assertRegex(headers.get("x-amzn-requestid", ""), UUID)
        return status, headers, self.json_body(raw)

    def assertAws(self, operation, body, status, error, message=None, method="POST"):
        got, headers, answer = self.aws(operation, body, method)
        self.assertEqual((got, answer.get("__type")), (status, error), (operation, body[:80],
                                                                        answer))
        self.assertEqual(sorted(answer), ["Message", "__type"])
        self.assertEqual(headers.get("x-amzn-errortype"), error)
        if message is not None:
            self.assertEqual(answer["Message"], message)
        return answer

    def huawei(self, method, target, body=b""):
        status, headers, raw = self.request(method, target, body, (
            ("Content-Type", "application/json"), ("X-Domain-Id", HW_ACCOUNT)))
        self.assertRegex(headers.get("x-request-id", ""), HEX32)
        return status, headers, (self.json_body(raw) if raw else None)

    def assertHuawei(self, method, target, body, status, code, message=None):
        got, headers, answer = self.huawei(method, target, body)
        self.assertEqual((got, (answer or {}).get("error_code")), (status, code),
                         (method, target, body[:80], answer))
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(sorted(answer), ["error_code", "error_msg", "request_id"])
        self.assertEqual(answer["request_id"], headers["x-request-id"])
        if message is not None:
            self.assertEqual(answer["error_msg"], message)
        return answer

    def assertAdmin(self, method, target, body, status, error, message=None):
        got, headers, raw = self.request(method, target, body,
                                         (("Content-Type", "application/json"),))
        answer = self.json_body(raw)
        self.assertEqual((got, answer.get("error")), (status, error), (method, target, answer))
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertEqual(sorted(answer), ["error", "message"])
        if message is not None:
            self.assertEqual(answer["message"], message)
        return answer

    def state(self):
        """What the bad input must not change, read through both surfaces and the admin API."""
        names = sorted(p["Name"] for p in (
            self.sso.describe_permission_set(InstanceArn=INSTANCE_ARN, PermissionSetArn=arn)
            ["PermissionSet"] for arn in self.sso.list_permission_sets(
                InstanceArn=INSTANCE_ARN)["PermissionSets"]))
        requests = [(r["request_id"], r["status"]) for r in self.icemu.requests()]
        status, _, listed = self.huawei("GET", BASE + "/permission-sets")
        self.assertEqual(status, 200)
        return names, requests, listed["page_info"]["current_count"]

    def test_malformed_http_is_answered_400_in_its_dialect_then_closed(self):
        """Bytes Beast cannot parse as HTTP/1.1 get a 400 in the dialect the request line shows
        (AWS unless it names /v1/ or /_icemu/), with Connection: close, and the server closes
        the connection (exchange() reads to the end of the stream)."""
        malformed = ("The request is not well-formed HTTP/1.1 (its request line, a header field "
                     "or its chunked body).")
        aws_cases = [
            b"THIS IS NOT HTTP\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: SWBExternalService.ListInstances\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            b"GET /elsewhere HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n",
        ]
        for raw in aws_cases:
            with self.subTest(raw[:40]):
                status, headers, body = self.exchange(raw)
                answer = self.json_body(body)
                self.assertEqual((status, answer), (400, {"__type": "SerializationException",
                                                          "Message": malformed}))
                self.assertEqual(headers.get("x-amzn-errortype"), "SerializationException")
                self.assertRegex(headers.get("x-amzn-requestid", ""), UUID)
                self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
                self.assertEqual(headers.get("connection"), "close")
        huawei_cases = [
            b"GET /v1/instances HTTP/9.9\r\nHost: x\r\n\r\n",
            b"POST /v1/instances/ins-560aa041748d679e/permission-sets HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: many\r\n\r\n{}",
            b"GET /v1/\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
        ]
        for raw in huawei_cases:
            with self.subTest(raw[:40]):
                status, headers, body = self.exchange(raw)
                answer = self.json_body(body)
                self.assertEqual((status, answer["error_code"], answer["error_msg"]),
                                 (400, "IIC.400", "Bad Request: " + malformed))
                self.assertRegex(headers.get("x-request-id", ""), HEX32)
                self.assertEqual(answer["request_id"], headers["x-request-id"])
                self.assertEqual(headers.get("connection"), "close")
        for raw in (b"GET /_icemu/health HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n",
                    b"POST /moto-api/reset HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                    b"\r\n\r\n-1\r\n\r\n"):
            with self.subTest(raw[:40]):
                status, headers, body = self.exchange(raw)
                self.assertEqual((status, self.json_body(body)),
                                 (400, {"error": "bad_request", "message": malformed}))
                self.assertEqual(headers.get("connection"), "close")
        self.assertEqual(self.icemu.health()["status"], "ok")

    def test_bad_input_leaves_the_server_alive_and_its_state_intact(self):
        before = self.state()
        self.assertEqual(before[0], ["Keep1", "Keep2"])
        self.assertEqual(len(before[1]), 1)
        for name in sorted(n for n in dir(self) if n.startswith("corpus_")):
            with self.subTest(name):
                getattr(self, name)()
        self.assertEqual(self.state(), before)
        health = self.icemu.health()
        self.assertEqual(health["status"], "ok")
        self.assertEqual(health["scheduler"]["in_flight"], 1)

    # ---- the AWS surface ---------------------------------------------------------------------

    def corpus_aws_malformed_json(self):
        for body, offset_text in ((b'{"InstanceArn": ', "Invalid value. (at offset 16)"),
                                  (b'{"InstanceArn": "arn', "Missing a closing quotation mark in "
                                                           "string. (at offset 20)"),
                                  (b'{"InstanceArn" "x"}', "Missing a colon after a name of "
                                                           "object member. (at offset 15)"),
                                  (b"{'InstanceArn': 'x'}", "Missing a name for object member. "
                                                            "(at offset 1)"),
                                  (b'{"a": 1,}', "Missing a name for object member. "
                                                 "(at offset 8)")):
            self.assertAws("ListPermissionSets", body, 400, "SerializationException", offset_text)
        for body in (b"[]", b'"x"', b"12", b"null"):
            self.assertAws("ListPermissionSets", body, 400, "SerializationException",
                           "the body must be a JSON object")

    def corpus_aws_wrong_types(self):
        self.assertAws("ListPermissionSets", b'{"InstanceArn": 12}', 400,
                       "SerializationException")
        self.assertAws("ListPermissionSets", json.dumps(
            {"InstanceArn": INSTANCE_ARN, "MaxResults": "10"}).encode(), 400,
            "SerializationException")
        self.assertAws("CreatePermissionSet", json.dumps(
            {"InstanceArn": INSTANCE_ARN, "Name": ["x"]}).encode(), 400,
            "SerializationException")
        self.assertAws("TagResource", json.dumps(
            {"InstanceArn": INSTANCE_ARN, "ResourceArn": self.ps_arn, "Tags": {"k": "v"}}).encode(),
            400, "SerializationException")

    def corpus_aws_deep_nesting(self):
        # A million `[` crashed the server (stack overflow in the recursive JSON parser).
        self.assertAws("ListInstances", DEEP, 400, "SerializationException", TOO_DEEP)
        self.assertAws("ListInstances", b'{"a":' * 50000 + b"1" + b"}" * 50000, 400,
                       "SerializationException",
                       "Document nesting depth exceeds the maximum allowed (1000) (at offset "
                       "5000)")

    def corpus_aws_huge_numbers(self):
        self.assertAws("ListInstances", b'{"MaxResults": 1e400}', 400, "SerializationException")
        self.assertAws("ListInstances", b'{"MaxResults": 99999999999999999999}', 400,
                       "SerializationException")
        self.assertAws("ListInstances", b'{"MaxResults": 9223372036854775807}', 400,
                       "SerializationException", "Cannot deserialize 'maxResults': expected a "
                       "32-bit integer, found an integer")
        self.assertAws("ListInstances", b'{"MaxResults": 2147483647}', 400,
                       "ValidationException")
        self.assertAws("ListInstances", b'{"MaxResults": 1.5}', 400, "SerializationException")

    def corpus_aws_invalid_utf8_and_nul(self):
        arn = INSTANCE_ARN.encode()
        for text in (b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"a\xe2\x82"):
            self.assertAws("CreatePermissionSet",
                           b'{"InstanceArn": "' + arn + b'", "Name": "' + text + b'"}', 400,
                           "SerializationException")
        self.assertAws("CreatePermissionSet", b'{"InstanceArn": "' + arn + b'", "Name": "a\x00"}',
                       400, "SerializationException")
        self.assertAws("CreatePermissionSet",
                       b'{"InstanceArn": "' + arn + b'", "Name": "a\\u0000b"}', 400,
                       "ValidationException")
        self.assertAws("ListInstances", b"{}\x00", 400, "SerializationException")

    def corpus_aws_long_strings(self):
        answer = self.assertAws("CreatePermissionSet", json.dumps(
            {"InstanceArn": INSTANCE_ARN, "Name": "n" * 100000}).encode(), 400,
            "ValidationException")
        self.assertIn("'name'", answer["Message"])
        self.assertLess(len(answer["Message"]), 2000)
        self.assertAws("ListPermissionSets", json.dumps(
            {"InstanceArn": INSTANCE_ARN, "NextToken": "t" * 100000}).encode(), 400,
            "ValidationException")

    def corpus_aws_duplicate_keys(self):
        self.assertAws("ListInstances", b'{"MaxResults": 1, "MaxResults": 1000}', 400,
                       "SerializationException", "Duplicate field 'MaxResults'")
        arn = INSTANCE_ARN.encode()
        self.assertAws("CreatePermissionSet",
                       b'{"InstanceArn": "' + arn + b'", "Name": "Keep1", "Name": "Other"}', 400,
                       "SerializationException", "Duplicate field 'Name'")

    def corpus_aws_unknown_methods_and_targets(self):
        for method in ("BREW", "PROPFIND", "GET", "PUT", "DELETE"):
            self.assertAws("ListInstances", b"{}", 400, "UnknownOperationException",
                           method=method)
        # The target is echoed, its byte 0xff (not UTF-8) as U+FFFD: the answer stays UTF-8.
        self.assertAws("No\xffSuch", b"{}", 400, "UnknownOperationException",
                       "Unknown operation SWBExternalService.No\ufffdSuch.")
        self.assertAws("../ListInstances", b"{}", 400, "UnknownOperationException")

    # ---- the Huawei surface ------------------------------------------------------------------

    def corpus_huawei_bodies(self):
        path = BASE + "/permission-sets"
        self.assertHuawei("POST", path, b'{"name": ', 400, "IIC.400",
                          "Bad Request: the body is not a JSON object: Invalid value. "
                          "(at offset 9).")
        self.assertHuawei("POST", path, b'{"name": "x"', 400, "IIC.400")
        self.assertHuawei("POST", path, b'{"name": 12}', 400, "IIC.400",
                          "Bad Request: name must be a string.")
        self.assertHuawei("POST", path, b'{"name": "a", "tags": "x"}', 400, "IIC.400",
                          "Bad Request: tags must be an array.")
        self.assertHuawei("POST", path, DEEP, 400, "IIC.400")
        self.assertHuawei("POST", path, b'{"name": "\xff"}', 400, "IIC.400")
        self.assertHuawei("POST", path, b'{"name": "a\x00"}', 400, "IIC.400")
        self.assertHuawei("POST", path, json.dumps({"name": "n" * 100000}).encode(), 400,
                          "IIC.400", "Bad Request: name must be 1 to 32 characters long.")
        self.assertHuawei("POST", path, b'{"name": "Dup", "name": "Keep1"}', 400, "IIC.400",
                          "Bad Request: the body is not a JSON object: Duplicate field 'name'.")
        self.assertHuawei("POST", "%s/permission-sets/%s/provision" % (BASE, self.ps_id),
                          b'{"target_type": "ACCOUNT", "target_id": 1e400}', 400, "IIC.400")

    def corpus_huawei_query(self):
        path = BASE + "/permission-sets"
        for limit in ("99999999999999999999", "1e400", "%00", "%ff", "0x10", "-0"):
            self.assertHuawei("GET", path + "?limit=" + limit, b"", 400, "IIC.400",
                              "Bad Request: limit must be an integer from 1 to 100.")
        self.assertHuawei("GET", path + "?marker=" + "%ff" * 24, b"", 400, "IIC.400",
                          "Bad Request: marker was not issued for this list.")

    def corpus_huawei_paths(self):
        for target in (BASE + "/..%2f..", BASE + "/../..", "/v1/instances/../../etc/passwd",
                       "/v1/%2e%2e/instances", "/v1/instances/" + "a/" * 2000, "/v1//instances",
                       "/v1/instances%2fins-560aa041748d679e/permission-sets"):
            self.assertHuawei("GET", target, b"", 404, "IIC.404")
        for target, field in (
                ("/v1/instances/..%2f..%2f/permission-sets", "instance_id"),
                ("/v1/instances/ins-560aa041748d679e%00/permission-sets", "instance_id"),
                ("/v1/instances/%2569ns-560aa041748d679e/permission-sets", "instance_id"),
                ("/v1/instances/%c0%ae%c0%ae/permission-sets", "instance_id"),
                ("/v1/instances/ins-560aa041748d679%ff/permission-sets", "instance_id"),
                (BASE + "/permission-sets/ps-%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e", "permission_set_id"),
                (BASE + "/permission-sets/provisioning-status/" + "%00" * 35, "request_id")):
            answer = self.assertHuawei("GET", target, b"", 400, "IIC.400")
            self.assertIn(field, answer["error_msg"])
        # 36 characters is all the Huawei rules ask of a request id: then it is not found.
        answer = self.assertHuawei(
            "GET", BASE + "/permission-sets/provisioning-status/" + "%00" * 36, b"", 404,
            "IIC.404")
        self.assertEqual(answer["error_msg"], "Not Found: request " + "\0" * 36 + ".")
        # The one documented encoding: the tag path's colon.
        status, _, body = self.huawei(
            "GET", "/v1/instances/identitycenter%%3Apermissionset/%s/tags" % self.ps_id)
        self.assertEqual(status, 200, body)

    def corpus_huawei_methods(self):
        for method in ("BREW", "PROPFIND", "PATCH", "TRACE"):
            answer = self.assertHuawei(method, BASE + "/permission-sets", b"", 405, "IIC.405")
            self.assertIn(method, answer["error_msg"])
        self.assertHuawei("BREW", "/v1/nothing", b"", 404, "IIC.404")
        self.assertHuawei("GET", "/v1/\xc0\xae\xc0\xae/instances", b"", 404, "IIC.404",
                          "Not Found: no API at GET /v1/\ufffd\ufffd\ufffd\ufffd/instances.")

    # ---- the admin API -----------------------------------------------------------------------

    def corpus_admin(self):
        self.assertAdmin("PUT", "/_icemu/scheduler", b'{"mode": ', 400, "bad_request")
        self.assertAdmin("PUT", "/_icemu/scheduler", DEEP, 400, "bad_request")
        self.assertAdmin("PUT", "/_icemu/scheduler", b'{"polls": 1e400}', 400, "bad_request")
        self.assertAdmin("PUT", "/_icemu/scheduler", b'{"mode": "manual", "mode": "auto"}', 400,
                         "bad_request")
        self.assertAdmin("PUT", "/_icemu/scheduler", b'{"mode": "\xff"}', 400, "bad_request")
        self.assertAdmin("PUT", "/_icemu/scheduler", b'{"seed": -1}', 400, "bad_request")
        self.assertAdmin("POST", "/_icemu/clock/advance", b'{"ms": 99999999999999999999}', 400,
                         "bad_request")
        self.assertAdmin("POST", "/_icemu/clock/advance", b'{"ms": 9223372036854775807}', 400,
                         "bad_request")
        self.assertAdmin("POST", "/_icemu/clock/advance", b'{"ms": "1"}', 400, "bad_request")
        self.assertAdmin("PUT", "/_icemu/faults", b'{"rules": [' + b"[" * 1000000, 400,
                         "bad_request")
        self.assertAdmin("PUT", "/_icemu/faults", b'{"rules": [{"match": {"operation": "\xff"}}]}',
                         400, "bad_request")
        self.assertAdmin("POST", "/_icemu/requests/..%2f..%2fhealth/settle",
                         b'{"status": "SUCCEEDED"}', 404, "not_found")
        self.assertAdmin("POST", "/_icemu/requests/%00/settle", b'{"status": "SUCCEEDED"}', 404,
                         "not_found")
        self.assertAdmin("GET", "/_icemu/requests?status=%ff", b"", 400, "bad_request")
        self.assertAdmin("GET", "/_icemu/requests?instance=..%2f..", b"", 400, "bad_request")
        self.assertAdmin("POST", "/_icemu/reset?instance=%00", b"", 400, "bad_request")
        self.assertAdmin("GET", "/_icemu/../_icemu/health", b"", 404, "not_found")
        self.assertAdmin("GET", "/_icemu/%ff%fe", b"", 404, "not_found")
        self.assertAdmin("GET", "/_icemu/\xff\xfe", b"", 404, "not_found",
                         "no admin call /_icemu/\ufffd\ufffd")
        for method in ("BREW", "PROPFIND", "DELETE"):
            self.assertAdmin(method, "/_icemu/health", b"", 405, "method_not_allowed")


if __name__ == "__main__":
    unittest.main()

"""The HTTP limits (docs/configuration.md, "Limits"), over raw sockets: headers over
`limits.max_header_bytes` (431), a body over `limits.max_body_bytes` (413), a request that does
not arrive whole within `limits.request_timeout_ms` (408, however slowly its bytes trickle in),
connections beyond `limits.max_connections` (503), a keep-alive connection idle past
`limits.idle_timeout_ms` (closed without an answer), and `limits.max_page_size` on both surfaces. Each refusal is answered
in the dialect of the surface the request was for, closes the connection and is logged as one
warn line naming the limit and the peer."""

import json
import re
import select
import socket
import time
import unittest

from botocore.exceptions import ClientError

from harness import IcemuTestCase

HEX32 = re.compile(r"^[0-9a-f]{32}$")
TARGET = "SWBExternalService."


def parse_response(raw):
    """(status, lowercase headers, body bytes) of one HTTP/1.1 response with Content-Length."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        raise AssertionError("no complete response head in %r" % raw[:300])
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    return status, headers, rest[:length]


class Conn:
    """A raw TCP connection to icemu."""

    def __init__(self, port, timeout=30.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.port = self.sock.getsockname()[1]

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode("latin-1"))

    def read_until_closed(self, limit_s=30.0):
        """Everything the server sends until it closes; b"" when it closed without a byte."""
        data = b""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def readable_within(self, seconds):
        ready, _, _ = select.select([self.sock], [], [], seconds)
        return bool(ready)

    def close(self):
        self.sock.close()


def aws_request(operation, body=b"{}", extra=""):
    return ("POST / HTTP/1.1\r\nHost: icemu\r\nX-Amz-Target: %s%s\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n%sContent-Length: %d\r\n\r\n"
            % (TARGET, operation, extra, len(body))).encode() + body


class LimitTestCase(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def assertAwsError(self, status, headers, body, expected_status, error_type, message):
        self.assertEqual(status, expected_status, body)
        self.assertEqual(headers.get("content-type"), "application/x-amz-json-1.1")
        self.assertEqual(headers.get("x-amzn-errortype"), error_type)
        self.assertRegex(headers.get("x-amzn-requestid", ""), r"^[0-9a-f-]{36}$")
        self.assertEqual(json.loads(body), {"__type": error_type, "Message": message})

    def assertHuaweiError(self, status, headers, body, expected_status, code, message):
        self.assertEqual(status, expected_status, body)
        self.assertEqual(headers.get("content-type"), "application/json")
        self.assertRegex(headers.get("x-request-id", ""), HEX32)
        self.assertEqual(json.loads(body), {"error_code": code, "error_msg": message,
                                            "request_id": headers.get("x-request-id")})

    def assertLogged(self, limit, value, peer_port, within_s=10.0):
        """One warn line names the limit, its value and the client's address (waits for it: the
        line follows the answer)."""
        pattern = re.compile(r'warn "limit reached" limit=%s value=%s peer=127\.0\.0\.1:%d\b'
                             % (re.escape(limit), value, peer_port))
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            lines = [l for l in self.icemu.log_text().splitlines() if pattern.search(l)]
            if lines:
                self.assertEqual(len(lines), 1, lines)
                return
            time.sleep(0.05)
        self.fail("no warn line for %s=%s from port %d in the log" % (limit, value, peer_port))


class HeaderAndBodyLimitTest(LimitTestCase):
    icemu_args = ("--max-header-bytes", "2048", "--max-body-bytes", "4096")

    def test_headers_over_the_limit_get_aws_431_and_close(self):
        conn = Conn(self.icemu.port)
        # X-Amz-Target comes first: the request is AWS's although its header never completes.
        conn.send(aws_request("ListInstances", extra="X-Pad: %s\r\n" % ("a" * 3000)))
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertAwsError(status, headers, body, 431, "RequestHeaderFieldsTooLargeException",
                            "The request headers are larger than icemu accepts "
                            "(limits.max_header_bytes).")
        self.assertEqual(headers.get("connection"), "close")
        self.assertLogged("limits.max_header_bytes", 2048, conn.port)
        self.assertEqual(self.icemu.health()["status"], "ok")

    def test_headers_over_the_limit_get_huawei_431(self):
        conn = Conn(self.icemu.port)
        conn.send("GET /v1/instances HTTP/1.1\r\nHost: icemu\r\nX-Pad: %s\r\n\r\n" % ("b" * 3000))
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertHuaweiError(status, headers, body, 431, "IIC.400",
                               "Bad Request: The request headers are larger than icemu accepts "
                               "(limits.max_header_bytes).")
        self.assertLogged("limits.max_header_bytes", 2048, conn.port)

    def test_headers_under_the_limit_are_served(self):
        status, _, body = self.icemu.raw("GET", "/v1/instances", headers={"X-Pad": "c" * 1800})
        self.assertEqual(status, 200, body)
        status, _, body = self.icemu.aws_raw("ListInstances")
        self.assertEqual(status, 200, body)

    def test_a_body_over_the_limit_gets_413_in_both_dialects(self):
        conn = Conn(self.icemu.port)
        payload = json.dumps({"InstanceArn": self.instance_arn(), "Name": "Big",
                              "Description": "d" * 5000}).encode()
        conn.send(aws_request("CreatePermissionSet", payload))
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertAwsError(status, headers, body, 413, "RequestEntityTooLargeException",
                            "The request body is larger than icemu accepts "
                            "(limits.max_body_bytes).")
        self.assertLogged("limits.max_body_bytes", 4096, conn.port)
        self.assertEqual(self.sso.list_permission_sets(
            InstanceArn=self.instance_arn())["PermissionSets"], [])

        status, headers, body = self.icemu.raw(
            "POST", "/v1/instances/ins-560aa041748d679e/permission-sets",
            json.dumps({"name": "big", "description": "x" * 5000}).encode(),
            {"Content-Type": "application/json"})
        self.assertHuaweiError(status, {k.lower(): v for k, v in headers.items()}, body, 413,
                               "IIC.400", "Bad Request: The request body is larger than icemu "
                                          "accepts (limits.max_body_bytes).")


class RequestTimeoutTest(LimitTestCase):
    icemu_args = ("--request-timeout-ms", "2000", "--idle-timeout-ms", "1500")

    def test_a_byte_a_second_is_cut_off_at_the_deadline_with_408(self):
        conn = Conn(self.icemu.port)
        request = aws_request("ListInstances", extra="X-Slow: %s\r\n" % ("s" * 60))
        # The request line and X-Amz-Target at once, then a byte a second: the rest would take a
        # minute. The deadline is not renewed by each byte (and the idle timeout, 1.5 s, is never
        # reached between two bytes).
        first = request.index(b"\r\n", request.index(b"X-Amz-Target")) + 2
        started = time.monotonic()
        conn.send(request[:first])
        answered = False
        for byte in request[first:]:
            if conn.readable_within(1.0):
                answered = True
                break
            conn.send(bytes([byte]))
        took = time.monotonic() - started
        self.assertTrue(answered, "still reading after %.1f s" % took)
        self.assertGreaterEqual(took, 1.9)
        self.assertLess(took, 6.0)
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertAwsError(status, headers, body, 408, "RequestTimeoutException",
                            "The request did not arrive completely within "
                            "limits.request_timeout_ms.")
        self.assertEqual(headers.get("connection"), "close")
        self.assertLogged("limits.request_timeout_ms", 2000, conn.port)
        self.assertIn("op=ListInstances status=408", self.icemu.log_text())

    def test_a_body_that_stalls_gets_huawei_408(self):
        conn = Conn(self.icemu.port)
        started = time.monotonic()
        conn.send("POST /v1/instances/ins-560aa041748d679e/permission-sets HTTP/1.1\r\n"
                  "Host: icemu\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                  '{"name": ')
        status, headers, body = parse_response(conn.read_until_closed())
        took = time.monotonic() - started
        conn.close()
        self.assertGreaterEqual(took, 1.9)
        self.assertLess(took, 6.0)
        self.assertHuaweiError(status, headers, body, 408, "IIC.408",
                               "The request did not arrive completely within "
                               "limits.request_timeout_ms.")
        self.assertLogged("limits.request_timeout_ms", 2000, conn.port)
        # Nothing was created.
        status, _, listed = self.icemu.raw(
            "GET", "/v1/instances/ins-560aa041748d679e/permission-sets")
        self.assertEqual(json.loads(listed)["permission_sets"], [])

    def test_an_idle_keep_alive_connection_is_closed_without_an_answer(self):
        conn = Conn(self.icemu.port)
        conn.send("GET /_icemu/health HTTP/1.1\r\nHost: icemu\r\n\r\n")
        self.assertTrue(conn.readable_within(10.0))
        status, headers, _ = parse_response(conn.sock.recv(65536))
        self.assertEqual(status, 200)
        self.assertNotEqual(headers.get("connection"), "close")
        started = time.monotonic()
        rest = conn.read_until_closed()
        took = time.monotonic() - started
        conn.close()
        self.assertEqual(rest, b"")
        self.assertGreaterEqual(took, 1.3)
        self.assertLess(took, 6.0)

    def test_a_connection_that_never_sends_is_closed_at_the_idle_timeout(self):
        conn = Conn(self.icemu.port)
        started = time.monotonic()
        self.assertEqual(conn.read_until_closed(), b"")
        took = time.monotonic() - started
        conn.close()
        self.assertGreaterEqual(took, 1.3)
        self.assertLess(took, 6.0)


class ConnectionLimitTest(LimitTestCase):
    per_test = True
    icemu_args = ("--max-connections", "3", "--request-timeout-ms", "2000")

    def open_idle(self, n, served=True):
        """`n` open connections. `served`: each has been answered once (keep-alive), so it is
        one of the `max_connections` served ones; a connection a session of the harness had not
        yet released is answered 503 instead, and another one is opened."""
        conns = []
        deadline = time.monotonic() + 10
        while len(conns) < n:
            conn = Conn(self.icemu.port)
            self.addCleanup(conn.close)
            if not served:
                conns.append(conn)
                continue
            conn.send("GET /_icemu/health HTTP/1.1\r\nHost: icemu\r\n\r\n")
            self.assertTrue(conn.readable_within(10.0))
            if parse_response(conn.sock.recv(65536))[0] == 200:
                conns.append(conn)
                continue
            self.assertLess(time.monotonic(), deadline, "no connection was served")
            conn.close()
            time.sleep(0.05)
        return conns

    def test_connections_over_the_limit_get_503_until_one_closes(self):
        idle = self.open_idle(3)
        conn = Conn(self.icemu.port)
        conn.send(aws_request("ListInstances"))
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertAwsError(status, headers, body, 503, "ServiceUnavailableException",
                            "icemu has as many connections open as it accepts "
                            "(limits.max_connections); retry later.")
        self.assertEqual(headers.get("retry-after"), "1")
        self.assertEqual(headers.get("connection"), "close")
        self.assertLogged("limits.max_connections", 3, conn.port)

        conn = Conn(self.icemu.port)
        conn.send("GET /v1/instances HTTP/1.1\r\nHost: icemu\r\n\r\n")
        status, headers, body = parse_response(conn.read_until_closed())
        conn.close()
        self.assertHuaweiError(status, headers, body, 503, "IIC.503",
                               "icemu has as many connections open as it accepts "
                               "(limits.max_connections); retry later.")

        # The served connections still work; once one closes, a new connection is served.
        idle[0].send("GET /_icemu/health HTTP/1.1\r\nHost: icemu\r\n\r\n")
        self.assertTrue(idle[0].readable_within(10.0))
        self.assertEqual(parse_response(idle[0].sock.recv(65536))[0], 200)
        idle[1].close()
        deadline = time.monotonic() + 10
        while True:
            status, _, _ = self.icemu.raw("GET", "/_icemu/health")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(status, 200)

    def test_an_sdk_retries_a_503_and_succeeds_once_a_connection_frees(self):
        idle = self.open_idle(3)
        sso = self.icemu.client(retries={"total_max_attempts": 6, "mode": "standard"})
        # Free a slot while the SDK backs off between its attempts.
        import threading
        timer = threading.Timer(0.3, idle[0].close)
        timer.start()
        self.addCleanup(timer.cancel)
        instances = sso.list_instances()["Instances"]
        self.assertEqual(len(instances), 1)

    def test_a_connection_over_the_limit_waits_for_its_request_no_longer_than_its_deadline(self):
        self.open_idle(3)
        conn = Conn(self.icemu.port)
        started = time.monotonic()
        self.assertEqual(conn.read_until_closed(), b"")  # not the idle timeout's 60 s
        took = time.monotonic() - started
        conn.close()
        self.assertGreaterEqual(took, 1.8)
        self.assertLess(took, 10.0)

    def test_beyond_the_503_connections_new_ones_are_closed_at_once(self):
        self.open_idle(3)
        # 64 more wait for their request to answer it 503; the next is closed unanswered.
        self.open_idle(64, served=False)
        time.sleep(0.2)
        conn = Conn(self.icemu.port)
        self.addCleanup(conn.close)
        self.assertTrue(conn.readable_within(5.0))
        self.assertEqual(conn.read_until_closed(limit_s=5.0), b"")
        deadline = time.monotonic() + 10
        while "connection closed unanswered" not in self.icemu.log_text():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        self.assertIn("limit=limits.max_connections value=3 peer=127.0.0.1:%d" % conn.port,
                      self.icemu.log_text())


class PageSizeTest(LimitTestCase):
    icemu_args = ("--max-page-size", "2")

    def test_aws_pages_are_capped_and_stay_paginated(self):
        arn = self.instance_arn()
        names = ["P%d" % i for i in range(5)]
        for name in names:
            self.create_permission_set(name)
        page = self.sso.list_permission_sets(InstanceArn=arn, MaxResults=100)
        self.assertEqual(len(page["PermissionSets"]), 2)
        self.assertIn("NextToken", page)
        seen = list(page["PermissionSets"])
        pages = 1
        while "NextToken" in page:
            page = self.sso.list_permission_sets(InstanceArn=arn, MaxResults=100,
                                                 NextToken=page["NextToken"])
            self.assertLessEqual(len(page["PermissionSets"]), 2)
            seen += page["PermissionSets"]
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(len(set(seen)), 5)
        # The paginator walks them as any client would.
        paginated = [p for page in self.sso.get_paginator("list_permission_sets").paginate(
            InstanceArn=arn) for p in page["PermissionSets"]]
        self.assertEqual(paginated, seen)
        # A smaller MaxResults still wins, and the model's bound still holds.
        self.assertEqual(len(self.sso.list_permission_sets(
            InstanceArn=arn, MaxResults=1)["PermissionSets"]), 1)
        with self.assertRaises(ClientError) as cm:
            self.sso.list_permission_sets(InstanceArn=arn, MaxResults=101)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")

    def test_huawei_pages_are_capped_and_stay_paginated(self):
        base = "/v1/instances/ins-560aa041748d679e/permission-sets"
        for i in range(5):
            status, _, body = self.icemu.raw("POST", base, json.dumps({"name": "H%d" % i}).encode(),
                                             {"Content-Type": "application/json"})
            self.assertEqual(status, 200, body)
        seen = []
        marker = None
        pages = 0
        while True:
            query = "?limit=100" + ("&marker=" + marker if marker else "")
            status, _, body = self.icemu.raw("GET", base + query)
            self.assertEqual(status, 200, body)
            page = json.loads(body)
            self.assertLessEqual(len(page["permission_sets"]), 2)
            self.assertEqual(page["page_info"]["current_count"], len(page["permission_sets"]))
            seen += [p["permission_set_id"] for p in page["permission_sets"]]
            pages += 1
            marker = page["page_info"]["next_marker"]
            if marker is None:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(len(set(seen)), 5)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Prints the signature vectors of tests/unit/auth/*_test.cpp, computed by independent signers.

Usage (from the repository root):
    python3 tools/gen_auth_vectors.py

SigV4 vectors come from botocore's own signer (SigV4Auth with its clock fixed at
2015-08-30T12:36:00Z, the date of the AWS SigV4 test suite). SDK-HMAC-SHA256 vectors come from
the SDK-HMAC-SHA256 signer Huawei Cloud documents for API request signing (its step 4: path decoded then each segment
re-encoded, trailing `/`; query decoded, sorted, re-encoded), written out below with hashlib and
hmac only. The unit tests hold the printed values; this script is how they were obtained, not
something the build runs.
"""

import datetime
import hashlib
import hmac
from unittest import mock
from urllib.parse import quote, unquote, unquote_plus, urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AKID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
WHEN = datetime.datetime(2015, 8, 30, 12, 36, 0)


def sigv4(name, method, url, headers, body=b"", service="sso", token=None):
    request = AWSRequest(method=method, url=url, data=body)
    for key, value in headers:
        request.headers[key] = value  # HTTPHeaders appends: duplicates stay, in order
    credentials = Credentials(AKID, SECRET, token)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN):
        botocore.auth.SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    print("%s: %s" % (name, request.headers["Authorization"]))


def sdk_hmac(name, method, target, headers, body=b"", sk="sk-test-secret"):
    split = urlsplit(target)
    path = "/".join(quote(s, safe="~") for s in unquote(split.path).split("/"))
    path += "" if path.endswith("/") else "/"
    pairs = []
    for item in split.query.split("&") if split.query else []:
        key, _, value = item.partition("=")
        pairs.append((unquote_plus(key), unquote_plus(value)))
    query = "&".join("%s=%s" % (quote(k, safe="~"), quote(v, safe="~")) for k, v in sorted(pairs))
    low = {k.lower(): v.strip() for k, v in headers}
    signed = sorted(low)
    canonical = "\n".join([method, path, query, "".join("%s:%s\n" % (h, low[h]) for h in signed),
                           ";".join(signed), hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join(["SDK-HMAC-SHA256", low["x-sdk-date"],
                         hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    print("%s: SignedHeaders=%s, Signature=%s" % (name, ";".join(signed), signature))


def main():
    print("# SigV4 (botocore), service sso, us-east-1, %s" % WHEN.isoformat())
    body = b'{"InstanceArn":"arn:aws:sso:::instance/ssoins-560aa041748d679e"}'
    sigv4("sso-admin", "POST", "http://127.0.0.1:4577/",
          [("Content-Type", "application/x-amz-json-1.1"),
           ("X-Amz-Target", "SWBExternalService.ListPermissionSets")], body)
    sigv4("session-token", "POST", "http://127.0.0.1:4577/",
          [("Content-Type", "application/x-amz-json-1.1"),
           ("X-Amz-Target", "SWBExternalService.ListInstances")], b"{}", token="session-token-1")
    sigv4("header-value-trim", "GET", "http://example.amazonaws.com/",
          [("My-Header1", "  value1  "), ("My-Header2", '"a   b   c"')])
    sigv4("header-key-duplicate", "GET", "http://example.amazonaws.com/",
          [("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3")])
    sigv4("query-order", "GET", "http://example.amazonaws.com/?b=2&a=3&a=1&c=", [])
    sigv4("query-encoded", "GET", "http://example.amazonaws.com/?p=value%20one&q=a%2Fb", [])
    sigv4("path-relative", "GET", "http://example.amazonaws.com/example1/example2/../..", [])
    sigv4("path-slashes", "GET", "http://example.amazonaws.com//a//b/./c/", [])

    print("# SDK-HMAC-SHA256, SK sk-test-secret")
    common = [("Content-Type", "application/json"), ("Host", "127.0.0.1:4577"),
              ("X-Domain-Id", "0123456789abcdef0123456789abcdef"),
              ("X-Sdk-Date", "20150830T123600Z")]
    sdk_hmac("get-query", "GET",
             "/v1/instances/ins-560aa041748d679e/permission-sets?limit=10&name=Read%20Only",
             common)
    sdk_hmac("post-body", "POST", "/v1/instances/ins-560aa041748d679e/permission-sets", common,
             b'{"name":"ReadOnly"}')
    sdk_hmac("encoded-path", "GET",
             "/v1/instances/identitycenter%3Apermissionset/ps-0123456789abcdef/tags", common)
    sdk_hmac("query-plus-and-order", "GET", "/v1/instances?marker=b&limit=5&filter=a+b", common)


if __name__ == "__main__":
    main()

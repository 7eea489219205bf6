#!/usr/bin/env python3
"""Writes fuzz/corpus/auth/: raw HTTP requests signed for real (botocore's SigV4 signer and the
Huawei SDK-HMAC-SHA256 algorithm Huawei Cloud documents for API request signing) with the fuzz target's
credentials, at 2026-11-23T08:43:00Z (inside the target's fixed clock window), plus a few broken
variants. Run it again after changing the target's credentials or clock."""
import datetime
import hashlib
import hmac
import os
from unittest import mock
from urllib.parse import quote, unquote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "auth")
WHEN = datetime.datetime(2026, 11, 23, 8, 43, 0)


def raw(method, target, headers, body):
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def aws(body, token=None, target="/"):
    req = AWSRequest(method="POST", url="http://127.0.0.1:4577" + target, data=body, headers={
        "X-Amz-Target": "SWBExternalService.ListInstances",
        "Content-Type": "application/x-amz-json-1.1"})
    creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token)
    with mock.patch("botocore.auth.get_current_datetime", return_value=WHEN):
        SigV4Auth(creds, "sso", "us-east-1").add_auth(req)
    headers = {"Host": "127.0.0.1:4577"}
    headers.update({k: v for k, v in req.headers.items() if k.lower() != "host"})
    return raw("POST", target, headers, body)


def huawei(method, path, query, body, token=None):
    date = WHEN.strftime("%Y%m%dT%H%M%SZ")
    headers = {"Content-Type": "application/json", "Host": "127.0.0.1:4577",
               "X-Domain-Id": "0123456789abcdef0123456789abcdef", "X-Sdk-Date": date}
    if token:
        headers["X-Security-Token"] = token
    signed = sorted(k.lower() for k in headers)
    low = {k.lower(): v.strip() for k, v in headers.items()}
    curi = "/".join(quote(s, safe="~") for s in unquote(path).split("/"))
    curi += "" if curi.endswith("/") else "/"
    cq = "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query))
    creq = "\n".join([method, curi, cq, "".join(f"{h}:{low[h]}\n" for h in signed),
                      ";".join(signed), hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["SDK-HMAC-SHA256", date, hashlib.sha256(creq.encode()).hexdigest()])
    sig = hmac.new(b"huawei-secret", sts.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (f"SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, "
                                f"SignedHeaders={';'.join(signed)}, Signature={sig}")
    target = path + ("?" + "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}"
                                    for k, v in query) if query else "")
    return raw(method, target, headers, body)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {
        "aws_signed": aws(b"{}"),
        "aws_session_token": aws(b'{"MaxResults":10}', token="tok"),
        "aws_query_path": aws(b"{}", target="/a/./b/../c?b=2&a=1&a=%2F"),
        "aws_tampered": aws(b"{}").replace(b"\r\n\r\n{}", b"\r\n\r\n[]"),
        "aws_no_auth": raw("POST", "/", {"Host": "h", "X-Amz-Target": "SWBExternalService.ListInstances"}, b"{}"),
        "huawei_get": huawei("GET", "/v1/instances", [("limit", "10"), ("marker", "a b")], b""),
        "huawei_post": huawei("POST", "/v1/instances/ins-0123456789abcdef/permission-sets", [],
                              b'{"name":"x"}', token="session-token"),
        "huawei_bad_sig": huawei("GET", "/v1/instances", [], b"").replace(b"Signature=", b"Signature=00"),
    }
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds)} seeds to {OUT}")


if __name__ == "__main__":
    main()

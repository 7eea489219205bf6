#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/), from the calls the
integration tests make (tests/integration/*.py, tests/huawei/*.mjs): each seed is one short
call sequence of those tests in the record format of its target (fuzz/*_fuzz.cpp). Run it after
changing a target's format or to add seeds; the output is committed, so the build needs no
Python. Deterministic: the same files every run.

    python3 fuzz/make_corpus.py            # rewrites fuzz/corpus/
"""

import json
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEP = b"\x1e"

INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-$ins"
PS_ARN = "arn:aws:sso:::permissionSet/ssoins-$ins/ps-$ps"
ACCOUNT = "111122223333"
HW_ACCOUNT = "0a6d25d23900d45c0faac010e0fb4de0"
PRINCIPAL = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"

# The order of fuzz/aws_fuzz.cpp's table.
AWS_OPERATIONS = """AttachCustomerManagedPolicyReferenceToPermissionSet
AttachManagedPolicyToPermissionSet CreateAccountAssignment CreateInstance CreatePermissionSet
DeleteAccountAssignment DeleteInlinePolicyFromPermissionSet DeleteInstance DeletePermissionSet
DeletePermissionsBoundaryFromPermissionSet DescribeAccountAssignmentCreationStatus
DescribeAccountAssignmentDeletionStatus DescribeInstance DescribePermissionSet
DescribePermissionSetProvisioningStatus DetachCustomerManagedPolicyReferenceFromPermissionSet
DetachManagedPolicyFromPermissionSet GetInlinePolicyForPermissionSet
GetPermissionsBoundaryForPermissionSet ListAccountAssignmentCreationStatus
ListAccountAssignmentDeletionStatus ListAccountAssignments ListAccountAssignmentsForPrincipal
ListAccountsForProvisionedPermissionSet ListCustomerManagedPolicyReferencesInPermissionSet
ListInstances ListManagedPoliciesInPermissionSet ListPermissionSetProvisioningStatus
ListPermissionSets ListPermissionSetsProvisionedToAccount ListTagsForResource
ProvisionPermissionSet PutInlinePolicyToPermissionSet PutPermissionsBoundaryToPermissionSet
TagResource UntagResource UpdateInstance UpdatePermissionSet CreateApplication NoSuchOperation
""".split()


def huawei_routes():
    """(method, operation) of api/huawei/routes.cpp's table, in its order."""
    with open(os.path.join(ROOT, "api/huawei/routes.cpp")) as f:
        text = f.read()
    table = text[text.index("table{{"):]
    return re.findall(r"\{(get|post|put|del), [^,]+,\s*\"(\w+)\"", table)


def body(value):
    return value if isinstance(value, bytes) else json.dumps(value).encode()


def aws(*calls):
    """Records (operation, body[, signed]) for aws_fuzz."""
    out = []
    for call in calls:
        operation, payload = call[0], call[1]
        index = AWS_OPERATIONS.index(operation)
        if index == SEP[0]:  # the same operation, by the selector's modulo
            index += len(AWS_OPERATIONS)
        selector = index | (0x80 if len(call) > 2 else 0)
        out.append(bytes([selector]) + body(payload))
    return SEP.join(out)


ROUTES = None


def huawei(*calls):
    """Records for huawei_fuzz: (operation, suffix, body) through the route table, or
    (method, target, body) with a raw target."""
    global ROUTES
    if ROUTES is None:
        ROUTES = [op for _, op in huawei_routes()]
    raw = {"GET": 0x84, "POST": 0x85, "PUT": 0x80, "DELETE": 0x81, "PATCH": 0x82,
           "PROPFIND": 0x83}
    out = []
    for first, line, payload in calls:
        selector = raw[first] if first in raw else ROUTES.index(first)
        if selector == SEP[0]:  # the same route, by the selector's modulo
            selector += len(ROUTES)
        data = b"" if payload is None else body(payload)
        out.append(bytes([selector]) + line.encode() + b"\n" + data)
    return SEP.join(out)


def http_request(method, target, payload=b"", headers=(), close=False):
    lines = ["%s %s HTTP/1.1" % (method, target), "Host: 127.0.0.1:4577"]
    lines += ["%s: %s" % h for h in headers]
    data = body(payload) if payload != b"" else b""
    if data or method in ("POST", "PUT"):
        lines.append("Content-Length: %d" % len(data))
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def aws_http(operation, payload):
    return http_request("POST", "/", payload, (
        ("X-Amz-Target", "SWBExternalService." + operation),
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/sso/"
                          "aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, "
                          "Signature=595dd5eb")))


def seeds():
    out = {"aws": {}, "huawei": {}, "http": {}, "config": {}, "fixtures": {}}

    a = out["aws"]
    a["list_instances"] = aws(("ListInstances", {}), ("ListInstances", {"MaxResults": 1}))
    a["permission_set_lifecycle"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "ReadOnly",
                                 "Description": "Read only", "SessionDuration": "PT1H",
                                 "RelayState": "https://example.com/start",
                                 "Tags": [{"Key": "team", "Value": "a"}]}),
        ("DescribePermissionSet", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN}),
        ("UpdatePermissionSet", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
                                 "Description": "changed", "SessionDuration": "PT2H"}),
        ("ListPermissionSets", {"InstanceArn": INSTANCE_ARN, "MaxResults": 1}),
        ("DeletePermissionSet", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN}))
    a["provision"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Prov"}),
        ("ProvisionPermissionSet", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
                                    "TargetType": "AWS_ACCOUNT", "TargetId": ACCOUNT}),
        ("DescribePermissionSetProvisioningStatus",
         {"InstanceArn": INSTANCE_ARN, "ProvisionPermissionSetRequestId": "$req"}),
        ("ListPermissionSetProvisioningStatus",
         {"InstanceArn": INSTANCE_ARN, "Filter": {"Status": "SUCCEEDED"}, "MaxResults": 10}),
        ("ProvisionPermissionSet", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
                                    "TargetType": "ALL_PROVISIONED_ACCOUNTS"}),
        ("ListAccountsForProvisionedPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ProvisioningStatus": "LATEST_PERMISSION_SET_PROVISIONED"}),
        ("ListPermissionSetsProvisionedToAccount",
         {"InstanceArn": INSTANCE_ARN, "AccountId": ACCOUNT}))
    a["assignments"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Assign"}),
        ("CreateAccountAssignment", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
                                     "TargetId": ACCOUNT, "TargetType": "AWS_ACCOUNT",
                                     "PrincipalType": "USER", "PrincipalId": PRINCIPAL}),
        ("DescribeAccountAssignmentCreationStatus",
         {"InstanceArn": INSTANCE_ARN, "AccountAssignmentCreationRequestId": "$req"}),
        ("ListAccountAssignments", {"InstanceArn": INSTANCE_ARN, "AccountId": ACCOUNT,
                                    "PermissionSetArn": PS_ARN}),
        ("ListAccountAssignmentsForPrincipal",
         {"InstanceArn": INSTANCE_ARN, "PrincipalType": "USER", "PrincipalId": PRINCIPAL,
          "Filter": {"AccountId": ACCOUNT}}),
        ("DeleteAccountAssignment", {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
                                     "TargetId": ACCOUNT, "TargetType": "AWS_ACCOUNT",
                                     "PrincipalType": "USER", "PrincipalId": PRINCIPAL}),
        ("DescribeAccountAssignmentDeletionStatus",
         {"InstanceArn": INSTANCE_ARN, "AccountAssignmentDeletionRequestId": "$req"}),
        ("ListAccountAssignmentCreationStatus", {"InstanceArn": INSTANCE_ARN}))
    a["policies"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Pol"}),
        ("PutInlinePolicyToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "InlinePolicy": json.dumps({"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})}),
        ("GetInlinePolicyForPermissionSet", {"InstanceArn": INSTANCE_ARN,
                                             "PermissionSetArn": PS_ARN}),
        ("AttachManagedPolicyToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ("ListManagedPoliciesInPermissionSet", {"InstanceArn": INSTANCE_ARN,
                                                "PermissionSetArn": PS_ARN}),
        ("AttachCustomerManagedPolicyReferenceToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "CustomerManagedPolicyReference": {"Name": "mine", "Path": "/team/"}}),
        ("DetachManagedPolicyFromPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ManagedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        ("DeleteInlinePolicyFromPermissionSet", {"InstanceArn": INSTANCE_ARN,
                                                 "PermissionSetArn": PS_ARN}))
    a["boundary"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Bound"}),
        ("PutPermissionsBoundaryToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN, "PermissionsBoundary": {
             "ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}}),
        ("GetPermissionsBoundaryForPermissionSet", {"InstanceArn": INSTANCE_ARN,
                                                    "PermissionSetArn": PS_ARN}),
        ("PutPermissionsBoundaryToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN, "PermissionsBoundary": {
             "CustomerManagedPolicyReference": {"Name": "b"}}}),
        ("ListCustomerManagedPolicyReferencesInPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN}),
        ("DeletePermissionsBoundaryFromPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN}))
    a["tags"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Tagged"}),
        ("TagResource", {"InstanceArn": INSTANCE_ARN, "ResourceArn": PS_ARN,
                         "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]}),
        ("ListTagsForResource", {"InstanceArn": INSTANCE_ARN, "ResourceArn": PS_ARN}),
        ("UntagResource", {"InstanceArn": INSTANCE_ARN, "ResourceArn": PS_ARN,
                           "TagKeys": ["a"]}),
        ("TagResource", {"ResourceArn": "arn:aws:sso:::instance/ssoins-$ins",
                         "Tags": [{"Key": "x", "Value": "y"}]}))
    a["instances"] = aws(
        ("CreateInstance", {"Name": "second", "ClientToken": "token-1",
                            "Tags": [{"Key": "k", "Value": "v"}]}, True),
        ("ListInstances", {}),
        ("DescribeInstance", {"InstanceArn": INSTANCE_ARN}),
        ("UpdateInstance", {"InstanceArn": INSTANCE_ARN, "Name": "renamed",
                            "EncryptionConfiguration": {"KeyType": "AWS_OWNED_KMS_KEY"}}),
        ("DeleteInstance", {"InstanceArn": "arn:aws:sso:::instance/ssoins-0000000000000000"}))
    a["encryption"] = aws(
        ("UpdateInstance", {"InstanceArn": INSTANCE_ARN, "EncryptionConfiguration": {
            "KeyType": "CUSTOMER_MANAGED_KEY",
            "KmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/"
                         "1234abcd-12ab-34cd-56ef-1234567890ab"}}),
        ("DescribeInstance", {"InstanceArn": INSTANCE_ARN}),
        ("UpdateInstance", {"InstanceArn": INSTANCE_ARN,
                            "EncryptionConfiguration": {"KeyType": "AWS_OWNED_KMS_KEY"}}),
        ("UpdateInstance", {"InstanceArn": INSTANCE_ARN,
                            "EncryptionConfiguration": {"KeyType": "CUSTOMER_MANAGED_KEY"}}),
        ("DeleteInstance", {"InstanceArn": INSTANCE_ARN}))
    a["managed_policy_catalogue"] = aws(
        ("CreatePermissionSet", {"InstanceArn": INSTANCE_ARN, "Name": "Catalogue"}),
        ("AttachManagedPolicyToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ManagedPolicyArn": "arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess"}),
        ("AttachManagedPolicyToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ManagedPolicyArn": "arn:aws:iam::aws:policy/DoesNotExist"}),
        ("AttachManagedPolicyToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN,
          "ManagedPolicyArn": "arn:aws:iam::aws:policy/service-role/AWSConfigRole"}),
        ("PutPermissionsBoundaryToPermissionSet",
         {"InstanceArn": INSTANCE_ARN, "PermissionSetArn": PS_ARN, "PermissionsBoundary": {
             "ManagedPolicyArn": "arn:aws-us-gov:iam::aws:policy/DoesNotExist"}}),
        ("ListManagedPoliciesInPermissionSet", {"InstanceArn": INSTANCE_ARN,
                                                "PermissionSetArn": PS_ARN}))
    # The bad-input corpus (tests/integration/test_bad_input.py) in this target's format.
    a["bad_json"] = aws(("CreatePermissionSet", b'{"InstanceArn": '),
                        ("ListPermissionSets", b"[]"),
                        ("ListPermissionSets", b'{"InstanceArn": 12}'),
                        ("ListInstances", b'{"MaxResults": 1e400}'),
                        ("ListInstances", b'{"MaxResults": 99999999999999999999}'),
                        ("ListInstances", b'{"MaxResults": 1, "MaxResults": 1000}'))
    a["bad_text"] = aws(("CreatePermissionSet", b'{"InstanceArn": "' + INSTANCE_ARN.encode() +
                         b'", "Name": "a\xff\xfe", "Description": "\xc0\xaf"}'),
                        ("CreatePermissionSet", b'{"InstanceArn": "' + INSTANCE_ARN.encode() +
                         b'", "Name": "a\\u0000b"}'),
                        ("DescribePermissionSet", b'{"InstanceArn": "' + INSTANCE_ARN.encode() +
                         b'\x00", "PermissionSetArn": "x"}'))
    a["nesting"] = aws(("ListInstances", b"[" * 200), ("ListInstances", b'{"a":' * 100 + b"1"))
    a["unimplemented"] = aws(("CreateApplication", {}), ("NoSuchOperation", b""))

    h = out["huawei"]
    base = "/v1/instances/ins-$ins"
    ps = base + "/permission-sets/ps-$ps"
    h["routes_no_body"] = huawei(("ListInstances", "", None),
                                 ("ListPermissionSets", "?limit=1", None),
                                 ("GetPermissionSetSummary", "", None),
                                 ("ListAccountAssignments", "?account_id=" + HW_ACCOUNT, None),
                                 ("ListPermissionSetProvisioningStatus", "?status=SUCCEEDED",
                                  None),
                                 ("ListAccountAssignmentCreationStatus", "", None))
    h["permission_set"] = huawei(
        ("CreatePermissionSet", "", {"name": "ReadOnly", "description": "d",
                                     "session_duration": "PT1H", "relay_state": "r",
                                     "tags": [{"key": "k", "value": "v"}]}),
        ("DescribePermissionSet", "", None),
        ("UpdatePermissionSet", "", {"description": "changed", "session_duration": "PT2H"}),
        ("ListPermissionSets", "?name=ReadOnly&limit=10", None),
        ("DeletePermissionSet", "", None))
    h["policies"] = huawei(
        ("CreatePermissionSet", "", {"name": "Pol"}),
        ("AttachManagedPolicyToPermissionSet", "", {"managed_policy_id": "abc123"}),
        ("ListManagedPoliciesInPermissionSet", "?limit=5", None),
        ("AttachManagedRoleToPermissionSet", "", {"managed_role_id": "role1",
                                                  "managed_role_name": "Admin"}),
        ("PutCustomPolicyToPermissionSet", "", {"custom_policy": json.dumps(
            {"Version": "5.0", "Statement": [{"Effect": "Allow", "Action": ["obs:*:*"]}]})}),
        ("GetCustomPolicyForPermissionSet", "", None),
        ("PutCustomRoleToPermissionSet", "", {"custom_role": json.dumps(
            {"Version": "1.1", "Statement": [{"Effect": "Allow", "Action": ["obs:*:*"]}]})}),
        ("DetachManagedRoleFromPermissionSet", "", {"managed_role_id": "role1"}),
        ("AttachManagedRoleToPermissionSet", "", {"managed_role_id": "role2"}),
        ("ListManagedRolesInPermissionSet", "", None))
    h["provision"] = huawei(
        ("CreatePermissionSet", "", {"name": "Prov"}),
        ("ProvisionPermissionSet", "", {"target_type": "ACCOUNT", "target_id": HW_ACCOUNT}),
        ("DescribePermissionSetProvisioningStatus", "", None),
        ("ListAccountsForProvisionedPermissionSet", "", None),
        ("ListPermissionSetsProvisionedToAccount", "?account_id=" + HW_ACCOUNT, None))
    h["assignments"] = huawei(
        ("CreatePermissionSet", "", {"name": "Assign"}),
        ("CreateAccountAssignment", "", {"permission_set_id": "ps-$ps", "principal_id": "u1",
                                         "principal_type": "USER", "target_id": HW_ACCOUNT,
                                         "target_type": "ACCOUNT"}),
        ("DescribeAccountAssignmentCreationStatus", "", None),
        ("ListAccountAssignmentsForPrincipal", "?principal_id=u1&principal_type=USER", None),
        ("DeleteAccountAssignment", "", {"permission_set_id": "ps-$ps", "principal_id": "u1",
                                         "principal_type": "USER", "target_id": HW_ACCOUNT,
                                         "target_type": "ACCOUNT"}),
        ("DescribeAccountAssignmentDeletionStatus", "", None))
    h["tags"] = huawei(
        ("CreatePermissionSet", "", {"name": "Tags"}),
        ("CreateTagResource", "", {"tags": [{"key": "a", "value": "1"}]}),
        ("POST", "/v1/instances/identitycenter%3Apermissionset/ps-$ps/tags/delete",
         {"tags": [{"key": "a", "value": "1"}]}),
        ("ListTagResources", "", None))
    h["raw_paths"] = huawei(("GET", base + "/..%2f..", None),
                            ("GET", base + "/permission-sets/%00", None),
                            ("GET", "/v1/instances/%2569ns-$ins/permission-sets", None),
                            ("GET", "/v1/instances/ins-%c0%ae%c0%ae/permission-sets", None),
                            ("PROPFIND", base + "/permission-sets", None),
                            ("PATCH", ps, {"name": "x"}),
                            ("DELETE", "/v1/instances", None))
    h["bad_bodies"] = huawei(("CreatePermissionSet", "", b'{"name": '),
                             ("CreatePermissionSet", "", b'["x"]'),
                             ("CreatePermissionSet", "", b'{"name": "\xff\xfe"}'),
                             ("CreatePermissionSet", "", b"[" * 200),
                             ("ListPermissionSets", "?limit=99999999999999999999", None),
                             ("ListPermissionSets", "?marker=" + "a" * 24, None))

    t = out["http"]
    admin_json = (("Content-Type", "application/json"),)
    t["health"] = http_request("GET", "/_icemu/health")
    t["admin_calls"] = (
        http_request("PUT", "/_icemu/scheduler", {"mode": "auto", "delay_ms": {"min": 0, "max": 5},
                                                  "polls": 2, "seed": 7}, admin_json) +
        http_request("POST", "/_icemu/clock/advance", {"ms": 1000}, admin_json) +
        http_request("GET", "/_icemu/requests?status=IN_PROGRESS&kind=PROVISION&instance=ins-$ins"
                     .replace("$ins", "560aa041748d679e")) +
        http_request("POST", "/_icemu/reset?instance=560aa041748d679e", b""))
    t["faults"] = (
        http_request("PUT", "/_icemu/faults", {"rules": [
            {"match": {"operation": "ListPermissionSets", "surface": "aws"},
             "error": {"code": "ThrottlingException", "latency_ms": 0}, "times": 3},
            {"match": {"kind": "ASSIGNMENT_CREATE", "permission_set_name": "Broken*",
                       "probability": 0.1}, "outcome": {"status": "IN_PROGRESS"}}]}, admin_json) +
        http_request("GET", "/_icemu/faults") + http_request("DELETE", "/_icemu/faults") +
        http_request("GET", "/_icemu/metrics", close=True))
    t["settle"] = http_request("POST", "/_icemu/requests/00000000-0000-4000-8000-000000000000/"
                               "settle", {"status": "FAILED", "failure_reason": "x"}, admin_json)
    t["aws_create"] = (aws_http("CreatePermissionSet", {
        "InstanceArn": "arn:aws:sso:::instance/ssoins-560aa041748d679e", "Name": "ReadOnly"}) +
        aws_http("ListPermissionSets", {
            "InstanceArn": "arn:aws:sso:::instance/ssoins-560aa041748d679e"}))
    t["aws_bad"] = (aws_http("ListInstances", b'{"MaxResults": 1e400}') +
                    http_request("BREW", "/", b"{}", (
                        ("X-Amz-Target", "SWBExternalService.ListInstances"),
                        ("Content-Type", "application/x-amz-json-1.1"))))
    t["huawei"] = (
        http_request("GET", "/v1/instances", headers=(("X-Domain-Id", HW_ACCOUNT),)) +
        http_request("POST", "/v1/instances/ins-560aa041748d679e/permission-sets",
                     {"name": "ReadOnly"}, (("Content-Type", "application/json"),)) +
        http_request("GET", "/v1/instances/ins-560aa041748d679e/permission-sets?limit=1"))
    t["huawei_paths"] = (
        http_request("GET", "/v1/instances/ins-560aa041748d679e/..%2f..") +
        http_request("GET", "/v1/instances/%00/permission-sets") +
        http_request("PROPFIND", "/v1/instances") + http_request("GET", "/unknown"))
    t["chunked"] = (b"POST /_icemu/clock/advance HTTP/1.1\r\nHost: x\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n6\r\n{\"ms\":\r\n2\r\n5}\r\n0\r\n\r\n")
    t["moto_reset"] = http_request("POST", "/moto-api/reset") + http_request(
        "GET", "/_icemu/requests?kind=INSTANCE_ENCRYPTION", close=True)
    # Malformed HTTP (test_bad_input.py): answered 400 in the request line's dialect.
    t["malformed_line"] = b"THIS IS NOT HTTP\r\n\r\n"
    t["malformed_version"] = b"GET /v1/instances HTTP/9.9\r\nHost: x\r\n\r\n"
    t["malformed_field"] = b"GET /_icemu/health HTTP/1.1\r\nHost: x\r\nBad Field: y\r\n\r\n"
    t["malformed_chunk"] = (b"POST / HTTP/1.1\r\nHost: x\r\n"
                            b"X-Amz-Target: SWBExternalService.ListInstances\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    t["malformed_length"] = (b"POST /v1/instances/ins-560aa041748d679e/permission-sets HTTP/1.1"
                             b"\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
    t["too_large"] = http_request("POST", "/v1/instances/ins-560aa041748d679e/permission-sets",
                                  b'{"name":"' + b"a" * 4100 + b'"}')

    c = out["config"]
    with open(os.path.join(ROOT, "conf/icemu.json"), "rb") as f:
        c["shipped"] = f.read()
    c["partial"] = body({"scheduler": {"mode": "manual", "delay_ms": 0}, "log": {"level": "warn"}})
    c["full"] = body({
        "listen": "[::1]:0", "db": ":memory:", "threads": 2,
        "log": {"level": "debug", "format": "json"},
        "scheduler": {"mode": "polls", "delay_ms": {"min": 5, "max": 10}, "polls": 3,
                      "seed": 18446744073709551615},
        "auth": {"mode": "verify", "default_account_id": HW_ACCOUNT, "credentials": [
            {"access_key_id": "AKID", "secret_access_key": "s", "account_id": ACCOUNT}]},
        "store": {"synchronous": "full", "cache_kib": 1024},
        "limits": {"max_body_bytes": 2048, "idle_timeout_ms": 100},
        "initial_state": {"instances": [
            {"owner_account_id": "123456789012", "instance_id": "ssoins-0123456789abcdef",
             "identity_store_id": "d-0123456789", "name": "main"},
            {"owner_account_id": HW_ACCOUNT, "identity_store_id":
             "01234567-89ab-cdef-0123-456789abcdef"}]},
        "fixtures": "/docker-entrypoint.d",
        "aws": {"extra_managed_policies": ["arn:aws:iam::aws:policy/NewPolicy",
                                           "arn:aws-cn:iam::aws:policy/team/Other"]}})
    c["faults"] = body({"faults": {"rules": [
        {"match": {"operation": "ProvisionPermissionSet", "account_id": "999999999999"},
         "outcome": {"status": "FAILED",
                     "failure_reason": "Received a 403 status error: Access denied by IAM."}},
        {"match": {"kind": "ASSIGNMENT_CREATE", "permission_set_name": "Broken*",
                   "probability": 0.1}, "outcome": {"status": "IN_PROGRESS"}, "times": 2},
        {"match": {"operation": "ListPermissionSets", "surface": "aws"},
         "error": {"code": "ThrottlingException", "latency_ms": 0}, "times": 3}]}})
    c["bad"] = b'{"listen": "127.0.0.1:99999", "threads": 1e400, "unknown": [' + b"[" * 100
    c["args_env"] = (b'{"db": "x.db"}\x00--listen\x00127.0.0.1:0\x00--scheduler-delay-ms=5-10'
                     b"\x00ICEMU_SCHEDULER_SEED=42\x00ICEMU_MAX_BODY_BYTES=2048\x00healthcheck")
    c["extra_managed_policies"] = (
        b'{"aws": {"extra_managed_policies": ["arn:aws:iam::aws:policy/A"]}}\x00'
        b"--aws-extra-managed-policies\x00arn:aws:iam::aws:policy/B,arn:aws:iam::aws:policy//C"
        b"\x00ICEMU_AWS_EXTRA_MANAGED_POLICIES=arn:aws-iso-b:iam::aws:policy/x/D")
    # store.cache_kib and store.mmap_mib by the file, their variables and flags (one out of range).
    c["store_cache_mmap"] = (
        b'{"store": {"cache_kib": 1024, "mmap_mib": 0}}\x00--store-cache-kib\x002048'
        b"\x00--store-mmap-mib=0\x00ICEMU_STORE_CACHE_KIB=4096\x00ICEMU_STORE_MMAP_MIB=1048577")
    f = out["fixtures"]
    with open(os.path.join(ROOT, "docker/fixtures/example.json"), "rb") as fh:
        f["example"] = fh.read()
    f["permission_sets_only"] = body({"permission_sets": [
        {"name": "A", "description": "d", "session_duration": "PT12H"}, {"name": "B"}]})
    f["instances"] = body({"instances": [
        {"owner_account_id": "210987654321", "name": "second"},
        {"owner_account_id": HW_ACCOUNT}]})
    f["assignment_unknown_set"] = body({"assignments": [
        {"permission_set": "Nope", "account_id": ACCOUNT, "principal_type": "USER",
         "principal_id": PRINCIPAL}]})
    f["duplicate_name"] = body({"permission_sets": [{"name": "A"}, {"name": "A"}]})
    f["bad"] = b'{"instances": [{"owner_account_id": 12}], "permission_sets": {"name": "x"}, "x": ['
    return out


def main():
    corpus = os.path.join(HERE, "corpus")
    for target, files in seeds().items():
        folder = os.path.join(corpus, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for name, data in sorted(files.items()):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        print("%s: %d seeds" % (target, len(files)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The smoke test of the Docker image (scripts/container-smoke.sh builds docker/Dockerfile, starts
the image, sets ICEMU_ENDPOINT and runs it).

It drives the containerised icemu with boto3: the fixture docker/fixtures/example.json is there
(the image ships it at /usr/local/share/icemu/fixtures/example.json and the script starts the
image with ICEMU_FIXTURES pointing at it), and a provisioning request goes from IN_PROGRESS to
SUCCEEDED twice: once settled through the admin API (manual mode), once by advancing the virtual
clock (auto mode). Exit status 0 when everything holds; otherwise one line per failed check.

The Huawei half is tests/huawei/container_smoke.mjs (the npm client), run right after this.
"""

import json
import os
import sys
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

ENDPOINT = os.environ.get("ICEMU_ENDPOINT", "http://127.0.0.1:4577").rstrip("/")
INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"  # owner 123456789012
# Derived from instance and name, so the same on every machine (docs/docker.md, "Fixtures").
READ_ONLY_ARN = "arn:aws:sso:::permissionSet/ssoins-560aa041748d679e/ps-c95483a2804f1294"
AUDITOR_ARN = "arn:aws:sso:::permissionSet/ssoins-3135a6abb8060144/ps-eef831ff4d57ba97"
ACCOUNT = "111122223333"
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"

failures = []


def check(ok, what):
    print("%s %s" % ("ok  " if ok else "FAIL", what))
    if not ok:
        failures.append(what)
    return ok


def admin(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
    req = urllib.request.Request(ENDPOINT + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def main():
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    for var in ("no_proxy", "NO_PROXY"):
        os.environ[var] = ",".join(filter(None, [os.environ.get(var, ""), "127.0.0.1", "localhost"]))
    sso = boto3.client("sso-admin", endpoint_url=ENDPOINT, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test",
                       config=Config(retries={"total_max_attempts": 1}, read_timeout=10))

    status, health = admin("GET", "/_icemu/health")
    check(status == 200 and health.get("status") == "ok", "GET /_icemu/health is ok: %s" % health)

    # The fixture (docker/fixtures/example.json), applied at first start.
    owners = sorted(i["OwnerAccountId"] for i in sso.list_instances()["Instances"])
    check(owners == ["123456789012", "210987654321"], "fixture instances: %s" % owners)
    sets = sso.list_permission_sets(InstanceArn=INSTANCE_ARN)["PermissionSets"]
    check(READ_ONLY_ARN in sets, "fixture permission set ReadOnly has its derived ARN")
    if READ_ONLY_ARN in sets:
        ps = sso.describe_permission_set(InstanceArn=INSTANCE_ARN,
                                         PermissionSetArn=READ_ONLY_ARN)["PermissionSet"]
        check(ps["Name"] == "ReadOnly" and ps.get("SessionDuration") == "PT1H",
              "ReadOnly as the fixture describes it")
        accounts = sso.list_accounts_for_provisioned_permission_set(
            InstanceArn=INSTANCE_ARN, PermissionSetArn=READ_ONLY_ARN)["AccountIds"]
        check(accounts == [ACCOUNT], "the fixture assignment provisioned ReadOnly to %s" % ACCOUNT)
    assigned = sso.list_account_assignments(
        InstanceArn="arn:aws:sso:::instance/ssoins-3135a6abb8060144", AccountId="444455556666",
        PermissionSetArn=AUDITOR_ARN)["AccountAssignments"]
    check([a["PrincipalId"] for a in assigned] == [USER], "the fixture assignment in instance 2")
    _, listed = admin("GET", "/_icemu/requests")
    check(listed.get("requests") == [], "fixtures leave no request behind")

    # One request from IN_PROGRESS to SUCCEEDED, settled through the admin API.
    admin("PUT", "/_icemu/scheduler", {"mode": "manual"})
    ps_arn = sso.create_permission_set(InstanceArn=INSTANCE_ARN, Name="Smoke")["PermissionSet"][
        "PermissionSetArn"]
    created = sso.create_account_assignment(
        InstanceArn=INSTANCE_ARN, PermissionSetArn=ps_arn, TargetId=ACCOUNT,
        TargetType="AWS_ACCOUNT", PrincipalType="USER", PrincipalId=USER,
    )["AccountAssignmentCreationStatus"]
    check(created["Status"] == "IN_PROGRESS", "CreateAccountAssignment answers IN_PROGRESS")

    def creation_status():
        return sso.describe_account_assignment_creation_status(
            InstanceArn=INSTANCE_ARN, AccountAssignmentCreationRequestId=created["RequestId"],
        )["AccountAssignmentCreationStatus"]["Status"]

    check(creation_status() == "IN_PROGRESS", "still IN_PROGRESS in manual mode")
    status, settled = admin("POST", "/_icemu/requests/%s/settle" % created["RequestId"],
                            {"status": "SUCCEEDED"})
    check(status == 200 and settled.get("status") == "SUCCEEDED", "settled through the admin API")
    check(creation_status() == "SUCCEEDED", "DescribeAccountAssignmentCreationStatus: SUCCEEDED")

    # A provisioning request settled by moving the virtual clock (auto mode, 1 s delay).
    admin("PUT", "/_icemu/scheduler", {"mode": "auto", "delay_ms": {"min": 1000, "max": 1000}})
    provision = sso.provision_permission_set(
        InstanceArn=INSTANCE_ARN, PermissionSetArn=ps_arn, TargetType="AWS_ACCOUNT",
        TargetId=ACCOUNT)["PermissionSetProvisioningStatus"]
    check(provision["Status"] == "IN_PROGRESS", "ProvisionPermissionSet answers IN_PROGRESS")
    status, advanced = admin("POST", "/_icemu/clock/advance", {"ms": 1000})
    check(status == 200 and provision["RequestId"] in advanced.get("settled", []),
          "POST /_icemu/clock/advance settled it")
    final = sso.describe_permission_set_provisioning_status(
        InstanceArn=INSTANCE_ARN, ProvisionPermissionSetRequestId=provision["RequestId"],
    )["PermissionSetProvisioningStatus"]["Status"]
    check(final == "SUCCEEDED", "DescribePermissionSetProvisioningStatus: SUCCEEDED")

    if failures:
        print("container smoke: %d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("container smoke: all checks passed against %s" % ENDPOINT)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""boto3 for the console test (node cannot import it): one sso-admin call per invocation, its
answer as JSON on stdout.

    python3 boto3_helper.py ENDPOINT create-and-provision NAME ACCOUNT -> {"request_id": ...}
    python3 boto3_helper.py ENDPOINT provisioning-status REQUEST_ID  -> the status object
    python3 boto3_helper.py ENDPOINT list-permission-sets            -> {"count": N}
    python3 boto3_helper.py ENDPOINT create-user USER GROUP          -> {"user_id": ...}
"""

import json
import os
import sys

import boto3
from botocore.config import Config

for var in ("no_proxy", "NO_PROXY"):
    os.environ[var] = ",".join(filter(None, [os.environ.get(var, ""), "127.0.0.1", "localhost"]))


def client(endpoint, service="sso-admin"):
    session = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE",
                                    aws_secret_access_key="secret", region_name="us-east-1")
    return session.client(service, endpoint_url=endpoint,
                          config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def main(endpoint, command, *args):
    sso = client(endpoint)
    instance = sso.list_instances()["Instances"][0]["InstanceArn"]
    if command == "create-and-provision":
        name, account = args
        ps = sso.create_permission_set(InstanceArn=instance, Name=name)["PermissionSet"]
        status = sso.provision_permission_set(
            InstanceArn=instance, PermissionSetArn=ps["PermissionSetArn"], TargetId=account,
            TargetType="AWS_ACCOUNT")["PermissionSetProvisioningStatus"]
        return {"request_id": status["RequestId"]}
    if command == "provisioning-status":
        return sso.describe_permission_set_provisioning_status(
            InstanceArn=instance, ProvisionPermissionSetRequestId=args[0]
        )["PermissionSetProvisioningStatus"]
    if command == "list-permission-sets":
        try:
            return {"count": len(sso.list_permission_sets(InstanceArn=instance)
                                 ["PermissionSets"])}
        except sso.exceptions.ClientError as e:
            return {"error": e.response["Error"]["Code"]}
    if command == "create-user":
        user_name, group_name = args
        ids = client(endpoint, "identitystore")
        store = sso.list_instances()["Instances"][0]["IdentityStoreId"]
        user = ids.create_user(IdentityStoreId=store, UserName=user_name,
                               DisplayName=user_name.title(),
                               Name={"GivenName": user_name, "FamilyName": "Console"})["UserId"]
        group = ids.create_group(IdentityStoreId=store, DisplayName=group_name)["GroupId"]
        ids.create_group_membership(IdentityStoreId=store, GroupId=group,
                                    MemberId={"UserId": user})
        return {"user_id": user}
    raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:]), default=str))

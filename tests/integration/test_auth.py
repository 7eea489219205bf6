"""The verify auth mode end to end, and the admin API's protection.

boto3 and the AWS CLI sign for real; botocore's own signer (SigV4Auth, its clock patched where a
test needs another date) signs the raw requests that no SDK would send as they are: a body other
than the one signed, a replay outside the 15-minute window, a malformed Authorization header.
Every refusal is asserted by its exception name and its whole text."""

import datetime
import hashlib
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import uuid
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from harness import REGION, IcemuTestCase, icemu_binary

ALICE = {"key": "AKIDALICE", "secret": "alice/K7MDENG+bPxRfiCY", "account": "111111111111"}
BOB = {"key": "AKIDBOB", "secret": "bob-secret", "account": "222222222222"}
CAROL = {"key": "AKIDCAROL", "secret": "carol-secret", "account": "333333333333"}  # no instance
TEMP = {"key": "ASIATEMPALICE", "secret": "temp-secret", "account": "111111111111",
        "token": "FwoGZXIvYXdzEXAMPLE//session-token"}
PRINCIPAL = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"

MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")
BASIC_DATE = "%Y%m%dT%H%M%SZ"


def verify_config():
    """The configuration of the verify-mode tests: three credentials, two owned instances."""
    def credential(c):
        out = {"access_key_id": c["key"], "secret_access_key": c["secret"],
               "account_id": c["account"]}
        if "token" in c:
            out["session_token"] = c["token"]
        return out
    return {
        "auth": {"mode": "verify",
                 "credentials": [credential(c) for c in (ALICE, BOB, CAROL, TEMP)]},
        "initial_state": {"instances": [{"owner_account_id": ALICE["account"]},
                                        {"owner_account_id": BOB["account"]}]},
        "scheduler": {"mode": "manual"},
    }


def sign(endpoint, operation, body, who, when=None, service="sso", region=REGION, token=None):
    """Headers botocore's SigV4 signer makes for an sso-admin call, at `when` (UTC, naive) or
    now."""
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "SWBExternalService." + operation,
    })
    credentials = Credentials(who["key"], who["secret"], token)
    signer = botocore.auth.SigV4Auth(credentials, service, region)
    if when is None:
        signer.add_auth(request)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=when):
            signer.add_auth(request)
    return dict(request.headers.items())


class VerifyTestCase(IcemuTestCase):
    """One icemu in the verify mode per class, reset before each test."""

    @classmethod
    def setUpClass(cls):
        cls.config_dir = tempfile.mkdtemp(prefix="icemu-auth-")
        path = os.path.join(cls.config_dir, "icemu.json")
        with open(path, "w") as f:
            json.dump(verify_config(), f)
        cls.icemu_args = ("--config", path)
        try:
            super().setUpClass()
        except BaseException:
            shutil.rmtree(cls.config_dir, ignore_errors=True)
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.config_dir, ignore_errors=True)

    def client(self, who, secret=None, token=None, region=REGION):
        session = boto3.session.Session(
            aws_access_key_id=who["key"], aws_secret_access_key=secret or who["secret"],
            aws_session_token=token, region_name=region)
        return session.client("sso-admin", endpoint_url=self.icemu.endpoint, config=Config(
            retries={"total_max_attempts": 1, "mode": "standard"}))

    def own_instance(self, who):
        instances = self.client(who).list_instances()["Instances"]
        self.assertEqual(len(instances), 1, instances)
        return instances[0]["InstanceArn"]

    def send(self, operation, body, headers):
        """A raw call; returns (status, headers, parsed JSON body)."""
        status, res_headers, raw = self.icemu.raw("POST", "/", body, headers)
        return status, res_headers, json.loads(raw)

    def assertRefused(self, status, headers, body, error_type, message):
        """A Coral auth refusal: 400, x-amzn-ErrorType, {"__type", "message"}."""
        self.assertEqual(status, 400, body)
        self.assertEqual(headers.get("x-amzn-ErrorType"), error_type)
        self.assertEqual(body, {"__type": error_type, "message": message})


class SigV4Test(VerifyTestCase):

    def test_the_right_key_passes_and_acts_for_its_account(self):
        alice = self.client(ALICE)
        instances = alice.list_instances()["Instances"]
        self.assertEqual([i["OwnerAccountId"] for i in instances], [ALICE["account"]])
        arn = instances[0]["InstanceArn"]
        ps = alice.create_permission_set(InstanceArn=arn, Name="ReadOnly")["PermissionSet"]
        request = alice.create_account_assignment(
            InstanceArn=arn, PermissionSetArn=ps["PermissionSetArn"], TargetId="444455556666",
            TargetType="AWS_ACCOUNT", PrincipalType="USER", PrincipalId=PRINCIPAL,
        )["AccountAssignmentCreationStatus"]
        self.assertEqual(request["Status"], "IN_PROGRESS")
        # The admin API is never signature-checked.
        self.icemu.settle(request["RequestId"])
        status = alice.describe_account_assignment_creation_status(
            InstanceArn=arn, AccountAssignmentCreationRequestId=request["RequestId"])
        self.assertEqual(status["AccountAssignmentCreationStatus"]["Status"], "SUCCEEDED")

    def test_any_region_signs(self):
        arn = self.client(ALICE, region="ap-southeast-2").list_instances()["Instances"][0]
        self.assertEqual(arn["OwnerAccountId"], ALICE["account"])

    def test_a_wrong_secret_is_an_invalid_signature(self):
        with self.assertRaises(ClientError) as cm:
            self.client(ALICE, secret="not-the-secret").list_instances()
        error = cm.exception.response["Error"]
        self.assertEqual(error["Code"], "InvalidSignatureException")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # Coral's text, then the canonical request and string to sign it computed.
        self.assertTrue(error["Message"].startswith(
            MISMATCH + "\n\nThe Canonical String for this request should have been\n'POST\n/\n\n"
            "content-type:application/x-amz-json-1.1\nhost:127.0.0.1:%d\n" % self.icemu.port),
            error["Message"])
        self.assertIn("\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n",
                      error["Message"])

    def test_an_unknown_key_is_an_unrecognized_client(self):
        stranger = {"key": "AKIDSTRANGER", "secret": "whatever"}
        with self.assertRaises(ClientError) as cm:
            self.client(stranger).list_instances()
        self.assertEqual(cm.exception.response["Error"],
                         {"Code": "UnrecognizedClientException",
                          "Message": "The security token included in the request is invalid."})

    def test_a_body_other_than_the_signed_one_is_refused(self):
        arn = self.own_instance(ALICE)
        signed = json.dumps({"InstanceArn": arn}).encode()
        headers = sign(self.icemu.endpoint, "ListPermissionSets", signed, ALICE)
        status, _, body = self.send("ListPermissionSets", signed, headers)
        self.assertEqual((status, body), (200, {"PermissionSets": []}))

        tampered = json.dumps({"InstanceArn": arn, "MaxResults": 1}).encode()
        status, res_headers, body = self.send("ListPermissionSets", tampered, headers)
        self.assertEqual(status, 400)
        self.assertEqual(res_headers.get("x-amzn-ErrorType"), "InvalidSignatureException")
        self.assertEqual(body["__type"], "InvalidSignatureException")
        self.assertTrue(body["message"].startswith(MISMATCH), body)
        # The canonical request icemu computed ends with the hash of the body it received.
        self.assertIn("\n%s'\n" % hashlib.sha256(tampered).hexdigest(), body["message"])

    def test_a_replay_outside_the_15_minute_window_is_refused(self):
        arn = self.own_instance(ALICE)
        body = json.dumps({"InstanceArn": arn}).encode()
        now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

        old = now - datetime.timedelta(minutes=16)
        status, headers, answer = self.send(
            "DescribeInstance", body, sign(self.icemu.endpoint, "DescribeInstance", body, ALICE,
                                           when=old))
        self.assertEqual(status, 400)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "InvalidSignatureException")
        m = re.fullmatch(r"Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)",
                         answer["message"])
        self.assertIsNotNone(m, answer)
        self.assertEqual(m.group(1), old.strftime(BASIC_DATE))
        floor = datetime.datetime.strptime(m.group(2), BASIC_DATE)
        server_now = datetime.datetime.strptime(m.group(3), BASIC_DATE)
        self.assertEqual(server_now - floor, datetime.timedelta(minutes=15))
        # The window is measured against the real clock, not icemu's virtual one.
        self.assertLess(abs((server_now - now).total_seconds()), 60)

        ahead = now + datetime.timedelta(minutes=16)
        status, _, answer = self.send(
            "DescribeInstance", body, sign(self.icemu.endpoint, "DescribeInstance", body, ALICE,
                                           when=ahead))
        m = re.fullmatch(r"Signature not yet current: (\S+) is still later than (\S+) "
                         r"\((\S+) \+ 15 min\.\)", answer["message"])
        self.assertIsNotNone(m, answer)
        self.assertEqual(m.group(1), ahead.strftime(BASIC_DATE))

        # 14 minutes old is inside the window; advancing icemu's virtual clock changes nothing.
        self.icemu.advance(60 * 60 * 1000)
        recent = now - datetime.timedelta(minutes=14)
        status, _, answer = self.send(
            "DescribeInstance", body, sign(self.icemu.endpoint, "DescribeInstance", body, ALICE,
                                           when=recent))
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["InstanceArn"], arn)

    def test_no_or_a_malformed_authorization_header(self):
        body = b"{}"
        status, headers, answer = self.send("ListInstances", body, {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SWBExternalService.ListInstances"})
        self.assertRefused(status, headers, answer, "MissingAuthenticationTokenException",
                           "Request is missing Authentication Token")

        status, headers, answer = self.send("ListInstances", body, {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "SWBExternalService.ListInstances",
            "X-Amz-Date": "20260101T000000Z",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDALICE"})
        self.assertRefused(
            status, headers, answer, "IncompleteSignatureException",
            "Authorization header requires 'Signature' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Credential=AKIDALICE")

    def test_a_scope_for_another_service_is_refused(self):
        headers = sign(self.icemu.endpoint, "ListInstances", b"{}", ALICE, service="s3")
        status, res_headers, answer = self.send("ListInstances", b"{}", headers)
        self.assertRefused(status, res_headers, answer, "InvalidSignatureException",
                           "Credential should be scoped to correct service: 'sso'.")

    def test_session_tokens(self):
        temp = self.client(TEMP, token=TEMP["token"])
        self.assertEqual([i["OwnerAccountId"] for i in temp.list_instances()["Instances"]],
                         [TEMP["account"]])
        for token in ("another-token", None):
            with self.assertRaises(ClientError) as cm:
                self.client(TEMP, token=token).list_instances()
            self.assertEqual(cm.exception.response["Error"],
                             {"Code": "UnrecognizedClientException",
                              "Message": "The security token included in the request is invalid"})
        # A credential without a session token accepts a signed one (icemu's choice).
        self.assertEqual(len(self.client(ALICE, token="anything").list_instances()["Instances"]),
                         1)
        # An unsigned token is refused: a proxy could have swapped it.
        headers = sign(self.icemu.endpoint, "ListInstances", b"{}", TEMP)
        headers["X-Amz-Security-Token"] = TEMP["token"]
        status, res_headers, answer = self.send("ListInstances", b"{}", headers)
        self.assertRefused(status, res_headers, answer, "InvalidSignatureException",
                           "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS "
                           "Authorization.")

    @unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not installed")
    def test_the_aws_cli_signs_for_real(self):
        missing = os.path.join(self.icemu.tmp, "no-such-aws-config")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("ICEMU_")}
        env.update({"AWS_ACCESS_KEY_ID": BOB["key"], "AWS_SECRET_ACCESS_KEY": BOB["secret"],
                    "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "", "AWS_CONFIG_FILE": missing,
                    "AWS_SHARED_CREDENTIALS_FILE": missing})
        proc = subprocess.run(
            ["aws", "sso-admin", "list-instances", "--endpoint-url", self.icemu.endpoint,
             "--region", "eu-west-1", "--output", "json"],
            env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        instances = json.loads(proc.stdout)["Instances"]
        self.assertEqual([i["OwnerAccountId"] for i in instances], [BOB["account"]])


ABAC = {"AccessControlAttributes": [
    {"Key": "department", "Value": {"Source": ["${path:enterprise.department}"]}}]}


# Operations that name an instance, with inputs that pass the model's validation. Every
# implemented operation of the model with an InstanceArn member must be here (checked below).
def _calls(instance, ps, request_id):
    policy = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    target = {"InstanceArn": instance, "PermissionSetArn": ps}
    assignment = dict(target, TargetId="444455556666", TargetType="AWS_ACCOUNT",
                      PrincipalType="USER", PrincipalId=PRINCIPAL)
    return {
        "DescribeInstance": {"InstanceArn": instance},
        "UpdateInstance": {"InstanceArn": instance, "Name": "renamed"},
        "DeleteInstance": {"InstanceArn": instance},
        "CreatePermissionSet": {"InstanceArn": instance, "Name": "Intruder"},
        "DescribePermissionSet": target,
        "ListPermissionSets": {"InstanceArn": instance},
        "UpdatePermissionSet": dict(target, Description="changed"),
        "DeletePermissionSet": target,
        "PutInlinePolicyToPermissionSet": dict(target, InlinePolicy='{"Statement":[]}'),
        "GetInlinePolicyForPermissionSet": target,
        "DeleteInlinePolicyFromPermissionSet": target,
        "AttachManagedPolicyToPermissionSet": dict(target, ManagedPolicyArn=policy),
        "DetachManagedPolicyFromPermissionSet": dict(target, ManagedPolicyArn=policy),
        "ListManagedPoliciesInPermissionSet": target,
        "AttachCustomerManagedPolicyReferenceToPermissionSet":
            dict(target, CustomerManagedPolicyReference={"Name": "Mine"}),
        "DetachCustomerManagedPolicyReferenceFromPermissionSet":
            dict(target, CustomerManagedPolicyReference={"Name": "Mine"}),
        "ListCustomerManagedPolicyReferencesInPermissionSet": target,
        "PutPermissionsBoundaryToPermissionSet":
            dict(target, PermissionsBoundary={"ManagedPolicyArn": policy}),
        "GetPermissionsBoundaryForPermissionSet": target,
        "DeletePermissionsBoundaryFromPermissionSet": target,
        "TagResource": {"InstanceArn": instance, "ResourceArn": ps,
                        "Tags": [{"Key": "k", "Value": "v"}]},
        "UntagResource": {"InstanceArn": instance, "ResourceArn": ps, "TagKeys": ["k"]},
        "ListTagsForResource": {"InstanceArn": instance, "ResourceArn": ps},
        "ProvisionPermissionSet": dict(target, TargetType="ALL_PROVISIONED_ACCOUNTS"),
        "DescribePermissionSetProvisioningStatus":
            {"InstanceArn": instance, "ProvisionPermissionSetRequestId": request_id},
        "ListPermissionSetProvisioningStatus": {"InstanceArn": instance},
        "ListAccountsForProvisionedPermissionSet": target,
        "ListPermissionSetsProvisionedToAccount":
            {"InstanceArn": instance, "AccountId": "444455556666"},
        "CreateAccountAssignment": assignment,
        "DeleteAccountAssignment": assignment,
        "ListAccountAssignments":
            dict(target, AccountId="444455556666"),
        "ListAccountAssignmentsForPrincipal":
            {"InstanceArn": instance, "PrincipalType": "USER", "PrincipalId": PRINCIPAL},
        "DescribeAccountAssignmentCreationStatus":
            {"InstanceArn": instance, "AccountAssignmentCreationRequestId": request_id},
        "ListAccountAssignmentCreationStatus": {"InstanceArn": instance},
        "DescribeAccountAssignmentDeletionStatus":
            {"InstanceArn": instance, "AccountAssignmentDeletionRequestId": request_id},
        "ListAccountAssignmentDeletionStatus": {"InstanceArn": instance},
        "CreateApplication": {"InstanceArn": instance, "Name": "Intruder",
                              "ApplicationProviderArn":
                                  "arn:aws:sso::aws:applicationProvider/custom"},
        "ListApplications": {"InstanceArn": instance},
        "ListApplicationAssignmentsForPrincipal":
            {"InstanceArn": instance, "PrincipalType": "USER", "PrincipalId": PRINCIPAL},
        "CreateTrustedTokenIssuer": {
            "InstanceArn": instance, "Name": "Intruder", "TrustedTokenIssuerType": "OIDC_JWT",
            "TrustedTokenIssuerConfiguration": {"OidcJwtConfiguration": {
                "IssuerUrl": "https://idp.example.com", "ClaimAttributePath": "email",
                "IdentityStoreAttributePath": "emails.value",
                "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}},
        "ListTrustedTokenIssuers": {"InstanceArn": instance},
        "CreateInstanceAccessControlAttributeConfiguration": {
            "InstanceArn": instance, "InstanceAccessControlAttributeConfiguration": ABAC},
        "DescribeInstanceAccessControlAttributeConfiguration": {"InstanceArn": instance},
        "UpdateInstanceAccessControlAttributeConfiguration": {
            "InstanceArn": instance, "InstanceAccessControlAttributeConfiguration": ABAC},
        "DeleteInstanceAccessControlAttributeConfiguration": {"InstanceArn": instance},
        "AddRegion": {"InstanceArn": instance, "RegionName": "eu-west-1"},
        "DescribeRegion": {"InstanceArn": instance, "RegionName": "us-east-1"},
        "ListRegions": {"InstanceArn": instance},
        "RemoveRegion": {"InstanceArn": instance, "RegionName": "eu-west-1"},
    }


class TenancyTest(VerifyTestCase):

    def setUp(self):
        super().setUp()
        self.alice = self.client(ALICE)
        self.bob = self.client(BOB)
        self.arn = self.own_instance(ALICE)
        self.ps = self.alice.create_permission_set(
            InstanceArn=self.arn, Name="AliceOnly")["PermissionSet"]["PermissionSetArn"]

    def denial(self, operation, account=BOB["account"]):
        return ("User: arn:aws:iam::%s:root is not authorized to perform: sso:%s on resource: %s "
                "because no resource-based policy allows the sso:%s action"
                % (account, operation, self.arn, operation))

    def call(self, who, operation, params):
        """A raw signed call; returns (status, parsed body)."""
        body = json.dumps(params).encode()
        status, _, answer = self.send(operation, body,
                                      sign(self.icemu.endpoint, operation, body, who))
        return status, answer

    def test_another_accounts_instance_is_access_denied(self):
        with self.assertRaises(ClientError) as cm:
            self.bob.describe_instance(InstanceArn=self.arn)
        self.assertEqual(cm.exception.response["Error"],
                         {"Code": "AccessDeniedException",
                          "Message": self.denial("DescribeInstance")})
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # Nothing happened to alice's instance.
        self.assertEqual(self.alice.list_permission_sets(InstanceArn=self.arn)["PermissionSets"],
                         [self.ps])

    def test_every_operation_that_names_an_instance_is_denied(self):
        calls = _calls(self.arn, self.ps, str(uuid.uuid4()))
        for operation, params in calls.items():
            with self.subTest(operation=operation):
                status, answer = self.call(BOB, operation, params)
                self.assertEqual((status, answer),
                                 (400, {"__type": "AccessDeniedException",
                                        "Message": self.denial(operation)}))
        # Alice's instance and permission set are as they were.
        self.assertEqual(self.alice.list_permission_sets(InstanceArn=self.arn)["PermissionSets"],
                         [self.ps])
        self.assertEqual(self.icemu.requests(), [])
        # The table covers every implemented operation of the model that has an InstanceArn:
        # the others answer 501 NotImplementedException.
        model = self.alice.meta.service_model
        named = set()
        for name in model.operation_names:
            if "InstanceArn" not in model.operation_model(name).input_shape.members:
                continue
            status, answer = self.call(ALICE, name, {})
            if answer.get("__type") != "NotImplementedException":
                named.add(name)
        self.assertEqual(named, set(calls))

    def test_an_application_arn_names_its_instance(self):
        app = self.alice.create_application(
            InstanceArn=self.arn, Name="AliceApp",
            ApplicationProviderArn="arn:aws:sso::aws:applicationProvider/custom")["ApplicationArn"]
        for operation in ("DescribeApplication", "DeleteApplication"):
            status, answer = self.call(BOB, operation, {"ApplicationArn": app})
            self.assertEqual((status, answer["Message"]), (400, self.denial(operation)))
        self.assertEqual(self.alice.describe_application(ApplicationArn=app)["Name"], "AliceApp")

    def test_tags_through_the_resource_arn_alone(self):
        status, answer = self.call(BOB, "TagResource",
                                   {"ResourceArn": self.ps, "Tags": [{"Key": "k", "Value": "v"}]})
        self.assertEqual((status, answer["Message"]), (400, self.denial("TagResource")))
        status, answer = self.call(BOB, "ListTagsForResource", {"ResourceArn": self.arn})
        self.assertEqual((status, answer["Message"]), (400, self.denial("ListTagsForResource")))

    def test_each_account_lists_and_creates_its_own_instance(self):
        bob_instances = self.bob.list_instances()["Instances"]
        self.assertEqual([i["OwnerAccountId"] for i in bob_instances], [BOB["account"]])
        carol = self.client(CAROL)
        self.assertEqual(carol.list_instances()["Instances"], [])
        created = carol.create_instance(Name="carol")["InstanceArn"]
        self.assertEqual([i["InstanceArn"] for i in carol.list_instances()["Instances"]],
                         [created])
        self.assertEqual(carol.describe_instance(InstanceArn=created)["OwnerAccountId"],
                         CAROL["account"])
        with self.assertRaises(ClientError) as cm:
            self.alice.describe_instance(InstanceArn=created)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDeniedException")
        # Alice still sees one instance: her own.
        self.assertEqual(len(self.alice.list_instances()["Instances"]), 1)

    def test_an_unknown_instance_is_still_not_found(self):
        with self.assertRaises(ClientError) as cm:
            self.bob.describe_instance(InstanceArn="arn:aws:sso:::instance/ssoins-0000000000000000")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")


class AdminProtectionTest(IcemuTestCase):
    """The admin API on its own listener and/or behind a token; the main address keeps
    /_icemu/health either way."""

    per_test = True

    def start_with(self, *args, env=None):
        port_dir = tempfile.mkdtemp(prefix="icemu-admin-")
        self.addCleanup(shutil.rmtree, port_dir, True)
        port_file = os.path.join(port_dir, "admin-port")
        args = list(args)
        if "--admin-listen" in args:
            args += ["--admin-port-file", port_file]
        server = self.start_icemu(args=args, env=env or {})
        admin_port = None
        if os.path.exists(port_file):
            with open(port_file) as f:
                admin_port = int(f.read())
        return server, admin_port

    def get(self, port, method, path, headers=None, body=b""):
        """A raw call to `port`; returns (status, headers, parsed JSON)."""
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, res.headers, json.loads(res.read())
        finally:
            conn.close()

    def setUp(self):
        # Each test starts its own icemu with its own flags (not the class's default one).
        unittest.TestCase.setUp(self)
        self._servers = []

    def test_the_console_is_served_where_the_admin_api_is(self):
        server, admin_port = self.start_with("--admin-listen", "127.0.0.1:0",
                                             env={"ICEMU_ADMIN_TOKEN": "t0ken"})

        def fetch(port, path):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path)
                res = conn.getresponse()
                return res.status, res.headers.get("Content-Type"), res.read()
            finally:
                conn.close()

        # Not on the main address.
        self.assertEqual(fetch(server.port, "/_icemu/ui")[0], 404)
        # On the admin address, without the token (the files hold no data); its calls need it.
        status, content_type, page = fetch(admin_port, "/_icemu/ui")
        self.assertEqual((status, content_type), (200, "text/html; charset=utf-8"))
        self.assertIn(b"/_icemu/ui/console.js", page)
        for name, kind in [("console.js", "text/javascript; charset=utf-8"),
                           ("console.css", "text/css; charset=utf-8"),
                           ("favicon.svg", "image/svg+xml")]:
            status, content_type, body = fetch(admin_port, "/_icemu/ui/" + name)
            self.assertEqual((status, content_type), (200, kind), name)
            self.assertGreater(len(body), 100, name)
        self.assertEqual(fetch(admin_port, "/_icemu/ui/nope.js")[0], 404)
        self.assertEqual(fetch(admin_port, "/_icemu/journal")[0], 401)
        self.assertEqual(fetch(admin_port, "/_icemu/state")[0], 401)

    def test_a_separate_admin_listener_with_a_token(self):
        server, admin_port = self.start_with("--admin-listen", "127.0.0.1:0",
                                             env={"ICEMU_ADMIN_TOKEN": "t0ken"})
        self.assertIsNotNone(admin_port)
        self.assertNotEqual(admin_port, server.port)
        # The main address: health, and the two surfaces, nothing else of /_icemu/.
        self.assertEqual(self.get(server.port, "GET", "/_icemu/health")[0], 200)
        status, _, body = self.get(server.port, "POST", "/_icemu/reset")
        self.assertEqual((status, body), (404, {
            "error": "not_found", "message": "no admin call /_icemu/reset on this address: the "
                                             "admin API listens on its own address"}))
        self.assertEqual(len(server.client().list_instances()["Instances"]), 1)
        # The admin address: the token on everything but health.
        self.assertEqual(self.get(admin_port, "GET", "/_icemu/health")[0], 200)
        status, headers, body = self.get(admin_port, "GET", "/_icemu/requests")
        self.assertEqual(status, 401)
        self.assertEqual(headers.get("WWW-Authenticate"), 'Bearer realm="icemu"')
        self.assertEqual(body["error"], "unauthorized")
        status, _, body = self.get(admin_port, "GET", "/_icemu/requests",
                                   {"Authorization": "Bearer t0ken"})
        self.assertEqual((status, body), (200, {"requests": []}))
        status, _, body = self.get(admin_port, "POST", "/_icemu/reset",
                                   {"X-Icemu-Admin-Token": "t0ken"})
        self.assertEqual((status, body), (200, {"reset": True}))
        self.assertEqual(self.get(admin_port, "GET", "/_icemu/requests",
                                  {"Authorization": "Bearer t0ke"})[0], 401)
        # The surfaces are not served there.
        status, _, body = self.get(admin_port, "POST", "/", {
            "X-Amz-Target": "SWBExternalService.ListInstances",
            "X-Icemu-Admin-Token": "t0ken"}, b"{}")
        self.assertEqual((status, body["error"]), (404, "not_found"))
        # icemu healthcheck asks the main address and needs no token.
        probe = subprocess.run([icemu_binary(), "healthcheck", "--listen",
                                "127.0.0.1:%d" % server.port],
                               env={"ICEMU_ADMIN_TOKEN": "t0ken", "PATH": os.environ["PATH"]},
                               capture_output=True, text=True, timeout=30, cwd=server.tmp)
        self.assertEqual(probe.returncode, 0, probe.stderr)

    def test_a_token_on_the_main_address(self):
        server, _ = self.start_with("--admin-token", "t0ken")
        self.assertEqual(self.get(server.port, "GET", "/_icemu/health")[0], 200)
        self.assertEqual(self.get(server.port, "POST", "/_icemu/reset")[0], 401)
        status, _, body = self.get(server.port, "POST", "/_icemu/reset",
                                   {"Authorization": "Bearer t0ken"})
        self.assertEqual((status, body), (200, {"reset": True}))

    def test_start_up_refuses_verify_without_credentials(self):
        directory = tempfile.mkdtemp(prefix="icemu-auth-")
        self.addCleanup(shutil.rmtree, directory, True)
        proc = subprocess.run([icemu_binary(), "--auth-mode", "verify", "--db", ":memory:"],
                              env={"PATH": os.environ["PATH"]}, capture_output=True, text=True,
                              timeout=30, cwd=directory)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(proc.stderr,
                         'icemu: auth.mode is "verify" but no credential is configured '
                         "(auth.credentials in the config file, or ICEMU_AUTH_CREDENTIALS)\n")


if __name__ == "__main__":
    unittest.main()

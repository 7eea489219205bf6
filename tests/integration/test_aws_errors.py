"""Every AWS error as boto3 sees it, and the JSON 1.1 wire format over raw HTTP. botocore
validates only `required`, `min` and types on the client side, so the invalid values below pass those checks and reach icemu."""

import json
import re
import unittest
import uuid

from botocore.exceptions import ClientError

from harness import IcemuTestCase

JSON_11 = "application/x-amz-json-1.1"
ACCOUNT_A = "111122223333"
USER_1 = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
UNKNOWN_INSTANCE = "arn:aws:sso:::instance/ssoins-0000000000000000"
RETRYABLE_STATUSES = {429, 500, 502, 503, 504, 509}


def _json_with_number_text(body):
    """Parses JSON keeping every number as ("number", its exact text)."""
    return json.loads(body, parse_float=lambda s: ("number", s),
                      parse_int=lambda s: ("number", s))


def _walk(value, path="$"):
    """Yields (path, key, value) for every member of every object, depth first."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from _walk(v, "%s.%s" % (path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, "%s[%d]" % (path, i))


class AwsErrorTestCase(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()
        self.ps_arn = self.create_permission_set("Errors", instance_arn=self.inst)[
            "PermissionSetArn"]

    def assertAwsError(self, code, call, *args, **kwargs):
        """A modelled client error: the code, HTTP 400, a message and a request id."""
        err = self.assertClientError(code, call, *args, **kwargs)
        meta = err.response["ResponseMetadata"]
        self.assertEqual(meta["HTTPStatusCode"], 400, err.response)
        self.assertTrue(meta.get("RequestId"), err.response)
        self.assertTrue(err.response["Error"]["Message"], err.response)
        return err

    def assertValidation(self, member, call, *args, **kwargs):
        """A ValidationException whose message names `member` (lowerCamelCase, as the real
        service's Coral messages do)."""
        err = self.assertAwsError("ValidationException", call, *args, **kwargs)
        message = err.response["Error"]["Message"]
        self.assertRegex(message, r"\b%s\b" % re.escape(member))
        return err

    def assertWireError(self, status, headers, body, expected_type=None, expected_status=400):
        """The JSON 1.1 error format: status, content type, request id, `__type` in the body
        and the same name in `x-amzn-ErrorType`. Returns the parsed body."""
        self.assertEqual(status, expected_status, body)
        self.assertEqual(headers.get("Content-Type"), JSON_11)
        self.assertTrue(headers.get("x-amzn-RequestId"))
        parsed = json.loads(body)
        self.assertIsInstance(parsed, dict)
        self.assertIsInstance(parsed.get("__type"), str, parsed)
        self.assertIsInstance(parsed.get("Message"), str, parsed)
        error_type = headers.get("x-amzn-ErrorType")
        self.assertIsNotNone(error_type, "x-amzn-ErrorType header missing")
        self.assertEqual(error_type.split(":", 1)[0], parsed["__type"])
        if expected_type is not None:
            self.assertEqual(parsed["__type"], expected_type)
        return parsed


class ModelledErrorsTest(AwsErrorTestCase):
    def test_unknown_instance_is_resource_not_found(self):
        self.assertAwsError("ResourceNotFoundException", self.sso.list_permission_sets,
                            InstanceArn=UNKNOWN_INSTANCE)
        self.assertAwsError("ResourceNotFoundException", self.sso.create_permission_set,
                            InstanceArn=UNKNOWN_INSTANCE, Name="Nowhere")

    def test_unknown_permission_set_is_resource_not_found(self):
        hex16 = re.search(r"ssoins-([0-9a-f]{16})", self.inst).group(1)
        unknown = "arn:aws:sso:::permissionSet/ssoins-%s/ps-0000000000000000" % hex16
        self.assertAwsError("ResourceNotFoundException", self.sso.describe_permission_set,
                            InstanceArn=self.inst, PermissionSetArn=unknown)
        self.assertAwsError("ResourceNotFoundException", self.create_assignment, unknown,
                            ACCOUNT_A, instance_arn=self.inst)
        self.assertAwsError("ResourceNotFoundException", self.sso.provision_permission_set,
                            InstanceArn=self.inst, PermissionSetArn=unknown,
                            TargetType="AWS_ACCOUNT", TargetId=ACCOUNT_A)
        self.assertEqual(self.icemu.requests(), [])

    def test_unknown_request_id_is_resource_not_found(self):
        unknown = str(uuid.uuid4())
        self.assertAwsError("ResourceNotFoundException",
                            self.sso.describe_account_assignment_creation_status,
                            InstanceArn=self.inst, AccountAssignmentCreationRequestId=unknown)
        self.assertAwsError("ResourceNotFoundException",
                            self.sso.describe_permission_set_provisioning_status,
                            InstanceArn=self.inst, ProvisionPermissionSetRequestId=unknown)

    def test_request_id_of_another_kind_is_resource_not_found(self):
        # A provisioning request is not an assignment-creation request (separate APIs on AWS).
        provisioning = self.sso.provision_permission_set(
            InstanceArn=self.inst, PermissionSetArn=self.ps_arn, TargetType="AWS_ACCOUNT",
            TargetId=ACCOUNT_A)["PermissionSetProvisioningStatus"]["RequestId"]
        self.assertAwsError("ResourceNotFoundException",
                            self.sso.describe_account_assignment_creation_status,
                            InstanceArn=self.inst,
                            AccountAssignmentCreationRequestId=provisioning)

    def test_bad_instance_arn_pattern_names_instance_arn(self):
        self.assertValidation("instanceArn", self.sso.list_permission_sets,
                              InstanceArn="arn:aws:sso:::instance/not-an-instance")
        # The model's pattern must match the whole value, not a part of it.
        self.assertValidation("instanceArn", self.sso.list_permission_sets,
                              InstanceArn=self.inst + "/extra")

    def test_bad_permission_set_arn_names_permission_set_arn(self):
        # moto's wrong form: instance/ prefix instead of permissionSet/.
        wrong = self.ps_arn.replace(":permissionSet/", ":instance/")
        self.assertValidation("permissionSetArn", self.sso.describe_permission_set,
                              InstanceArn=self.inst, PermissionSetArn=wrong)

    def test_max_results_over_100_names_max_results(self):
        self.assertValidation("maxResults", self.sso.list_permission_sets,
                              InstanceArn=self.inst, MaxResults=101)
        self.assertValidation("maxResults", self.sso.list_account_assignment_creation_status,
                              InstanceArn=self.inst, MaxResults=1000)
        # The bounds themselves are valid.
        self.sso.list_permission_sets(InstanceArn=self.inst, MaxResults=100)
        self.sso.list_permission_sets(InstanceArn=self.inst, MaxResults=1)

    def test_principal_type_outside_the_enum_names_principal_type(self):
        err = self.assertValidation(
            "principalType", self.sso.create_account_assignment, InstanceArn=self.inst,
            TargetId=ACCOUNT_A, TargetType="AWS_ACCOUNT", PermissionSetArn=self.ps_arn,
            PrincipalType="ROBOT", PrincipalId=USER_1)
        message = err.response["Error"]["Message"]
        self.assertTrue("enum" in message.lower() or "USER" in message, message)
        self.assertEqual(self.icemu.requests(), [])

    def test_name_over_32_characters_names_name(self):
        self.assertValidation("name", self.sso.create_permission_set, InstanceArn=self.inst,
                              Name="N" * 33)
        self.assertEqual(
            self.create_permission_set("N" * 32, instance_arn=self.inst)["Name"], "N" * 32)

    def test_name_outside_the_pattern_names_name(self):
        self.assertValidation("name", self.sso.create_permission_set, InstanceArn=self.inst,
                              Name="has space")

    def test_target_id_not_12_digits_names_target_id(self):
        self.assertValidation("targetId", self.sso.provision_permission_set,
                              InstanceArn=self.inst, PermissionSetArn=self.ps_arn,
                              TargetType="AWS_ACCOUNT", TargetId="abcdefghijkl")

    def test_target_id_required_for_aws_account(self):
        # icemu's choice (issue 2): the model leaves TargetId optional.
        self.assertValidation("targetId", self.sso.provision_permission_set,
                              InstanceArn=self.inst, PermissionSetArn=self.ps_arn,
                              TargetType="AWS_ACCOUNT")

    def test_request_id_not_a_uuid_names_the_member(self):
        self.assertValidation("accountAssignmentCreationRequestId",
                              self.sso.describe_account_assignment_creation_status,
                              InstanceArn=self.inst, AccountAssignmentCreationRequestId="X" * 36)

    def test_missing_required_member_names_it(self):
        # botocore refuses to send this, so it goes over raw HTTP.
        status, headers, body = self.icemu.aws_raw("CreatePermissionSet",
                                                   {"InstanceArn": self.inst})
        parsed = self.assertWireError(status, headers, body, "ValidationException")
        self.assertRegex(parsed["Message"], r"\bname\b")

    def test_unknown_members_are_ignored(self):
        # What the real (Coral) service does: newer SDKs may send members older servers lack.
        status, headers, body = self.icemu.aws_raw("ListInstances", {"SomeFutureMember": 1})
        self.assertEqual(status, 200, body)
        self.assertIn("Instances", json.loads(body))


class WireFormatTest(AwsErrorTestCase):
    def test_malformed_json_is_a_serialization_exception(self):
        status, headers, body = self.icemu.aws_raw("ListInstances", b'{"MaxResults": ')
        self.assertWireError(status, headers, body, "SerializationException")

    def test_a_body_that_is_not_an_object_is_a_serialization_exception(self):
        status, headers, body = self.icemu.aws_raw("ListInstances", b"[1, 2]")
        self.assertWireError(status, headers, body, "SerializationException")

    def test_unknown_target_is_an_unknown_operation_exception(self):
        status, headers, body = self.icemu.aws_raw("Nope")
        self.assertWireError(status, headers, body, "UnknownOperationException")

    def test_a_conflict_names_its_cause_and_is_not_retried(self):
        # Every operation of the model is implemented (none answers 501): a ConflictException
        # (the primary Region added again) is the client error boto3 must not retry.
        status, headers, body = self.icemu.aws_raw("AddRegion", {
            "InstanceArn": self.inst, "RegionName": "us-east-1"})
        self.assertNotIn(status, RETRYABLE_STATUSES, body)
        parsed = self.assertWireError(status, headers, body, "ConflictException")
        self.assertIn("us-east-1", parsed["Message"])

        # And boto3, allowed 3 attempts, makes only one in either retry mode.
        for mode in ("standard", "legacy"):
            sso = self.icemu.client(retries={"total_max_attempts": 3, "mode": mode})
            attempts = []
            sso.meta.events.register("before-send.sso-admin.AddRegion",
                                     lambda request, **_: attempts.append(request.url))
            with self.assertRaises(ClientError):
                sso.add_region(InstanceArn=self.inst, RegionName="us-east-1")
            self.assertEqual(len(attempts), 1, mode)

    def test_success_headers(self):
        status, headers, body = self.icemu.aws_raw("ListInstances")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("Content-Type"), JSON_11)
        self.assertTrue(headers.get("x-amzn-RequestId"))
        self.assertIsInstance(json.loads(body), dict)
        # botocore reads the same header into ResponseMetadata.
        meta = self.sso.list_instances()["ResponseMetadata"]
        self.assertTrue(meta["RequestId"])
        self.assertEqual(meta["HTTPHeaders"]["content-type"], JSON_11)

    def test_request_ids_differ_between_responses(self):
        ids = {self.icemu.aws_raw("ListInstances")[1].get("x-amzn-RequestId") for _ in range(3)}
        self.assertEqual(len(ids), 3)

    def test_success_bodies_have_no_null_and_millisecond_dates(self):
        inst, ps = self.inst, self.ps_arn
        calls = [
            ("ListInstances", {}),
            ("DescribeInstance", {"InstanceArn": inst}),
            ("CreatePermissionSet", {"InstanceArn": inst, "Name": "Raw"}),
            ("DescribePermissionSet", {"InstanceArn": inst, "PermissionSetArn": ps}),
            ("ListPermissionSets", {"InstanceArn": inst, "MaxResults": 1}),
            ("CreateAccountAssignment", {
                "InstanceArn": inst, "TargetId": ACCOUNT_A, "TargetType": "AWS_ACCOUNT",
                "PermissionSetArn": ps, "PrincipalType": "USER", "PrincipalId": USER_1}),
            ("ProvisionPermissionSet", {"InstanceArn": inst, "PermissionSetArn": ps,
                                        "TargetType": "AWS_ACCOUNT", "TargetId": "444455556666"}),
            ("ListAccountAssignmentCreationStatus", {"InstanceArn": inst}),
            ("ListPermissionSetProvisioningStatus", {"InstanceArn": inst}),
            ("ListAccountAssignments", {"InstanceArn": inst, "AccountId": ACCOUNT_A,
                                        "PermissionSetArn": ps}),
            ("ListAccountsForProvisionedPermissionSet", {"InstanceArn": inst,
                                                         "PermissionSetArn": ps}),
            ("ListPermissionSetsProvisionedToAccount", {"InstanceArn": inst,
                                                        "AccountId": ACCOUNT_A}),
        ]
        dates = 0
        request_ids = {}
        for operation, payload in calls:
            status, headers, body = self.icemu.aws_raw(operation, payload)
            self.assertEqual(status, 200, (operation, body))
            self.assertEqual(headers.get("Content-Type"), JSON_11, operation)
            self.assertTrue(headers.get("x-amzn-RequestId"), operation)
            parsed = _json_with_number_text(body)
            self.assertIsInstance(parsed, dict, operation)
            for path, key, value in _walk(parsed):
                self.assertIsNotNone(value, "%s: %s.%s is null" % (operation, path, key))
                if key == "CreatedDate":
                    dates += 1
                    self.assertIsInstance(value, tuple, "%s: %s.CreatedDate is not a JSON "
                                                        "number: %r" % (operation, path, value))
                    self.assertRegex(value[1], r"^\d+(\.\d{1,3})?$", operation)
                    self.assertGreater(float(value[1]), 1.6e9, operation)  # epoch seconds
            for key in ("AccountAssignmentCreationStatus", "PermissionSetProvisioningStatus"):
                if key in parsed:
                    request_ids[key] = parsed[key]["RequestId"]

        self.assertGreaterEqual(dates, 8)
        self.assertEqual(len(request_ids), 2)
        status, _, body = self.icemu.aws_raw("DescribeAccountAssignmentCreationStatus", {
            "InstanceArn": inst,
            "AccountAssignmentCreationRequestId": request_ids["AccountAssignmentCreationStatus"]})
        self.assertEqual(status, 200)
        self.assertNotIn(b"null", body)
        status, _, body = self.icemu.aws_raw("DescribePermissionSetProvisioningStatus", {
            "InstanceArn": inst,
            "ProvisionPermissionSetRequestId": request_ids["PermissionSetProvisioningStatus"]})
        self.assertEqual(status, 200)
        self.assertNotIn(b"null", body)


class BodyLimitTest(AwsErrorTestCase):
    # The limit lowered so that a small body exceeds it. (A multi-megabyte body could make the
    # server close while the client is still sending, and the client then sees a reset instead
    # of the answer.)
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual", "ICEMU_MAX_BODY_BYTES": "2048"}

    def test_body_over_the_limit_is_413_with_a_json_error(self):
        payload = json.dumps({"InstanceArn": self.inst, "Name": "Big",
                              "Description": "d" * 600, "RelayState": "r" * 7000}).encode()
        self.assertGreater(len(payload), 4096)
        status, headers, body = self.icemu.aws_raw("CreatePermissionSet", payload)
        self.assertEqual(status, 413, "expected 413 for %d bytes over ICEMU_MAX_BODY_BYTES=2048, "
                                      "got %s %r" % (len(payload), status, body[:300]))
        self.assertWireError(status, headers, body, expected_status=413)
        # Nothing was created, and icemu still serves.
        self.assertEqual(self.sso.list_permission_sets(InstanceArn=self.inst)["PermissionSets"],
                         [self.ps_arn])
        self.assertEqual(self.icemu.health()["status"], "ok")


if __name__ == "__main__":
    unittest.main()

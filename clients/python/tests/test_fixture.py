"""Every method of the object the `icemu` fixture yields, against the session's real icemu."""

import datetime
import json
import re
import urllib.request

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_icemu import Fault, Icemu, IcemuError

from conftest import USER

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


# The initial instance: its id is derived from its owner account, 123456789012.
INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-560aa041748d679e"


def instance_arn(sso):
    arns = [i["InstanceArn"] for i in sso.list_instances()["Instances"]]
    assert INSTANCE_ARN in arns
    return INSTANCE_ARN


def permission_set(sso, name="ReadOnly"):
    return sso.create_permission_set(InstanceArn=instance_arn(sso), Name=name)[
        "PermissionSet"]["PermissionSetArn"]


def assign(sso, ps, account=ACCOUNT):
    """Creates an assignment; returns its request id (the answer always says IN_PROGRESS)."""
    status = sso.create_account_assignment(
        InstanceArn=instance_arn(sso), PermissionSetArn=ps, TargetId=account,
        TargetType="AWS_ACCOUNT", PrincipalType="USER", PrincipalId=USER,
    )["AccountAssignmentCreationStatus"]
    assert status["Status"] == "IN_PROGRESS"
    return status["RequestId"]


def creation_status(sso, request_id):
    return sso.describe_account_assignment_creation_status(
        InstanceArn=instance_arn(sso), AccountAssignmentCreationRequestId=request_id,
    )["AccountAssignmentCreationStatus"]


def test_endpoint_is_the_started_icemu(icemu):
    assert isinstance(icemu, Icemu)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", icemu.endpoint)
    assert icemu.process is not None and icemu.process.proc.poll() is None
    with urllib.request.urlopen(icemu.endpoint + "/_icemu/health") as resp:
        assert resp.status == 200
    health = icemu.health()
    assert health["status"] == "ok"
    assert health["store"]["path"] == icemu.process.db_path


def test_client_is_a_boto3_client_for_icemu(icemu):
    sso = icemu.client()
    assert sso.meta.service_model.service_name == "sso-admin"
    assert sso.meta.endpoint_url == icemu.endpoint
    assert sso.meta.region_name == "us-east-1"
    [instance] = sso.list_instances()["Instances"]
    assert instance["InstanceArn"] == INSTANCE_ARN
    other = icemu.client("identitystore")
    assert other.meta.service_model.service_name == "identitystore"
    assert other.meta.endpoint_url == icemu.endpoint


def test_client_keyword_arguments_override_the_defaults(icemu):
    from botocore.config import Config

    sso = icemu.client(region_name="eu-west-1", config=Config(retries={"total_max_attempts": 1}))
    assert sso.meta.region_name == "eu-west-1"
    assert sso.meta.config.retries["total_max_attempts"] == 1
    assert instance_arn(sso) == INSTANCE_ARN


def test_settle_ends_a_request_and_refuses_a_settled_one(icemu):
    icemu.set_scheduler("manual")
    sso = icemu.client()
    ps = permission_set(sso)
    first = assign(sso, ps)
    second = assign(sso, ps, OTHER_ACCOUNT)
    assert [r["request_id"] for r in icemu.requests(status="IN_PROGRESS")] == [first, second]

    settled = icemu.settle(first)
    assert settled["request_id"] == first and settled["status"] == "SUCCEEDED"
    assert creation_status(sso, first)["Status"] == "SUCCEEDED"

    failed = icemu.settle(second, "FAILED", "Received a 403 status error: Access denied by IAM.")
    assert failed["failure_reason"] == "Received a 403 status error: Access denied by IAM."
    described = creation_status(sso, second)
    assert described["Status"] == "FAILED"
    assert described["FailureReason"] == "Received a 403 status error: Access denied by IAM."

    with pytest.raises(IcemuError) as e:
        icemu.settle(first)
    assert (e.value.status, e.value.error) == (409, "conflict")
    assert e.value.message
    with pytest.raises(IcemuError) as e:
        icemu.settle("00000000-0000-4000-8000-000000000000")
    assert (e.value.status, e.value.error) == (404, "not_found")


def test_settle_failed_without_a_reason_takes_icemus_default(icemu):
    icemu.set_scheduler("manual")
    sso = icemu.client()
    request_id = assign(sso, permission_set(sso))
    failed = icemu.settle(request_id, status="FAILED")
    assert failed["failure_reason"] == "An unexpected internal service exception was encountered"


def test_advance_clock_settles_what_fell_due(icemu):
    # Due in a minute: the real time the test takes cannot settle it first.
    icemu.set_scheduler("auto", delay_ms=60000)
    sso = icemu.client()
    request_id = assign(sso, permission_set(sso))
    assert icemu.advance_clock(30.5) == []
    assert creation_status(sso, request_id)["Status"] == "IN_PROGRESS"
    assert icemu.advance_clock(datetime.timedelta(seconds=29, milliseconds=500)) == [request_id]
    assert creation_status(sso, request_id)["Status"] == "SUCCEEDED"
    assert icemu.health()["scheduler"]["clock_offset_ms"] == 60000


def test_advance_clock_refuses_going_back(icemu):
    with pytest.raises(IcemuError) as e:
        icemu.advance_clock(-1)
    assert (e.value.status, e.value.error) == (400, "bad_request")
    assert e.value.message == "ms must be a non-negative integer"
    assert "ms must be a non-negative integer" in str(e.value)


def test_set_scheduler_maps_keywords_to_the_admin_json(icemu):
    assert icemu.set_scheduler("manual") == {
        "mode": "manual", "delay_ms": {"min": 1000, "max": 3000}, "polls": 1, "seed": 0}
    assert icemu.set_scheduler(delay_ms=(10, 20), seed=7) == {
        "mode": "manual", "delay_ms": {"min": 10, "max": 20}, "polls": 1, "seed": 7}
    assert icemu.set_scheduler("polls", polls=3, delay_ms=0) == {
        "mode": "polls", "delay_ms": {"min": 0, "max": 0}, "polls": 3, "seed": 7}
    assert icemu.scheduler() == icemu.set_scheduler()


def test_set_scheduler_polls_mode_settles_on_the_nth_describe(icemu):
    icemu.set_scheduler("polls", polls=2)
    sso = icemu.client()
    request_id = assign(sso, permission_set(sso))
    assert creation_status(sso, request_id)["Status"] == "IN_PROGRESS"
    assert creation_status(sso, request_id)["Status"] == "SUCCEEDED"


def test_set_scheduler_refusals(icemu):
    with pytest.raises(IcemuError) as e:
        icemu.set_scheduler("sometimes")
    assert e.value.error == "bad_request"
    assert e.value.message == 'mode must be "auto", "polls" or "manual"'
    with pytest.raises(ValueError):
        icemu.set_scheduler(delay_ms=(1, 2, 3))
    with pytest.raises(TypeError):
        icemu.set_scheduler("auto", delay=5)  # pylint: disable=unexpected-keyword-arg
    assert icemu.scheduler()["mode"] == "auto"


def test_add_fault_applies_inside_the_with_block_only(icemu):
    icemu.set_scheduler("manual")
    sso = icemu.client()
    ps = permission_set(sso)
    rule = {"match": {"kind": "ASSIGNMENT_CREATE", "account_id": ACCOUNT},
            "outcome": {"status": "IN_PROGRESS"}}
    with icemu.add_fault(rule) as fault:
        assert isinstance(fault, Fault)
        assert fault.rule["match"] == rule["match"]
        stuck = assign(sso, ps)
        assert fault.hits() == 1
        # A stuck request has no due time.
        assert [r["due_date"] for r in icemu.requests(kind="ASSIGNMENT_CREATE")] == [None]
    assert icemu.faults() == []
    assert fault.hits() is None
    icemu.settle(stuck)
    icemu.set_scheduler("auto", delay_ms=0)
    later = assign(sso, ps, OTHER_ACCOUNT)
    assert creation_status(sso, later)["Status"] == "SUCCEEDED"


def test_add_fault_outcome_failed(icemu):
    icemu.set_scheduler("auto", delay_ms=0)
    sso = icemu.client()
    ps = permission_set(sso)
    reason = "Received a 403 status error: Access denied by IAM."
    with icemu.add_fault({"match": {"account_id": ACCOUNT},
                          "outcome": {"status": "FAILED", "failure_reason": reason}}):
        request_id = assign(sso, ps)
    described = creation_status(sso, request_id)
    assert (described["Status"], described["FailureReason"]) == ("FAILED", reason)


def test_add_fault_error_rule_answers_the_error(icemu):
    sso = icemu.client(config=Config(retries={"total_max_attempts": 1}))
    arn = instance_arn(sso)
    with icemu.add_fault({"match": {"operation": "ListPermissionSets"},
                          "error": {"code": "ThrottlingException"}}):
        with pytest.raises(ClientError) as e:
            sso.list_permission_sets(InstanceArn=arn)
        assert e.value.response["Error"]["Code"] == "ThrottlingException"
    assert sso.list_permission_sets(InstanceArn=arn)["PermissionSets"] == []


def test_removing_a_fault_keeps_the_other_rules(icemu):
    first = icemu.add_fault({"match": {"account_id": "111111111111"},
                             "outcome": {"status": "FAILED"}})
    with icemu.add_fault({"match": {"account_id": "222222222222"},
                          "outcome": {"status": "IN_PROGRESS"}}):
        third = icemu.add_fault({"match": {"account_id": "333333333333"},
                                 "outcome": {"status": "IN_PROGRESS"}})
        assert [r["match"]["account_id"] for r in icemu.faults()] == [
            "111111111111", "222222222222", "333333333333"]
    assert [r["match"]["account_id"] for r in icemu.faults()] == [
        "111111111111", "333333333333"]
    first.remove()
    first.remove()  # a second time: nothing left to do
    assert [r["match"]["account_id"] for r in icemu.faults()] == ["333333333333"]
    third.remove()
    assert icemu.faults() == []


def test_removing_one_of_two_equal_faults_removes_that_one(icemu):
    icemu.set_scheduler("auto", delay_ms=0)
    sso = icemu.client()
    ps = permission_set(sso)
    rule = {"match": {"kind": "ASSIGNMENT_CREATE"}, "outcome": {"status": "FAILED"}}
    older = icemu.add_fault(dict(rule, times=1))
    newer = icemu.add_fault(dict(rule, times=5))
    assign(sso, ps)  # uses up the older one
    older.remove()
    [left] = icemu.faults()
    assert left["times"] == 5 and left["hits"] == 0
    newer.remove()
    assert icemu.faults() == []


def test_adding_a_fault_keeps_the_uses_the_others_have_left(icemu):
    icemu.set_scheduler("auto", delay_ms=0)
    sso = icemu.client()
    ps = permission_set(sso)
    icemu.add_fault({"match": {"account_id": ACCOUNT}, "outcome": {"status": "FAILED"},
                     "times": 2})
    assign(sso, ps)  # one of its two uses
    with icemu.add_fault({"match": {"account_id": OTHER_ACCOUNT},
                          "outcome": {"status": "FAILED"}}):
        [kept, _] = icemu.faults()
        assert kept["times"] == 1  # sent back with the use it had left
    again = assign(sso, ps)
    assert creation_status(sso, again)["Status"] == "FAILED"
    # Both uses are gone now: the rule is dropped the next time the rules are sent.
    with icemu.add_fault({"match": {"account_id": OTHER_ACCOUNT},
                          "outcome": {"status": "FAILED"}}):
        assert [r["match"]["account_id"] for r in icemu.faults()] == [OTHER_ACCOUNT]


def test_add_fault_refuses_a_bad_rule_and_changes_nothing(icemu):
    icemu.add_fault({"match": {"account_id": ACCOUNT}, "outcome": {"status": "FAILED"}})
    with pytest.raises(IcemuError) as e:
        icemu.add_fault({"match": {"operation": "ListPermisionSets"},
                         "error": {"code": "ThrottlingException"}})
    assert e.value.status == 400
    assert e.value.message.startswith('rules[1].match.operation: "ListPermisionSets"')
    assert [r["match"] for r in icemu.faults()] == [{"account_id": ACCOUNT}]


def test_requests_lists_with_filters(icemu):
    icemu.set_scheduler("manual")
    sso = icemu.client()
    ps = permission_set(sso)
    created = assign(sso, ps)
    icemu.settle(created)
    provision = sso.provision_permission_set(
        InstanceArn=instance_arn(sso), PermissionSetArn=ps, TargetType="AWS_ACCOUNT",
        TargetId=ACCOUNT)["PermissionSetProvisioningStatus"]["RequestId"]

    everything = icemu.requests()
    assert [r["request_id"] for r in everything] == [created, provision]
    assert all(UUID.match(r["request_id"]) for r in everything)
    assert everything[0]["kind"] == "ASSIGNMENT_CREATE"
    assert everything[0]["account_id"] == ACCOUNT
    assert everything[0]["principal_id"] == USER
    assert [r["request_id"] for r in icemu.requests(kind="PROVISION")] == [provision]
    assert [r["request_id"] for r in icemu.requests(status="SUCCEEDED")] == [created]
    assert [r["request_id"] for r in icemu.requests(status="IN_PROGRESS", kind=None)] == [
        provision]
    hex16 = instance_arn(sso).rsplit("ssoins-", 1)[1]
    assert len(icemu.requests(instance=hex16)) == 2
    assert icemu.requests(instance="ffffffffffffffff") == []


def test_requests_refusals(icemu):
    with pytest.raises(TypeError) as e:
        icemu.requests(state="FAILED")
    assert "state" in str(e.value)
    with pytest.raises(IcemuError) as e:
        icemu.requests(status="DONE")
    assert e.value.message == "status must be IN_PROGRESS, SUCCEEDED or FAILED"


def test_reset_erases_everything_and_restores_the_configured_scheduler(icemu):
    icemu.set_scheduler("manual", seed=9)
    sso = icemu.client()
    ps = permission_set(sso)
    assign(sso, ps)
    icemu.add_fault({"match": {}, "outcome": {"status": "FAILED"}})
    icemu.advance_clock(60)
    icemu.reset()
    assert icemu.requests() == []
    assert icemu.faults() == []
    assert icemu.scheduler()["mode"] == "auto" and icemu.scheduler()["seed"] == 0
    assert icemu.health()["scheduler"]["clock_offset_ms"] == 0
    assert sso.list_permission_sets(InstanceArn=instance_arn(sso))["PermissionSets"] == []


def create_instance(icemu, owner):
    """CreateInstance as an unsigned JSON 1.1 call (icemu's open mode takes the 12-digit access
    key of the credential as the owner): Debian 12's botocore predates the operation."""
    body = json.dumps({"Name": "second"}).encode()
    req = urllib.request.Request(icemu.endpoint + "/", data=body, method="POST", headers={
        "X-Amz-Target": "SWBExternalService.CreateInstance",
        "Content-Type": "application/x-amz-json-1.1",
        "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/sso/aws4_request, "
                         "SignedHeaders=host, Signature=00" % owner})
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)["InstanceArn"]


def test_reset_of_one_instance_keeps_the_others(icemu):
    sso = icemu.client()
    mine = permission_set(sso, "Mine")
    other_arn = create_instance(icemu, "210987654321")
    sso.create_permission_set(InstanceArn=other_arn, Name="Theirs")
    icemu.reset(instance=other_arn)
    assert sso.list_permission_sets(InstanceArn=other_arn)["PermissionSets"] == []
    assert sso.list_permission_sets(InstanceArn=instance_arn(sso))["PermissionSets"] == [mine]


def test_admin_errors_carry_code_and_message(icemu):
    with pytest.raises(IcemuError) as e:
        icemu.admin("GET", "/_icemu/nothing-here")
    assert (e.value.status, e.value.error, e.value.message) == (
        404, "not_found", "no admin call /_icemu/nothing-here")

"""The Regions of an instance (AddRegion, DescribeRegion, ListRegions, RemoveRegion) through boto3
and the AWS CLI: the primary Region (aws.region) listed first, an added Region ADDING until its
REGION request settles, a removed one REMOVING until it is gone; the model's errors; the
scheduler, outcome rules, reset and restarts."""

import datetime
import json
import os
import shutil
import subprocess
import unittest

from harness import IcemuTestCase

CLI_TIMEOUT_S = 60


def regions(sso, inst, **extra):
    """Every Region ListRegions answers, page after page (boto3's paginator), as
    (name, status, primary)."""
    out = []
    for page in sso.get_paginator("list_regions").paginate(InstanceArn=inst, **extra):
        out += [(r["RegionName"], r["Status"], r["IsPrimaryRegion"]) for r in page["Regions"]]
    return out


class RegionTestCase(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_MODE": "manual"}

    def setUp(self):
        super().setUp()
        self.inst = self.instance_arn()

    def add(self, name):
        return self.sso.add_region(InstanceArn=self.inst, RegionName=name)

    def remove(self, name):
        return self.sso.remove_region(InstanceArn=self.inst, RegionName=name)

    def status(self, name):
        return self.sso.describe_region(InstanceArn=self.inst, RegionName=name)["Status"]

    def region_request(self):
        (request,) = self.icemu.requests(kind="REGION", status="IN_PROGRESS")
        return request


class RegionsTest(RegionTestCase):

    def test_the_primary_region_is_listed_first_and_cannot_be_removed(self):
        instance = self.instance()
        described = self.sso.describe_region(InstanceArn=self.inst, RegionName="us-east-1")
        self.assertEqual(described["RegionName"], "us-east-1")
        self.assertEqual(described["Status"], "ACTIVE")
        self.assertIs(described["IsPrimaryRegion"], True)
        # The primary Region was added when the instance was created.
        self.assertEqual(described["AddedDate"], instance["CreatedDate"])
        self.add("eu-west-1")
        self.assertEqual(regions(self.sso, self.inst),
                         [("us-east-1", "ACTIVE", True), ("eu-west-1", "ADDING", False)])
        error = self.assertClientError("ValidationException", self.remove, "us-east-1")
        self.assertEqual(error.response["Error"]["Message"],
                         "The primary Region us-east-1 cannot be removed.")

    def test_add_is_adding_until_settled_then_active(self):
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
        self.assertEqual(self.add("eu-west-1")["Status"], "ADDING")
        described = self.sso.describe_region(InstanceArn=self.inst, RegionName="eu-west-1")
        self.assertEqual((described["Status"], described["IsPrimaryRegion"]), ("ADDING", False))
        self.assertGreaterEqual(described["AddedDate"], before)
        request = self.region_request()
        self.assertEqual((request["kind"], request["instance_id"]),
                         ("REGION", "ssoins-" + self.inst.rsplit("ssoins-", 1)[1]))
        self.icemu.settle(request["request_id"])
        self.assertEqual(self.status("eu-west-1"), "ACTIVE")
        self.assertEqual(self.sso.describe_region(InstanceArn=self.inst,
                                                  RegionName="eu-west-1")["AddedDate"],
                         described["AddedDate"])

    def test_remove_is_removing_until_settled_then_gone(self):
        self.add("eu-west-1")
        self.icemu.settle(self.region_request()["request_id"])
        self.assertEqual(self.remove("eu-west-1")["Status"], "REMOVING")
        self.assertEqual(self.status("eu-west-1"), "REMOVING")
        self.assertEqual(regions(self.sso, self.inst),
                         [("us-east-1", "ACTIVE", True), ("eu-west-1", "REMOVING", False)])
        self.icemu.settle(self.region_request()["request_id"])
        self.assertClientError("ResourceNotFoundException", self.status, "eu-west-1")
        self.assertEqual(regions(self.sso, self.inst), [("us-east-1", "ACTIVE", True)])
        # Gone: it can be added again.
        self.assertEqual(self.add("eu-west-1")["Status"], "ADDING")

    def test_errors(self):
        self.add("eu-west-1")
        for name in ("us-east-1", "eu-west-1"):
            error = self.assertClientError("ConflictException", self.add, name)
            self.assertEqual(error.response["Error"]["Message"],
                             "Region %s is already enabled for the instance." % name)
        # No removal while an add or remove workflow is in flight.
        self.assertClientError("ConflictException", self.remove, "eu-west-1")
        error = self.assertClientError("ResourceNotFoundException", self.status, "ap-south-1")
        self.assertEqual(error.response["Error"]["Message"],
                         "Region ap-south-1 is not enabled for the instance.")
        self.assertClientError("ResourceNotFoundException", self.remove, "ap-south-1")
        other = "arn:aws:sso:::instance/ssoins-0000000000000000"
        self.assertClientError("ResourceNotFoundException", self.sso.describe_region,
                               InstanceArn=other, RegionName="us-east-1")
        self.assertClientError("ResourceNotFoundException", self.sso.add_region,
                               InstanceArn=other, RegionName="eu-west-1")
        self.assertEqual(self.sso.list_regions(InstanceArn=other)["Regions"], [])

    def test_a_region_name_is_checked_against_the_model(self):
        for name in ("us-east", "US-EAST-1", "a-b-c-d-1", "x" * 33):
            status, _, body = self.icemu.aws_raw(
                "AddRegion", {"InstanceArn": self.inst, "RegionName": name})
            self.assertEqual(status, 400, body)
            answer = json.loads(body)
            self.assertEqual(answer["__type"], "ValidationException", answer)
            self.assertIn("'regionName'", answer["Message"], answer)
        self.assertEqual(self.icemu.requests(kind="REGION"), [])

    def test_pages(self):
        names = ["eu-west-1", "eu-west-2", "ap-south-1", "sa-east-1"]
        for name in names:
            self.add(name)
            self.icemu.settle(self.region_request()["request_id"])
        expected = [("us-east-1", "ACTIVE", True)] + [(n, "ACTIVE", False) for n in names]
        for size in (1, 2, 100):
            self.assertEqual(regions(self.sso, self.inst,
                                     PaginationConfig={"PageSize": size}), expected)
        first = self.sso.list_regions(InstanceArn=self.inst, MaxResults=2)
        self.assertEqual([r["RegionName"] for r in first["Regions"]], ["us-east-1", "eu-west-1"])
        second = self.sso.list_regions(InstanceArn=self.inst, MaxResults=2,
                                       NextToken=first["NextToken"])
        self.assertEqual([r["RegionName"] for r in second["Regions"]],
                         ["eu-west-2", "ap-south-1"])
        self.assertClientError("ValidationException", self.sso.list_regions,
                               InstanceArn="arn:aws:sso:::instance/ssoins-0000000000000000",
                               NextToken=first["NextToken"])

    def test_failed_requests_keep_their_reason(self):
        self.add("eu-west-1")
        request = self.region_request()
        self.icemu.settle(request["request_id"], "FAILED", "Region is not enabled for the account.")
        # A failed add leaves no Region; the request tells why.
        self.assertClientError("ResourceNotFoundException", self.status, "eu-west-1")
        self.assertEqual(self.icemu.request(request["request_id"])["failure_reason"],
                         "Region is not enabled for the account.")
        # A failed remove leaves the Region ACTIVE.
        self.add("eu-west-1")
        self.icemu.settle(self.region_request()["request_id"])
        self.remove("eu-west-1")
        self.icemu.settle(self.region_request()["request_id"], "FAILED", "Busy.")
        self.assertEqual(self.status("eu-west-1"), "ACTIVE")

    def test_the_scheduler_and_outcome_rules(self):
        # The clock is wall time plus the advances: a minute's delay leaves room for the calls.
        self.icemu.scheduler(mode="auto", delay_ms={"min": 60000, "max": 60000})
        status, _ = self.icemu.admin("PUT", "/_icemu/faults", {"rules": [
            {"match": {"kind": "REGION"},
             "outcome": {"status": "FAILED", "failure_reason": "Rule says no."}, "times": 1}]})
        self.assertEqual(status, 200)
        self.add("eu-west-1")
        self.assertEqual(self.status("eu-west-1"), "ADDING")
        self.assertEqual(len(self.icemu.advance(60000)["settled"]), 1)
        self.assertClientError("ResourceNotFoundException", self.status, "eu-west-1")
        (failed,) = self.icemu.requests(kind="REGION", status="FAILED")
        self.assertEqual(failed["failure_reason"], "Rule says no.")
        # The rule is used up: added at the due time, removed at the next one.
        self.add("eu-west-1")
        self.icemu.advance(30000)
        self.assertEqual(self.status("eu-west-1"), "ADDING")
        self.icemu.advance(30000)
        self.assertEqual(self.status("eu-west-1"), "ACTIVE")
        self.remove("eu-west-1")
        self.icemu.advance(60000)
        self.assertClientError("ResourceNotFoundException", self.status, "eu-west-1")
        # polls mode: settled on the Nth DescribeRegion.
        self.icemu.scheduler(mode="polls", polls=2)
        self.add("ap-south-1")
        self.assertEqual(self.status("ap-south-1"), "ADDING")
        self.assertEqual(self.status("ap-south-1"), "ACTIVE")

    def test_reset_global_and_of_the_instance(self):
        self.add("eu-west-1")
        self.assertEqual(self.icemu.reset(), {"reset": True})
        self.assertEqual(regions(self.sso, self.inst), [("us-east-1", "ACTIVE", True)])
        self.assertEqual(self.icemu.requests(kind="REGION"), [])
        self.add("eu-west-1")
        status, _ = self.icemu.admin("POST",
                                     "/_icemu/reset?instance=" + self.inst.rsplit("ssoins-", 1)[1])
        self.assertEqual(status, 200)
        self.assertEqual(regions(self.sso, self.inst), [("us-east-1", "ACTIVE", True)])

    def test_the_journal_sees_the_operations(self):
        self.add("eu-west-1")
        self.sso.list_regions(InstanceArn=self.inst)
        status, body = self.icemu.admin("GET", "/_icemu/journal?operation=AddRegion")
        self.assertEqual(status, 200)
        self.assertEqual([c["operation"] for c in body["calls"]], ["AddRegion"], body)


class RegionRestartTest(RegionTestCase):
    per_test = True

    def test_regions_survive_a_restart(self):
        self.add("eu-west-1")
        self.icemu.settle(self.region_request()["request_id"])
        self.add("ap-south-1")
        before = regions(self.sso, self.inst)
        self.icemu.restart()
        self.sso = self.icemu.client()
        self.assertEqual(regions(self.sso, self.inst), before)
        # The workflow in flight is settled after the restart too.
        self.icemu.settle(self.region_request()["request_id"])
        self.assertEqual(self.status("ap-south-1"), "ACTIVE")

    def test_the_primary_region_is_the_configured_one(self):
        server = self.start_icemu(env={"ICEMU_SCHEDULER_MODE": "manual",
                                       "ICEMU_AWS_REGION": "eu-central-1"})
        sso = server.client()
        inst = self.instance_arn(sso)
        self.assertEqual(regions(sso, inst), [("eu-central-1", "ACTIVE", True)])
        self.assertClientError("ValidationException", sso.remove_region, InstanceArn=inst,
                               RegionName="eu-central-1")
        self.assertClientError("ResourceNotFoundException", sso.describe_region,
                               InstanceArn=inst, RegionName="us-east-1")


@unittest.skipIf(shutil.which("aws") is None, "the AWS CLI is not installed")
class RegionCliTest(RegionTestCase):
    """`aws sso-admin add-region` and the rest (one interpreter start per call)."""

    def aws(self, *args, expect_exit=0):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and not k.startswith("ICEMU_")}
        missing = os.path.join(self.icemu.tmp, "no-such-aws-config")
        env.update({"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret",
                    "AWS_DEFAULT_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
                    "AWS_CONFIG_FILE": missing, "AWS_SHARED_CREDENTIALS_FILE": missing})
        cmd = ["aws", "sso-admin"] + list(args) + [
            "--endpoint-url", self.icemu.endpoint, "--region", "us-east-1", "--output", "json"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL)
        if expect_exit == 0:
            self.assertEqual(proc.returncode, 0, "%s\n%s" % (proc.stdout, proc.stderr))
        else:
            self.assertNotEqual(proc.returncode, 0, proc.stdout)
        return (json.loads(proc.stdout) if proc.stdout.strip() else None), proc.stderr

    def test_the_four_operations(self):
        out, _ = self.aws("add-region", "--instance-arn", self.inst, "--region-name", "eu-west-1")
        self.assertEqual(out, {"Status": "ADDING"})
        self.icemu.settle(self.region_request()["request_id"])
        out, _ = self.aws("list-regions", "--instance-arn", self.inst)
        self.assertEqual([(r["RegionName"], r["Status"], r["IsPrimaryRegion"])
                          for r in out["Regions"]],
                         [("us-east-1", "ACTIVE", True), ("eu-west-1", "ACTIVE", False)])
        out, _ = self.aws("describe-region", "--instance-arn", self.inst,
                          "--region-name", "eu-west-1")
        self.assertEqual((out["RegionName"], out["Status"], out["IsPrimaryRegion"]),
                         ("eu-west-1", "ACTIVE", False))
        self.assertIn("AddedDate", out)
        out, _ = self.aws("remove-region", "--instance-arn", self.inst,
                          "--region-name", "eu-west-1")
        self.assertEqual(out, {"Status": "REMOVING"})
        _, err = self.aws("remove-region", "--instance-arn", self.inst,
                          "--region-name", "us-east-1", expect_exit=1)
        self.assertIn("ValidationException", err)
        self.assertIn("The primary Region us-east-1 cannot be removed.", err)


if __name__ == "__main__":
    unittest.main()

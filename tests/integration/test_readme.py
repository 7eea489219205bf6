"""README.md's first examples, run as they are written against a real icemu: the boto3 example
and the AWS CLI commands of "Quick start", and the curl example of "Huawei Cloud". Only the
endpoint is changed, to the test's icemu. Its scheduler delay is 0, so each request answers
IN_PROGRESS and is settled before the next call: what the examples print is exact."""

import json
import os
import re
import subprocess
import unittest

from harness import DEFAULT_ACCOUNT, HTTP_TIMEOUT_S, IcemuTestCase

README = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
EXAMPLE_ENDPOINT = "http://127.0.0.1:4577"
HUAWEI_ACCOUNT = "0123456789abcdef0123456789abcdef"


def section(heading):
    """The text of README.md under `heading` (a line such as "## Quick start") up to the next
    heading of the same or a higher level."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    level = heading.split(" ")[0]
    start = text.index("\n" + heading + "\n") + len(heading) + 2
    end = re.compile(r"^#{1,%d} " % len(level), re.M).search(text, start)
    return text[start:end.start() if end else len(text)]


def blocks(heading, language):
    """The fenced blocks of `language` in a section, in order."""
    return re.findall(r"^```%s\n(.*?)^```$" % language, section(heading), re.M | re.S)


class ReadmeExamplesTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_DELAY_MS": "0"}

    def run_example(self, argv, code):
        code = code.replace(EXAMPLE_ENDPOINT, self.icemu.endpoint)
        self.assertNotIn("4577", code)  # every endpoint of the example was replaced
        done = subprocess.run(argv, input=code, capture_output=True, text=True,
                              timeout=4 * HTTP_TIMEOUT_S)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout

    def test_the_boto3_example_prints_in_progress_then_succeeded(self):
        [example] = [b for b in blocks("## Quick start", "python") if "boto3.client" in b]
        self.assertEqual(self.run_example(["python3", "-"], example), "IN_PROGRESS\nSUCCEEDED\n")
        [request] = self.icemu.requests()
        self.assertEqual((request["kind"], request["status"], request["account_id"],
                          request["surface"]),
                         ("ASSIGNMENT_CREATE", "SUCCEEDED", "111122223333", "aws"))

    def test_the_aws_cli_commands_run(self):
        [example] = [b for b in blocks("## Quick start", "sh") if "aws sso-admin" in b]
        out = self.run_example(["bash", "-euo", "pipefail"], example)
        # list-instances, then create-permission-set: two JSON documents.
        decoder, documents, at = json.JSONDecoder(), [], 0
        while out[at:].strip():
            at += len(out[at:]) - len(out[at:].lstrip())
            document, at = decoder.raw_decode(out, at)
            documents.append(document)
        instances, created = documents
        instance_arn = instances["Instances"][0]["InstanceArn"]
        self.assertEqual(instance_arn, "arn:aws:sso:::instance/ssoins-560aa041748d679e")
        self.assertEqual(instances["Instances"][0]["OwnerAccountId"], DEFAULT_ACCOUNT)
        self.assertEqual(created["PermissionSet"]["Name"], "Admin")
        listed = self.sso.list_permission_sets(InstanceArn=instance_arn)["PermissionSets"]
        self.assertEqual(listed, [created["PermissionSet"]["PermissionSetArn"]])

    def test_the_huawei_example_provisions_a_permission_set(self):
        [example] = blocks("### Huawei Cloud", "sh")
        lines = self.run_example(["bash", "-euo", "pipefail"], example).splitlines()
        self.assertEqual(len(lines), 2, lines)
        answered, described = (json.loads(line)["permission_set_provisioning_status"]
                               for line in lines)
        self.assertEqual(answered["status"], "IN_PROGRESS")
        self.assertEqual(described["status"], "SUCCEEDED")
        self.assertEqual(described["request_id"], answered["request_id"])
        self.assertEqual(described["account_id"], HUAWEI_ACCOUNT)
        [request] = self.icemu.requests()
        self.assertEqual((request["request_id"], request["kind"], request["surface"]),
                         (answered["request_id"], "PROVISION", "huawei"))
        # The permission set it made is the AWS surface's too.
        [ps] = self.sso.list_permission_sets(
            InstanceArn="arn:aws:sso:::instance/ssoins-560aa041748d679e")["PermissionSets"]
        self.assertTrue(ps.endswith("/" + answered["permission_set_id"]), ps)

    def test_the_examples_run_one_after_the_other(self):
        # A reader runs them in order on one icemu: the names they create do not collide.
        [boto3_example] = [b for b in blocks("## Quick start", "python") if "boto3.client" in b]
        [cli_example] = [b for b in blocks("## Quick start", "sh") if "aws sso-admin" in b]
        self.run_example(["python3", "-"], boto3_example)
        self.run_example(["bash", "-euo", "pipefail"], cli_example)
        self.run_example(["bash", "-euo", "pipefail"], blocks("### Huawei Cloud", "sh")[0])
        names = set()
        for arn in self.sso.list_permission_sets(InstanceArn=self.instance_arn())["PermissionSets"]:
            names.add(self.sso.describe_permission_set(
                InstanceArn=self.instance_arn(), PermissionSetArn=arn)["PermissionSet"]["Name"])
        self.assertEqual(names, {"ReadOnly", "Admin", "Auditor"})
        self.assertEqual(sorted(r["status"] for r in self.icemu.requests()),
                         ["SUCCEEDED", "SUCCEEDED"])


if __name__ == "__main__":
    unittest.main()

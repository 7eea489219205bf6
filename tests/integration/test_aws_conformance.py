"""Model-driven conformance of the AWS surface, from botocore's own `sso-admin` service model.

Everything goes over raw HTTP (urllib, JSON 1.1 headers), so that neither botocore's client-side
validation nor its lenient parser hides anything:

- the implemented operations, found by calling each of the model's 79 operations once, are
  exactly the list of docs/aws.md;
- every implemented operation, called with valid input (on records made through the AWS surface),
  answers 200 with a body that matches the model's output shape recursively: only modelled
  members, the right JSON types, timestamps as numbers with at most 3 decimals, enums in their
  set, required members present, no `null` anywhere;
- every constrained input member of every implemented operation (length, pattern, enum, range,
  list size; nested members and list items too; and every required member) rejects one violating
  value, otherwise valid input, with a 400 `ValidationException` naming the member the way Coral
  does (`'instanceArn'`, `'customerManagedPolicyReference.name'`, `'tags.1.member.key'`);
- the other side: values at the limits (exact min/max length, MaxResults 1 and 100, non-ASCII
  letters where a pattern allows them) are accepted, and a member of the wrong JSON type is a
  400 `SerializationException`/`ValidationException` naming it;
- no operation of the model is left answering 501 `NotImplementedException`.
"""

import copy
import decimal
import json
import os
import re
import urllib.error
import urllib.request

import botocore.session

from harness import DEFAULT_ACCOUNT, HTTP_TIMEOUT_S, IcemuTestCase

# docs/aws.md, "Implemented:": the operations icemu implements.
DOCUMENTED = set("""
ListInstances DescribeInstance CreateInstance UpdateInstance DeleteInstance
CreatePermissionSet DescribePermissionSet ListPermissionSets UpdatePermissionSet DeletePermissionSet
PutInlinePolicyToPermissionSet GetInlinePolicyForPermissionSet DeleteInlinePolicyFromPermissionSet
AttachManagedPolicyToPermissionSet DetachManagedPolicyFromPermissionSet
ListManagedPoliciesInPermissionSet AttachCustomerManagedPolicyReferenceToPermissionSet
DetachCustomerManagedPolicyReferenceFromPermissionSet
ListCustomerManagedPolicyReferencesInPermissionSet PutPermissionsBoundaryToPermissionSet
GetPermissionsBoundaryForPermissionSet DeletePermissionsBoundaryFromPermissionSet TagResource
UntagResource ListTagsForResource ProvisionPermissionSet DescribePermissionSetProvisioningStatus
ListPermissionSetProvisioningStatus ListAccountsForProvisionedPermissionSet
ListPermissionSetsProvisionedToAccount CreateAccountAssignment DeleteAccountAssignment
ListAccountAssignments ListAccountAssignmentsForPrincipal DescribeAccountAssignmentCreationStatus
ListAccountAssignmentCreationStatus DescribeAccountAssignmentDeletionStatus
ListAccountAssignmentDeletionStatus
ListApplicationProviders DescribeApplicationProvider CreateApplication DescribeApplication
ListApplications UpdateApplication DeleteApplication PutApplicationAssignmentConfiguration
GetApplicationAssignmentConfiguration PutApplicationSessionConfiguration
GetApplicationSessionConfiguration CreateApplicationAssignment DescribeApplicationAssignment
ListApplicationAssignments ListApplicationAssignmentsForPrincipal DeleteApplicationAssignment
PutApplicationAccessScope GetApplicationAccessScope ListApplicationAccessScopes
DeleteApplicationAccessScope PutApplicationAuthenticationMethod
GetApplicationAuthenticationMethod ListApplicationAuthenticationMethods
DeleteApplicationAuthenticationMethod PutApplicationGrant GetApplicationGrant
ListApplicationGrants DeleteApplicationGrant CreateTrustedTokenIssuer
DescribeTrustedTokenIssuer ListTrustedTokenIssuers UpdateTrustedTokenIssuer
DeleteTrustedTokenIssuer CreateInstanceAccessControlAttributeConfiguration
DescribeInstanceAccessControlAttributeConfiguration
UpdateInstanceAccessControlAttributeConfiguration
DeleteInstanceAccessControlAttributeConfiguration
AddRegion DescribeRegion ListRegions RemoveRegion
""".split())

# The operations of the model icemu does not implement yet (they answer 501): none.
NOT_YET = set()

ACCOUNT = "111122223333"
OTHER_OWNER = "210987654321"  # owner of the instance CreateInstance makes
USER = "9067639464-9039c8fc-c296-4863-a233-a59111da7aa3"
MANAGED_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
NO_REQUEST = "00000000-0000-4000-8000-000000000000"
KMS_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CUSTOM_PROVIDER = "arn:aws:sso::aws:applicationProvider/custom"
ISSUER_CONFIG = {"OidcJwtConfiguration": {
    "IssuerUrl": "https://idp.example.com/", "ClaimAttributePath": "email",
    "IdentityStoreAttributePath": "emails.value", "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}
ABAC = {"AccessControlAttributes": [
    {"Key": "department", "Value": {"Source": ["${path:enterprise.department}"]}}]}
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]})

ASSIGNMENT_STATUS_MEMBERS = ("Status", "RequestId", "TargetId", "TargetType", "PermissionSetArn",
                             "PrincipalType", "PrincipalId", "CreatedDate")

PROVISIONING_STATUS_MEMBERS = ["PermissionSetProvisioningStatus." + m for m in (
    "Status", "RequestId", "AccountId", "PermissionSetArn", "CreatedDate")]

_MODEL = None


def model():
    global _MODEL
    if _MODEL is None:
        _MODEL = botocore.session.get_session().get_service_model("sso-admin")
    return _MODEL


# ---- Java regular expressions (the model's patterns) in Python ---------------------------------
# Python's `re` has no \p{..}; these classes are exact over Latin-1 and cover the characters the
# test sends (ASCII punctuation and symbols, Latin-1 letters, controls, U+0100).
_UNICODE_CLASSES = {
    "L": "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u03ff",
    "M": "\u0300-\u036f",
    "Z": " \u00a0\u2000-\u200a\u2028\u2029\u202f\u205f\u3000",
    "S": "$+<=>^`|~\u00a2-\u00a6\u00a8\u00a9\u00ac\u00ae-\u00b1\u00b4\u00b8\u00d7\u00f7",
    "N": "0-9\u00b2\u00b3\u00b9\u00bc-\u00be",
    "P": "!-#%-*,-/:;?@\\[-\\]_{}\u00a1\u00a7\u00ab\u00b6\u00b7\u00bb\u00bf",
}


def java_regex(pattern):
    """The model's (Java) pattern as a Python regex: \\p{X} classes spelled out, \\d and \\w
    ASCII as in Java."""
    def sub(m):
        body = _UNICODE_CLASSES[m.group(1)]
        return body if _inside_class(pattern, m.start()) else "[" + body + "]"
    py = re.sub(r"\\p\{(\w)\}", sub, pattern)
    py = py.replace("\\d", "[0-9]")
    return re.compile(py, re.ASCII if "\\w" in py else 0)


def _inside_class(pattern, index):
    depth, i = 0, 0
    while i < index:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
        i += 1
    return depth > 0


def full_match(pattern, value):
    return java_regex(pattern).fullmatch(value) is not None


def lower_camel(name):
    return name[:1].lower() + name[1:]


# ---- raw JSON 1.1 calls --------------------------------------------------------------------------

class Answer:
    def __init__(self, operation, body, status, headers, raw):
        self.operation = operation
        self.body = body
        self.status = status
        self.headers = headers
        self.raw = raw
        self.json = None
        self.parse_error = None
        try:
            self.json = json.loads(raw, parse_float=decimal.Decimal,
                                   object_pairs_hook=_no_duplicates)
        except ValueError as e:
            self.parse_error = str(e)

    @property
    def error_type(self):
        return self.json.get("__type") if isinstance(self.json, dict) else None

    @property
    def message(self):
        return self.json.get("Message") if isinstance(self.json, dict) else None

    def __repr__(self):
        return "%s %s -> %d %s" % (self.operation, json.dumps(self.body)[:300], self.status,
                                   self.raw[:400].decode("utf-8", "replace"))


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate keys in a JSON object: %r" % keys)
    return dict(pairs)


def call(endpoint, operation, body, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(endpoint + "/", data=data, method="POST", headers=dict({
        "X-Amz-Target": "SWBExternalService." + operation,
        "Content-Type": "application/x-amz-json-1.1",
    }, **(headers or {})))
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT_S) as resp:
            return Answer(operation, body, resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as e:
        return Answer(operation, body, e.code, e.headers, e.read())


def as_owner(account):
    """An (unchecked, auth mode `open`) SigV4 header whose access key id makes `account` the
    caller, as docs/aws.md documents for CreateInstance."""
    return {"Authorization": "AWS4-HMAC-SHA256 Credential=%s/20260101/us-east-1/sso/aws4_request, "
                             "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=%s"
                             % (account, "0" * 64),
            "X-Amz-Date": "20260101T000000Z"}


# ---- the output check ----------------------------------------------------------------------------

def check_output(value, shape, path, problems):
    """Appends to `problems` every way `value` (parsed with Decimal floats) departs from `shape`."""
    t = shape.type_name
    where = path or "<body>"
    if value is None:
        problems.append("%s: JSON null" % where)
        return
    if shape.metadata.get("document"):
        return  # a document (e.g. an IAM policy): any JSON value
    if t == "structure":
        if not isinstance(value, dict):
            problems.append("%s: expected an object (%s), got %r" % (where, shape.name, value))
            return
        for key, item in value.items():
            sub = "%s.%s" % (path, key) if path else key
            if key not in shape.members:
                problems.append("%s: member not in the model's %s" % (sub, shape.name))
                continue
            check_output(item, shape.members[key], sub, problems)
        for key in shape.required_members:
            if key not in value:
                problems.append("%s: required member %s of %s missing" % (where, key, shape.name))
    elif t == "list":
        if not isinstance(value, list):
            problems.append("%s: expected an array, got %r" % (where, value))
            return
        for i, item in enumerate(value):
            check_output(item, shape.member, "%s[%d]" % (where, i), problems)
    elif t == "map":
        if not isinstance(value, dict):
            problems.append("%s: expected an object (map), got %r" % (where, value))
            return
        for k, v in value.items():
            check_output(v, shape.value, "%s[%r]" % (where, k), problems)
    elif t == "string":
        if not isinstance(value, str):
            problems.append("%s: expected a string (%s), got %r" % (where, shape.name, value))
            return
        if shape.enum and value not in shape.enum:
            problems.append("%s: %r is not one of %s's %s" % (where, value, shape.name, shape.enum))
        meta = shape.metadata
        if "min" in meta and len(value) < meta["min"] or "max" in meta and len(value) > meta["max"]:
            problems.append("%s: length %d outside %s's [%s, %s]"
                            % (where, len(value), shape.name, meta.get("min"), meta.get("max")))
        if "pattern" in meta and not full_match(meta["pattern"], value):
            problems.append("%s: %r does not match %s's pattern %s"
                            % (where, value, shape.name, meta["pattern"]))
    elif t in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append("%s: expected an integer, got %r" % (where, value))
    elif t in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, decimal.Decimal)):
            problems.append("%s: expected a number, got %r" % (where, value))
    elif t == "boolean":
        if not isinstance(value, bool):
            problems.append("%s: expected a boolean, got %r" % (where, value))
    elif t == "timestamp":
        if isinstance(value, bool) or not isinstance(value, (int, decimal.Decimal)):
            problems.append("%s: expected a timestamp as a JSON number, got %r" % (where, value))
        elif isinstance(value, decimal.Decimal) and value.as_tuple().exponent < -3:
            problems.append("%s: timestamp %s has more than 3 decimals" % (where, value))
        elif not 1.5e9 < value < 4e9:
            problems.append("%s: timestamp %s is not epoch seconds" % (where, value))
    else:
        problems.append("%s: unexpected shape type %s" % (where, t))


def find_nulls(value, path, found):
    if value is None:
        found.append(path or "<body>")
    elif isinstance(value, dict):
        for k, v in value.items():
            find_nulls(v, "%s.%s" % (path, k) if path else k, found)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            find_nulls(v, "%s[%d]" % (path, i), found)


def dig(value, dotted):
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# ---- the input constraints -----------------------------------------------------------------------

class Constraint:
    """One violation of one input member: `steps` locate it (member names and list indexes),
    `value` violates it, `kind` says how."""

    def __init__(self, operation, steps, kind, value):
        self.operation = operation
        self.steps = steps
        self.kind = kind
        self.value = value

    @property
    def dotted(self):
        return ".".join(s if isinstance(s, str) else "[%d]" % s for s in self.steps)

    def coral_names(self):
        """The names AWS's message may use for the member: Coral prints list items as
        `tags.1.member.key`; for a list of strings it may name the list itself."""
        parts = []
        for s in self.steps:
            parts.append(lower_camel(s) if isinstance(s, str) else "%d.member" % (s + 1))
        names = [".".join(parts)]
        if self.steps and isinstance(self.steps[-1], int):
            names.append(".".join(parts[:-1]))
        return names

    def describe(self):
        shown = self.value if not isinstance(self.value, str) or len(self.value) < 40 else \
            "%r…(%d chars)" % (self.value[:12], len(self.value))
        return "%s %s: %s %s" % (self.operation, self.dotted, self.kind, shown)


_PATTERN_CANDIDATES = ["!", "<", " ", "\u0100", "\u0001", "a"]


def _fill(pattern, length):
    """A string of `length` that matches `pattern` when one repeated character can, else 'a's."""
    for c in "a0A-":
        if pattern is None or full_match(pattern, c * length):
            return c * length
    return "a" * length


def string_violations(shape):
    meta = shape.metadata
    lo, hi, pattern = meta.get("min"), meta.get("max"), meta.get("pattern")
    out = []
    if shape.enum:
        out.append(("enum", "NOT_A_VALUE"))
        return out
    if lo:
        out.append(("min length %d" % lo, _fill(pattern, lo - 1)))
    if hi is not None:
        out.append(("max length %d" % hi, _fill(pattern, hi + 1)))
    if pattern:
        length = max(lo or 0, 1)
        for c in _PATTERN_CANDIDATES:
            if not full_match(pattern, c * length):
                out.append(("pattern", c * length))
                break
    return out


def walk_constraints(operation, shape, steps, base_value, out):
    """Appends a Constraint for every way to break each member under `shape`; `base_value` is
    the valid value at this place (lists need one item in the base to reach their members)."""
    t = shape.type_name
    meta = shape.metadata
    if t == "structure":
        for name, member in shape.members.items():
            sub = base_value.get(name) if isinstance(base_value, dict) else None
            walk_constraints(operation, member, steps + [name], sub, out)
    elif t == "list":
        if "min" in meta and meta["min"] > 0:
            out.append(Constraint(operation, steps, "min items %d" % meta["min"], []))
        if "max" in meta and isinstance(base_value, list) and base_value:
            too_many = _distinct_items(base_value[0], meta["max"] + 1)
            out.append(Constraint(operation, steps, "max items %d" % meta["max"], too_many))
        if isinstance(base_value, list) and base_value:
            walk_constraints(operation, shape.member, steps + [0], base_value[0], out)
    elif t == "string":
        for kind, value in string_violations(shape):
            out.append(Constraint(operation, steps, kind, value))
        if isinstance(base_value, str) and "pattern" in meta:
            # A valid value with a prefix or a suffix: the pattern must match the whole value.
            for kind, before in (("pattern (prefix)", True), ("pattern (suffix)", False)):
                for c in _PATTERN_CANDIDATES:
                    value = c + base_value if before else base_value + c
                    if len(value) <= meta.get("max", len(value)) and \
                            not full_match(meta["pattern"], value):
                        out.append(Constraint(operation, steps, kind, value))
                        break
    elif t in ("integer", "long"):
        if "min" in meta:
            out.append(Constraint(operation, steps, "min %d" % meta["min"], meta["min"] - 1))
        if "max" in meta:
            out.append(Constraint(operation, steps, "max %d" % meta["max"], meta["max"] + 1))


def _distinct_items(item, n):
    if isinstance(item, dict) and "Key" in item:
        return [dict(item, Key="k%d" % i) for i in range(n)]
    if isinstance(item, str):
        return ["k%d" % i for i in range(n)]
    return [copy.deepcopy(item) for _ in range(n)]


def put(body, steps, value):
    """A copy of `body` with `value` at `steps` (creating missing objects on the way)."""
    body = copy.deepcopy(body)
    node = body
    for step, nxt in zip(steps, steps[1:]):
        if isinstance(node, dict) and step not in node:
            node[step] = [] if isinstance(nxt, int) else {}
        node = node[step]
    node[steps[-1]] = value
    return body


def required_paths(shape, steps, base_value, out):
    """(steps) of every required member reachable in `base_value`."""
    if shape.type_name == "structure" and isinstance(base_value, dict):
        for name, member in shape.members.items():
            if name in shape.required_members:
                out.append(steps + [name])
            if name in base_value:
                required_paths(member, steps + [name], base_value[name], out)
    elif shape.type_name == "list" and isinstance(base_value, list) and base_value:
        required_paths(shape.member, steps + [0], base_value[0], out)


def without(body, steps):
    body = copy.deepcopy(body)
    node = body
    for step in steps[:-1]:
        node = node[step]
    del node[steps[-1]]
    return body


class AwsConformanceTest(IcemuTestCase):
    icemu_env = {"ICEMU_SCHEDULER_DELAY_MS": "0"}

    def call(self, operation, body, headers=None):
        return call(self.icemu.endpoint, operation, body, headers)

    def ok(self, operation, body, headers=None):
        answer = self.call(operation, body, headers)
        self.assertEqual(answer.status, 200, answer)
        return answer.json

    # ---- fixtures -------------------------------------------------------------------------------

    def make_records(self):
        """A permission set with everything on it, an assignment (settled), a provisioning
        (settled) and a second instance; returns the ids the valid inputs use."""
        ctx = {}
        ctx["instance"] = self.ok("ListInstances", {})["Instances"][0]["InstanceArn"]
        ps = self.ok("CreatePermissionSet", {
            "InstanceArn": ctx["instance"], "Name": "Conformance", "Description": "model check",
            "SessionDuration": "PT2H", "RelayState": "https://console.aws.amazon.com/",
            "Tags": [{"Key": "team", "Value": "platform"}]})
        ctx["ps"] = ps["PermissionSet"]["PermissionSetArn"]
        ctx["app"] = self.ok("CreateApplication", {
            "InstanceArn": ctx["instance"], "ApplicationProviderArn": CUSTOM_PROVIDER,
            "Name": "ConformanceApp"})["ApplicationArn"]
        ctx["issuer"] = self.ok("CreateTrustedTokenIssuer", {
            "InstanceArn": ctx["instance"], "Name": "ConformanceIssuer",
            "TrustedTokenIssuerType": "OIDC_JWT",
            "TrustedTokenIssuerConfiguration": ISSUER_CONFIG})["TrustedTokenIssuerArn"]
        return ctx

    def bases(self, ctx):
        """A valid input for every implemented operation (members as complete as the model
        allows, so that nested members and list items are reachable)."""
        inst, ps = ctx["instance"], ctx["ps"]
        cmpr = {"Name": "ConformancePolicy", "Path": "/engineering/"}
        assignment = {"InstanceArn": inst, "TargetId": ACCOUNT, "TargetType": "AWS_ACCOUNT",
                      "PermissionSetArn": ps, "PrincipalType": "USER", "PrincipalId": USER}
        inst_ps = {"InstanceArn": inst, "PermissionSetArn": ps}
        page = {"MaxResults": 10}
        status_filter = {"Status": "SUCCEEDED"}
        return {
            "ListInstances": dict(page),
            "DescribeInstance": {"InstanceArn": inst},
            "CreateInstance": {"Name": "second", "ClientToken": "conformance-token-1",
                               "Tags": [{"Key": "env", "Value": "test"}]},
            "UpdateInstance": {"InstanceArn": ctx.get("instance2") or inst, "Name": "renamed",
                               "EncryptionConfiguration": {"KeyType": "CUSTOMER_MANAGED_KEY",
                                                           "KmsKeyArn": KMS_ARN}},
            "DeleteInstance": {"InstanceArn": ctx.get("instance2") or inst},
            "CreatePermissionSet": {"InstanceArn": inst, "Name": "Conformance2",
                                    "Description": "second", "SessionDuration": "PT8H",
                                    "RelayState": "https://example.com/start",
                                    "Tags": [{"Key": "k", "Value": "v"}]},
            "DescribePermissionSet": dict(inst_ps),
            "ListPermissionSets": dict(page, InstanceArn=inst),
            "UpdatePermissionSet": dict(inst_ps, Description="updated", SessionDuration="PT4H",
                                        RelayState="https://example.com/next"),
            "DeletePermissionSet": dict(inst_ps),
            "PutInlinePolicyToPermissionSet": dict(inst_ps, InlinePolicy=POLICY),
            "GetInlinePolicyForPermissionSet": dict(inst_ps),
            "DeleteInlinePolicyFromPermissionSet": dict(inst_ps),
            "AttachManagedPolicyToPermissionSet": dict(inst_ps, ManagedPolicyArn=MANAGED_ARN),
            "DetachManagedPolicyFromPermissionSet": dict(inst_ps, ManagedPolicyArn=MANAGED_ARN),
            "ListManagedPoliciesInPermissionSet": dict(inst_ps, **page),
            "AttachCustomerManagedPolicyReferenceToPermissionSet":
                dict(inst_ps, CustomerManagedPolicyReference=dict(cmpr)),
            "DetachCustomerManagedPolicyReferenceFromPermissionSet":
                dict(inst_ps, CustomerManagedPolicyReference=dict(cmpr)),
            "ListCustomerManagedPolicyReferencesInPermissionSet": dict(inst_ps, **page),
            "PutPermissionsBoundaryToPermissionSet":
                dict(inst_ps, PermissionsBoundary={"CustomerManagedPolicyReference": dict(cmpr)}),
            "GetPermissionsBoundaryForPermissionSet": dict(inst_ps),
            "DeletePermissionsBoundaryFromPermissionSet": dict(inst_ps),
            "TagResource": {"InstanceArn": inst, "ResourceArn": ps,
                            "Tags": [{"Key": "cost-center", "Value": "42"}]},
            "UntagResource": {"InstanceArn": inst, "ResourceArn": ps, "TagKeys": ["cost-center"]},
            "ListTagsForResource": {"InstanceArn": inst, "ResourceArn": ps},
            "ProvisionPermissionSet": dict(inst_ps, TargetId=ACCOUNT, TargetType="AWS_ACCOUNT"),
            "DescribePermissionSetProvisioningStatus": {
                "InstanceArn": inst,
                "ProvisionPermissionSetRequestId": ctx.get("provision_request") or NO_REQUEST},
            "ListPermissionSetProvisioningStatus": dict(page, InstanceArn=inst,
                                                        Filter=dict(status_filter)),
            "ListAccountsForProvisionedPermissionSet": dict(
                inst_ps, ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED", **page),
            "ListPermissionSetsProvisionedToAccount": dict(
                page, InstanceArn=inst, AccountId=ACCOUNT,
                ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED"),
            "CreateAccountAssignment": dict(assignment),
            "DeleteAccountAssignment": dict(assignment),
            "ListAccountAssignments": dict(inst_ps, AccountId=ACCOUNT, **page),
            "ListAccountAssignmentsForPrincipal": dict(
                page, InstanceArn=inst, PrincipalId=USER, PrincipalType="USER",
                Filter={"AccountId": ACCOUNT}),
            "DescribeAccountAssignmentCreationStatus": {
                "InstanceArn": inst,
                "AccountAssignmentCreationRequestId": ctx.get("create_request") or NO_REQUEST},
            "ListAccountAssignmentCreationStatus": dict(page, InstanceArn=inst,
                                                        Filter=dict(status_filter)),
            "DescribeAccountAssignmentDeletionStatus": {
                "InstanceArn": inst,
                "AccountAssignmentDeletionRequestId": ctx.get("delete_request") or NO_REQUEST},
            "ListAccountAssignmentDeletionStatus": dict(page, InstanceArn=inst,
                                                        Filter=dict(status_filter)),
        } | self.application_bases(ctx)

    def application_bases(self, ctx):
        """Valid inputs of the application family's operations."""
        inst, app, issuer = ctx["instance"], ctx.get("app", "a"), ctx.get("issuer", "i")
        app2, issuer2 = ctx.get("app2") or app, ctx.get("issuer2") or issuer
        page = {"MaxResults": 10}
        principal = {"ApplicationArn": app, "PrincipalId": USER, "PrincipalType": "USER"}
        portal = {"SignInOptions": {"Origin": "APPLICATION",
                                    "ApplicationUrl": "https://app.example.com/"},
                  "Visibility": "ENABLED"}
        grant = {"AuthorizationCode": {"RedirectUris": ["https://app.example.com/callback"]}}
        method = {"Iam": {"ActorPolicy": {"Version": "2012-10-17", "Statement": []}}}
        return {
            "ListApplicationProviders": dict(page),
            "DescribeApplicationProvider": {"ApplicationProviderArn": CUSTOM_PROVIDER},
            "CreateApplication": {"InstanceArn": inst, "ApplicationProviderArn": CUSTOM_PROVIDER,
                                  "Name": "ConformanceApp2", "Description": "second",
                                  "PortalOptions": portal, "Status": "ENABLED",
                                  "ClientToken": "conformance-app-token",
                                  "Tags": [{"Key": "k", "Value": "v"}]},
            "DescribeApplication": {"ApplicationArn": app},
            "ListApplications": dict(page, InstanceArn=inst,
                                     Filter={"ApplicationAccount": DEFAULT_ACCOUNT,
                                             "ApplicationProvider": CUSTOM_PROVIDER}),
            "UpdateApplication": {"ApplicationArn": app, "Name": "ConformanceApp",
                                  "Description": "updated", "Status": "ENABLED",
                                  "PortalOptions": {"SignInOptions": {"Origin": "IDENTITY_CENTER"}}},
            "DeleteApplication": {"ApplicationArn": app2},
            "PutApplicationAssignmentConfiguration": {"ApplicationArn": app,
                                                      "AssignmentRequired": False},
            "GetApplicationAssignmentConfiguration": {"ApplicationArn": app},
            "PutApplicationSessionConfiguration": {
                "ApplicationArn": app, "UserBackgroundSessionApplicationStatus": "ENABLED"},
            "GetApplicationSessionConfiguration": {"ApplicationArn": app},
            "CreateApplicationAssignment": dict(principal),
            "DescribeApplicationAssignment": dict(principal),
            "ListApplicationAssignments": dict(page, ApplicationArn=app),
            "ListApplicationAssignmentsForPrincipal": dict(
                page, InstanceArn=inst, PrincipalId=USER, PrincipalType="USER",
                Filter={"ApplicationArn": app}),
            "DeleteApplicationAssignment": dict(principal),
            "PutApplicationAccessScope": {"ApplicationArn": app, "Scope": "sso:account:access",
                                          "AuthorizedTargets": [app]},
            "GetApplicationAccessScope": {"ApplicationArn": app, "Scope": "sso:account:access"},
            "ListApplicationAccessScopes": dict(page, ApplicationArn=app),
            "DeleteApplicationAccessScope": {"ApplicationArn": app,
                                             "Scope": "sso:account:access"},
            "PutApplicationAuthenticationMethod": {"ApplicationArn": app,
                                                   "AuthenticationMethodType": "IAM",
                                                   "AuthenticationMethod": method},
            "GetApplicationAuthenticationMethod": {"ApplicationArn": app,
                                                   "AuthenticationMethodType": "IAM"},
            "ListApplicationAuthenticationMethods": {"ApplicationArn": app},
            "DeleteApplicationAuthenticationMethod": {"ApplicationArn": app,
                                                      "AuthenticationMethodType": "IAM"},
            "PutApplicationGrant": {"ApplicationArn": app, "GrantType": "authorization_code",
                                    "Grant": grant},
            "GetApplicationGrant": {"ApplicationArn": app, "GrantType": "authorization_code"},
            "ListApplicationGrants": {"ApplicationArn": app},
            "DeleteApplicationGrant": {"ApplicationArn": app, "GrantType": "authorization_code"},
            "CreateTrustedTokenIssuer": {"InstanceArn": inst, "Name": "ConformanceIssuer2",
                                         "TrustedTokenIssuerType": "OIDC_JWT",
                                         "TrustedTokenIssuerConfiguration": ISSUER_CONFIG,
                                         "ClientToken": "conformance-issuer-token",
                                         "Tags": [{"Key": "k", "Value": "v"}]},
            "DescribeTrustedTokenIssuer": {"TrustedTokenIssuerArn": issuer},
            "ListTrustedTokenIssuers": dict(page, InstanceArn=inst),
            "UpdateTrustedTokenIssuer": {
                "TrustedTokenIssuerArn": issuer, "Name": "ConformanceIssuer",
                "TrustedTokenIssuerConfiguration": {"OidcJwtConfiguration": {
                    "ClaimAttributePath": "sub", "IdentityStoreAttributePath": "userName",
                    "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}},
            "DeleteTrustedTokenIssuer": {"TrustedTokenIssuerArn": issuer2},
            "CreateInstanceAccessControlAttributeConfiguration": {
                "InstanceArn": inst, "InstanceAccessControlAttributeConfiguration": ABAC},
            "DescribeInstanceAccessControlAttributeConfiguration": {"InstanceArn": inst},
            "UpdateInstanceAccessControlAttributeConfiguration": {
                "InstanceArn": inst, "InstanceAccessControlAttributeConfiguration": ABAC},
            "DeleteInstanceAccessControlAttributeConfiguration": {"InstanceArn": inst},
            "AddRegion": {"InstanceArn": inst, "RegionName": "eu-west-1"},
            "DescribeRegion": {"InstanceArn": inst, "RegionName": "eu-west-1"},
            "ListRegions": dict(page, InstanceArn=inst),
            "RemoveRegion": {"InstanceArn": inst, "RegionName": "eu-west-1"},
        }

    # ---- (a) the implemented set --------------------------------------------------------------

    def test_the_documented_list_is_that_of_docs_aws_md(self):
        path = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "aws.md")
        with open(path, encoding="utf-8") as f:
            [listed] = re.findall(r"^Implemented: `([^`]*)`\.$", f.read(), re.M | re.S)
        self.assertEqual(sorted(listed.split()), sorted(DOCUMENTED))

    def test_implemented_operations_are_the_documented_list(self):
        """Each operation of the model once: the documented operations with valid input (the
        sequence below, each must answer 200), every other one with `{}`; an answer other than
        501 NotImplementedException means implemented."""
        ops = model().operation_names
        self.assertEqual(len(ops), 79)
        self.assertLessEqual(DOCUMENTED, set(ops))
        implemented = set()
        for op, _, answer in self.run_sequence(strict=False):
            if not (answer.status == 501 and answer.error_type == "NotImplementedException"):
                implemented.add(op)
        for op in sorted(set(ops) - DOCUMENTED):
            answer = self.call(op, {})
            if not (answer.status == 501 and answer.error_type == "NotImplementedException"):
                implemented.add(op)
        self.assertEqual(sorted(implemented - DOCUMENTED), [],
                         "implemented but not in docs/aws.md")
        self.assertEqual(sorted(DOCUMENTED - implemented), [],
                         "in docs/aws.md but answering 501")
        self.assertEqual(len(implemented), 79 - len(NOT_YET))

    # ---- (a) outputs ---------------------------------------------------------------------------

    def run_sequence(self, strict=True):
        """Every implemented operation with valid input, in an order where each succeeds;
        returns [(operation, input, answer)]. `strict`: assert 200 at each step (else only
        where a later step needs the answer)."""
        ctx = self.make_records()
        seq = []

        def step(op, headers=None, **override):
            body = dict(self.bases(ctx)[op], **override)
            answer = self.call(op, body, headers)
            seq.append((op, body, answer))
            if strict:
                self.assertEqual(answer.status, 200, answer)
            return answer.json if answer.status == 200 else {}

        step("ListInstances")
        step("DescribeInstance")
        ctx["instance2"] = step("CreateInstance", as_owner(OTHER_OWNER)).get("InstanceArn")
        step("UpdateInstance")
        step("DescribePermissionSet")
        step("ListPermissionSets")
        step("UpdatePermissionSet")
        step("PutInlinePolicyToPermissionSet")
        step("GetInlinePolicyForPermissionSet")
        step("AttachManagedPolicyToPermissionSet")
        step("ListManagedPoliciesInPermissionSet")
        step("AttachCustomerManagedPolicyReferenceToPermissionSet")
        step("ListCustomerManagedPolicyReferencesInPermissionSet")
        step("PutPermissionsBoundaryToPermissionSet")
        step("GetPermissionsBoundaryForPermissionSet")
        step("TagResource")
        step("ListTagsForResource")
        step("UntagResource")
        created = step("CreateAccountAssignment").get("AccountAssignmentCreationStatus", {})
        ctx["create_request"] = created.get("RequestId")
        step("DescribeAccountAssignmentCreationStatus")
        step("ListAccountAssignmentCreationStatus")
        step("ListAccountAssignments")
        step("ListAccountAssignmentsForPrincipal")
        provision = step("ProvisionPermissionSet").get("PermissionSetProvisioningStatus", {})
        ctx["provision_request"] = provision.get("RequestId")
        step("DescribePermissionSetProvisioningStatus")
        step("ListPermissionSetProvisioningStatus")
        step("ListAccountsForProvisionedPermissionSet")
        step("ListPermissionSetsProvisionedToAccount")
        deleted = step("DeleteAccountAssignment").get("AccountAssignmentDeletionStatus", {})
        ctx["delete_request"] = deleted.get("RequestId")
        step("DescribeAccountAssignmentDeletionStatus")
        step("ListAccountAssignmentDeletionStatus")
        step("DeleteInlinePolicyFromPermissionSet")
        step("DetachManagedPolicyFromPermissionSet")
        step("DetachCustomerManagedPolicyReferenceFromPermissionSet")
        step("DeletePermissionsBoundaryFromPermissionSet")
        step("CreatePermissionSet")
        step("DeletePermissionSet")
        step("DeleteInstance")
        step("ListApplicationProviders")
        step("DescribeApplicationProvider")
        ctx["app2"] = step("CreateApplication").get("ApplicationArn")
        step("DescribeApplication")
        step("ListApplications")
        step("UpdateApplication")
        step("PutApplicationAssignmentConfiguration")
        step("GetApplicationAssignmentConfiguration")
        step("PutApplicationSessionConfiguration")
        step("GetApplicationSessionConfiguration")
        step("CreateApplicationAssignment")
        step("DescribeApplicationAssignment")
        step("ListApplicationAssignments")
        step("ListApplicationAssignmentsForPrincipal")
        step("DeleteApplicationAssignment")
        step("PutApplicationAccessScope")
        step("GetApplicationAccessScope")
        step("ListApplicationAccessScopes")
        step("DeleteApplicationAccessScope")
        step("PutApplicationAuthenticationMethod")
        step("GetApplicationAuthenticationMethod")
        step("ListApplicationAuthenticationMethods")
        step("DeleteApplicationAuthenticationMethod")
        step("PutApplicationGrant")
        step("GetApplicationGrant")
        step("ListApplicationGrants")
        step("DeleteApplicationGrant")
        ctx["issuer2"] = step("CreateTrustedTokenIssuer").get("TrustedTokenIssuerArn")
        step("DescribeTrustedTokenIssuer")
        step("ListTrustedTokenIssuers")
        step("UpdateTrustedTokenIssuer")
        step("CreateInstanceAccessControlAttributeConfiguration")
        step("DescribeInstanceAccessControlAttributeConfiguration")
        step("UpdateInstanceAccessControlAttributeConfiguration")
        step("DeleteInstanceAccessControlAttributeConfiguration")
        step("DeleteApplication")
        step("DeleteTrustedTokenIssuer")
        # A delay of 0: the Region is ACTIVE by the next call, so it can be removed.
        step("AddRegion")
        step("DescribeRegion")
        step("ListRegions")
        step("RemoveRegion")
        return seq

    # Members each answer must carry (dotted), beyond what the model requires.
    EXPECTED_MEMBERS = {
        "ListInstances": ["Instances"],
        "DescribeInstance": ["InstanceArn", "IdentityStoreId", "OwnerAccountId", "CreatedDate",
                             "Status", "EncryptionConfigurationDetails.KeyType",
                             "EncryptionConfigurationDetails.EncryptionStatus"],
        "CreateInstance": ["InstanceArn"],
        "CreatePermissionSet": ["PermissionSet.Name", "PermissionSet.PermissionSetArn",
                                "PermissionSet.Description", "PermissionSet.CreatedDate",
                                "PermissionSet.SessionDuration", "PermissionSet.RelayState"],
        "DescribePermissionSet": ["PermissionSet.Name", "PermissionSet.PermissionSetArn",
                                  "PermissionSet.CreatedDate", "PermissionSet.SessionDuration"],
        "ListPermissionSets": ["PermissionSets"],
        "GetInlinePolicyForPermissionSet": ["InlinePolicy"],
        "ListManagedPoliciesInPermissionSet": ["AttachedManagedPolicies"],
        "ListCustomerManagedPolicyReferencesInPermissionSet": ["CustomerManagedPolicyReferences"],
        "GetPermissionsBoundaryForPermissionSet": [
            "PermissionsBoundary.CustomerManagedPolicyReference.Name",
            "PermissionsBoundary.CustomerManagedPolicyReference.Path"],
        "ListTagsForResource": ["Tags"],
        "ProvisionPermissionSet": PROVISIONING_STATUS_MEMBERS,
        "DescribePermissionSetProvisioningStatus": PROVISIONING_STATUS_MEMBERS,
        "ListPermissionSetProvisioningStatus": ["PermissionSetsProvisioningStatus"],
        "ListAccountsForProvisionedPermissionSet": ["AccountIds"],
        "ListPermissionSetsProvisionedToAccount": ["PermissionSets"],
        "ListAccountAssignments": ["AccountAssignments"],
        "ListAccountAssignmentsForPrincipal": ["AccountAssignments"],
        "ListAccountAssignmentCreationStatus": ["AccountAssignmentsCreationStatus"],
        "ListAccountAssignmentDeletionStatus": ["AccountAssignmentsDeletionStatus"],
        "ListApplicationProviders": ["ApplicationProviders"],
        "DescribeApplicationProvider": ["FederationProtocol", "DisplayData.DisplayName"],
        "CreateApplication": ["ApplicationArn", "InstanceArn", "IdentityStoreArn"],
        "DescribeApplication": ["ApplicationArn", "ApplicationProviderArn", "Name",
                                "ApplicationAccount", "InstanceArn", "IdentityStoreArn",
                                "Status", "CreatedDate"],
        "ListApplications": ["Applications"],
        "DescribeApplicationAssignment": ["ApplicationArn", "PrincipalId", "PrincipalType"],
        "ListApplicationAssignments": ["ApplicationAssignments"],
        "ListApplicationAssignmentsForPrincipal": ["ApplicationAssignments"],
        "GetApplicationAccessScope": ["AuthorizedTargets"],
        "GetApplicationAuthenticationMethod": ["AuthenticationMethod.Iam.ActorPolicy"],
        "ListApplicationAuthenticationMethods": ["AuthenticationMethods"],
        "GetApplicationGrant": ["Grant.AuthorizationCode.RedirectUris"],
        "GetApplicationSessionConfiguration": ["UserBackgroundSessionApplicationStatus"],
        "CreateTrustedTokenIssuer": ["TrustedTokenIssuerArn"],
        "DescribeTrustedTokenIssuer": [
            "TrustedTokenIssuerArn", "Name", "TrustedTokenIssuerType",
            "TrustedTokenIssuerConfiguration.OidcJwtConfiguration.IssuerUrl"],
        "ListTrustedTokenIssuers": ["TrustedTokenIssuers"],
        "DescribeInstanceAccessControlAttributeConfiguration": [
            "Status", "InstanceAccessControlAttributeConfiguration.AccessControlAttributes"],
        "AddRegion": ["Status"],
        "DescribeRegion": ["RegionName", "Status", "AddedDate", "IsPrimaryRegion"],
        "ListRegions": ["Regions"],
        "RemoveRegion": ["Status"],
    }
    EXPECTED_MEMBERS.update({
        op: ["%s.%s" % (key, m) for m in ASSIGNMENT_STATUS_MEMBERS]
        for op, key in (("CreateAccountAssignment", "AccountAssignmentCreationStatus"),
                        ("DescribeAccountAssignmentCreationStatus",
                         "AccountAssignmentCreationStatus"),
                        ("DeleteAccountAssignment", "AccountAssignmentDeletionStatus"),
                        ("DescribeAccountAssignmentDeletionStatus",
                         "AccountAssignmentDeletionStatus"))})

    def test_outputs_match_the_model(self):
        seq = self.run_sequence()
        self.assertEqual({op for op, _, _ in seq}, DOCUMENTED)
        problems = []
        for op, body, answer in seq:
            prefix = "%s: " % op
            if answer.parse_error:
                problems.append(prefix + "body is not JSON: %s" % answer.parse_error)
                continue
            ctype = answer.headers.get("Content-Type", "")
            if not ctype.startswith("application/x-amz-json-1.1"):
                problems.append(prefix + "Content-Type %r" % ctype)
            if not answer.headers.get("x-amzn-RequestId"):
                problems.append(prefix + "no x-amzn-RequestId header")
            nulls = []
            find_nulls(answer.json, "", nulls)
            problems += [prefix + "null at " + n for n in nulls]
            found = []
            output_shape = model().operation_model(op).output_shape
            if output_shape is None:  # an operation without an output answers {}
                if answer.json != {}:
                    found.append("expected {}, got %r" % (answer.json,))
            else:
                check_output(answer.json, output_shape, "", found)
            problems += [prefix + p for p in found]
            for dotted in self.EXPECTED_MEMBERS.get(op, []):
                if dig(answer.json, dotted) is None:
                    problems.append(prefix + "%s missing in %s" % (dotted, answer.json))
        self.assertEqual(problems, [])

    def test_output_values(self):
        """The values the sequence produced, beyond their types: statuses settled (delay 0),
        the right status objects, SessionDuration kept as the string sent."""
        answers = {op: answer.json for op, _, answer in self.run_sequence()}
        for op, key in (("DescribeAccountAssignmentCreationStatus",
                         "AccountAssignmentCreationStatus"),
                        ("DescribeAccountAssignmentDeletionStatus",
                         "AccountAssignmentDeletionStatus"),
                        ("DescribePermissionSetProvisioningStatus",
                         "PermissionSetProvisioningStatus")):
            self.assertEqual(answers[op][key]["Status"], "SUCCEEDED", (op, answers[op]))
        self.assertEqual(answers["CreateAccountAssignment"]["AccountAssignmentCreationStatus"]
                         ["Status"], "IN_PROGRESS")
        self.assertEqual(answers["DescribePermissionSet"]["PermissionSet"]["SessionDuration"],
                         "PT2H")
        self.assertEqual(answers["DescribeInstance"]["OwnerAccountId"], DEFAULT_ACCOUNT)
        self.assertEqual(answers["ListAccountsForProvisionedPermissionSet"]["AccountIds"],
                         [ACCOUNT])
        self.assertEqual(answers["ListManagedPoliciesInPermissionSet"]
                         ["AttachedManagedPolicies"],
                         [{"Name": "ReadOnlyAccess", "Arn": MANAGED_ARN}])
        self.assertEqual(answers["ListTagsForResource"]["Tags"],
                         [{"Key": "team", "Value": "platform"},
                          {"Key": "cost-center", "Value": "42"}])
        for op in ("UpdateInstance", "DeleteInstance", "UpdatePermissionSet", "DeletePermissionSet",
                   "PutInlinePolicyToPermissionSet", "TagResource", "UntagResource"):
            self.assertEqual(answers[op], {}, op)

    # ---- (b) inputs ----------------------------------------------------------------------------

    def assertRejects(self, constraint_or_text, names, body, failures):
        """Sends `body` (to the constraint's operation) and records a failure unless it is a
        400 ValidationException naming one of `names` in quotes."""
        op, what = constraint_or_text
        answer = self.call(op, body, as_owner(OTHER_OWNER) if op == "CreateInstance" else None)
        quoted = ["'%s'" % n for n in names]
        if (answer.status == 400 and answer.error_type == "ValidationException"
                and answer.headers.get("x-amzn-ErrorType") == "ValidationException"
                and isinstance(answer.message, str)
                and any(q in answer.message for q in quoted)):
            return
        if answer.status == 400 and answer.error_type == "ValidationException":
            failures.append("%s: ValidationException not naming %s: %r"
                            % (what, " or ".join(quoted), answer.message))
        else:
            failures.append("%s: expected 400 ValidationException, got %d %s"
                            % (what, answer.status, answer.raw[:300].decode("utf-8", "replace")))

    def constraints(self, bases):
        out = []
        for op in sorted(DOCUMENTED):
            walk_constraints(op, model().operation_model(op).input_shape, [], bases[op], out)
        return out

    def test_constraint_table_covers_the_model(self):
        """The walk finds the members the brief names (a guard against a walk that finds
        nothing)."""
        names = {(c.operation, c.dotted, c.kind.split()[0])
                 for c in self.constraints(self.bases({"instance": "i", "ps": "p"}))}
        for expected in [
            ("CreatePermissionSet", "InstanceArn", "pattern"),
            ("CreatePermissionSet", "Name", "max"),
            ("CreatePermissionSet", "Tags.[0].Key", "min"),
            ("CreatePermissionSet", "Tags", "max"),
            ("AttachCustomerManagedPolicyReferenceToPermissionSet",
             "CustomerManagedPolicyReference.Name", "pattern"),
            ("PutPermissionsBoundaryToPermissionSet",
             "PermissionsBoundary.CustomerManagedPolicyReference.Path", "pattern"),
            ("ListPermissionSets", "MaxResults", "min"),
            ("ListPermissionSets", "MaxResults", "max"),
            ("ListPermissionSets", "NextToken", "pattern"),
            ("ProvisionPermissionSet", "TargetType", "enum"),
            ("UntagResource", "TagKeys", "min"),
            ("UntagResource", "TagKeys.[0]", "max"),
            ("UpdateInstance", "EncryptionConfiguration.KmsKeyArn", "pattern"),
            ("ListAccountAssignmentsForPrincipal", "Filter.AccountId", "pattern"),
        ]:
            self.assertIn(expected, names)

    def test_every_constrained_input_member_is_validated(self):
        ctx = self.make_records()
        bases = self.bases(ctx)
        failures = []
        constraints = self.constraints(bases)
        self.assertGreater(len(constraints), 150)
        for c in constraints:
            body = put(bases[c.operation], c.steps, c.value)
            if c.steps[0] in ("PermissionsBoundary", "Grant"):
                # Exactly one of its members (a boundary; a union): keep only the one under test.
                body[c.steps[0]] = {c.steps[1]: body[c.steps[0]][c.steps[1]]} \
                    if len(c.steps) > 1 else body[c.steps[0]]
            self.assertRejects((c.operation, c.describe()), c.coral_names(), body, failures)
        self.assertEqual(failures, [], "%d of %d violations not rejected as AWS does"
                         % (len(failures), len(constraints)))

    def test_every_required_input_member_is_validated(self):
        ctx = self.make_records()
        bases = self.bases(ctx)
        failures = []
        count = 0
        for op in sorted(DOCUMENTED):
            paths = []
            required_paths(model().operation_model(op).input_shape, [], bases[op], paths)
            for steps in paths:
                count += 1
                c = Constraint(op, steps, "required", None)
                self.assertRejects((op, "%s %s: missing" % (op, c.dotted)), c.coral_names(),
                                   without(bases[op], steps), failures)
        self.assertGreater(count, 60)
        self.assertEqual(failures, [], "%d of %d missing required members not rejected"
                         % (len(failures), count))

    def test_values_at_the_limits_are_accepted(self):
        """The other side of each constraint: a value of exactly the minimum or maximum length
        that matches the pattern, MaxResults 1 and 100, and non-ASCII letters where the pattern
        allows them (\\p{L}, Latin-1), are not a ValidationException."""
        ctx = self.make_records()
        bases = self.bases_cache = self.bases(ctx)
        cases = []
        for op in sorted(DOCUMENTED):
            self._limit_cases(op, model().operation_model(op).input_shape, [], bases[op], cases)
        inst, ps = ctx["instance"], ctx["ps"]
        cases += [
            ("TagResource", {"InstanceArn": inst, "ResourceArn": ps,
                             "Tags": [{"Key": "équipe", "Value": "Zürich 東京 ünïcode"}]}),
            ("CreatePermissionSet", {"InstanceArn": inst, "Name": "Latin1",
                                     "Description": "café crème ¡olé! ÿ\ttab"}),
            ("PutInlinePolicyToPermissionSet", {"InstanceArn": inst, "PermissionSetArn": ps,
                                                "InlinePolicy": '{"Sid": "é"}'}),
            ("UpdatePermissionSet", {"InstanceArn": inst, "PermissionSetArn": ps,
                                     "SessionDuration": "PT12H",
                                     "RelayState": "https://a.example/p?x=1&y='2'#f"}),
        ]
        self.assertGreater(len(cases), 40)
        failures = []
        for op, body in cases:
            answer = self.call(op, body, as_owner(OTHER_OWNER) if op == "CreateInstance" else None)
            if answer.error_type in ("ValidationException", "SerializationException") \
                    or answer.status >= 500:
                failures.append("%s %s: %s" % (op, json.dumps(body)[:200], answer.message))
        self.assertEqual(failures, [], "%d of %d valid values rejected"
                         % (len(failures), len(cases)))

    def _limit_cases(self, op, shape, steps, base_value, out):
        t = shape.type_name
        meta = shape.metadata
        if t == "structure":
            for name, member in shape.members.items():
                sub = base_value.get(name) if isinstance(base_value, dict) else None
                self._limit_cases(op, member, steps + [name], sub, out)
        elif t == "list" and isinstance(base_value, list) and base_value:
            self._limit_cases(op, shape.member, steps + [0], base_value[0], out)
        elif t == "string" and not shape.enum and base_value is not None:
            pattern = meta.get("pattern")
            for length in {meta.get("min") or 1, meta.get("max")} - {None}:
                value = _fill(pattern, length)
                if pattern is None or full_match(pattern, value):
                    out.append((op, put(self.bases_cache[op], steps, value)))
        elif t in ("integer", "long"):
            for value in (meta.get("min"), meta.get("max")):
                if value is not None:
                    out.append((op, put(self.bases_cache[op], steps, value)))

    def test_members_of_the_wrong_json_type_are_client_errors(self):
        """A member of the wrong JSON type (a number for a string, a string for MaxResults, an
        object for a list, a list for a structure): a 400 SerializationException or
        ValidationException naming the member, never a success or a 5xx."""
        wrong = {"string": 5, "integer": "10", "long": "10", "list": {}, "structure": [],
                 "boolean": "true", "timestamp": "yesterday"}
        ctx = self.make_records()
        bases = self.bases(ctx)
        failures = []
        count = 0
        for op in sorted(DOCUMENTED):
            shape = model().operation_model(op).input_shape
            for name, member in shape.members.items():
                count += 1
                body = dict(bases[op], **{name: wrong[member.type_name]})
                answer = self.call(op, body,
                                   as_owner(OTHER_OWNER) if op == "CreateInstance" else None)
                if not (answer.status == 400
                        and answer.error_type in ("SerializationException", "ValidationException")
                        and "'%s'" % lower_camel(name) in (answer.message or "")):
                    failures.append("%s %s=%r: %r" % (op, name, body[name], answer))
        self.assertGreater(count, 100)
        self.assertEqual(failures, [])

    def test_permissions_boundary_with_managed_policy_arn(self):
        """The other form of the boundary, which the sequence does not use."""
        ctx = self.make_records()
        inst_ps = {"InstanceArn": ctx["instance"], "PermissionSetArn": ctx["ps"]}
        self.ok("PutPermissionsBoundaryToPermissionSet",
                dict(inst_ps, PermissionsBoundary={"ManagedPolicyArn": MANAGED_ARN}))
        answer = self.call("GetPermissionsBoundaryForPermissionSet", inst_ps)
        self.assertEqual(answer.status, 200, answer)
        problems = []
        check_output(answer.json, model().operation_model(
            "GetPermissionsBoundaryForPermissionSet").output_shape, "", problems)
        self.assertEqual(problems, [])
        self.assertEqual(answer.json, {"PermissionsBoundary": {"ManagedPolicyArn": MANAGED_ARN}})

    def test_error_answers_are_well_formed(self):
        """A ValidationException, a ResourceNotFoundException and a ConflictException: 400,
        `__type` equal to `x-amzn-ErrorType`, `Message` with a capital M, nothing else."""
        ctx = self.make_records()
        missing_ps = ctx["ps"][:-16] + "0123456789abcdef"
        for op, body, expected in [
            ("ListPermissionSets", {"InstanceArn": ctx["instance"], "MaxResults": 0},
             "ValidationException"),
            ("DescribePermissionSet", {"InstanceArn": ctx["instance"],
                                       "PermissionSetArn": missing_ps},
             "ResourceNotFoundException"),
            ("CreatePermissionSet", {"InstanceArn": ctx["instance"], "Name": "Conformance"},
             "ConflictException"),
        ]:
            answer = self.call(op, body)
            self.assertEqual(answer.status, 400, answer)
            self.assertEqual(answer.error_type, expected, answer)
            self.assertEqual(answer.headers.get("x-amzn-ErrorType"), expected, answer)
            self.assertEqual(set(answer.json), {"__type", "Message"}, answer)
            self.assertIsInstance(answer.message, str)
            self.assertTrue(answer.message, answer)
            self.assertTrue(answer.headers.get("x-amzn-RequestId"), answer)

    # ---- (c) the rest of the model -------------------------------------------------------------

    def test_only_undocumented_operations_answer_501(self):
        """None is left: every operation of the model is documented and implemented."""
        others = sorted(set(model().operation_names) - DOCUMENTED)
        self.assertEqual(others, sorted(NOT_YET))
        failures = []
        for op in others:
            answer = self.call(op, {})
            if not (answer.status == 501
                    and answer.error_type == "NotImplementedException"
                    and answer.headers.get("x-amzn-ErrorType") == "NotImplementedException"
                    and isinstance(answer.message, str) and op in answer.message
                    and answer.headers.get("x-amzn-RequestId")):
                failures.append(repr(answer))
        self.assertEqual(failures, [])


if __name__ == "__main__":
    import unittest
    unittest.main()

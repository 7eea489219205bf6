"""One icemu seen from a test: its endpoint, boto3 clients for it, and its admin API (`/_icemu/`).

Standard library only (urllib); boto3 is imported when `Icemu.client()` is first called.
"""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Fault", "Icemu", "IcemuError"]

DEFAULT_REGION = "us-east-1"
# Dummy credentials: icemu's default auth mode (`open`) does not check signatures.
DEFAULT_ACCESS_KEY_ID = "test"
DEFAULT_SECRET_ACCESS_KEY = "test"

# icemu is usually on loopback: admin calls never go through a proxy configured in the
# environment (HTTP_PROXY and the like).
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

_REQUEST_FILTERS = ("status", "kind", "instance")


class IcemuError(Exception):
    """The admin API answered an error: `status` (HTTP), `error` (its code, e.g. "not_found",
    "conflict", "bad_request") and `message` (its text)."""

    def __init__(self, status, error, message):
        super().__init__("%s: %s (HTTP %s)" % (error, message, status))
        self.status = status
        self.error = error
        self.message = message


class Icemu:
    """A running icemu at `endpoint` ("http://host:port").

    `admin_endpoint` is where its admin API listens when that is another address (icemu's
    `--admin-listen`); `admin_token` is sent as `Authorization: Bearer` (icemu's `--admin-token`).
    `process` is the `IcemuProcess` that runs it, or None when it was attached to.
    """

    def __init__(self, endpoint, admin_endpoint=None, admin_token=None, timeout=30.0,
                 process=None):
        self._endpoint = endpoint.rstrip("/")
        self._admin = (admin_endpoint or endpoint).rstrip("/")
        self._token = admin_token or None
        self._timeout = timeout
        self.process = process

    def __repr__(self):
        return "Icemu(%r)" % self._endpoint

    @property
    def endpoint(self):
        """The URL every AWS and Huawei client is pointed at, e.g. "http://127.0.0.1:41234"."""
        return self._endpoint

    # ---- clients ---------------------------------------------------------------------------

    def client(self, service="sso-admin", **kwargs):
        """A boto3 client for `service` (by default "sso-admin") at this icemu, in
        us-east-1 with dummy credentials; keyword arguments override any of them or add others
        (`region_name`, `aws_access_key_id`, `config`, ...)."""
        import boto3

        options = {
            "endpoint_url": self._endpoint,
            "region_name": DEFAULT_REGION,
            "aws_access_key_id": DEFAULT_ACCESS_KEY_ID,
            "aws_secret_access_key": DEFAULT_SECRET_ACCESS_KEY,
        }
        options.update(kwargs)
        return boto3.client(service, **options)

    # ---- admin API -------------------------------------------------------------------------

    def admin(self, method, path, body=None):
        """One admin call (`path` starts with "/_icemu/"); returns the parsed JSON answer.
        A dict `body` is sent as JSON. Raises IcemuError when icemu answers an error."""
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif method in ("POST", "PUT"):
            data = b""
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        req = urllib.request.Request(self._admin + path, data=data, method=method,
                                     headers=headers)
        try:
            with _opener.open(req, timeout=self._timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            raw = e.read()
            e.close()
            try:
                answer = json.loads(raw)
            except ValueError:
                answer = None
            if isinstance(answer, dict) and "error" in answer:
                raise IcemuError(e.code, answer["error"], answer.get("message", "")) from None
            raise IcemuError(e.code, "http_error",
                             raw.decode("utf-8", "replace")[:500] or e.reason) from None

    def health(self):
        """`GET /_icemu/health`: status, version, store, scheduler mode, clock offset, in flight."""
        return self.admin("GET", "/_icemu/health")

    def reset(self, instance=None):
        """Erases every request, resource and run-time fault rule, restores the scheduler and the
        clock from icemu's configuration and re-creates the initial instance. With `instance`
        (an ARN, "ssoins-<hex>", "ins-<hex>" or the 16 hex), only that instance's data."""
        path = "/_icemu/reset"
        if instance is not None:
            path += "?" + urllib.parse.urlencode({"instance": instance})
        self.admin("POST", path)

    def requests(self, **filters):
        """The asynchronous requests of both surfaces, oldest first, as dicts (`request_id`,
        `kind`, `status`, `instance_id`, `permission_set_id`, `account_id`, `principal_type`,
        `principal_id`, `failure_reason`, `created_date`, `due_date`, `surface`). Filters:
        `status` ("IN_PROGRESS", "SUCCEEDED", "FAILED"), `kind` ("PROVISION",
        "ASSIGNMENT_CREATE", "ASSIGNMENT_DELETE"), `instance`; None means no filter."""
        unknown = sorted(set(filters) - set(_REQUEST_FILTERS))
        if unknown:
            raise TypeError("requests() got unknown filters %s (known: %s)"
                            % (", ".join(unknown), ", ".join(_REQUEST_FILTERS)))
        query = urllib.parse.urlencode(
            [(k, filters[k]) for k in _REQUEST_FILTERS if filters.get(k) is not None])
        return self.admin("GET", "/_icemu/requests" + ("?" + query if query else ""))["requests"]

    def settle(self, request_id, status="SUCCEEDED", failure_reason=None):
        """Ends an IN_PROGRESS request now: "SUCCEEDED", or "FAILED" with `failure_reason`
        (icemu's default: "An unexpected internal service exception was encountered").
        Returns the request as `requests()` lists it. A settled request: IcemuError "conflict";
        an unknown id: IcemuError "not_found"."""
        body = {"status": status}
        if failure_reason is not None:
            body["failure_reason"] = failure_reason
        return self.admin("POST", "/_icemu/requests/%s/settle" % urllib.parse.quote(request_id),
                          body)

    def advance_clock(self, seconds):
        """Moves icemu's virtual clock forward by `seconds` (a number or a timedelta; rounded to
        milliseconds) and settles, in due order, what fell due. Returns the settled request ids."""
        if isinstance(seconds, datetime.timedelta):
            seconds = seconds.total_seconds()
        answer = self.admin("POST", "/_icemu/clock/advance", {"ms": round(seconds * 1000)})
        return answer["settled"]

    def scheduler(self):
        """The scheduler's settings: {"mode", "delay_ms": {"min", "max"}, "polls", "seed"}."""
        return self.admin("GET", "/_icemu/scheduler")

    def set_scheduler(self, mode=None, *, delay_ms=None, polls=None, seed=None):
        """Changes the scheduler; arguments left None keep their value. `mode`: "auto" (each
        request settles after a delay), "polls" (the `polls`-th Describe...Status settles it) or
        "manual" (only `settle()`). `delay_ms`: N, or (min, max) to draw from. `seed`: the seed of
        delays and fault probabilities (setting it restarts the draws). Returns the settings."""
        body = {}
        if mode is not None:
            body["mode"] = mode
        if delay_ms is not None:
            if isinstance(delay_ms, (tuple, list)):
                if len(delay_ms) != 2:
                    raise ValueError("delay_ms must be N or (min, max), got %r" % (delay_ms,))
                body["delay_ms"] = {"min": delay_ms[0], "max": delay_ms[1]}
            else:
                body["delay_ms"] = {"min": delay_ms, "max": delay_ms}
        if polls is not None:
            body["polls"] = polls
        if seed is not None:
            body["seed"] = seed
        return self.admin("PUT", "/_icemu/scheduler", body)

    def faults(self):
        """Every fault rule, configured ones first, each with its "hits" and "source"."""
        return self.admin("GET", "/_icemu/faults")["rules"]

    def add_fault(self, rule):
        """Adds one fault rule (a dict: "match", then "outcome" or "error", optional "times")
        after the run-time rules already there. Returns a `Fault`; as a context manager it
        removes that rule, and only that one, on exit. A bad rule: IcemuError "bad_request".

        icemu replaces run-time rules as a whole (`PUT /_icemu/faults`), which restarts their
        hit counts: the rules kept are sent back with the uses they have left, and a rule whose
        `times` is used up is dropped (it would not match again)."""
        kept = _runtime_rules(self.faults())
        answer = self.admin("PUT", "/_icemu/faults", {"rules": kept + [rule]})["rules"]
        added = _bare(answer[-1])
        twins_before = sum(1 for r in kept if _same_rule(r, added))
        return Fault(self, added, twins_before)


class Fault:
    """A fault rule added by `Icemu.add_fault`. `rule` is the rule as icemu stored it.

        with icemu.add_fault({"match": {...}, "outcome": {...}}):
            ...                      # the rule applies here
        # and no longer here
    """

    def __init__(self, icemu, rule, twins_before=0):
        self._icemu = icemu
        self.rule = rule
        self._twins_before = twins_before
        self._removed = False

    def __repr__(self):
        return "Fault(%r)" % (self.rule,)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False

    def hits(self):
        """How often the rule matched since it was last (re)sent to icemu; None once removed."""
        rule = self._find(self._icemu.faults())
        return None if rule is None else rule["hits"]

    def remove(self):
        """Removes this rule (not an equal one added after it); the other rules stay. Nothing
        happens when it is gone already (removed, or erased by a reset)."""
        if self._removed:
            return
        self._removed = True
        rules = self._icemu.faults()
        mine = self._find(rules)
        if mine is None:
            return
        runtime = [r for r in rules if r.get("source") == "runtime"]
        index = next(i for i, r in enumerate(runtime) if r is mine)
        kept = _runtime_rules(runtime[:index]) + _runtime_rules(runtime[index + 1:])
        self._icemu.admin("PUT", "/_icemu/faults", {"rules": kept})

    def _find(self, rules):
        # Equal rules are told apart by their order: this one is the (twins_before + 1)-th of
        # its kind, as it was when added (or the last, if earlier twins were removed since).
        twins = [r for r in rules if r.get("source") == "runtime" and _same_rule(r, self.rule)]
        if not twins:
            return None
        return twins[min(self._twins_before, len(twins) - 1)]


def _bare(rule):
    """A rule as `PUT /_icemu/faults` takes it: without the "hits" and "source" that GET adds."""
    return {k: v for k, v in rule.items() if k not in ("hits", "source")}


def _same_rule(a, b):
    """Equal but for the counts: "times" changes when a rule is sent back with its uses left."""
    skip = ("hits", "source", "times")
    return ({k: v for k, v in a.items() if k not in skip}
            == {k: v for k, v in b.items() if k not in skip})


def _runtime_rules(rules):
    """The run-time rules to send back: each with the uses it has left, used-up ones dropped."""
    out = []
    for rule in rules:
        if rule.get("source", "runtime") != "runtime":
            continue
        bare = _bare(rule)
        if "times" in bare:
            left = bare["times"] - rule.get("hits", 0)
            if left < 1:
                continue
            bare["times"] = left
        out.append(bare)
    return out

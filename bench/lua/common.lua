-- Shared by the wrk scripts of bench/ (loaded with dofile; BENCH_DIR is the bench/ folder).
-- Sends the headers an AWS SDK sends to sso-admin (a static, unchecked SigV4 header: icemu runs
-- with auth open, and moto reads its region from it) or, for the huawei_*.lua scripts, those a
-- Huawei Cloud SDK sends to Identity Center (a static, unchecked SDK-HMAC-SHA256 header and
-- X-Domain-Id, the caller's account), numbers the threads, and prints one line
--   BENCH_RESULT {"requests":..,"rps":..,"p50_us":..,"p99_us":..,"non2xx":..,"socket_errors":..}
-- from done(). non-2xx comes from wrk's own count of error statuses (summary.errors.status) so
-- that no Lua runs per response; BENCH_CHECK=1 adds a response() callback that counts every
-- non-2xx answer exactly and prints the first one's status and body to stderr (slower: use it
-- to debug a workload, not to measure it).

bench = {}

function bench.env(name, default)
    local v = os.getenv(name)
    if v == nil or v == "" then
        if default == nil then
            error("missing environment variable " .. name)
        end
        return default
    end
    return v
end

function bench.headers(op)
    return {
        ["X-Amz-Target"] = "SWBExternalService." .. op,
        ["Content-Type"] = "application/x-amz-json-1.1",
        ["X-Amz-Date"] = "20261123T083958Z",
        ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/sso/aws4_request, "
            .. "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            .. "Signature=595dd5eb0000000000000000000000000000000000000000000000000000abcd",
    }
end

-- The headers the npm Huawei core client signs (Content-Type on every call, GET included);
-- X-Domain-Id is the caller's account, 32 hex characters.
function bench.huawei_headers()
    return {
        ["Content-Type"] = "application/json",
        ["X-Domain-Id"] = "0a6d25d23900d45c0faac010e0fb4de0",
        ["X-Sdk-Date"] = "20261123T083958Z",
        ["Authorization"] = "SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, "
            .. "SignedHeaders=content-type;host;x-domain-id;x-sdk-date, "
            .. "Signature=7d3c0f4e0000000000000000000000000000000000000000000000000000abcd",
    }
end

-- The path prefix of a Huawei call: /v1/instances/ins-<16 hex> (BENCH_INSTANCE_ID).
function bench.huawei_instance_path()
    return "/v1/instances/" .. bench.env("BENCH_INSTANCE_ID")
end

-- One id a line; errors if the file is missing or empty.
function bench.read_lines(path)
    local out = {}
    local f = assert(io.open(path, "r"), "cannot open " .. path)
    for line in f:lines() do
        if line ~= "" then
            out[#out + 1] = line
        end
    end
    f:close()
    assert(#out > 0, path .. " holds no line")
    return out
end

local threads = {}
local next_tid = 0

function setup(thread)
    thread:set("tid", next_tid)
    next_tid = next_tid + 1
    threads[#threads + 1] = thread
end

non2xx = 0
if os.getenv("BENCH_CHECK") == "1" then
    function response(status, headers, body)
        if status < 200 or status > 299 then
            if non2xx == 0 then
                io.stderr:write(string.format("non-2xx %d: %s\n", status, body or ""))
            end
            non2xx = non2xx + 1
        end
    end
end

function done(summary, latency, requests)
    local counted = summary.errors.status
    if os.getenv("BENCH_CHECK") == "1" then
        counted = 0
        for _, t in ipairs(threads) do
            counted = counted + (t:get("non2xx") or 0)
        end
    end
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'BENCH_RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p99_us":%d,'
            .. '"max_us":%d,"non2xx":%d,"socket_errors":%d}\n',
        summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
        latency:percentile(99), latency.max, counted, e.connect + e.read + e.write + e.timeout))
end

-- Durable writes to a new account on every call: the account id (12 digits) is
-- BENCH_ACCOUNT_BASE + thread number * 10^8 + a per-thread counter, so no two calls of a run (and,
-- with a new base per run, of a benchmark) name the same account and none meets a conflict.
--   BENCH_OP           ProvisionPermissionSet | CreateAccountAssignment
--   BENCH_INSTANCE_ARN, BENCH_PS_ARN
--   BENCH_ACCOUNT_BASE e.g. 100000000000
--   BENCH_PRINCIPAL_ID (CreateAccountAssignment) a user id of the identity store
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local op, headers, template, base
local n = 0

function init(args)
    op = bench.env("BENCH_OP")
    headers = bench.headers(op)
    local instance = bench.env("BENCH_INSTANCE_ARN")
    local ps = bench.env("BENCH_PS_ARN")
    base = tonumber(bench.env("BENCH_ACCOUNT_BASE")) + (tid or 0) * 100000000
    if op == "ProvisionPermissionSet" then
        template = '{"InstanceArn":"' .. instance .. '","PermissionSetArn":"' .. ps
            .. '","TargetType":"AWS_ACCOUNT","TargetId":"%012d"}'
    elseif op == "CreateAccountAssignment" then
        template = '{"InstanceArn":"' .. instance .. '","PermissionSetArn":"' .. ps
            .. '","TargetType":"AWS_ACCOUNT","TargetId":"%012d","PrincipalType":"USER","PrincipalId":"'
            .. bench.env("BENCH_PRINCIPAL_ID") .. '"}'
    else
        error("not a write workload: " .. op)
    end
end

function request()
    n = n + 1
    return wrk.format("POST", "/", headers, string.format(template, base + n))
end

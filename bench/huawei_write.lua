-- Huawei durable writes to a new account on every call: POST PS/provision
-- {"target_type":"ACCOUNT","target_id":…} or POST …/account-assignments/create. A Huawei
-- account id is 32 lowercase hex characters: 20 zeros, then the 12 digits write.lua would use
-- (BENCH_ACCOUNT_BASE + thread number * 10^8 + a per-thread counter), so no two calls of a run
-- (and, with a new base per run, of a benchmark) name the same account and none meets a conflict.
--   BENCH_OP           ProvisionPermissionSet | CreateAccountAssignment
--   BENCH_INSTANCE_ID  ins-<16 hex>
--   BENCH_PS_ID        ps-<16 hex>
--   BENCH_ACCOUNT_BASE e.g. 100000000000
--   BENCH_PRINCIPAL_ID (CreateAccountAssignment) a user id of the identity store
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local headers, path, template, base
local n = 0

function init(args)
    local op = bench.env("BENCH_OP")
    headers = bench.huawei_headers()
    local ps = bench.env("BENCH_PS_ID")
    base = tonumber(bench.env("BENCH_ACCOUNT_BASE")) + (tid or 0) * 100000000
    if op == "ProvisionPermissionSet" then
        path = bench.huawei_instance_path() .. "/permission-sets/" .. ps .. "/provision"
        template = '{"target_type":"ACCOUNT","target_id":"00000000000000000000%012d"}'
    elseif op == "CreateAccountAssignment" then
        path = bench.huawei_instance_path() .. "/account-assignments/create"
        template = '{"permission_set_id":"' .. ps .. '","principal_id":"'
            .. bench.env("BENCH_PRINCIPAL_ID") .. '","principal_type":"USER",'
            .. '"target_id":"00000000000000000000%012d","target_type":"ACCOUNT"}'
    else
        error("not a write workload: " .. op)
    end
end

function request()
    n = n + 1
    return wrk.format("POST", path, headers, string.format(template, base + n))
end

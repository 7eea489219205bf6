-- A list page: ListPermissionSetProvisioningStatus with MaxResults 100, page 1 (no BENCH_TOKEN)
-- or the page after a NextToken captured beforehand (tokens are stable keyset positions, so the
-- same token names the same page on every call). One fixed request: wrk sends it as is.
--   BENCH_OP           ListPermissionSetProvisioningStatus (or another List…Status)
--   BENCH_INSTANCE_ARN
--   BENCH_TOKEN        optional NextToken
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local op = bench.env("BENCH_OP")
local token = os.getenv("BENCH_TOKEN") or ""
local body = '{"InstanceArn":"' .. bench.env("BENCH_INSTANCE_ARN") .. '","MaxResults":100'
if token ~= "" then
    body = body .. ',"NextToken":"' .. token .. '"'
end
wrk.method = "POST"
wrk.body = body .. "}"
for k, v in pairs(bench.headers(op)) do
    wrk.headers[k] = v
end

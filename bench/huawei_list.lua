-- A Huawei list page: GET …/permission-sets/provisioning-statuses?limit=100, page 1 (no
-- BENCH_TOKEN) or the page after a marker captured beforehand (markers are stable keyset
-- positions, so the same marker names the same page on every call). One fixed request: wrk sends
-- it as is.
--   BENCH_OP           ListPermissionSetProvisioningStatus (or another List…Status)
--   BENCH_INSTANCE_ID  ins-<16 hex>
--   BENCH_TOKEN        optional marker, URL-encoded
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local path = {
    ListPermissionSetProvisioningStatus = "/permission-sets/provisioning-statuses",
    ListAccountAssignmentCreationStatus = "/account-assignments/creation-statuses",
    ListAccountAssignmentDeletionStatus = "/account-assignments/deletion-statuses",
}

local op = bench.env("BENCH_OP")
local token = os.getenv("BENCH_TOKEN") or ""
local target = bench.huawei_instance_path()
    .. assert(path[op], "not a List…Status operation: " .. op) .. "?limit=100"
if token ~= "" then
    target = target .. "&marker=" .. token
end
wrk.method = "GET"
wrk.path = target
for k, v in pairs(bench.huawei_headers()) do
    wrk.headers[k] = v
end

-- Huawei reads: GET …/provisioning-status/{request_id} or …/creation-status/{request_id} (the
-- Describe…Status operations of the Identity Center v1 API), rotating through the ids of a file
-- (created through the AWS API: both surfaces read the same store). Every thread starts at a
-- different place in the list.
--   BENCH_OP           DescribeAccountAssignmentCreationStatus | DescribePermissionSetProvisioningStatus
--   BENCH_INSTANCE_ID  ins-<16 hex>
--   BENCH_IDS          file of request ids, one a line
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local path = {
    DescribeAccountAssignmentCreationStatus = "/account-assignments/creation-status/",
    DescribeAccountAssignmentDeletionStatus = "/account-assignments/deletion-status/",
    DescribePermissionSetProvisioningStatus = "/permission-sets/provisioning-status/",
}

local requests = {}
local i = 0

function init(args)
    local op = bench.env("BENCH_OP")
    local prefix = bench.huawei_instance_path()
        .. assert(path[op], "not a Describe…Status operation: " .. op)
    local headers = bench.huawei_headers()
    -- Whole requests prepared once: the load generator spends no time building them.
    for _, id in ipairs(bench.read_lines(bench.env("BENCH_IDS"))) do
        requests[#requests + 1] = wrk.format("GET", prefix .. id, headers)
    end
    i = (tid or 0) * 7919 % #requests
end

function request()
    i = i + 1
    if i > #requests then
        i = 1
    end
    return requests[i]
end

-- Reads: Describe…Status by request id, rotating through the ids of a file (prepared through
-- the API, or sampled by icemu_fill). Every thread starts at a different place in the list.
--   BENCH_OP           DescribeAccountAssignmentCreationStatus | DescribePermissionSetProvisioningStatus
--   BENCH_INSTANCE_ARN the instance
--   BENCH_IDS          file of request ids, one a line
dofile(os.getenv("BENCH_DIR") .. "/lua/common.lua")

local member = {
    DescribeAccountAssignmentCreationStatus = "AccountAssignmentCreationRequestId",
    DescribeAccountAssignmentDeletionStatus = "AccountAssignmentDeletionRequestId",
    DescribePermissionSetProvisioningStatus = "ProvisionPermissionSetRequestId",
}

local requests = {}
local i = 0

function init(args)
    local op = bench.env("BENCH_OP")
    local name = assert(member[op], "not a Describe…Status operation: " .. op)
    local instance = bench.env("BENCH_INSTANCE_ARN")
    local headers = bench.headers(op)
    -- Whole requests prepared once: the load generator spends no time building them.
    for _, id in ipairs(bench.read_lines(bench.env("BENCH_IDS"))) do
        requests[#requests + 1] = wrk.format("POST", "/", headers, string.format(
            '{"InstanceArn":"%s","%s":"%s"}', instance, name, id))
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

// The AWS JSON 1.1 surface: target dispatch, JSON decoding, model validation and the core
// behind it. An input is up to 8 records separated by 0x1e; each record's first byte picks the
// operation (its top bit adds a SigV4 Authorization header naming a 12-digit account), the rest
// is the body, with `$ps`, `$req` and `$ins` standing for ids of the same input (harness.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/harness.hpp"

namespace {

namespace http = icemu::server::http;

// The implemented operations, then one the model has that icemu does not implement, one the
// model does not have, and an empty name.
constexpr std::array<std::string_view, 41> operations = {
    "AttachCustomerManagedPolicyReferenceToPermissionSet",
    "AttachManagedPolicyToPermissionSet",
    "CreateAccountAssignment",
    "CreateInstance",
    "CreatePermissionSet",
    "DeleteAccountAssignment",
    "DeleteInlinePolicyFromPermissionSet",
    "DeleteInstance",
    "DeletePermissionSet",
    "DeletePermissionsBoundaryFromPermissionSet",
    "DescribeAccountAssignmentCreationStatus",
    "DescribeAccountAssignmentDeletionStatus",
    "DescribeInstance",
    "DescribePermissionSet",
    "DescribePermissionSetProvisioningStatus",
    "DetachCustomerManagedPolicyReferenceFromPermissionSet",
    "DetachManagedPolicyFromPermissionSet",
    "GetInlinePolicyForPermissionSet",
    "GetPermissionsBoundaryForPermissionSet",
    "ListAccountAssignmentCreationStatus",
    "ListAccountAssignmentDeletionStatus",
    "ListAccountAssignments",
    "ListAccountAssignmentsForPrincipal",
    "ListAccountsForProvisionedPermissionSet",
    "ListCustomerManagedPolicyReferencesInPermissionSet",
    "ListInstances",
    "ListManagedPoliciesInPermissionSet",
    "ListPermissionSetProvisioningStatus",
    "ListPermissionSets",
    "ListPermissionSetsProvisionedToAccount",
    "ListTagsForResource",
    "ProvisionPermissionSet",
    "PutInlinePolicyToPermissionSet",
    "PutPermissionsBoundaryToPermissionSet",
    "TagResource",
    "UntagResource",
    "UpdateInstance",
    "UpdatePermissionSet",
    "CreateApplication",
    "NoSuchOperation",
    "",
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    auto& w = icemu::fuzz::the_world();
    std::string_view const input(reinterpret_cast<char const*>(data), size);
    for (auto const record : icemu::fuzz::records(input)) {
        if (record.empty())
            continue;
        auto const selector = static_cast<unsigned char>(record[0]);
        icemu::server::request req{http::verb::post, "/", 11};
        req.set("X-Amz-Target", "SWBExternalService." +
                                    std::string(operations[(selector & 0x7f) % operations.size()]));
        req.set(http::field::content_type, "application/x-amz-json-1.1");
        if ((selector & 0x80) != 0)
            req.set(http::field::authorization,
                    "AWS4-HMAC-SHA256 Credential=111122223333/20261123/us-east-1/sso/"
                    "aws4_request, SignedHeaders=host, Signature=00");
        req.body() = icemu::fuzz::expand(record.substr(1), w);
        req.prepare_payload();
        w.dispatch(req);
    }
    w.restore();
    return 0;
}

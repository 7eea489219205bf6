#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace icemu::api::core {

/// One AWS managed policy: its path ("/", "/job-function/", ...), its IAM name, and whether IAM
/// lets it be attached (a few deprecated ones it does not).
struct managed_policy_entry {
    std::string_view path;
    std::string_view name;
    bool attachable = true;
};

/// IAM's catalogue of AWS managed policies built into icemu (generated from
/// data/aws-managed-policies.tsv into managed_policies_gen.cpp), sorted by (path, name).
std::span<managed_policy_entry const> builtin_managed_policies() noexcept;

/// The path and name of an AWS managed policy ARN in any partition:
/// "arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess" gives {"/job-function/",
/// "ViewOnlyAccess"}. None for text of another form (a customer policy, a bad partition or path).
std::optional<managed_policy_entry> parse_managed_policy_arn(std::string_view arn) noexcept;

/// The AWS managed policies icemu knows: the built-in catalogue, plus configured ARNs it lacks
/// (AWS adds policies every month). Policies are matched by (path, name), so an ARN of any
/// partition (aws, aws-cn, aws-us-gov, aws-iso, ...) names the same policy.
class managed_policy_catalogue {
public:
    /// `extra_arns` (aws.extra_managed_policies): each is attachable, named by its last path
    /// segment. Throws std::invalid_argument naming the first that is not an AWS managed policy
    /// ARN.
    explicit managed_policy_catalogue(std::vector<std::string> const& extra_arns = {});

    /// The policy `arn` names, if known. The views live as long as the catalogue.
    std::optional<managed_policy_entry> find(std::string_view arn) const noexcept;

private:
    struct extra {
        std::string path;
        std::string name;
    };
    std::vector<extra> extra_;
};

} // namespace icemu::api::core

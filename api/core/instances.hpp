#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/model.hpp"

namespace icemu::api::core {

struct context;
class lifecycle;

/// Instances (instances.cpp): the initial state, create, describe, update (name and
/// encryption), delete, list.
class instances {
public:
    instances(context& ctx, lifecycle& requests);

    /// Creates the configured initial state when the store holds no instance.
    void ensure_initial_state();
    page_result<instance> list(page_request const& page);
    /// As list; with tenancy enforced, only the instance `who` owns (one at most).
    page_result<instance> list(caller const& who, page_request const& page);
    /// The instance and its encryption. A describe of an IN_PROGRESS encryption update counts
    /// as one (polls mode). not_found if unknown.
    instance_description describe(std::string_view instance_id);
    /// Creates an ACTIVE instance owned by the caller's account, with a new id and identity
    /// store id. conflict + instance_exists if that account owns one; quota_exceeded over 50 tags.
    /// A retry with the ClientToken that created the caller's instance answers that instance.
    instance create(caller const& who, std::optional<std::string> const& name,
                    std::vector<tag> const& tags = {},
                    std::optional<std::string> const& client_token = std::nullopt);
    /// Sets the instance's name when given (an absent name keeps it). With `encryption`, starts
    /// an INSTANCE_ENCRYPTION request that puts it in force if it succeeds (a failed one keeps
    /// the configuration in force). not_found if unknown; invalid_argument for a KMS key with
    /// AWS_OWNED_KMS_KEY or none with CUSTOMER_MANAGED_KEY; conflict + in_flight while an
    /// encryption update of the instance is IN_PROGRESS.
    void update(std::string_view instance_id, std::optional<std::string> const& name,
                std::optional<encryption_config> const& encryption = std::nullopt,
                caller const& who = {});
    /// Erases the instance and everything in it (permission sets, assignments, requests, tags).
    /// not_found if unknown; conflict + in_flight while one of its requests is IN_PROGRESS.
    void remove(std::string_view instance_id);

private:
    context& ctx_;
    lifecycle& lifecycle_;
};

} // namespace icemu::api::core

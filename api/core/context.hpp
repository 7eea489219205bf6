#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/clock.hpp"
#include "api/core/ids.hpp"
#include "api/core/managed_policies.hpp"
#include "api/core/model.hpp"
#include "api/core/operations.hpp"
#include "api/core/rules.hpp"

namespace icemu::store {
class database;
class resources;
class requests;
struct permission_set_row;
} // namespace icemu::store

namespace icemu::api::core {

struct service_options {
    scheduler_settings scheduler;
    std::vector<instance_seed> instances;
    std::vector<fault_rule> faults{}; // the configured fault rules, kept across resets
    /// Tenancy (the verify auth mode): an instance belongs to its owner account, and
    /// authorize() refuses every other account. Off (the open mode): nothing is filtered.
    bool enforce_tenancy = false;
    /// The largest page any list answers: a larger MaxResults / limit gets a shorter page with a
    /// next token (the APIs allow fewer items than asked for).
    std::int64_t max_page_size = 100;
    /// The AWS managed policies attach and boundary calls accept: the built-in catalogue and
    /// the configured extras (aws.extra_managed_policies).
    managed_policy_catalogue managed_policies{};
    /// The operations the surfaces answer (each surface adds its own): fault rules name them.
    operation_catalogue operations{};
    /// The primary Region of every instance (aws.region): ListRegions answers it first.
    std::string primary_region = "us-east-1";
};

/// What every module of the core shares: the store (its database and repositories), the clock,
/// the options, the id source, the scheduler's settings and the random streams, and the lookups
/// most calls start with. Owned by core::service; the modules hold a reference to it.
struct context {
    context(store::database& database, core::clock& now, service_options config);
    ~context();
    context(context const&) = delete;
    context& operator=(context const&) = delete;

    store::database& db;

private:
    // The repositories, behind a pointer so that this header names no store type in full.
    struct repositories;
    std::unique_ptr<repositories> repos_;

public:
    store::resources& resources;
    store::requests& requests;
    core::clock& time;
    service_options options;
    /// The scheduler's settings in force (control changes them; the lifecycle plans by them).
    scheduler_settings settings;
    /// The requests' draws (delays, outcome rules).
    seeded_random random;
    /// Error rules draw from their own stream, so calls never shift the requests' draws.
    seeded_random call_random;
    id_source ids;

    /// not_found + instance_not_found if unknown.
    instance require_instance(std::string_view instance_id);
    /// not_found + permission_set_not_found (or instance_not_found) if unknown.
    permission_set require_permission_set(std::string_view instance_id,
                                          std::string_view permission_set_id);
    /// As require_permission_set, as the store has it (to be written back).
    store::permission_set_row require_permission_set_row(std::string_view instance_id,
                                                         std::string_view permission_set_id);
    /// The permission set about to change content: not_found if unknown, conflict + in_flight
    /// while a request on it is IN_PROGRESS.
    permission_set require_changeable(std::string_view instance_id,
                                      std::string_view permission_set_id);
    /// Stores `tags` on a resource (`permission_set_id` "" for the instance), after checking the
    /// 50-tag quota.
    void put_tags(std::string_view instance_id, std::string_view permission_set_id,
                  std::vector<tag> const& tags);
    /// The page size a list reads: the request's, capped by options.max_page_size.
    std::int64_t page_limit(page_request const& page) const noexcept;
};

} // namespace icemu::api::core

// Instance encryption: UpdateInstance's EncryptionConfiguration as an INSTANCE_ENCRYPTION
// request (a kind that names no permission set), settled by the scheduler like every kind; and
// the table of kinds that the admin API, fault rules and metrics read.
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/core/error.hpp"
#include "api/core/rules.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;
using core::request_kind;
using core::request_status;

constexpr char const* kms_key =
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

core::encryption_config customer_key() {
    return {"CUSTOMER_MANAGED_KEY", std::string(kms_key)};
}

struct fixture {
    explicit fixture(core::scheduler_mode mode = core::scheduler_mode::manual,
                     std::int64_t delay_ms = 1000, std::int64_t polls = 1)
        : svc(db, time, options(mode, delay_ms, polls)) {
        svc.instances.ensure_initial_state();
        instance = svc.instances.list({}).items.at(0).id;
    }
    static core::service_options options(core::scheduler_mode mode, std::int64_t delay_ms,
                                         std::int64_t polls) {
        core::service_options out;
        out.scheduler.mode = mode;
        out.scheduler.delay_min_ms = out.scheduler.delay_max_ms = delay_ms;
        out.scheduler.polls = polls;
        out.instances.push_back({"123456789012", "", "", ""});
        return out;
    }
    // "KEY_TYPE [ARN] STATUS [reason]" of DescribeInstance.
    std::string described() {
        auto const e = svc.instances.describe(instance).encryption;
        std::string out = e.config.key_type;
        if (e.config.kms_key_arn)
            out += " " + *e.config.kms_key_arn;
        out += " " + std::string(core::to_string(e.status));
        if (e.reason)
            out += " " + *e.reason;
        return out;
    }
    std::vector<core::async_request> requests() {
        core::request_filter filter;
        filter.kind = request_kind::instance_encryption;
        return svc.control.admin_requests(filter);
    }

    std::int64_t wall_ms = 1'700'000'000'000;
    core::clock time{[this] { return wall_ms; }};
    store::database db{store::database_options{}};
    core::service svc;
    std::string instance;
};

auto is_error(core::errc code, core::reason why, std::string text) {
    return Catch::Predicate<core::error>(
        [=](core::error const& e) {
            return e.code() == code && e.why() == why && e.what() == text;
        },
        "core::error(" + std::to_string(static_cast<int>(code)) + ", \"" + text + "\")");
}

std::string const customer = std::string("CUSTOMER_MANAGED_KEY ") + kms_key;

TEST_CASE("the kinds table names each kind and the operation that creates it", "[core]") {
    CHECK(core::request_kind_names() ==
          "PROVISION, ASSIGNMENT_CREATE, ASSIGNMENT_DELETE, "
          "INSTANCE_ENCRYPTION, ACCESS_CONTROL_ATTRIBUTES or REGION");
    for (auto const& info : core::request_kinds) {
        CHECK(core::to_string(info.kind) == info.name);
        CHECK(core::parse_request_kind(info.name) == info.kind);
        CHECK(core::kind_of_operation(info.operation) == info.kind);
        CHECK(core::operation_of_kind(info.kind) == info.operation);
    }
    CHECK(core::parse_request_kind("INSTANCE_ENCRYPTION") == request_kind::instance_encryption);
    CHECK(core::kind_of_operation("UpdateInstance") == request_kind::instance_encryption);
}

TEST_CASE("an instance never updated reports an AWS owned key, enabled", "[core]") {
    fixture f;
    CHECK(f.described() == "AWS_OWNED_KMS_KEY SUCCEEDED");
    f.svc.instances.update(f.instance, std::string("renamed")); // a name alone starts nothing
    CHECK(f.requests().empty());
}

TEST_CASE("an encryption update is in progress until settled, then in force", "[core]") {
    fixture f;
    f.svc.instances.update(f.instance, std::nullopt, customer_key(), {"aws", "123456789012"});
    CHECK(f.described() == customer + " IN_PROGRESS");
    auto const listed = f.requests();
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].permission_set_id.empty());
    CHECK_FALSE(listed[0].account_id.has_value());
    CHECK(listed[0].surface == "aws");

    auto const in_flight = is_error(core::errc::conflict, core::reason::in_flight,
                                    "There is a conflicting operation in process.");
    REQUIRE_THROWS_MATCHES(
        f.svc.instances.update(f.instance, std::nullopt, core::encryption_config{}), core::error,
        in_flight);
    REQUIRE_THROWS_MATCHES(f.svc.instances.remove(f.instance), core::error, in_flight);

    SECTION("SUCCEEDED puts it in force") {
        f.svc.lifecycle.settle(core::format_uuid(listed[0].id), request_status::succeeded,
                               std::nullopt);
        CHECK(f.described() == customer + " SUCCEEDED");
        CHECK(f.svc.instances.describe(f.instance).row.encryption.key_type ==
              "CUSTOMER_MANAGED_KEY");
    }
    SECTION("FAILED keeps the configuration in force and says why") {
        f.svc.lifecycle.settle(core::format_uuid(listed[0].id), request_status::failed,
                               std::string("The KMS key is disabled."));
        CHECK(f.described() == "AWS_OWNED_KMS_KEY FAILED The KMS key is disabled.");
        f.svc.instances.update(f.instance, std::nullopt, customer_key());
        CHECK(f.described() == customer + " IN_PROGRESS");
    }
}

TEST_CASE("an encryption update settles at its due time, on its Nth describe, or by a rule",
          "[core]") {
    SECTION("auto: due after the delay") {
        fixture f(core::scheduler_mode::automatic, 1000);
        f.svc.instances.update(f.instance, std::nullopt, customer_key());
        f.wall_ms += 999;
        f.svc.lifecycle.settle_due();
        CHECK(f.described() == customer + " IN_PROGRESS");
        f.wall_ms += 1;
        f.svc.lifecycle.settle_due();
        CHECK(f.described() == customer + " SUCCEEDED");
    }
    SECTION("auto with a delay of 0: settled by the next settle_due") {
        fixture f(core::scheduler_mode::automatic, 0);
        f.svc.instances.update(f.instance, std::nullopt, customer_key());
        f.svc.lifecycle.settle_due_before_call();
        CHECK(f.described() == customer + " SUCCEEDED");
    }
    SECTION("polls: the Nth DescribeInstance settles it and answers the outcome") {
        fixture f(core::scheduler_mode::polls, 1000, 3);
        f.svc.instances.update(f.instance, std::nullopt, customer_key());
        CHECK(f.described() == customer + " IN_PROGRESS");
        CHECK(f.described() == customer + " IN_PROGRESS");
        CHECK(f.described() == customer + " SUCCEEDED");
        CHECK(f.described() == customer + " SUCCEEDED");
    }
    SECTION("clock advance, with an outcome rule that fails it") {
        fixture f(core::scheduler_mode::automatic, 5000);
        core::fault_rule rule;
        rule.match.kind = request_kind::instance_encryption;
        rule.outcome = core::fault_outcome{request_status::failed, "The KMS key was not found."};
        f.svc.faults.replace_rules({rule});
        f.svc.instances.update(f.instance, std::nullopt, customer_key());
        CHECK(f.svc.lifecycle.advance_clock(5000).size() == 1);
        CHECK(f.described() == "AWS_OWNED_KMS_KEY FAILED The KMS key was not found.");
        CHECK(f.svc.faults.rules().all().at(0).hits == 1);
    }
}

TEST_CASE("an encryption update's key must fit its type", "[core]") {
    fixture f;
    REQUIRE_THROWS_MATCHES(
        f.svc.instances.update(f.instance, std::nullopt,
                               core::encryption_config{"CUSTOMER_MANAGED_KEY", std::nullopt}),
        core::error,
        is_error(core::errc::invalid_argument, core::reason::none,
                 "KmsKeyArn is required when KeyType is CUSTOMER_MANAGED_KEY."));
    REQUIRE_THROWS_MATCHES(
        f.svc.instances.update(f.instance, std::nullopt,
                               core::encryption_config{"AWS_OWNED_KMS_KEY", std::string(kms_key)}),
        core::error,
        is_error(core::errc::invalid_argument, core::reason::none,
                 "KmsKeyArn cannot be specified when KeyType is AWS_OWNED_KMS_KEY."));
    CHECK(f.requests().empty());
}

TEST_CASE("a reset, global or of the instance, clears its encryption", "[core]") {
    fixture f;
    f.svc.instances.update(f.instance, std::nullopt, customer_key());
    f.svc.lifecycle.settle(core::format_uuid(f.requests().at(0).id), request_status::succeeded,
                           std::nullopt);
    SECTION("global") {
        f.svc.control.reset(std::nullopt);
    }
    SECTION("of the instance") {
        f.svc.control.reset(f.instance);
    }
    CHECK(f.requests().empty());
    CHECK(f.described() == "AWS_OWNED_KMS_KEY SUCCEEDED");
}

} // namespace

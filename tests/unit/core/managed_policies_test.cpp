// The catalogue of AWS managed policies: ARN parsing in every partition, lookups by (path,
// name), configured extras, and the service's checks on attach and on permissions boundaries.
#include "api/core/managed_policies.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>

#include "api/core/error.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"

namespace {

namespace core = icemu::api::core;
namespace store = icemu::store;

std::string described(std::optional<core::managed_policy_entry> const& e) {
    if (!e)
        return "<none>";
    return std::string(e->path) + " " + std::string(e->name) + (e->attachable ? "" : " (not)");
}

TEST_CASE("the built-in catalogue is sorted by path and name and holds IAM's policies", "[core]") {
    auto const table = core::builtin_managed_policies();
    CHECK(table.size() == 1452);
    CHECK(std::is_sorted(table.begin(), table.end(), [](auto const& a, auto const& b) {
        return std::tie(a.path, a.name) < std::tie(b.path, b.name);
    }));
    CHECK(std::adjacent_find(table.begin(), table.end(), [](auto const& a, auto const& b) {
              return a.path == b.path && a.name == b.name;
          }) == table.end());
    CHECK(std::count_if(table.begin(), table.end(), [](auto const& e) { return !e.attachable; }) ==
          1);
}

TEST_CASE("parse_managed_policy_arn splits any partition's ARN into path and name", "[core]") {
    CHECK(described(core::parse_managed_policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")) ==
          "/ ReadOnlyAccess");
    CHECK(described(core::parse_managed_policy_arn(
              "arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess")) ==
          "/job-function/ ViewOnlyAccess");
    CHECK(described(core::parse_managed_policy_arn("arn:aws-iso-b:iam::aws:policy/a/b/C")) ==
          "/a/b/ C");
    for (char const* bad :
         {"arn:aws:iam::123456789012:policy/Mine", "arn:aws:iam::aws:policy/",
          "arn:aws:iam::aws:policy//A", "arn:aws:iam::aws:policy/a b", "arn:aws-:iam::aws:policy/A",
          "arn:aws-abcdef:iam::aws:policy/A", "arn:aws-a-b-c-d:iam::aws:policy/A",
          "arn:azure:iam::aws:policy/A", "ReadOnlyAccess", "arn:aws:iam::aws:policyReadOnlyAccess"})
        CHECK(described(core::parse_managed_policy_arn(bad)) == "<none>");
}

TEST_CASE("the catalogue finds a policy by path and name in every partition", "[core]") {
    core::managed_policy_catalogue const catalogue;
    for (char const* partition : {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"}) {
        std::string const prefix = std::string("arn:") + partition + ":iam::aws:policy";
        CHECK(described(catalogue.find(prefix + "/AdministratorAccess")) ==
              "/ AdministratorAccess");
        CHECK(described(catalogue.find(prefix + "/job-function/ViewOnlyAccess")) ==
              "/job-function/ ViewOnlyAccess");
        CHECK(described(catalogue.find(prefix + "/service-role/AWSConfigRole")) ==
              "/service-role/ AWSConfigRole (not)");
    }
    // The path is part of the key: the same name under another path is another policy.
    CHECK(described(catalogue.find("arn:aws:iam::aws:policy/ViewOnlyAccess")) == "<none>");
    CHECK(described(catalogue.find("arn:aws:iam::aws:policy/DoesNotExist")) == "<none>");
}

TEST_CASE("configured extras are found in every partition and named by their last segment",
          "[core]") {
    core::managed_policy_catalogue const catalogue(
        {"arn:aws:iam::aws:policy/BrandNewPolicy", "arn:aws-cn:iam::aws:policy/team/Other"});
    CHECK(described(catalogue.find("arn:aws-us-gov:iam::aws:policy/BrandNewPolicy")) ==
          "/ BrandNewPolicy");
    CHECK(described(catalogue.find("arn:aws:iam::aws:policy/team/Other")) == "/team/ Other");
    CHECK(described(catalogue.find("arn:aws:iam::aws:policy/Other")) == "<none>");
    CHECK(described(catalogue.find("arn:aws:iam::aws:policy/ReadOnlyAccess")) ==
          "/ ReadOnlyAccess");
    CHECK_THROWS_AS(core::managed_policy_catalogue({"arn:aws:iam::1:policy/X"}),
                    std::invalid_argument);
}

struct fixture {
    explicit fixture(std::vector<std::string> const& extra = {}) : svc(db, time, options(extra)) {
        svc.instances.ensure_initial_state();
        instance = svc.instances.list({}).items.at(0).id;
        ps = svc.permission_sets.create(instance, {"P", std::nullopt, std::nullopt, std::nullopt})
                 .id;
    }
    static core::service_options options(std::vector<std::string> const& extra) {
        core::service_options out;
        out.scheduler.mode = core::scheduler_mode::manual;
        out.instances.push_back({"123456789012", "", "", ""});
        out.managed_policies = core::managed_policy_catalogue(extra);
        return out;
    }
    std::string listed() {
        std::string out;
        for (auto const& item : svc.policies.list_managed(instance, ps, {}).items)
            out += item.id + " " + item.name.value_or("<none>") + ";";
        return out;
    }

    core::clock time{[] { return std::int64_t{1'700'000'000'000}; }};
    store::database db{store::database_options{}};
    core::service svc;
    std::string instance;
    std::string ps;
};

auto is_error(core::errc code, std::string const& text) {
    return Catch::Predicate<core::error>(
        [=](core::error const& e) { return e.code() == code && e.what() == text; },
        "core::error(" + std::to_string(static_cast<int>(code)) + ", \"" + text + "\")");
}

TEST_CASE("attaching an AWS managed policy checks the catalogue and records IAM's name", "[core]") {
    fixture f({"arn:aws:iam::aws:policy/BrandNewPolicy"});
    f.svc.policies.attach_managed(f.instance, f.ps,
                                  "arn:aws-cn:iam::aws:policy/AdministratorAccess");
    f.svc.policies.attach_managed(f.instance, f.ps, "arn:aws:iam::aws:policy/BrandNewPolicy");
    CHECK(f.listed() ==
          "arn:aws-cn:iam::aws:policy/AdministratorAccess AdministratorAccess;"
          "arn:aws:iam::aws:policy/BrandNewPolicy BrandNewPolicy;");

    REQUIRE_THROWS_MATCHES(
        f.svc.policies.attach_managed(f.instance, f.ps, "arn:aws:iam::aws:policy/DoesNotExist"),
        core::error,
        is_error(core::errc::not_found,
                 "Policy does not exist with ARN: arn:aws:iam::aws:policy/DoesNotExist"));
    REQUIRE_THROWS_MATCHES(
        f.svc.policies.attach_managed(f.instance, f.ps,
                                      "arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
        core::error,
        is_error(core::errc::invalid_argument,
                 "Policy arn:aws:iam::aws:policy/service-role/AWSConfigRole is not attachable."));
    CHECK(f.svc.permission_sets.describe(f.instance, f.ps).version == 3); // refusals bump nothing
}

TEST_CASE("a permissions boundary naming an AWS managed policy is checked the same way", "[core]") {
    fixture f;
    core::permissions_boundary boundary;
    boundary.managed_arn = "arn:aws:iam::aws:policy/DoesNotExist";
    REQUIRE_THROWS_MATCHES(
        f.svc.policies.put_boundary(f.instance, f.ps, boundary), core::error,
        is_error(core::errc::not_found,
                 "Policy does not exist with ARN: arn:aws:iam::aws:policy/DoesNotExist"));
    CHECK_FALSE(f.svc.policies.get_boundary(f.instance, f.ps).has_value());
    boundary.managed_arn = "arn:aws-us-gov:iam::aws:policy/PowerUserAccess";
    f.svc.policies.put_boundary(f.instance, f.ps, boundary);
    CHECK(f.svc.policies.get_boundary(f.instance, f.ps)->managed_arn == boundary.managed_arn);
}

TEST_CASE("Huawei policies and roles skip the catalogue and are always named", "[core]") {
    fixture f;
    auto const other =
        f.svc.permission_sets.create(f.instance, {"Q", std::nullopt, std::nullopt, std::nullopt})
            .id;
    // Named at attach time; without a name, the name another attachment of the id gave; else
    // the id itself.
    f.svc.policies.attach_managed(f.instance, f.ps, "policy-a", std::string("ReadOnly"));
    f.svc.policies.attach_managed(f.instance, other, "policy-a", std::nullopt);
    f.svc.policies.attach_managed(f.instance, other, "policy-b", std::nullopt);
    CHECK(f.listed() == "policy-a ReadOnly;");
    std::string listed;
    for (auto const& item : f.svc.policies.list_managed(f.instance, other, {}).items)
        listed += item.id + " " + item.name.value_or("<none>") + ";";
    CHECK(listed == "policy-a ReadOnly;policy-b policy-b;");

    f.svc.roles.attach_managed(f.instance, f.ps, {"role-1", std::string("Tenant Guest")});
    f.svc.roles.attach_managed(f.instance, other, {"role-1", std::nullopt});
    f.svc.roles.attach_managed(f.instance, other, {"role-2", std::nullopt});
    std::string roles;
    for (auto const& item : f.svc.roles.list_managed(f.instance, other, {}).items)
        roles += item.id + " " + item.name.value_or("<none>") + ";";
    CHECK(roles == "role-1 Tenant Guest;role-2 role-2;");
}

} // namespace

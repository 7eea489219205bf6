#include "api/aws/region_actions.hpp"

#include <array>
#include <utility>

#include "api/aws/render.hpp"
#include "api/core/regions.hpp"
#include "api/json/reader.hpp"

namespace icemu::api::aws {

namespace {

using json::string_or_empty;

std::string_view instance_of(action_context const& ctx) {
    return instance_id_of(string_or_empty(ctx.in, "InstanceArn"));
}

std::string_view region_of(action_context const& ctx) {
    return string_or_empty(ctx.in, "RegionName");
}

// RegionMetadata, and DescribeRegion's output: the same four members.
void render(json::writer& out, core::region const& row) {
    out.start_object();
    out.member("RegionName", row.name).member("Status", row.status);
    out.key("AddedDate").epoch_seconds(row.added_ms);
    out.key("IsPrimaryRegion").boolean(row.primary);
    out.end_object();
}

void add_region(action_context& ctx) {
    auto const row = core::add_region(ctx.svc, ctx.who, instance_of(ctx), region_of(ctx));
    ctx.out.start_object().member("Status", row.status).end_object();
}

void describe_region(action_context& ctx) {
    render(ctx.out, core::describe_region(ctx.svc, instance_of(ctx), region_of(ctx)));
}

void list_regions(action_context& ctx) {
    auto const page = core::list_regions(ctx.svc, instance_of(ctx), page_of(ctx));
    write_page(ctx.out, "Regions", page,
               [](json::writer& out, core::region const& row) { render(out, row); });
}

void remove_region(action_context& ctx) {
    auto const row = core::remove_region(ctx.svc, ctx.who, instance_of(ctx), region_of(ctx));
    ctx.out.start_object().member("Status", row.status).end_object();
}

constexpr std::array<std::pair<std::string_view, action>, 4> region_actions{{
    {"AddRegion", add_region},
    {"DescribeRegion", describe_region},
    {"ListRegions", list_regions},
    {"RemoveRegion", remove_region},
}};

} // namespace

found_action find_region_action(std::string_view operation) noexcept {
    for (auto const& [name, fn] : region_actions)
        if (name == operation)
            return {name, fn};
    return {};
}

} // namespace icemu::api::aws

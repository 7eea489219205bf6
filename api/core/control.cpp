// The admin API's control: reset, the scheduler's settings, health, the admin's request list and
// the metrics' counts.
#include "api/core/control.hpp"

#include <algorithm>
#include <utility>

#include "api/core/context.hpp"
#include "api/core/error.hpp"
#include "api/core/fault_control.hpp"
#include "api/core/instances.hpp"
#include "api/core/lifecycle.hpp"
#include "api/core/model_convert.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

// The configuration's one-day delay limit keeps due times (now + offset + delay) far from int64
// overflow.
constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000;

} // namespace

control::control(context& ctx, lifecycle& requests, instances& initial, fault_control& faults)
    : ctx_(ctx), lifecycle_(requests), instances_(initial), faults_(faults) {}

std::int64_t control::store_bytes() {
    return ctx_.db.size_bytes();
}

std::vector<std::tuple<request_kind, request_status, std::int64_t>> control::request_counts() {
    auto counts = ctx_.requests.counts();
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> out;
    out.reserve(counts.size());
    for (auto const& [kind, status, n] : counts)
        out.emplace_back(to_core(kind), to_core(status), n);
    return out;
}

void control::reset(std::optional<std::string> const& instance_id) {
    store::write_scope scope(ctx_.db);
    if (instance_id) {
        ctx_.require_instance(*instance_id);
        ctx_.requests.erase_instance(*instance_id);
        ctx_.resources.erase_instance_resources(*instance_id, false);
    } else {
        ctx_.requests.erase_all();
        ctx_.resources.erase_all();
        ctx_.time.set_offset_ms(0);
        ctx_.requests.set_clock_offset_ms(0);
        ctx_.settings = ctx_.options.scheduler;
        ctx_.random.reseed(ctx_.settings.seed);
        ctx_.call_random.reseed(call_stream_seed(ctx_.settings.seed));
        faults_.reset();
    }
    scope.release();
    instances_.ensure_initial_state();
    lifecycle_.schedule_changed();
}

scheduler_settings const& control::scheduler() const noexcept {
    return ctx_.settings;
}

std::vector<async_request> control::admin_requests(request_filter const& filter) {
    std::optional<store::request_kind> kind;
    if (filter.kind)
        kind = to_store(*filter.kind);
    return to_core(ctx_.requests.list_all({to_store(filter.status), kind, filter.instance_id}));
}

scheduler_settings const& control::update_scheduler(scheduler_update const& update) {
    scheduler_settings next = ctx_.settings;
    if (update.mode)
        next.mode = *update.mode;
    if (update.delay_min_ms)
        next.delay_min_ms = *update.delay_min_ms;
    if (update.delay_max_ms)
        next.delay_max_ms = *update.delay_max_ms;
    if (update.polls)
        next.polls = *update.polls;
    if (update.seed)
        next.seed = *update.seed;
    if (next.delay_min_ms < 0 || next.delay_max_ms < next.delay_min_ms)
        throw error(errc::invalid_argument, "delay_ms needs 0 <= min <= max (got min " +
                                                std::to_string(next.delay_min_ms) + ", max " +
                                                std::to_string(next.delay_max_ms) + ")");
    if (next.delay_max_ms > max_delay_ms)
        throw error(errc::invalid_argument,
                    "delay_ms is limited to " + std::to_string(max_delay_ms) + " ms (one day)");
    if (next.polls < 1)
        throw error(errc::invalid_argument, "polls must be at least 1");
    bool const mode_changed = next.mode != ctx_.settings.mode;
    ctx_.settings = next;
    if (update.seed) {
        ctx_.random.reseed(ctx_.settings.seed);
        ctx_.call_random.reseed(call_stream_seed(ctx_.settings.seed));
    }
    if (mode_changed) {
        store::write_scope scope(ctx_.db);
        auto const now = ctx_.time.now_ms();
        ctx_.requests.for_each_schedulable([&](store::request_row const& row) {
            // Already due (e.g. an ALL_PROVISIONED_ACCOUNTS request with nothing to do): the
            // next call (made due at once) or the timer settles it whatever the mode.
            if (row.due_ms && *row.due_ms <= now)
                return;
            async_request copy = to_core(store::request_row(row));
            lifecycle_.plan(copy, false);
            ctx_.requests.reschedule(copy.id, to_store(copy.settle_by), copy.due_ms,
                                     copy.polls_left);
        });
        scope.release();
        lifecycle_.schedule_changed();
    }
    return ctx_.settings;
}

health_info control::health() {
    return {ctx_.settings.mode, ctx_.time.offset_ms(), ctx_.requests.count_in_flight()};
}

} // namespace icemu::api::core

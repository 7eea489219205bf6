// The service's construction and its control: reset, the scheduler's settings, health, the
// admin's request list and the page size every list reads.
#include <algorithm>
#include <utility>

#include "api/core/error.hpp"
#include "api/core/model_convert.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"
#include "store/resources.hpp"

namespace icemu::api::core {

namespace {

// The configuration's one-day delay limit keeps due times (now + offset + delay) far from int64
// overflow.
constexpr std::int64_t max_delay_ms = 24LL * 60 * 60 * 1000;

} // namespace

struct service::repositories {
    explicit repositories(store::database& db) : resources(db), requests(db) {}
    store::resources resources;
    store::requests requests;
};

service::service(store::database& db, clock& time, service_options options)
    : db_(db),
      repos_(std::make_unique<repositories>(db)),
      resources_(repos_->resources),
      requests_(repos_->requests),
      clock_(time),
      options_(std::move(options)),
      settings_(options_.scheduler),
      random_(settings_.seed) {
    faults_.set_configured(options_.faults);
    call_random_.reseed(call_stream_seed(settings_.seed));
    clock_.set_offset_ms(requests_.clock_offset_ms());
}

service::~service() = default;

std::int64_t service::store_bytes() {
    return db_.size_bytes();
}

std::vector<std::tuple<request_kind, request_status, std::int64_t>> service::request_counts() {
    auto counts = requests_.counts();
    std::vector<std::tuple<request_kind, request_status, std::int64_t>> out;
    out.reserve(counts.size());
    for (auto const& [kind, status, n] : counts)
        out.emplace_back(to_core(kind), to_core(status), n);
    return out;
}

void service::reset(std::optional<std::string> const& instance_id) {
    store::write_scope scope(db_);
    if (instance_id) {
        require_instance(*instance_id);
        requests_.erase_instance(*instance_id);
        resources_.erase_instance_resources(*instance_id, false);
    } else {
        requests_.erase_all();
        resources_.erase_all();
        clock_.set_offset_ms(0);
        requests_.set_clock_offset_ms(0);
        settings_ = options_.scheduler;
        random_.reseed(settings_.seed);
        call_random_.reseed(call_stream_seed(settings_.seed));
        faults_.reset();
    }
    scope.release();
    ensure_initial_state();
    schedule_changed();
}

std::vector<async_request> service::admin_requests(request_filter const& filter) {
    std::optional<store::request_kind> kind;
    if (filter.kind)
        kind = to_store(*filter.kind);
    return to_core(requests_.list_all({to_store(filter.status), kind, filter.instance_id}));
}

scheduler_settings const& service::update_scheduler(scheduler_update const& update) {
    scheduler_settings next = settings_;
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
    bool const mode_changed = next.mode != settings_.mode;
    settings_ = next;
    if (update.seed) {
        random_.reseed(settings_.seed);
        call_random_.reseed(call_stream_seed(settings_.seed));
    }
    if (mode_changed) {
        store::write_scope scope(db_);
        auto const now = clock_.now_ms();
        requests_.for_each_schedulable([&](store::request_row const& row) {
            // Already due (e.g. an ALL_PROVISIONED_ACCOUNTS request with nothing to do): the
            // next call (made due at once) or the timer settles it whatever the mode.
            if (row.due_ms && *row.due_ms <= now)
                return;
            async_request copy = to_core(store::request_row(row));
            plan(copy, false);
            requests_.reschedule(copy.id, to_store(copy.settle_by), copy.due_ms, copy.polls_left);
        });
        scope.release();
        schedule_changed();
    }
    return settings_;
}

std::int64_t service::page_limit(page_request const& page) const noexcept {
    return std::min(page.limit, options_.max_page_size);
}

health_info service::health() {
    return {settings_.mode, clock_.offset_ms(), requests_.count_in_flight()};
}

} // namespace icemu::api::core

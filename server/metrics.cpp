#include "server/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <tuple>

namespace icemu::server {

namespace {

// A label value with Prometheus' escapes (backslash, double quote, newline).
void append_label(std::string& out, std::string_view value) {
    for (char const c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
}

void append_number(std::string& out, double value) {
    char text[32];
    auto const [end, ec] = std::to_chars(text, text + sizeof text, value);
    out.append(text, ec == std::errc() ? end : text);
}

// The `le` labels of metrics::bounds, then +Inf, as people write them ("0.0005", not "5e-04").
constexpr std::array<std::string_view, metrics::bounds.size() + 1> bound_labels{
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
    "0.05",   "0.1",   "0.25",   "0.5",   "1",    "+Inf"};

} // namespace

std::size_t metrics::key_hash::operator()(key const& k) const noexcept {
    std::size_t const a = std::hash<std::string_view>{}(k.surface);
    std::size_t const b = std::hash<std::string_view>{}(k.operation);
    return (a * 31 + b) * 1009 + k.status;
}

std::string_view metrics::intern(std::string_view name) {
    auto it = names_.find(name);
    if (it == names_.end())
        it = names_.emplace(name).first;
    return *it;
}

void metrics::record(call_info const& info, unsigned status, std::chrono::nanoseconds duration) {
    key const probe{info.surface, info.operation, status};
    if (auto it = requests_.find(probe); it != requests_.end())
        ++it->second;
    else
        requests_.emplace(key{intern(info.surface), intern(info.operation), status}, 1);

    auto hist = std::find_if(durations_.begin(), durations_.end(),
                             [&](histogram const& h) { return h.surface == info.surface; });
    if (hist == durations_.end())
        hist = durations_.insert(durations_.end(), histogram{.surface = intern(info.surface)});
    double const seconds = std::chrono::duration<double>(duration).count();
    auto const bucket = static_cast<std::size_t>(
        std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin());
    hist->buckets[bucket] += 1;
    hist->sum += seconds;
    hist->count += 1;
}

void metrics::render(std::string& out) const {
    std::vector<std::pair<key, std::uint64_t>> rows(requests_.begin(), requests_.end());
    std::sort(rows.begin(), rows.end(), [](auto const& a, auto const& b) {
        return std::tie(a.first.surface, a.first.operation, a.first.status) <
               std::tie(b.first.surface, b.first.operation, b.first.status);
    });
    out +=
        "# HELP icemu_http_requests_total HTTP requests answered, by surface, operation and "
        "status.\n";
    out += "# TYPE icemu_http_requests_total counter\n";
    for (auto const& [k, n] : rows) {
        out += "icemu_http_requests_total{surface=\"";
        append_label(out, k.surface);
        out += "\",operation=\"";
        append_label(out, k.operation);
        out += "\",status=\"";
        out += std::to_string(k.status);
        out += "\"} ";
        out += std::to_string(n);
        out += '\n';
    }

    std::vector<histogram const*> hists;
    for (auto const& h : durations_)
        hists.push_back(&h);
    std::sort(hists.begin(), hists.end(),
              [](histogram const* a, histogram const* b) { return a->surface < b->surface; });
    out +=
        "# HELP icemu_http_request_duration_seconds Time from a request's parse to its "
        "written answer.\n";
    out += "# TYPE icemu_http_request_duration_seconds histogram\n";
    for (auto const* h : hists) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < h->buckets.size(); ++i) {
            cumulative += h->buckets[i];
            out += "icemu_http_request_duration_seconds_bucket{surface=\"";
            append_label(out, h->surface);
            out += "\",le=\"";
            out += bound_labels[i];
            out += "\"} ";
            out += std::to_string(cumulative);
            out += '\n';
        }
        out += "icemu_http_request_duration_seconds_sum{surface=\"";
        append_label(out, h->surface);
        out += "\"} ";
        append_number(out, h->sum);
        out += "\nicemu_http_request_duration_seconds_count{surface=\"";
        append_label(out, h->surface);
        out += "\"} ";
        out += std::to_string(h->count);
        out += '\n';
    }
}

} // namespace icemu::server

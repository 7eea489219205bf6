#include "api/auth/credentials.hpp"

#include <chrono>

namespace icemu::api::auth {

namespace {

// The value of `n` ASCII digits at the start of `text`, or -1.
int digits(std::string_view text, std::size_t n) noexcept {
    if (text.size() < n)
        return -1;
    int value = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

void append_digits(std::string& out, long value, int width) {
    std::string text = std::to_string(value);
    if (static_cast<int>(text.size()) < width)
        out.append(static_cast<std::size_t>(width) - text.size(), '0');
    out.append(text);
}

} // namespace

std::int64_t wall_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

verifier::verifier(std::vector<credential> credentials, clock_fn now_s) : now_s_(std::move(now_s)) {
    for (auto& c : credentials) {
        auto key = c.access_key_id;
        by_key_.emplace(std::move(key), std::move(c));
    }
}

credential const* verifier::find(std::string_view access_key_id) const {
    auto const it = by_key_.find(std::string(access_key_id));
    return it == by_key_.end() ? nullptr : &it->second;
}

std::optional<std::int64_t> parse_basic_date(std::string_view text) {
    using namespace std::chrono;
    if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z')
        return std::nullopt;
    int const y = digits(text, 4);
    int const mo = digits(text.substr(4), 2);
    int const d = digits(text.substr(6), 2);
    int const h = digits(text.substr(9), 2);
    int const mi = digits(text.substr(11), 2);
    int const s = digits(text.substr(13), 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
        return std::nullopt;
    year_month_day const date{year{y}, month{static_cast<unsigned>(mo)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok())
        return std::nullopt;
    auto const midnight = sys_days{date}.time_since_epoch();
    return duration_cast<seconds>(midnight).count() + h * 3600 + mi * 60 + s;
}

std::string format_basic_date(std::int64_t epoch_s) {
    using namespace std::chrono;
    sys_seconds const t{seconds{epoch_s}};
    auto const midnight = floor<days>(t);
    year_month_day const date{midnight};
    hh_mm_ss const time{t - midnight};
    std::string out;
    append_digits(out, static_cast<int>(date.year()), 4);
    append_digits(out, static_cast<unsigned>(date.month()), 2);
    append_digits(out, static_cast<unsigned>(date.day()), 2);
    out.push_back('T');
    append_digits(out, time.hours().count(), 2);
    append_digits(out, time.minutes().count(), 2);
    append_digits(out, static_cast<long>(time.seconds().count()), 2);
    out.push_back('Z');
    return out;
}

} // namespace icemu::api::auth

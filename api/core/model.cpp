#include "api/core/model.hpp"

namespace icemu::api::core {

std::string request_kind_names() {
    std::string out;
    for (std::size_t i = 0; i < request_kinds.size(); ++i) {
        if (i > 0)
            out += i + 1 == request_kinds.size() ? " or " : ", ";
        out += request_kinds[i].name;
    }
    return out;
}

std::string_view to_string(request_kind kind) noexcept {
    for (auto const& info : request_kinds)
        if (info.kind == kind)
            return info.name;
    return "UNKNOWN";
}

std::string_view to_string(request_status status) noexcept {
    switch (status) {
    case request_status::in_progress: return "IN_PROGRESS";
    case request_status::succeeded: return "SUCCEEDED";
    case request_status::failed: return "FAILED";
    }
    return "IN_PROGRESS";
}

std::string_view to_string(scheduler_mode mode) noexcept {
    switch (mode) {
    case scheduler_mode::automatic: return "auto";
    case scheduler_mode::polls: return "polls";
    case scheduler_mode::manual: return "manual";
    }
    return "auto";
}

std::optional<request_kind> parse_request_kind(std::string_view text) noexcept {
    for (auto const& info : request_kinds)
        if (info.name == text)
            return info.kind;
    return std::nullopt;
}

std::optional<request_status> parse_request_status(std::string_view text) noexcept {
    for (auto status :
         {request_status::in_progress, request_status::succeeded, request_status::failed})
        if (to_string(status) == text)
            return status;
    return std::nullopt;
}

std::optional<scheduler_mode> parse_scheduler_mode(std::string_view text) noexcept {
    for (auto mode : {scheduler_mode::automatic, scheduler_mode::polls, scheduler_mode::manual})
        if (to_string(mode) == text)
            return mode;
    return std::nullopt;
}

} // namespace icemu::api::core

#include "api/core/model.hpp"

namespace icemu::api::core {

std::string_view to_string(request_kind kind) noexcept {
    switch (kind) {
    case request_kind::provision: return "PROVISION";
    case request_kind::assignment_create: return "ASSIGNMENT_CREATE";
    case request_kind::assignment_delete: return "ASSIGNMENT_DELETE";
    }
    return "PROVISION";
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
    for (auto kind : {request_kind::provision, request_kind::assignment_create,
                      request_kind::assignment_delete})
        if (to_string(kind) == text)
            return kind;
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

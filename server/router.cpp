#include "server/router.hpp"

namespace icemu::server {

endpoint& router::route(request const& req) const noexcept {
    std::string_view const target = req.target();
    if (target.starts_with("/_icemu/") || target == "/_icemu")
        return admin_;
    if (req.find("X-Amz-Target") != req.end())
        return aws_;
    if (target.starts_with("/v1/") || target == "/v1")
        return huawei_;
    return req.method() == http::verb::post ? aws_ : huawei_;
}

} // namespace icemu::server

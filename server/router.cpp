#include "server/router.hpp"

namespace icemu::server {

namespace {

bool is_admin_path(std::string_view target) noexcept {
    return target.starts_with("/_icemu/") || target == "/_icemu" ||
           target.starts_with("/moto-api/");
}

bool is_huawei_path(std::string_view target) noexcept {
    return target.starts_with("/v1/") || target == "/v1";
}

} // namespace

endpoint& router::route_malformed(request const& req) const noexcept {
    std::string_view const target = req.target();
    if (is_admin_path(target))
        return admin_;
    return is_huawei_path(target) ? huawei_ : aws_;
}

endpoint& router::route(request const& req) const noexcept {
    std::string_view const target = req.target();
    if (is_admin_path(target))
        return admin_;
    if (req.find("X-Amz-Target") != req.end())
        return aws_;
    if (is_huawei_path(target))
        return huawei_;
    return req.method() == http::verb::post ? aws_ : huawei_;
}

} // namespace icemu::server

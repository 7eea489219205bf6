#include "api/huawei/surface.hpp"

#include "api/json/writer.hpp"

namespace icemu::api::huawei {

namespace {

namespace http = server::http;

server::response error_reply(server::request const& req, http::status status,
                             std::string_view code, std::string_view message,
                             std::string const& request_id) {
    json::writer out;
    out.start_object().member("error_code", code).member("error_msg", message);
    out.member("request_id", request_id).end_object();
    server::response res{status, req.version()};
    res.set(http::field::content_type, "application/json");
    res.set("X-Request-Id", request_id);
    res.keep_alive(req.keep_alive());
    res.body() = out.str();
    res.prepare_payload();
    return res;
}

std::string request_id_of(core::id_source& ids) {
    auto id = core::format_uuid(ids.uuid());
    std::erase(id, '-');
    return id; // 32 hex, as the API gateway's ids are
}

} // namespace

server::response surface::handle(server::request const& req, server::call_info& info) {
    info.surface = "huawei";
    return error_reply(req, http::status::not_implemented, "IIC.501",
                       "The Huawei Identity Center surface is not implemented yet in this icemu.",
                       request_id_of(ids_));
}

server::response surface::reject(server::request const& req, server::rejection why,
                                 server::call_info& info) {
    info.surface = "huawei";
    if (why == server::rejection::body_too_large)
        return error_reply(req, http::status::payload_too_large, "IIC.400",
                           "Bad Request: the body is too large.", request_id_of(ids_));
    return error_reply(req, http::status::internal_server_error, "IIC.500",
                       "Internal error; the change was not saved.", request_id_of(ids_));
}

} // namespace icemu::api::huawei

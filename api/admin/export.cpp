#include "api/admin/export.hpp"

#include <utility>

#include "api/admin/surface.hpp"
#include "api/core/read_only_store.hpp"
#include "api/json/writer.hpp"

namespace icemu::api::admin {

std::string export_state(std::string const& path, core::service_options options) {
    core::read_only_store store(path, std::move(options));
    json::writer out;
    render_state_document(out, store.svc(), &store.identity());
    return std::string(out.view());
}

} // namespace icemu::api::admin

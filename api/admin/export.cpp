#include "api/admin/export.hpp"

#include <utility>

#include "api/admin/surface.hpp"
#include "api/core/clock.hpp"
#include "api/core/identity.hpp"
#include "api/core/service.hpp"
#include "api/json/writer.hpp"
#include "store/database.hpp"

namespace icemu::api::admin {

std::string export_state(std::string const& path, core::service_options options) {
    store::database_options store_options;
    store_options.path = path;
    store_options.read_only = true;
    store_options.background_checkpoints = false;
    store::database db(store_options);
    core::clock clock;
    auto const page_size = options.max_page_size;
    core::service svc(db, clock, std::move(options));
    core::identity_store identity(db, clock, page_size);
    json::writer out;
    render_state_document(out, svc, &identity);
    return std::string(out.view());
}

} // namespace icemu::api::admin

// The service: the context and the modules, each given what it calls.
#include "api/core/service.hpp"

#include <utility>

namespace icemu::api::core {

service::service(store::database& db, clock& time, service_options options)
    : context(db, time, std::move(options)),
      faults(context),
      lifecycle(context, faults),
      instances(context, lifecycle),
      permission_sets(context),
      policies(context),
      tags(context),
      roles(context),
      provisioning(context, lifecycle),
      assignments(context, lifecycle),
      tenancy(context),
      control(context, lifecycle, instances, faults),
      apps(db, time, context.options.max_page_size) {}

service::~service() = default;

} // namespace icemu::api::core

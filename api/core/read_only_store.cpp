#include "api/core/read_only_store.hpp"

#include <cstdint>
#include <utility>

#include "api/core/clock.hpp"
#include "api/core/identity.hpp"
#include "store/database.hpp"

namespace icemu::api::core {

namespace {

store::database_options read_only_options(std::string const& path) {
    store::database_options options;
    options.path = path;
    options.read_only = true;
    options.background_checkpoints = false;
    return options;
}

} // namespace

struct read_only_store::parts {
    parts(std::string const& path, service_options options)
        : db(read_only_options(path)),
          page_size(options.max_page_size),
          svc(db, clock, std::move(options)),
          identity(db, clock, page_size) {}

    store::database db;
    core::clock clock;
    std::int64_t page_size;
    service svc;
    identity_store identity;
};

read_only_store::read_only_store(std::string const& path, service_options options)
    : parts_(std::make_unique<parts>(path, std::move(options))) {}

read_only_store::~read_only_store() = default;

service& read_only_store::svc() noexcept {
    return parts_->svc;
}

identity_store& read_only_store::identity() noexcept {
    return parts_->identity;
}

} // namespace icemu::api::core

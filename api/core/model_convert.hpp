#pragma once

// The one place the core's model (api/core/model.hpp) meets the store's rows (store/records.hpp).
// Private to api/core: the surfaces never see a store type. A row read from the store is moved
// into the core's type (its strings change owner, none is copied), so a read costs no more than
// it did when the two were one type; what a write hands to the store is moved back the same way
// where the caller is done with it.

#include <type_traits>
#include <utility>
#include <vector>

#include "api/core/model.hpp"
#include "store/records.hpp"

namespace icemu::api::core {

// The enumerations are stored as their numbers: the core's and the store's must agree.
static_assert(static_cast<int>(request_kind::provision) ==
                  static_cast<int>(store::request_kind::provision) &&
              static_cast<int>(request_kind::assignment_create) ==
                  static_cast<int>(store::request_kind::assignment_create) &&
              static_cast<int>(request_kind::assignment_delete) ==
                  static_cast<int>(store::request_kind::assignment_delete) &&
              static_cast<int>(request_kind::instance_encryption) ==
                  static_cast<int>(store::request_kind::instance_encryption) &&
              static_cast<int>(request_kind::access_control_attributes) ==
                  static_cast<int>(store::request_kind::access_control_attributes) &&
              static_cast<int>(request_kind::region) ==
                  static_cast<int>(store::request_kind::region));
static_assert(static_cast<int>(request_status::in_progress) ==
                  static_cast<int>(store::request_status::in_progress) &&
              static_cast<int>(request_status::succeeded) ==
                  static_cast<int>(store::request_status::succeeded) &&
              static_cast<int>(request_status::failed) ==
                  static_cast<int>(store::request_status::failed));
static_assert(static_cast<int>(settle_mode::at_due) ==
                  static_cast<int>(store::settle_mode::at_due) &&
              static_cast<int>(settle_mode::polls) == static_cast<int>(store::settle_mode::polls) &&
              static_cast<int>(settle_mode::manual) ==
                  static_cast<int>(store::settle_mode::manual) &&
              static_cast<int>(settle_mode::held) == static_cast<int>(store::settle_mode::held));
static_assert(std::is_same_v<request_id, store::request_id>);

inline request_kind to_core(store::request_kind k) noexcept {
    return static_cast<request_kind>(k);
}
inline store::request_kind to_store(request_kind k) noexcept {
    return static_cast<store::request_kind>(k);
}
inline request_status to_core(store::request_status s) noexcept {
    return static_cast<request_status>(s);
}
inline store::request_status to_store(request_status s) noexcept {
    return static_cast<store::request_status>(s);
}
inline std::optional<store::request_status> to_store(std::optional<request_status> s) noexcept {
    if (!s)
        return std::nullopt;
    return to_store(*s);
}
inline settle_mode to_core(store::settle_mode m) noexcept {
    return static_cast<settle_mode>(m);
}
inline store::settle_mode to_store(settle_mode m) noexcept {
    return static_cast<store::settle_mode>(m);
}

inline encryption_config to_core(store::encryption_config&& c) {
    return {std::move(c.key_type), std::move(c.kms_key_arn)};
}
inline store::encryption_config to_store(encryption_config const& c) {
    return {c.key_type, c.kms_key_arn};
}

inline instance to_core(store::instance_row&& r) {
    return {std::move(r.id),
            std::move(r.owner_account),
            std::move(r.identity_store_id),
            std::move(r.name),
            std::move(r.status),
            r.created_ms,
            to_core(std::move(r.encryption))};
}
inline store::instance_row to_store(instance&& i) {
    return {0,
            std::move(i.id),
            std::move(i.owner_account),
            std::move(i.identity_store_id),
            std::move(i.name),
            std::move(i.status),
            i.created_ms,
            {std::move(i.encryption.key_type), std::move(i.encryption.kms_key_arn)}};
}

inline permission_set to_core(store::permission_set_row&& r) {
    return {std::move(r.id),
            std::move(r.instance_id),
            std::move(r.name),
            std::move(r.description),
            std::move(r.session_duration),
            std::move(r.relay_state),
            r.created_ms,
            r.version};
}
inline store::permission_set_row to_store(permission_set&& p) {
    return {0,
            std::move(p.id),
            std::move(p.instance_id),
            std::move(p.name),
            std::move(p.description),
            std::move(p.session_duration),
            std::move(p.relay_state),
            p.created_ms,
            p.version};
}

inline customer_policy_ref to_core(store::customer_policy_ref&& r) {
    return {std::move(r.name), std::move(r.path)};
}
inline store::customer_policy_ref to_store(customer_policy_ref const& r) {
    return {r.name, r.path};
}

inline permissions_boundary to_core(store::permissions_boundary&& b) {
    permissions_boundary out;
    if (b.customer_managed)
        out.customer_managed = to_core(std::move(*b.customer_managed));
    out.managed_arn = std::move(b.managed_arn);
    return out;
}
inline store::permissions_boundary to_store(permissions_boundary const& b) {
    store::permissions_boundary out;
    if (b.customer_managed)
        out.customer_managed = to_store(*b.customer_managed);
    out.managed_arn = b.managed_arn;
    return out;
}

inline named_policy to_core(store::named_policy&& p) {
    return {std::move(p.id), std::move(p.name)};
}
inline store::named_policy to_store(named_policy const& p) {
    return {p.id, p.name};
}

inline tag to_core(store::tag&& t) {
    return {std::move(t.key), std::move(t.value)};
}
inline store::tag to_store(tag const& t) {
    return {t.key, t.value};
}

inline assignment to_core(store::assignment_row&& r) {
    return {std::move(r.instance_id), std::move(r.permission_set_id), std::move(r.account_id),
            std::move(r.principal_type), std::move(r.principal_id)};
}

inline async_request to_core(store::request_row&& r) {
    return {r.id,
            to_core(r.kind),
            to_core(r.status),
            std::move(r.instance_id),
            std::move(r.permission_set_id),
            std::move(r.account_id),
            std::move(r.principal_type),
            std::move(r.principal_id),
            std::move(r.failure_reason),
            r.created_ms,
            r.due_ms,
            to_core(r.settle_by),
            r.polls_left,
            to_core(r.planned_status),
            std::move(r.planned_reason),
            std::move(r.surface),
            r.seq};
}
inline store::request_row to_store(async_request&& r) {
    return {r.id,
            r.seq,
            to_store(r.kind),
            to_store(r.status),
            std::move(r.instance_id),
            std::move(r.permission_set_id),
            std::move(r.account_id),
            std::move(r.principal_type),
            std::move(r.principal_id),
            std::move(r.failure_reason),
            r.created_ms,
            r.due_ms,
            to_store(r.settle_by),
            r.polls_left,
            to_store(r.planned_status),
            std::move(r.planned_reason),
            std::move(r.surface)};
}

inline request_summary to_core(store::request_summary&& s) {
    return {s.id, to_core(s.status), s.created_ms};
}

/// A std::string is the same in both (provisioned accounts and permission set ids).
inline std::string to_core(std::string&& s) noexcept {
    return std::move(s);
}

/// Rows of a list, moved one by one into the core's type.
template <typename Row>
auto to_core(std::vector<Row>&& rows) {
    using item = decltype(to_core(std::declval<Row&&>()));
    if constexpr (std::is_same_v<item, Row>) {
        return std::move(rows);
    } else {
        std::vector<item> out;
        out.reserve(rows.size());
        for (auto& row : rows)
            out.push_back(to_core(std::move(row)));
        return out;
    }
}

/// Items for the store (tags a call sets).
template <typename Item>
auto to_store(std::vector<Item> const& items) {
    std::vector<decltype(to_store(std::declval<Item const&>()))> out;
    out.reserve(items.size());
    for (auto const& item : items)
        out.push_back(to_store(item));
    return out;
}

} // namespace icemu::api::core

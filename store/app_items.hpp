#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/database.hpp"
#include "store/records.hpp"

namespace icemu::store {

/// One stored item of the application family (applications, trusted token issuers and what
/// belongs to them), in one table keyed by (instance, kind, owner, key). `owner` is the
/// application or issuer id an item belongs to ("" for applications and issuers themselves);
/// `a`..`d` are the kind's attributes, `body` its document (JSON text or a plain value).
struct app_item {
    std::int64_t seq = 0;
    std::string instance_id;
    std::string kind;
    std::string owner;
    std::string key;
    std::optional<std::string> a;
    std::optional<std::string> b;
    std::optional<std::string> c;
    std::optional<std::string> d;
    std::string body;
    std::optional<std::string> client_token;
    std::int64_t created_ms = 0;
};

/// Which items a list reads: one kind in one instance, optionally of one owner and with given
/// attributes `a` and `b`.
struct app_item_filter {
    std::string_view instance_id;
    std::string_view kind;
    std::optional<std::string_view> owner;
    std::optional<std::string_view> a;
    std::optional<std::string_view> b;
    std::optional<std::string_view> d;
};

/// The application family's table. Lists are keyset pages in creation order. Throws sqlite_error.
class app_items {
public:
    explicit app_items(database& db) noexcept : db_(db) {}

    /// Inserts the item; false when (instance, kind, owner, key) exists already.
    [[nodiscard]] bool insert(app_item const& item);
    /// Inserts the item, or replaces the attributes and body of the existing one (which keeps
    /// its position in lists).
    void upsert(app_item const& item);
    /// Replaces the attributes and body of an existing item; false when there is none.
    bool update(app_item const& item);
    std::optional<app_item> find(std::string_view instance_id, std::string_view kind,
                                 std::string_view owner, std::string_view key);
    /// The item of `kind` in the instance created with `client_token`, if any.
    std::optional<app_item> find_by_token(std::string_view instance_id, std::string_view kind,
                                          std::string_view client_token);
    /// Erases the item; false when there was none.
    bool erase(std::string_view instance_id, std::string_view kind, std::string_view owner,
               std::string_view key);
    /// Erases every item that belongs to `owner` (an application's or issuer's content).
    void erase_owned(std::string_view instance_id, std::string_view owner);
    std::int64_t count(app_item_filter const& filter);
    page<app_item> list(app_item_filter const& filter, std::int64_t after, std::int64_t limit);
    /// True when an item of `kind` in the instance has attribute `b` equal to `value`, other
    /// than the one keyed `except`.
    bool b_in_use(std::string_view instance_id, std::string_view kind, std::string_view value,
                  std::string_view except);

private:
    database& db_;
};

} // namespace icemu::store

#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace icemu::api::json {

/// A Document for a request body whose values live first in a buffer of its own, so the few
/// members a client sends need no heap: RapidJSON's own pool starts with a 64 KiB chunk, and
/// freeing that made glibc consolidate its fast bins on every request. Larger bodies spill
/// into chunks from the heap as usual.
class body_document {
public:
    body_document() = default;
    body_document(body_document const&) = delete;
    body_document& operator=(body_document const&) = delete;
    rapidjson::Document& get() noexcept { return doc_; }

private:
    alignas(std::max_align_t) char pool_[4096];
    rapidjson::MemoryPoolAllocator<> allocator_{pool_, sizeof pool_};
    rapidjson::Document doc_{&allocator_};
};

/// Parses `text` into `doc` (an empty text is an empty object). Returns false, leaving a
/// message in `problem`, if it is not one JSON object.
bool parse_object(std::string_view text, rapidjson::Document& doc, std::string& problem);

/// The member `name` of `obj` if it is present, not null and of the type asked for.
rapidjson::Value const* find(rapidjson::Value const& obj, std::string_view name) noexcept;
std::optional<std::string> optional_string(rapidjson::Value const& obj, std::string_view name);
std::optional<std::int64_t> optional_int(rapidjson::Value const& obj, std::string_view name);
/// The string member, or "" when absent (for members validated as required beforehand).
std::string_view string_or_empty(rapidjson::Value const& obj, std::string_view name) noexcept;

} // namespace icemu::api::json

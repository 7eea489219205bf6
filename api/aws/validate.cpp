#include "api/aws/validate.hpp"

#include "api/aws/model.hpp"
#include "api/core/error.hpp"

// pcre2.h selects its API by this macro; 8-bit code units match our UTF-8 strings.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace icemu::api::aws {
namespace {

using core::errc;
using rapidjson::Value;

// Coral echoes whole values; a 32 KiB policy document in an error message helps nobody.
constexpr std::size_t max_shown_chars = 256;

// UTF-8

// The length of `text` in UTF-16 code units (Java's String.length()), or nullopt when `text` is
// not strict UTF-8 (overlong forms, surrogates and code points above U+10FFFF are rejected, as
// PCRE2 would: the matcher is then called with PCRE2_NO_UTF_CHECK).
std::optional<std::size_t> utf16_length(std::string_view text) noexcept {
    std::size_t units = 0;
    std::size_t i = 0;
    std::size_t const n = text.size();
    auto const byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    auto const continuation = [&](std::size_t at, unsigned char lo, unsigned char hi) {
        return at < n && byte(at) >= lo && byte(at) <= hi;
    };
    while (i < n) {
        unsigned char const b = byte(i);
        if (b < 0x80) {
            ++i;
            ++units;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            if (!continuation(i + 1, 0x80, 0xbf))
                return std::nullopt;
            i += 2;
            ++units;
            continue;
        }
        if (b >= 0xe0 && b <= 0xef) {
            unsigned char const lo = b == 0xe0 ? 0xa0 : 0x80;
            unsigned char const hi = b == 0xed ? 0x9f : 0xbf; // 0xed a0..bf: surrogates
            if (!continuation(i + 1, lo, hi) || !continuation(i + 2, 0x80, 0xbf))
                return std::nullopt;
            i += 3;
            ++units;
            continue;
        }
        if (b >= 0xf0 && b <= 0xf4) {
            unsigned char const lo = b == 0xf0 ? 0x90 : 0x80;
            unsigned char const hi = b == 0xf4 ? 0x8f : 0xbf;
            if (!continuation(i + 1, lo, hi) || !continuation(i + 2, 0x80, 0xbf) ||
                !continuation(i + 3, 0x80, 0xbf))
                return std::nullopt;
            i += 4;
            units += 2; // a surrogate pair in Java
            continue;
        }
        return std::nullopt;
    }
    return units;
}

// Appends the valid UTF-8 sequences of `text` and U+FFFD for each invalid byte, so that an error
// message stays valid UTF-8 whatever the request held. Stops once `out` exceeds `limit` bytes.
void append_sanitized(std::string& out, std::string_view text, std::size_t limit) {
    while (!text.empty() && out.size() <= limit) {
        std::size_t step = 1;
        auto const b = static_cast<unsigned char>(text.front());
        if (b >= 0x80) {
            step = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
            if (step > text.size() || !utf16_length(text.substr(0, step))) {
                out += "\xef\xbf\xbd";
                text.remove_prefix(1);
                continue;
            }
        }
        out.append(text.substr(0, step));
        text.remove_prefix(step);
    }
}

// Cuts valid UTF-8 `text` after `chars` code points, marking the cut with "...".
void truncate_chars(std::string& text, std::size_t chars) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xc0) == 0x80)
            continue;
        if (seen++ == chars) {
            text.resize(i);
            text += "...";
            return;
        }
    }
}

// PCRE2

struct code_deleter {
    void operator()(pcre2_code* code) const noexcept { pcre2_code_free(code); }
};
struct match_data_deleter {
    void operator()(pcre2_match_data* data) const noexcept { pcre2_match_data_free(data); }
};
struct match_context_deleter {
    void operator()(pcre2_match_context* context) const noexcept {
        pcre2_match_context_free(context);
    }
};
struct jit_stack_deleter {
    void operator()(pcre2_jit_stack* stack) const noexcept { pcre2_jit_stack_free(stack); }
};
using code_ptr = std::unique_ptr<pcre2_code, code_deleter>;

// A full match, as Java's Matcher.matches(). UTF without UCP keeps \w, \d, \s and \b ASCII, as
// in Java's defaults, while \p{L} and friends still see Unicode properties.
constexpr std::uint32_t compile_options = PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED;

code_ptr compile(std::string_view source, std::string* error) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    code_ptr compiled{pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                    compile_options, &code, &offset, nullptr)};
    if (!compiled && error != nullptr) {
        std::array<PCRE2_UCHAR, 256> text{};
        pcre2_get_error_message(code, text.data(), text.size());
        *error = reinterpret_cast<char const*>(text.data());
        *error += " at offset " + std::to_string(offset);
    }
    return compiled;
}

// Every model pattern, compiled (and JIT-compiled where the platform allows) on first use.
class pattern_cache {
public:
    pattern_cache() {
        auto const all = model::patterns();
        codes_.reserve(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            std::string error;
            code_ptr code = compile(all[i].pcre2, &error);
            if (!code)
                throw core::error{errc::internal, "model pattern " + std::to_string(i) +
                                                      " does not compile: " + error};
            // Without JIT, pcre2_match falls back to the interpreter: slower, same answers.
            pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);
            codes_.push_back(std::move(code));
        }
    }
    pcre2_code const* operator[](std::size_t index) const noexcept { return codes_[index].get(); }

private:
    std::vector<code_ptr> codes_;
};

pattern_cache const& compiled_patterns() {
    static pattern_cache const cache; // C++ guarantees a thread-safe, once-only initialisation
    return cache;
}

// Match data and a JIT stack for the current thread, reused by every match on it.
class thread_matcher {
public:
    thread_matcher()
        : data_{pcre2_match_data_create(1, nullptr)},
          context_{pcre2_match_context_create(nullptr)},
          // PCRE2's default JIT stack is 32 KiB of machine stack; nested repeats such as
          // ManagedPolicyPath's ((/[...]+)*)/ on long input need more.
          stack_{pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr)} {
        if (!data_ || !context_)
            throw std::bad_alloc{};
        if (stack_)
            pcre2_jit_stack_assign(context_.get(), nullptr, stack_.get());
    }

    // `text` must be valid UTF-8. A match that hits a PCRE2 resource limit counts as no match:
    // the value could not be shown to satisfy the pattern.
    bool matches(pcre2_code const* code, std::string_view text) {
        int const rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0,
                                   PCRE2_NO_UTF_CHECK, data_.get(), context_.get());
        return rc >= 0; // 0: matched, but the one-pair ovector is too small for the groups
    }

private:
    std::unique_ptr<pcre2_match_data, match_data_deleter> data_;
    std::unique_ptr<pcre2_match_context, match_context_deleter> context_;
    std::unique_ptr<pcre2_jit_stack, jit_stack_deleter> stack_;
};

bool full_match(std::size_t pattern_index, std::string_view valid_utf8) {
    pcre2_code const* code = compiled_patterns()[pattern_index];
    thread_local thread_matcher matcher;
    return matcher.matches(code, valid_utf8);
}

// Member paths, as Coral prints them: 'customerManagedPolicyReference.name', 'tags.1.member.key'.

enum class step_kind : std::uint8_t { member, list_item, map_value };

// One step of a path, linked through the validator's stack frames so that a valid request
// allocates nothing for paths; they are rendered only for a message.
struct path {
    path const* parent;
    step_kind kind;
    std::string_view name; // member name, or the key of a map value
    std::size_t item;      // 1-based list index
};

void append_path(std::string& out, path const* at) {
    if (at == nullptr)
        return;
    append_path(out, at->parent);
    if (at->parent != nullptr)
        out += '.';
    switch (at->kind) {
    case step_kind::member: out += at->name; return;
    case step_kind::list_item:
        out += std::to_string(at->item);
        out += ".member";
        return;
    case step_kind::map_value: append_sanitized(out, at->name, 4 * max_shown_chars); return;
    }
}

std::string describe(path const* at) {
    if (at == nullptr)
        return "the request body";
    std::string text = "'";
    append_path(text, at);
    text += '\'';
    return text;
}

// Values as Coral prints them: Java's toString of strings, numbers, lists and maps.

template <typename Number>
void append_number(std::string& out, Number value) {
    std::array<char, 32> buffer{};
    auto const [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (ec == std::errc{})
        out.append(buffer.data(), end);
}

void append_value(std::string& out, Value const& v, std::size_t limit) {
    if (out.size() > limit)
        return;
    switch (v.GetType()) {
    case rapidjson::kNullType: out += "null"; return;
    case rapidjson::kFalseType: out += "false"; return;
    case rapidjson::kTrueType: out += "true"; return;
    case rapidjson::kStringType:
        append_sanitized(out, {v.GetString(), v.GetStringLength()}, limit);
        return;
    case rapidjson::kNumberType:
        if (v.IsInt64())
            return append_number(out, v.GetInt64());
        if (v.IsUint64())
            return append_number(out, v.GetUint64());
        return append_number(out, v.GetDouble());
    case rapidjson::kArrayType: {
        out += '[';
        char const* separator = "";
        for (auto const& item : v.GetArray()) {
            out += separator;
            append_value(out, item, limit);
            separator = ", ";
        }
        out += ']';
        return;
    }
    case rapidjson::kObjectType: {
        out += '{';
        char const* separator = "";
        for (auto const& m : v.GetObject()) {
            out += separator;
            append_value(out, m.name, limit);
            out += '=';
            append_value(out, m.value, limit);
            separator = ", ";
        }
        out += '}';
        return;
    }
    }
}

char const* json_type_name(Value const& v) noexcept {
    switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "a boolean";
    case rapidjson::kObjectType: return "an object";
    case rapidjson::kArrayType: return "an array";
    case rapidjson::kStringType: return "a string";
    case rapidjson::kNumberType: return v.IsInt64() || v.IsUint64() ? "an integer" : "a number";
    }
    return "a value";
}

char const* expected_type_name(model::kind type) noexcept {
    switch (type) {
    case model::kind::structure:
    case model::kind::union_:
    case model::kind::map: return "a JSON object";
    case model::kind::document: return "a JSON value";
    case model::kind::list: return "a JSON array";
    case model::kind::string: return "a string";
    case model::kind::integer: return "a 32-bit integer";
    case model::kind::long_: return "a 64-bit integer";
    case model::kind::float_:
    case model::kind::double_: return "a number";
    case model::kind::boolean: return "a boolean";
    case model::kind::timestamp: return "a number of epoch seconds";
    case model::kind::blob: return "a base64 string";
    }
    return "a value";
}

[[noreturn]] void throw_type_error(path const* at, model::shape const& s, Value const& v) {
    throw core::error{errc::serialization, "Cannot deserialize " + describe(at) + ": expected " +
                                               expected_type_name(s.type) + ", found " +
                                               json_type_name(v)};
}

[[noreturn]] void throw_utf8_error(path const* at) {
    throw core::error{errc::serialization, "Invalid UTF-8 in " + describe(at)};
}

// Constraints

enum failure : unsigned {
    fails_pattern = 1u << 0,
    too_small = 1u << 1,
    too_large = 1u << 2,
    not_in_enum = 1u << 3,
};

bool is_number(model::kind type) noexcept {
    return type == model::kind::integer || type == model::kind::long_ ||
           type == model::kind::float_ || type == model::kind::double_;
}

bool is_scalar(model::kind type) noexcept {
    switch (type) {
    case model::kind::structure:
    case model::kind::union_:
    case model::kind::document:
    case model::kind::list:
    case model::kind::map: return false;
    default: return true;
    }
}

std::string min_text(model::shape const& s) {
    return std::string(is_number(s.type) ? "Member must have value greater than or equal to "
                                         : "Member must have length greater than or equal to ") +
           std::to_string(*s.min);
}

std::string max_text(model::shape const& s) {
    return std::string(is_number(s.type) ? "Member must have value less than or equal to "
                                         : "Member must have length less than or equal to ") +
           std::to_string(*s.max);
}

std::string pattern_text(model::shape const& s) {
    return "Member must satisfy regular expression pattern: " +
           std::string(model::patterns()[s.pattern].java);
}

std::string enum_text(model::shape const& s) {
    std::string text = "Member must satisfy enum value set: [";
    auto const values = model::enum_values().subspan(s.first, s.count);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0)
            text += ", ";
        text += values[i];
    }
    text += ']';
    return text;
}

// Every constraint of an item shape, in the order Coral lists them for a collection member:
// "Member must satisfy constraint: [max, min, pattern, enum]".
std::string all_constraints_text(model::shape const& s, bool had_null) {
    std::vector<std::string> parts;
    if (s.max)
        parts.push_back(max_text(s));
    if (s.min)
        parts.push_back(min_text(s));
    if (s.pattern != model::no_index)
        parts.push_back(pattern_text(s));
    if (s.count != 0)
        parts.push_back(enum_text(s));
    if (had_null)
        parts.emplace_back("Member must not be null");
    std::string text = "[";
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0)
            text += ", ";
        text += parts[i];
    }
    text += ']';
    return text;
}

std::int64_t base64_decoded_size(std::string_view text) noexcept {
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    return static_cast<std::int64_t>(text.size() / 4 * 3 + (text.size() % 4) * 3 / 4 - padding);
}

template <typename T>
unsigned range_failures(model::shape const& s, T value) noexcept {
    unsigned failed = 0;
    if (s.min && value < static_cast<T>(*s.min))
        failed |= too_small;
    if (s.max && value > static_cast<T>(*s.max))
        failed |= too_large;
    return failed;
}

// Checks one scalar value; returns the failed constraints as `failure` bits. Throws on a wrong
// JSON type or invalid UTF-8.
unsigned scalar_failures(Value const& v, model::shape const& s, path const* at) {
    switch (s.type) {
    case model::kind::string: {
        if (!v.IsString())
            throw_type_error(at, s, v);
        std::string_view const text{v.GetString(), v.GetStringLength()};
        auto const length = utf16_length(text);
        if (!length)
            throw_utf8_error(at);
        unsigned failed = range_failures(s, static_cast<std::int64_t>(*length));
        if (s.pattern != model::no_index && !full_match(s.pattern, text))
            failed |= fails_pattern;
        if (s.count != 0) {
            auto const values = model::enum_values().subspan(s.first, s.count);
            if (std::find(values.begin(), values.end(), text) == values.end())
                failed |= not_in_enum;
        }
        return failed;
    }
    case model::kind::integer:
        if (!v.IsInt())
            throw_type_error(at, s, v);
        return range_failures(s, static_cast<std::int64_t>(v.GetInt()));
    case model::kind::long_:
        if (!v.IsInt64())
            throw_type_error(at, s, v);
        return range_failures(s, v.GetInt64());
    case model::kind::float_:
    case model::kind::double_:
        if (!v.IsNumber())
            throw_type_error(at, s, v);
        return range_failures(s, v.GetDouble());
    case model::kind::boolean:
        if (!v.IsBool())
            throw_type_error(at, s, v);
        return 0;
    case model::kind::timestamp:
        if (!v.IsNumber())
            throw_type_error(at, s, v);
        return 0;
    case model::kind::blob: {
        if (!v.IsString())
            throw_type_error(at, s, v);
        std::string_view const text{v.GetString(), v.GetStringLength()};
        return range_failures(s, base64_decoded_size(text));
    }
    default: return 0;
    }
}

class validator {
public:
    void check(Value const& v, model::shape const& s, path const* at) {
        switch (s.type) {
        case model::kind::structure:
        case model::kind::union_: return check_structure(v, s, at);
        case model::kind::list: return check_list(v, s, at);
        case model::kind::map: return check_map(v, s, at);
        case model::kind::document: return;
        default: break;
        }
        unsigned const failed = scalar_failures(v, s, at);
        if (failed == 0)
            return;
        // Coral's order, as in real messages: pattern first, then length or value, then enum.
        if (failed & fails_pattern)
            add(at, &v, pattern_text(s));
        if (failed & too_small)
            add(at, &v, min_text(s));
        if (failed & too_large)
            add(at, &v, max_text(s));
        if (failed & not_in_enum)
            add(at, &v, enum_text(s));
    }

    // Throws the collected violations, if any, as one ValidationException.
    void throw_if_invalid() const {
        if (violations_.empty())
            return;
        std::string message = std::to_string(violations_.size()) +
                              (violations_.size() == 1 ? " validation error detected: "
                                                       : " validation errors detected: ");
        for (std::size_t i = 0; i < violations_.size(); ++i) {
            if (i != 0)
                message += "; ";
            message += violations_[i];
        }
        throw core::error{errc::invalid_argument, message};
    }

private:
    void check_structure(Value const& v, model::shape const& s, path const* at) {
        if (!v.IsObject())
            throw_type_error(at, s, v);
        auto const members = model::members().subspan(s.first, s.count);
        std::size_t present = 0;
        for (model::member const& m : members) {
            Value const* value = find(v, m.name);
            path const here{at, step_kind::member, m.path_name, 0};
            if (value == nullptr) {
                if (m.required)
                    add(&here, nullptr, "Member must not be null");
                continue;
            }
            ++present;
            check(*value, model::shapes()[m.shape], &here);
        }
        if (s.type == model::kind::union_ && present != 1)
            throw core::error{errc::serialization, "Union " + describe(at) +
                                                       " must have exactly one member set, found " +
                                                       std::to_string(present)};
    }

    void check_list(Value const& v, model::shape const& s, path const* at) {
        if (!v.IsArray())
            throw_type_error(at, s, v);
        unsigned const size_failed = range_failures(s, static_cast<std::int64_t>(v.Size()));
        if (size_failed & too_small)
            add(at, &v, min_text(s));
        if (size_failed & too_large)
            add(at, &v, max_text(s));
        model::shape const& item = model::shapes()[s.item];
        if (is_scalar(item.type)) {
            // Coral reports a list of scalars once, listing the item shape's constraints.
            bool bad = false;
            bool had_null = false;
            for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
                path const here{at, step_kind::list_item, {}, std::size_t{i} + 1};
                if (v[i].IsNull()) {
                    bad = had_null = true;
                    continue;
                }
                if (scalar_failures(v[i], item, &here) != 0)
                    bad = true;
            }
            if (bad)
                add(at, &v,
                    "Member must satisfy constraint: " + all_constraints_text(item, had_null));
            return;
        }
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            path const here{at, step_kind::list_item, {}, std::size_t{i} + 1};
            if (v[i].IsNull()) {
                add(&here, nullptr, "Member must not be null");
                continue;
            }
            check(v[i], item, &here);
        }
    }

    void check_map(Value const& v, model::shape const& s, path const* at) {
        if (!v.IsObject())
            throw_type_error(at, s, v);
        unsigned const size_failed = range_failures(s, static_cast<std::int64_t>(v.MemberCount()));
        if (size_failed & too_small)
            add(at, &v, min_text(s));
        if (size_failed & too_large)
            add(at, &v, max_text(s));
        model::shape const& key = model::shapes()[s.item];
        model::shape const& value = model::shapes()[s.value_shape];
        bool bad_key = false;
        bool bad_value = false;
        bool null_value = false;
        for (auto const& entry : v.GetObject()) {
            path const here{at,
                            step_kind::map_value,
                            {entry.name.GetString(), entry.name.GetStringLength()},
                            0};
            if (scalar_failures(entry.name, key, &here) != 0)
                bad_key = true;
            if (entry.value.IsNull()) {
                bad_value = null_value = true;
                continue;
            }
            if (!is_scalar(value.type)) {
                check(entry.value, value, &here);
                continue;
            }
            if (scalar_failures(entry.value, value, &here) != 0)
                bad_value = true;
        }
        if (bad_key)
            add(at, &v, "Map keys must satisfy constraint: " + all_constraints_text(key, false));
        if (bad_value)
            add(at, &v,
                "Map value must satisfy constraint: " + all_constraints_text(value, null_value));
    }

    // The member called `name`, or nullptr when it is absent or JSON null.
    static Value const* find(Value const& object, std::string_view name) {
        // A StringRef key borrows `name`: no copy, no allocation.
        Value const key{
            rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size()))};
        auto const it = object.FindMember(key);
        if (it == object.MemberEnd() || it->value.IsNull())
            return nullptr;
        return &it->value;
    }

    void add(path const* at, Value const* v, std::string const& constraint) {
        std::string text = "Value ";
        if (v == nullptr || v->IsNull()) {
            text += "null";
        } else {
            std::string shown;
            append_value(shown, *v, 4 * max_shown_chars);
            truncate_chars(shown, max_shown_chars);
            text += '\'';
            text += shown;
            text += '\'';
        }
        text += " at '";
        append_path(text, at);
        text += "' failed to satisfy constraint: ";
        text += constraint;
        violations_.push_back(std::move(text));
    }

    std::vector<std::string> violations_;
};

} // namespace

bool is_modelled_operation(std::string_view operation) noexcept {
    return model::find_operation(operation) != nullptr;
}

bool is_identitystore_operation(std::string_view operation) noexcept {
    return model::find_identitystore_operation(operation) != nullptr;
}

void validate_input(std::string_view operation, Value const& body) {
    validate_input(model::find_operation(operation), operation, body);
}

void validate_identitystore_input(std::string_view operation, Value const& body) {
    validate_input(model::find_identitystore_operation(operation), operation, body);
}

void validate_input(model::operation const* op, std::string_view operation, Value const& body) {
    if (op == nullptr)
        throw core::error{errc::internal, "no model for operation " + std::string(operation)};
    validator checker;
    checker.check(body, model::shapes()[op->input], nullptr);
    checker.throw_if_invalid();
}

bool matches_pattern(std::size_t index, std::string_view text) {
    if (!utf16_length(text))
        throw core::error{errc::serialization, "Invalid UTF-8"};
    return full_match(index, text);
}

std::string pattern_compile_error(std::size_t index) {
    std::string error;
    compile(model::patterns()[index].pcre2, &error);
    return error;
}

} // namespace icemu::api::aws

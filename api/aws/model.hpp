#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// The botocore models of sso-admin (2020-07-20) and identitystore (2020-06-15), reduced to what
// input validation needs. The tables are generated into model_gen.cpp by tools/gen_aws_model.py;
// shapes reference each other by index.
namespace icemu::api::aws::model {

/// The JSON type of a shape (botocore `type`; `union`/`document` are structure flavours there).
enum class kind : std::uint8_t {
    structure,
    union_,   // a structure of which exactly one member is set
    document, // any JSON value
    list,
    map,
    string,
    integer, // 32-bit
    long_,   // 64-bit
    float_,
    double_,
    boolean,
    timestamp, // epoch seconds as a JSON number
    blob,      // base64 string
};

/// Marks an absent index (no pattern, no list item shape, ...).
inline constexpr std::uint16_t no_index = 0xffff;

/// A member of a structure: wire name, Coral's lowerCamelCase name for messages, shape index.
struct member {
    std::string_view name;
    std::string_view path_name;
    std::uint16_t shape;
    bool required;
};

/// A regular expression in the model's Java form (echoed in messages) and converted for PCRE2.
struct pattern {
    std::string_view java;
    std::string_view pcre2;
};

/// One shape. `min`/`max` bound the length of strings (UTF-16 units), the size of lists and maps,
/// the decoded size of blobs, or the value of numbers, per botocore semantics.
struct shape {
    std::string_view name;
    kind type;
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
    std::uint16_t pattern;     // index into patterns(), or no_index
    std::uint16_t first;       // structure: first entry in members(); string: in enum_values()
    std::uint16_t count;       // number of members or enum values (0 for a free string)
    std::uint16_t item;        // list: member shape; map: key shape
    std::uint16_t value_shape; // map: value shape
};

/// An operation and the index of its input shape.
struct operation {
    std::string_view name;
    std::uint16_t input;
};

/// All operations of the sso-admin model, sorted by name.
std::span<operation const> operations() noexcept;
/// All operations of the identitystore model, sorted by name (their shapes share the tables).
std::span<operation const> identitystore_operations() noexcept;
/// Every shape reachable from an operation input; indexes in the other tables point here.
std::span<shape const> shapes() noexcept;
/// Structure members, grouped per structure in model order.
std::span<member const> members() noexcept;
/// Enum values, grouped per string shape in model order.
std::span<std::string_view const> enum_values() noexcept;
/// The distinct patterns of the model.
std::span<pattern const> patterns() noexcept;

/// The sso-admin operation called `name`, or nullptr if the model has none.
operation const* find_operation(std::string_view name) noexcept;
/// The identitystore operation called `name`, or nullptr if the model has none.
operation const* find_identitystore_operation(std::string_view name) noexcept;

} // namespace icemu::api::aws::model

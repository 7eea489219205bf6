#include "api/core/ids.hpp"

#include <catch2/catch.hpp>

#include "ids/ids.hpp"

namespace core = icemu::api::core;

TEST_CASE("uuid_chars and format_uuid write the canonical text that parse_uuid reads", "[core]") {
    core::request_id id{};
    for (std::size_t i = 0; i < id.size(); ++i)
        id[i] = static_cast<unsigned char>(i * 17 + 1);
    CHECK(core::uuid_chars(id).view() == "01122334-4556-6778-899a-abbccddeef00");
    CHECK(core::format_uuid(id) == "01122334-4556-6778-899a-abbccddeef00");
    auto const back = icemu::ids::parse_uuid(core::format_uuid(id));
    REQUIRE(back);
    CHECK(*back == id);
}

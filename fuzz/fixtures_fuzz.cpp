// The fixtures loader (ICEMU_FIXTURES): one file's JSON text read into a fixture set, then
// applied to a fresh store, as a first start does. The documented refusals are the reader's
// std::runtime_error (one line naming the file and the field) and apply_fixtures'
// core::error; anything else escaping, a storage error included, is a bug.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "api/admin/fixtures.hpp"
#include "api/core/error.hpp"
#include "api/core/fixtures.hpp"
#include "fuzz/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text(reinterpret_cast<char const*>(data), size);
    icemu::api::core::fixture_set fixtures;
    try {
        icemu::api::admin::read_fixtures_text(text, "fuzz.json", fixtures);
    } catch (std::runtime_error const&) {
        return 0;
    }
    auto& w = icemu::fuzz::the_world();
    try {
        w.apply_fixtures(fixtures);
    } catch (icemu::api::core::error const&) {
    }
    w.restore();
    return 0;
}

#pragma once

#include <array>
#include <span>
#include <string_view>

namespace icemu::api::admin {

/// One file of the console (api/admin/ui/), compiled into the binary.
struct ui_asset {
    std::string_view path; // e.g. "/_icemu/ui/console.js"
    std::string_view content_type;
    std::string_view body;
};

/// Every file of the console, index.html included (served at /_icemu/ui too). Generated at build
/// time (cmake/embed_files.cmake).
std::span<ui_asset const> ui_assets() noexcept;

} // namespace icemu::api::admin

// `icemu --help`: the commands, then the flags, the variables and the file-only keys as the table
// of settings names them, each with its default.
#include <string>
#include <string_view>

#include "server/config.hpp"
#include "server/config_settings.hpp"
#include "server/config_values.hpp"

namespace icemu::server {
namespace {

constexpr std::size_t width = 100;
constexpr std::size_t indent = 31; // where descriptions start

// `  name` and `text` beside it from column `indent`, wrapped at `width` columns; a name too long
// for its column stands on a line of its own.
void entry(std::string& out, std::string_view name, std::string_view text) {
    std::string line = "  " + std::string(name);
    if (line.size() + 1 >= indent) {
        out.append(line).append("\n");
        line.clear();
    }
    line.resize(indent, ' ');
    std::size_t words = 0;
    while (!text.empty()) {
        auto const space = text.find(' ');
        std::string_view const word = text.substr(0, space);
        text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
        if (words > 0 && line.size() + 1 + word.size() > width) {
            out.append(line).append("\n");
            line.assign(indent, ' ');
            words = 0;
        }
        line.append(words > 0 ? " " : "").append(word);
        ++words;
    }
    out.append(line).append("\n");
}

// What the flag takes: the names of a choice, true|false, or the table's word for it.
std::string argument(setting const& s) {
    if (!s.value.choices.empty())
        return config_detail::join(s.value.choices, "|");
    if (s.value.is_boolean)
        return "true|false";
    return std::string(s.arg);
}

// "what it does (key, ICEMU_X; MIN-MAX, default D)", leaving out the name `shown` beside it.
std::string describe(setting const& s, config const& defaults, std::string_view shown) {
    std::string names;
    for (std::string_view const name : {s.key, s.env})
        if (!name.empty() && name != shown)
            names.append(names.empty() ? "" : ", ").append(name);
    std::string range;
    if (s.value.max > s.value.min)
        range = std::to_string(s.value.min) + "-" + std::to_string(s.value.max) + ", ";
    std::string value = text_of(s, defaults);
    if (value.empty())
        value = "none";
    return std::string(s.help) + " (" + names + (names.empty() ? "" : "; ") + range + "default " +
           value + ")";
}

} // namespace

std::string usage() {
    std::string out = R"(usage: icemu [serve|healthcheck|export] [flags]

A local emulator of the IAM Identity Center provisioning API (AWS sso-admin and Huawei Cloud).

commands:
)";
    entry(out, "serve", "run the server (default)");
    entry(out, "healthcheck",
          "ask the configured address's /_icemu/health; exit 0 when healthy, else 1");
    entry(out, "export",
          "write the state document of the store file (--db), opened read-only, to stdout; "
          "exit 0, else 1");
    out.append(
        "\nflags (each also --flag=value; flags override ICEMU_* variables, which override "
        "the file):\n");
    entry(out, "--config FILE",
          "JSON configuration (ICEMU_CONFIG; default conf/icemu.json when present)");
    config const defaults;
    for (setting const& s : settings())
        if (!s.flag.empty())
            entry(out, std::string(s.flag) + " " + argument(s), describe(s, defaults, s.flag));
    entry(out, "-h, --help", "show this text");
    entry(out, "--version", "print the version");

    out.append("\nvariables without a flag (a command line is visible to every user: ps):\n");
    for (setting const& s : settings())
        if (s.flag.empty() && !s.env.empty())
            entry(out, std::string(s.env) + "=" + argument(s), describe(s, defaults, s.env));

    out.append("\nkeys of the file only:\n");
    for (setting const& s : settings())
        if (s.flag.empty() && s.env.empty())
            entry(out, s.key, describe(s, defaults, s.key));
    return out;
}

} // namespace icemu::server

// The JSON configuration file, read through the table of settings: a key the table names is
// read by its setting, a key that leads to some (`store` of `store.cache_kib`) is an object
// read the same way, and anything else is an unknown key.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/config.hpp"
#include "server/config_settings.hpp"
#include "server/config_values.hpp"

namespace icemu::server {
namespace {

using namespace config_detail;

// True when some setting's key lies below `path` ("store" for "store.cache_kib").
bool is_section(std::string_view path) {
    auto const settings_list = settings();
    return std::any_of(settings_list.begin(), settings_list.end(), [&](setting const& s) {
        return s.key.size() > path.size() && s.key.starts_with(path) && s.key[path.size()] == '.';
    });
}

void read_object(config& cfg, rapidjson::Value const& object, json_place const& at) {
    for (auto const& m : object.GetObject()) {
        std::string_view const name = json_name(m.name);
        json_place const place = at.member(name);
        // "store.cache_kib" spelled as one name is no key: keys nest.
        if (name.find('.') != std::string_view::npos)
            place.unknown();
        if (setting const* s = setting_by_key(place.path)) {
            s->value.read_json(s->value, cfg, m.value, place);
            continue;
        }
        if (!is_section(place.path))
            place.unknown();
        json_object(m.value, place);
        read_object(cfg, m.value, place);
    }
}

} // namespace

void apply_config_text(config& cfg, std::string_view text, std::string const& file) {
    rapidjson::Document doc;
    // Iterative: a file of 100,000 `[` must be refused, not overflow the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError())
        throw config_error(file + ": invalid JSON at offset " +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
    if (!doc.IsObject())
        throw config_error(file + ": the top level must be a JSON object");
    read_object(cfg, doc, json_place{file, ""});
    cfg.config_file = file;
}

void config_detail::apply_config_file(config& cfg, std::string const& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw config_error("cannot read config file " + show(path) + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw config_error("cannot read config file " + show(path) + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw config_error("cannot read config file " + show(path) + ": " + std::strerror(errno));
    apply_config_text(cfg, std::move(text).str(), path);
}

} // namespace icemu::server

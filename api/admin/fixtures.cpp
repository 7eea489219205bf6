#include "api/admin/fixtures.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include "ids/ids.hpp"

namespace icemu::api::admin {

namespace {

namespace fs = std::filesystem;
using value = rapidjson::Value;

[[noreturn]] void fail(std::string const& where, std::string const& message) {
    throw std::runtime_error("fixtures " + where + ": " + message);
}

bool all_of(std::string_view text, bool (*ok)(char)) {
    return std::all_of(text.begin(), text.end(), ok);
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_name_char(char c) { // AWS [\w+=,.@-]
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}
bool is_principal_char(char c) {
    return ids::hex_value(c) >= 0 || c == '-';
}

// ISO 8601 durations as AWS writes them: PT<n>H, PT<n>M, PT<n>H<n>M, ... (e.g. PT1H, PT12H).
bool is_duration(std::string_view text) {
    if (text.size() < 4 || text.substr(0, 2) != "PT")
        return false;
    bool digits = false;
    std::string_view units = "HMS";
    for (char const c : text.substr(2)) {
        if (is_digit(c)) {
            digits = true;
            continue;
        }
        auto const at = units.find(c);
        if (!digits || at == std::string_view::npos)
            return false;
        units = units.substr(at + 1);
        digits = false;
    }
    return !digits;
}

// One object of a file, with the path of its field for messages ("permission_sets[0]").
class item {
public:
    item(std::string file, std::string path, value const& v)
        : file_(std::move(file)), path_(std::move(path)), v_(v) {
        if (!v.IsObject())
            fail(where(), "must be a JSON object");
    }

    std::string where() const { return file_ + ": " + path_; }
    std::string where(std::string_view key) const { return where() + "." + std::string(key); }

    void only(std::initializer_list<std::string_view> keys) const {
        for (auto const& m : v_.GetObject()) {
            std::string_view const key(m.name.GetString(), m.name.GetStringLength());
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                fail(where(key), "unknown key");
        }
    }

    std::optional<std::string> optional(std::string_view key) const {
        auto const m = v_.FindMember(value(rapidjson::StringRef(key.data(), key.size())));
        if (m == v_.MemberEnd() || m->value.IsNull())
            return std::nullopt;
        if (!m->value.IsString())
            fail(where(key), "must be a string");
        return std::string(m->value.GetString(), m->value.GetStringLength());
    }

    std::string required(std::string_view key) const {
        auto text = optional(key);
        if (!text)
            fail(where(key), "is required");
        return std::move(*text);
    }

    void check(std::string_view key, std::optional<std::string> const& text, bool ok,
               std::string_view rule) const {
        if (text && !ok)
            fail(where(key), "'" + *text + "' " + std::string(rule));
    }

private:
    std::string file_;
    std::string path_;
    value const& v_;
};

std::optional<std::string> owner_account(item const& it, bool required) {
    auto owner =
        required ? std::optional(it.required("owner_account_id")) : it.optional("owner_account_id");
    it.check("owner_account_id", owner, owner && ids::is_aws_account(*owner), "must be 12 digits");
    return owner;
}

core::fixture_instance read_instance(item const& it) {
    it.only({"owner_account_id", "name"});
    core::fixture_instance out;
    out.origin = it.where();
    out.owner_account_id = *owner_account(it, true);
    auto name = it.optional("name");
    it.check("name", name, name && name->size() <= 255 && all_of(*name, is_name_char),
             "must be at most 255 characters of A-Z a-z 0-9 _+=,.@-");
    out.name = name.value_or("");
    return out;
}

core::fixture_permission_set read_permission_set(item const& it) {
    it.only({"owner_account_id", "name", "description", "session_duration", "relay_state"});
    core::fixture_permission_set out;
    out.origin = it.where();
    out.owner_account_id = owner_account(it, false);
    out.name = it.required("name");
    it.check("name", out.name,
             !out.name.empty() && out.name.size() <= 32 && all_of(out.name, is_name_char),
             "must be 1-32 characters of A-Z a-z 0-9 _+=,.@-");
    out.description = it.optional("description");
    it.check("description", out.description,
             out.description && !out.description->empty() && out.description->size() <= 700,
             "must be 1-700 characters");
    out.session_duration = it.optional("session_duration");
    it.check("session_duration", out.session_duration,
             out.session_duration && is_duration(*out.session_duration),
             "must be an ISO 8601 duration such as PT1H or PT12H");
    out.relay_state = it.optional("relay_state");
    it.check("relay_state", out.relay_state,
             out.relay_state && !out.relay_state->empty() && out.relay_state->size() <= 240,
             "must be 1-240 characters");
    return out;
}

core::fixture_assignment read_assignment(item const& it) {
    it.only({"owner_account_id", "permission_set", "account_id", "principal_type", "principal_id"});
    core::fixture_assignment out;
    out.origin = it.where();
    out.owner_account_id = owner_account(it, false);
    out.permission_set = it.required("permission_set");
    out.account_id = it.required("account_id");
    it.check("account_id", out.account_id, ids::is_account(out.account_id),
             "must be 12 digits (AWS) or 32 lowercase hex characters (Huawei)");
    out.principal_type = it.required("principal_type");
    it.check("principal_type", out.principal_type,
             out.principal_type == "USER" || out.principal_type == "GROUP",
             "must be USER or GROUP");
    out.principal_id = it.required("principal_id");
    it.check("principal_id", out.principal_id,
             !out.principal_id.empty() && out.principal_id.size() <= 47 &&
                 all_of(out.principal_id, is_principal_char),
             "must be 1-47 characters of hex digits and '-'");
    return out;
}

// A principal id as AWS's ResourceId pattern has it: an optional "<10 hex>-", then a UUID.
bool is_principal_id(std::string_view id) {
    auto uuid = id;
    if (id.size() == 47) {
        if (id[10] != '-' ||
            !all_of(id.substr(0, 10), [](char c) { return ids::hex_value(c) >= 0; }))
            return false;
        uuid = id.substr(11);
    }
    if (uuid.size() != 36)
        return false;
    for (std::size_t i = 0; i < uuid.size(); ++i) {
        bool const dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? uuid[i] != '-' : ids::hex_value(uuid[i]) < 0)
            return false;
    }
    return true;
}

void check_text(item const& it, std::string_view key, std::optional<std::string> const& text,
                std::size_t max) {
    it.check(key, text, text && !text->empty() && text->size() <= max,
             "must be 1-" + std::to_string(max) + " characters");
}

core::fixture_user read_user(item const& it) {
    it.only({"owner_account_id", "user_name", "user_id", "display_name", "given_name",
             "family_name", "email"});
    core::fixture_user out;
    out.origin = it.where();
    out.owner_account_id = owner_account(it, false);
    out.user_name = it.required("user_name");
    check_text(it, "user_name", out.user_name, 128);
    out.user_id = it.optional("user_id");
    it.check("user_id", out.user_id, out.user_id && is_principal_id(*out.user_id),
             "must be a UUID, optionally after 10 hex digits and '-'");
    out.display_name = it.optional("display_name");
    check_text(it, "display_name", out.display_name, 1024);
    out.given_name = it.optional("given_name");
    check_text(it, "given_name", out.given_name, 1024);
    out.family_name = it.optional("family_name");
    check_text(it, "family_name", out.family_name, 1024);
    out.email = it.optional("email");
    check_text(it, "email", out.email, 1024);
    return out;
}

core::fixture_group read_group(item const& it) {
    it.only({"owner_account_id", "display_name", "group_id", "description"});
    core::fixture_group out;
    out.origin = it.where();
    out.owner_account_id = owner_account(it, false);
    out.display_name = it.required("display_name");
    check_text(it, "display_name", out.display_name, 1024);
    out.group_id = it.optional("group_id");
    it.check("group_id", out.group_id, out.group_id && is_principal_id(*out.group_id),
             "must be a UUID, optionally after 10 hex digits and '-'");
    out.description = it.optional("description");
    check_text(it, "description", out.description, 1024);
    return out;
}

core::fixture_group_membership read_group_membership(item const& it) {
    it.only({"owner_account_id", "group", "user"});
    core::fixture_group_membership out;
    out.origin = it.where();
    out.owner_account_id = owner_account(it, false);
    out.group = it.required("group");
    out.user = it.required("user");
    return out;
}

std::string read_text(fs::path const& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        fail(file.string(), std::string("cannot read: ") + std::strerror(errno));
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad())
        fail(file.string(), std::string("cannot read: ") + std::strerror(errno));
    return text;
}

template <typename Item, typename Read>
void read_list(std::string const& file, value const& doc, char const* key, std::vector<Item>& out,
               Read read) {
    auto const m = doc.FindMember(key);
    if (m == doc.MemberEnd() || m->value.IsNull())
        return;
    if (!m->value.IsArray())
        fail(file + ": " + key, "must be an array");
    rapidjson::SizeType i = 0;
    for (auto const& v : m->value.GetArray())
        out.push_back(read(item(file, std::string(key) + "[" + std::to_string(i++) + "]", v)));
}

void load_file(fs::path const& path, core::fixture_set& out) {
    read_fixtures_text(read_text(path), path.string(), out);
}

} // namespace

void read_fixtures_text(std::string_view text, std::string const& file, core::fixture_set& out) {
    rapidjson::Document doc;
    // Iterative: a file of 100,000 `[` must be refused, not overflow the stack.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        auto const offset = doc.GetErrorOffset();
        auto const line =
            1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
        fail(file, std::string("not valid JSON: ") +
                       rapidjson::GetParseError_En(doc.GetParseError()) + " (line " +
                       std::to_string(line) + ")");
    }
    if (!doc.IsObject())
        fail(file, "must hold one JSON object");
    for (auto const& m : doc.GetObject()) {
        std::string_view const key(m.name.GetString(), m.name.GetStringLength());
        if (key != "instances" && key != "permission_sets" && key != "assignments" &&
            key != "users" && key != "groups" && key != "group_memberships")
            fail(file + ": " + std::string(key),
                 "unknown key (expected instances, permission_sets, assignments, users, groups, "
                 "group_memberships)");
    }
    read_list(file, doc, "instances", out.instances, read_instance);
    read_list(file, doc, "permission_sets", out.permission_sets, read_permission_set);
    read_list(file, doc, "assignments", out.assignments, read_assignment);
    read_list(file, doc, "users", out.users, read_user);
    read_list(file, doc, "groups", out.groups, read_group);
    read_list(file, doc, "group_memberships", out.group_memberships, read_group_membership);
}

namespace fixture_rules {
bool is_name_char(char c) {
    return admin::is_name_char(c);
}
bool is_duration(std::string_view text) {
    return admin::is_duration(text);
}
bool is_principal_id(std::string_view id) {
    return admin::is_principal_id(id);
}
} // namespace fixture_rules

core::fixture_set load_fixtures(std::string const& path) {
    core::fixture_set out;
    if (path.empty())
        return out;
    fs::path const root(path);
    std::error_code ec;
    auto const status = fs::status(root, ec);
    if (status.type() == fs::file_type::not_found) {
        if (root.extension() == ".json")
            fail(path, "no such file");
        return out; // a missing folder: nothing to load
    }
    if (ec)
        fail(path, "cannot read: " + ec.message());
    if (!fs::is_directory(status)) {
        load_file(root, out);
        return out;
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        auto const name = it->path().filename().string();
        if (name.starts_with('.') || it->path().extension() != ".json")
            continue;
        std::error_code file_ec;
        if (fs::is_regular_file(it->path(), file_ec)) // follows symlinks (Kubernetes ConfigMaps)
            files.push_back(it->path());
    }
    if (ec)
        fail(path, "cannot read the folder: " + ec.message());
    std::sort(files.begin(), files.end(),
              [](fs::path const& a, fs::path const& b) { return a.filename() < b.filename(); });
    for (auto const& file : files)
        load_file(file, out);
    return out;
}

} // namespace icemu::api::admin

// The table of settings: each setting's file key, variable, flag, --help line and value codec.
// The file reader, the variables, the flags, --help and the defaults check all read it.
#include "server/config_settings.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "server/config_values.hpp"

namespace icemu::server {
namespace {

using namespace config_detail;
using json_value = rapidjson::Value;

// --- codecs by the type of the member they set ---------------------------------------------
// A member is named by the path of member pointers that leads to it from config:
// `integer<&config::scheduler, &scheduler_config::polls>(1, 10)` reads cfg.scheduler.polls.

// A left fold over .*: (cfg .* a) .* b.
template <auto... Path>
auto& field(config& cfg) {
    return (cfg.*....*Path);
}

template <auto... Path>
auto const& field(config const& cfg) {
    return (cfg.*....*Path);
}

template <auto... Path>
using field_type = std::remove_cvref_t<decltype(field<Path...>(std::declval<config&>()))>;

// std::int64_t, std::size_t or std::chrono::milliseconds.
template <auto... Path>
struct integer_codec {
    static std::int64_t get(config const& cfg) {
        auto const& value = field<Path...>(cfg);
        if constexpr (requires { value.count(); })
            return value.count();
        else
            return static_cast<std::int64_t>(value);
    }
    static void set(config& cfg, std::int64_t value) {
        field<Path...>(cfg) = field_type<Path...>(value);
    }
    static void read_json(value_codec const& c, config& cfg, json_value const& v,
                          json_place const& at) {
        set(cfg, in_range(at.where(), json_integer(v, at), c.min, c.max));
    }
    static void read_text(value_codec const& c, config& cfg, std::string_view where,
                          std::string_view text) {
        set(cfg, int_in_range(where, text, c.min, c.max));
    }
    static std::string write(value_codec const&, config const& cfg) {
        return std::to_string(get(cfg));
    }
};

template <auto... Path>
constexpr value_codec integer(std::int64_t min, std::int64_t max) {
    using c = integer_codec<Path...>;
    return {.read_json = c::read_json,
            .read_text = c::read_text,
            .json = c::write,
            .text = c::write,
            .min = min,
            .max = max};
}

// Any unsigned 64-bit value: the scheduler's seed.
template <auto... Path>
struct unsigned_codec {
    static void read_json(value_codec const&, config& cfg, json_value const& v,
                          json_place const& at) {
        if (!v.IsUint64())
            json_wrong_type(v, at, "a non-negative 64-bit integer");
        field<Path...>(cfg) = v.GetUint64();
    }
    static void read_text(value_codec const&, config& cfg, std::string_view where,
                          std::string_view text) {
        field<Path...>(cfg) = seed_value(where, text);
    }
    static std::string write(value_codec const&, config const& cfg) {
        return std::to_string(field<Path...>(cfg));
    }
};

template <auto... Path>
constexpr value_codec unsigned64() {
    using c = unsigned_codec<Path...>;
    return {
        .read_json = c::read_json, .read_text = c::read_text, .json = c::write, .text = c::write};
}

template <auto... Path>
struct text_codec {
    static std::string checked(value_codec const& c, std::string_view where,
                               std::string_view value) {
        return c.check == nullptr ? std::string(value) : c.check(where, value);
    }
    static void read_json(value_codec const& c, config& cfg, json_value const& v,
                          json_place const& at) {
        field<Path...>(cfg) = checked(c, at.where(), json_text(v, at));
    }
    static void read_text(value_codec const& c, config& cfg, std::string_view where,
                          std::string_view text) {
        field<Path...>(cfg) = checked(c, where, text);
    }
    static std::string json(value_codec const&, config const& cfg) {
        return json_string(field<Path...>(cfg));
    }
    static std::string text(value_codec const&, config const& cfg) { return field<Path...>(cfg); }
};

// A string; `check` validates it (null: any text, the empty one included).
template <auto... Path>
constexpr value_codec text(std::string (*check)(std::string_view, std::string_view) = nullptr) {
    using c = text_codec<Path...>;
    return {.read_json = c::read_json,
            .read_text = c::read_text,
            .json = c::json,
            .text = c::text,
            .check = check};
}

// An enumeration, by the names names_of<E> gives its enumerators.
template <auto... Path>
struct choice_codec {
    using enum_type = field_type<Path...>;
    static void read_json(value_codec const& c, config& cfg, json_value const& v,
                          json_place const& at) {
        field<Path...>(cfg) = enum_type(one_of(at.where(), json_text(v, at), c.choices));
    }
    static void read_text(value_codec const& c, config& cfg, std::string_view where,
                          std::string_view text) {
        field<Path...>(cfg) = enum_type(one_of(where, text, c.choices));
    }
    static std::string text(value_codec const& c, config const& cfg) {
        return std::string(c.choices[static_cast<std::size_t>(field<Path...>(cfg))]);
    }
    static std::string json(value_codec const& c, config const& cfg) {
        return json_string(text(c, cfg));
    }
};

template <auto... Path>
constexpr value_codec choice() {
    using c = choice_codec<Path...>;
    return {.read_json = c::read_json,
            .read_text = c::read_text,
            .json = c::json,
            .text = c::text,
            .choices = names_of<typename c::enum_type>};
}

template <auto... Path>
struct boolean_codec {
    static void read_json(value_codec const&, config& cfg, json_value const& v,
                          json_place const& at) {
        field<Path...>(cfg) = json_boolean(v, at);
    }
    static void read_text(value_codec const&, config& cfg, std::string_view where,
                          std::string_view text) {
        field<Path...>(cfg) = boolean(where, text);
    }
    static std::string write(value_codec const&, config const& cfg) {
        return field<Path...>(cfg) ? "true" : "false";
    }
};

template <auto... Path>
constexpr value_codec flag_bool() {
    using c = boolean_codec<Path...>;
    return {.read_json = c::read_json,
            .read_text = c::read_text,
            .json = c::write,
            .text = c::write,
            .is_boolean = true};
}

// A list of strings: an array in the file, comma-separated in a variable or flag; `check`
// validates each item.
template <auto... Path>
struct list_codec {
    static void read_json(value_codec const& c, config& cfg, json_value const& v,
                          json_place const& at) {
        json_array(v, at);
        std::vector<std::string> list;
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
            json_place const item = at.item(i);
            list.push_back(c.check(item.where(), json_text(v[i], item)));
        }
        field<Path...>(cfg) = std::move(list);
    }
    static void read_text(value_codec const& c, config& cfg, std::string_view where,
                          std::string_view text) {
        field<Path...>(cfg) = list_text(where, text, c.check);
    }
    static std::string json(value_codec const&, config const& cfg) {
        std::string out = "[";
        for (std::string const& item : field<Path...>(cfg))
            out.append(out.size() > 1 ? "," : "").append(json_string(item));
        return out + "]";
    }
    static std::string text(value_codec const&, config const& cfg) {
        std::string out;
        for (std::string const& item : field<Path...>(cfg))
            out.append(out.empty() ? "" : ",").append(item);
        return out;
    }
};

template <auto... Path>
constexpr value_codec list(std::string (*check)(std::string_view, std::string_view)) {
    using c = list_codec<Path...>;
    return {.read_json = c::read_json,
            .read_text = c::read_text,
            .json = c::json,
            .text = c::text,
            .check = check};
}

// --- codecs of their own ----------------------------------------------------------------------

// A value the file spells as a JSON string and a variable as the same text.
template <void (*Set)(config&, std::string_view where, std::string_view value),
          std::string (*Get)(config const&)>
struct spelled_codec {
    static void read_json(value_codec const&, config& cfg, json_value const& v,
                          json_place const& at) {
        Set(cfg, at.where(), json_text(v, at));
    }
    static void read_text(value_codec const&, config& cfg, std::string_view where,
                          std::string_view text) {
        Set(cfg, where, text);
    }
    static std::string json(value_codec const&, config const& cfg) { return json_string(Get(cfg)); }
    static std::string text(value_codec const&, config const& cfg) { return Get(cfg); }
};

template <void (*Set)(config&, std::string_view, std::string_view),
          std::string (*Get)(config const&)>
constexpr value_codec spelled() {
    using c = spelled_codec<Set, Get>;
    return {.read_json = c::read_json, .read_text = c::read_text, .json = c::json, .text = c::text};
}

void set_listen(config& cfg, std::string_view where, std::string_view value) {
    std::tie(cfg.listen_host, cfg.listen_port) = parse_listen(where, value);
}

std::string listen_text(config const& cfg) {
    return host_port(cfg.listen_host, cfg.listen_port);
}

// The admin listener: HOST:PORT, or empty for none (the admin API stays on the main one).
void set_admin_listen(config& cfg, std::string_view where, std::string_view value) {
    if (value.empty()) {
        cfg.admin_listen_host.clear();
        cfg.admin_listen_port = 0;
        return;
    }
    std::tie(cfg.admin_listen_host, cfg.admin_listen_port) = parse_listen(where, value);
}

std::string admin_listen_text(config const& cfg) {
    if (cfg.admin_listen_host.empty())
        return "";
    return host_port(cfg.admin_listen_host, cfg.admin_listen_port);
}

// scheduler.delay_ms: {"min": N, "max": N} (either may be left out) or a plain N for both in
// the file; `N` or `MIN-MAX` in a variable or flag.
void read_delay(value_codec const&, config& cfg, json_value const& v, json_place const& at) {
    if (v.IsNumber()) {
        std::int64_t const n = json_integer(v, at);
        set_delays(cfg, at.where(), n, n, std::to_string(n));
        return;
    }
    json_object(v, at);
    std::int64_t min = cfg.scheduler.delay_min_ms;
    std::int64_t max = cfg.scheduler.delay_max_ms;
    for (auto const& m : v.GetObject()) {
        std::string_view const name = json_name(m.name);
        json_place const sub = at.member(name);
        if (name == "min")
            min = json_integer(m.value, sub);
        else if (name == "max")
            max = json_integer(m.value, sub);
        else
            sub.unknown();
    }
    set_delays(cfg, at.where(), min, max,
               "min " + std::to_string(min) + ", max " + std::to_string(max));
}

void read_delay_text(value_codec const&, config& cfg, std::string_view where,
                     std::string_view text) {
    set_delay_text(cfg, where, text);
}

std::string delay_json(value_codec const&, config const& cfg) {
    return "{\"min\":" + std::to_string(cfg.scheduler.delay_min_ms) +
           ",\"max\":" + std::to_string(cfg.scheduler.delay_max_ms) + "}";
}

std::string delay_text(value_codec const&, config const& cfg) {
    return std::to_string(cfg.scheduler.delay_min_ms) + "-" +
           std::to_string(cfg.scheduler.delay_max_ms);
}

constexpr value_codec delay_codec{
    .read_json = read_delay, .read_text = read_delay_text, .json = delay_json, .text = delay_text};

// The items of the array `v`, each an object: `member(name, value, place)` for each member of
// an item, then `done(item, place)`.
template <typename Member, typename Done>
void each_object(json_value const& v, json_place const& at, Member member, Done done) {
    json_array(v, at);
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
        json_place const item = at.item(i);
        json_object(v[i], item);
        for (auto const& m : v[i].GetObject()) {
            std::string_view const name = json_name(m.name);
            member(name, m.value, item.member(name));
        }
        done(v[i], item);
    }
}

// auth.credentials: an array of objects in the file; KEY:SECRET:ACCOUNT[:SESSION_TOKEN],... in
// the variable.
void read_credentials(value_codec const&, config& cfg, json_value const& v, json_place const& at) {
    std::vector<credential> list;
    std::set<std::string, std::less<>> keys;
    credential c;
    auto const member = [&c](std::string_view name, json_value const& value,
                             json_place const& sub) {
        if (name == "access_key_id")
            c.access_key_id = non_empty(sub.where(), json_text(value, sub));
        else if (name == "secret_access_key")
            c.secret_access_key = non_empty(sub.where(), json_text(value, sub));
        else if (name == "account_id")
            c.account_id = account(sub.where(), json_text(value, sub));
        else if (name == "session_token")
            c.session_token = non_empty(sub.where(), json_text(value, sub));
        else
            sub.unknown();
    };
    auto const done = [&](json_value const& item, json_place const& place) {
        for (auto const* required : {"access_key_id", "secret_access_key", "account_id"})
            if (!item.HasMember(required))
                fail(place.where(), std::string("missing \"") + required + "\"");
        if (!keys.insert(c.access_key_id).second)
            fail(place.member("access_key_id").where(),
                 show(c.access_key_id) + " is listed more than once");
        list.push_back(std::exchange(c, {}));
    };
    each_object(v, at, member, done);
    cfg.credentials = std::move(list);
}

void read_credentials_text(value_codec const&, config& cfg, std::string_view where,
                           std::string_view text) {
    cfg.credentials = credentials_text(where, text);
}

std::string credentials_json(value_codec const&, config const& cfg) {
    std::string out = "[";
    for (credential const& c : cfg.credentials) {
        out.append(out.size() > 1 ? "," : "");
        out.append("{\"access_key_id\":" + json_string(c.access_key_id));
        out.append(",\"secret_access_key\":" + json_string(c.secret_access_key));
        out.append(",\"account_id\":" + json_string(c.account_id));
        if (!c.session_token.empty())
            out.append(",\"session_token\":" + json_string(c.session_token));
        out.append("}");
    }
    return out + "]";
}

std::string credentials_as_text(value_codec const&, config const& cfg) {
    std::string out;
    for (credential const& c : cfg.credentials) {
        out.append(out.empty() ? "" : ",");
        out.append(c.access_key_id + ":" + c.secret_access_key + ":" + c.account_id);
        if (!c.session_token.empty())
            out.append(":" + c.session_token);
    }
    return out;
}

constexpr value_codec credentials_codec{.read_json = read_credentials,
                                        .read_text = read_credentials_text,
                                        .json = credentials_json,
                                        .text = credentials_as_text};

// initial_state.instances: file only.
void read_instances(value_codec const&, config& cfg, json_value const& v, json_place const& at) {
    std::vector<instance_config> list;
    std::set<std::string, std::less<>> owners;
    std::set<std::string, std::less<>> ids;
    instance_config inst;
    auto const member = [&inst](std::string_view name, json_value const& value,
                                json_place const& sub) {
        if (name == "owner_account_id")
            inst.owner_account_id = account(sub.where(), json_text(value, sub));
        else if (name == "instance_id")
            inst.instance_id = instance_id(sub.where(), json_text(value, sub));
        else if (name == "identity_store_id")
            inst.identity_store_id = identity_store_id(sub.where(), json_text(value, sub));
        else if (name == "name")
            inst.name = std::string(json_text(value, sub));
        else
            sub.unknown();
    };
    auto const done = [&](json_value const&, json_place const& place) {
        if (inst.owner_account_id.empty())
            fail(place.where(), "missing \"owner_account_id\"");
        // One instance per owner account, as the AWS model says.
        if (!owners.insert(inst.owner_account_id).second)
            fail(place.member("owner_account_id").where(),
                 show(inst.owner_account_id) + " owns more than one instance");
        if (!inst.instance_id.empty() && !ids.insert(inst.instance_id).second)
            fail(place.member("instance_id").where(),
                 show(inst.instance_id) + " is listed more than once");
        list.push_back(std::exchange(inst, {}));
    };
    each_object(v, at, member, done);
    cfg.instances = std::move(list);
}

std::string instances_json(value_codec const&, config const& cfg) {
    std::string out = "[";
    for (instance_config const& i : cfg.instances) {
        out.append(out.size() > 1 ? "," : "");
        out.append("{\"owner_account_id\":" + json_string(i.owner_account_id));
        for (auto const& [name, value] :
             {std::pair{"instance_id", &i.instance_id},
              std::pair{"identity_store_id", &i.identity_store_id}, std::pair{"name", &i.name}})
            if (!value->empty())
                out.append(",\"" + std::string(name) + "\":" + json_string(*value));
        out.append("}");
    }
    return out + "]";
}

constexpr value_codec instances_codec{.read_json = read_instances, .json = instances_json};

// faults: an object the core validates (main parses the rules); file only.
constexpr std::size_t max_faults_depth = 32;

// The nesting depth of `root` (1 for a scalar), walked without recursion.
std::size_t depth_of(json_value const& root) {
    std::size_t deepest = 0;
    std::vector<std::pair<json_value const*, std::size_t>> pending{{&root, 1}};
    while (!pending.empty()) {
        auto const [v, depth] = pending.back();
        pending.pop_back();
        deepest = std::max(deepest, depth);
        if (v->IsObject()) {
            for (auto const& m : v->GetObject())
                pending.emplace_back(&m.value, depth + 1);
        } else if (v->IsArray()) {
            for (auto const& item : v->GetArray())
                pending.emplace_back(&item, depth + 1);
        }
    }
    return deepest;
}

void read_faults(value_codec const&, config& cfg, json_value const& v, json_place const& at) {
    json_object(v, at);
    // Writing it back recurses once per level: a rule is 4 levels deep, so 32 is plenty.
    if (depth_of(v) > max_faults_depth)
        fail(at.where(), "nested deeper than " + std::to_string(max_faults_depth) + " levels");
    rapidjson::StringBuffer text;
    rapidjson::Writer<rapidjson::StringBuffer> writer(text);
    v.Accept(writer);
    cfg.faults_json.assign(text.GetString(), text.GetSize());
}

std::string faults_json(value_codec const&, config const& cfg) {
    return cfg.faults_json;
}

constexpr value_codec faults_codec{.read_json = read_faults, .json = faults_json};

// --- the table ----------------------------------------------------------------------------------
// Keep every variable and flag name users have; a new scalar setting takes the consistent ones
// (store.cache_kib: ICEMU_STORE_CACHE_KIB, --store-cache-kib). Secrets have no flag (ps shows
// flags); structured keys are file only.

constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = 1024 * 1024;
constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();

constexpr setting table[] = {
    {"listen", "ICEMU_LISTEN", "--listen", "HOST:PORT", "listen address, port 0 picks one",
     spelled<set_listen, listen_text>()},
    {"", "ICEMU_PORT_FILE", "--port-file", "PATH", "write the bound port there once listening",
     text<&config::port_file>(non_empty)},
    {"db", "ICEMU_DB", "--db", "PATH", "SQLite file, :memory: for none",
     text<&config::db>(non_empty)},
    {"threads", "ICEMU_THREADS", "--threads", "N",
     "ignored: icemu serves on one thread; more than 1 logs a warning",
     integer<&config::threads>(1, 64)},
    {"log.level", "ICEMU_LOG_LEVEL", "--log-level", "", "the least level logged",
     choice<&config::log_level>()},
    {"log.format", "ICEMU_LOG_FORMAT", "--log-format", "", "log lines as text or JSON objects",
     choice<&config::log_format>()},
    {"scheduler.mode", "ICEMU_SCHEDULER_MODE", "--scheduler-mode", "",
     "when requests settle: after a delay, after polls, or when the admin API says",
     choice<&config::scheduler, &scheduler_config::mode>()},
    {"scheduler.delay_ms", "ICEMU_SCHEDULER_DELAY_MS", "--scheduler-delay-ms", "N|MIN-MAX",
     "settlement delay in auto mode, milliseconds", delay_codec},
    {"scheduler.polls", "ICEMU_SCHEDULER_POLLS", "--scheduler-polls", "N",
     "Describe calls that settle a request in polls mode",
     integer<&config::scheduler, &scheduler_config::polls>(1, int32_max)},
    {"scheduler.seed", "ICEMU_SCHEDULER_SEED", "--scheduler-seed", "N",
     "seed of delays and probabilities", unsigned64<&config::scheduler, &scheduler_config::seed>()},
    {"auth.mode", "ICEMU_AUTH_MODE", "--auth-mode", "",
     "verify checks every signature against auth.credentials", choice<&config::auth_mode>()},
    {"auth.credentials", "ICEMU_AUTH_CREDENTIALS", "", "KEY:SECRET:ACCOUNT[:SESSION_TOKEN],...",
     "the credentials of the verify mode", credentials_codec},
    {"auth.default_account_id", "ICEMU_DEFAULT_ACCOUNT_ID", "--default-account-id", "ID",
     "caller account when none is known", text<&config::default_account_id>(account)},
    {"admin.listen", "ICEMU_ADMIN_LISTEN", "--admin-listen", "HOST:PORT",
     "serve the admin API (/_icemu/) on its own address only; the main address keeps "
     "/_icemu/health",
     spelled<set_admin_listen, admin_listen_text>()},
    {"", "ICEMU_ADMIN_PORT_FILE", "--admin-port-file", "PATH",
     "write the admin listener's port there", text<&config::admin_port_file>(non_empty)},
    {"admin.token", "ICEMU_ADMIN_TOKEN", "--admin-token", "TOKEN",
     "admin calls but health need \"Authorization: Bearer TOKEN\" or \"X-Icemu-Admin-Token: "
     "TOKEN\"",
     text<&config::admin_token>()},
    {"store.synchronous", "ICEMU_STORE_SYNCHRONOUS", "--store-synchronous", "",
     "normal survives a crash of icemu, full also a power loss",
     choice<&config::store_synchronous>()},
    {"store.cache_kib", "ICEMU_STORE_CACHE_KIB", "--store-cache-kib", "N",
     "SQLite's page cache, KiB of anonymous memory", integer<&config::store_cache_kib>(1, 4 * mib)},
    {"store.mmap_mib", "ICEMU_STORE_MMAP_MIB", "--store-mmap-mib", "N",
     "MiB of the database file read through a mapping of the OS cache, 0 for none",
     integer<&config::store_mmap_mib>(0, mib)},
    {"store.max_size_mib", "ICEMU_STORE_MAX_SIZE_MIB", "--store-max-size-mib", "N",
     "database size limit, 0 for none; beyond: writes fail",
     integer<&config::store_max_size_mib>(0, mib)},
    {"store.read_only", "ICEMU_STORE_READ_ONLY", "--store-read-only", "",
     "serve a database without writing to it", flag_bool<&config::store_read_only>()},
    {"limits.max_body_bytes", "ICEMU_MAX_BODY_BYTES", "--max-body-bytes", "N",
     "largest request body; more: 413", integer<&config::max_body_bytes>(kib, 64 * mib)},
    {"limits.max_header_bytes", "ICEMU_MAX_HEADER_BYTES", "--max-header-bytes", "N",
     "request line and headers; more: 431", integer<&config::max_header_bytes>(kib, mib)},
    {"limits.request_timeout_ms", "ICEMU_REQUEST_TIMEOUT_MS", "--request-timeout-ms", "N",
     "a request must arrive whole within it, else 408",
     integer<&config::request_timeout>(100, int32_max)},
    {"limits.idle_timeout_ms", "ICEMU_IDLE_TIMEOUT_MS", "--idle-timeout-ms", "N",
     "close a keep-alive connection idle that long",
     integer<&config::idle_timeout>(100, int32_max)},
    {"limits.max_connections", "ICEMU_MAX_CONNECTIONS", "--max-connections", "N",
     "open connections; more: 503", integer<&config::max_connections>(1, 65536)},
    {"limits.max_page_size", "ICEMU_MAX_PAGE_SIZE", "--max-page-size", "N",
     "largest page a list answers; lists stay paginated", integer<&config::max_page_size>(1, 100)},
    {"identity.require_principals", "ICEMU_IDENTITY_REQUIRE_PRINCIPALS",
     "--identity-require-principals", "",
     "an assignment whose principal is not in the identity store settles FAILED",
     flag_bool<&config::identity_require_principals>()},
    {"journal.size", "ICEMU_JOURNAL_SIZE", "--journal-size", "N",
     "calls of the surfaces the request journal keeps, 0 for none",
     integer<&config::journal_size>(0, 1000000)},
    {"journal.max_body_bytes", "ICEMU_JOURNAL_MAX_BODY_BYTES", "--journal-max-body-bytes", "N",
     "bytes kept of each journaled body; more: truncated",
     integer<&config::journal_max_body_bytes>(0, mib)},
    {"fixtures", "ICEMU_FIXTURES", "--fixtures", "PATH",
     "JSON file or folder loaded at first start", text<&config::fixtures>()},
    {"aws.region", "ICEMU_AWS_REGION", "--aws-region", "REGION",
     "the primary Region of every instance (ListRegions)", text<&config::aws_region>(aws_region)},
    {"aws.extra_managed_policies", "ICEMU_AWS_EXTRA_MANAGED_POLICIES",
     "--aws-extra-managed-policies", "ARN,...", "AWS managed policies the built-in catalogue lacks",
     list<&config::extra_managed_policies>(managed_policy_arn)},
    {"initial_state.instances", "", "", "",
     "the instances a new store starts with: owner_account_id, and optional instance_id, "
     "identity_store_id and name",
     instances_codec},
    {"faults", "", "", "", "fault rules, kept across resets", faults_codec},
};

template <std::string_view setting::*Name>
setting const* find(std::string_view value) noexcept {
    if (value.empty())
        return nullptr;
    auto const found = std::find_if(std::begin(table), std::end(table),
                                    [&](setting const& s) { return s.*Name == value; });
    return found == std::end(table) ? nullptr : &*found;
}

} // namespace

std::span<setting const> settings() noexcept {
    return table;
}

setting const* setting_by_key(std::string_view key) noexcept {
    return find<&setting::key>(key);
}

setting const* setting_by_env(std::string_view env) noexcept {
    return find<&setting::env>(env);
}

setting const* setting_by_flag(std::string_view flag) noexcept {
    return find<&setting::flag>(flag);
}

std::string text_of(setting const& s, config const& cfg) {
    return s.value.text != nullptr ? s.value.text(s.value, cfg) : s.value.json(s.value, cfg);
}

std::string json_of(setting const& s, config const& cfg) {
    return s.value.json(s.value, cfg);
}

} // namespace icemu::server

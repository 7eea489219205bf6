// The composition root: configuration, store, core, surfaces, server, scheduler and signals.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "api/admin/export.hpp"
#include "api/admin/faults.hpp"
#include "api/admin/fixtures.hpp"
#include "api/admin/state_load.hpp"
#include "api/admin/surface.hpp"
#include "api/auth/credentials.hpp"
#include "api/auth/crypto.hpp"
#include "api/aws/operations.hpp"
#include "api/aws/surface.hpp"
#include "api/core/fixtures.hpp"
#include "api/core/ids.hpp"
#include "api/core/pipeline.hpp"
#include "api/core/service.hpp"
#include "api/huawei/operations.hpp"
#include "api/huawei/surface.hpp"
#include "api/storage_failure.hpp"
#include "server/commit_gate.hpp"
#include "server/config.hpp"
#include "server/health_probe.hpp"
#include "server/journal.hpp"
#include "server/listener.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/scheduler_timer.hpp"
#include "server/session.hpp"
#include "store/database.hpp"
#include "store/error.hpp"

namespace {

namespace net = boost::asio;
using namespace icemu;

// The requests the scheduler timer settles in one slice (one savepoint); it runs slices back to
// back for about a millisecond, then lets the calls that are ready run.
constexpr std::int64_t timer_slice_rows = 16;
// Rows a turn of the timer writes settlements into (store::requests::write_settled): a write is
// an update of a row that neighbours the last one, cheaper than a settlement.
constexpr std::int64_t timer_write_rows = 32;

// The configuration's scheduler mode as the core's (server/ cannot name the core's types).
api::core::scheduler_mode core_mode(server::scheduler_mode mode) {
    switch (mode) {
    case server::scheduler_mode::automatic: return api::core::scheduler_mode::automatic;
    case server::scheduler_mode::polls: return api::core::scheduler_mode::polls;
    case server::scheduler_mode::manual: return api::core::scheduler_mode::manual;
    }
    return api::core::scheduler_mode::automatic;
}

api::core::service_options core_options(server::config const& cfg) {
    api::core::service_options out;
    out.scheduler.mode = core_mode(cfg.scheduler.mode);
    out.scheduler.delay_min_ms = cfg.scheduler.delay_min_ms;
    out.scheduler.delay_max_ms = cfg.scheduler.delay_max_ms;
    out.scheduler.polls = cfg.scheduler.polls;
    out.scheduler.seed = cfg.scheduler.seed;
    for (auto const& i : cfg.instances)
        out.instances.push_back({i.owner_account_id, i.instance_id, i.identity_store_id, i.name});
    out.enforce_tenancy = cfg.auth_mode == server::auth_mode::verify;
    out.max_page_size = cfg.max_page_size;
    out.primary_region = cfg.aws_region;
    // The configuration checked each ARN's form already.
    out.managed_policies = api::core::managed_policy_catalogue(cfg.extra_managed_policies);
    // Each surface adds the operations it answers (both, whichever listen): fault rules name
    // them.
    api::aws::add_operations(out.operations);
    api::huawei::add_operations(out.operations);
    return out;
}

// The verify auth mode's credentials; none in the open mode.
std::optional<api::auth::verifier> verifier_of(server::config const& cfg) {
    if (cfg.auth_mode != server::auth_mode::verify)
        return std::nullopt;
    std::vector<api::auth::credential> list;
    for (auto const& c : cfg.credentials) {
        api::auth::credential item{c.access_key_id, c.secret_access_key, c.account_id, {}};
        if (!c.session_token.empty())
            item.session_token = c.session_token;
        list.push_back(std::move(item));
    }
    return api::auth::verifier(std::move(list));
}

// Written whole under a temporary name, then renamed: a reader never sees half a number.
void write_port_file(std::string const& path, std::uint16_t port) {
    if (path.empty())
        return;
    std::string const tmp = path + ".tmp";
    std::ofstream(tmp) << port << '\n';
    std::rename(tmp.c_str(), path.c_str());
}

// ICEMU_FIXTURES holding a state document: loaded through the same import as PUT /_icemu/state,
// on a new store only (`fresh`: no instance before this start). A load replaces the whole store,
// so "no permission set yet" (the rule of plain fixtures, which only add) would replace a
// running sandbox at every restart once its permission sets were gone.
bool seed_state(api::core::service& svc, api::core::state_snapshot const& state, bool fresh,
                server::config const& cfg, server::logger& log) {
    if (fresh)
        svc.replace_state(state);
    log.event(server::log_level::info,
              fresh ? "fixtures applied" : "fixtures skipped: the store is not new",
              {{"path", cfg.fixtures},
               {"format", "state"},
               {"instances", std::to_string(fresh ? state.instances.size() : 0)},
               {"permission_sets", std::to_string(fresh ? state.permission_sets.size() : 0)},
               {"assignments", std::to_string(fresh ? state.assignments.size() : 0)},
               {"users", std::to_string(fresh ? state.users.size() : 0)},
               {"groups", std::to_string(fresh ? state.groups.size() : 0)},
               {"group_memberships", std::to_string(fresh ? state.memberships.size() : 0)},
               {"requests", std::to_string(fresh ? state.requests.size() : 0)}});
    return true;
}

// ICEMU_FIXTURES: read at every start (a bad file always stops it), applied at first start only.
// False (after one line on stderr) when a file is unreadable or malformed or an item is invalid.
bool seed_fixtures(store::database& db, api::core::service& svc, api::core::clock const& clock,
                   server::config const& cfg, server::logger& log, bool new_store) {
    api::core::fixture_set fixtures;
    api::core::fixture_report done;
    try {
        // A state document (GET /_icemu/state, icemu export) replaces the fresh store whole.
        if (auto const state = api::admin::load_state_fixtures(cfg.fixtures))
            return seed_state(svc, *state, new_store, cfg, log);
        fixtures = api::admin::load_fixtures(cfg.fixtures);
        done = api::core::apply_fixtures(db, fixtures, clock);
    } catch (store::sqlite_error const&) {
        throw;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "icemu: %s\n", e.what());
        return false;
    }
    if (fixtures.empty()) // e.g. the image's empty /docker-entrypoint.d
        return true;
    log.event(server::log_level::info,
              done.applied ? "fixtures applied"
                           : "fixtures skipped: the store already has permission sets",
              {{"path", cfg.fixtures},
               {"instances", std::to_string(done.instances)},
               {"permission_sets", std::to_string(done.permission_sets)},
               {"assignments", std::to_string(done.assignments)},
               {"users", std::to_string(done.users)},
               {"groups", std::to_string(done.groups)},
               {"group_memberships", std::to_string(done.group_memberships)}});
    return true;
}

int serve(server::config const& cfg) {
    server::logger log(cfg.log_level, cfg.log_format == server::log_format::json);
    if (cfg.threads > 1)
        log.event(server::log_level::warn,
                  "icemu serves on one thread; the threads setting is ignored",
                  {{"threads", std::to_string(cfg.threads)}});

    auto options = core_options(cfg);
    try {
        options.faults = api::admin::parse_fault_rules(cfg.faults_json, options.operations);
    } catch (api::admin::rules_error const& e) {
        std::fprintf(stderr, "icemu: faults%s%s: %s\n", cfg.config_file.empty() ? "" : " in ",
                     cfg.config_file.c_str(), e.what());
        return 2;
    }
    store::database_options store_options;
    store_options.path = cfg.db;
    store_options.synchronous_full = cfg.store_synchronous == server::store_synchronous::full;
    store_options.cache_kib = cfg.store_cache_kib;
    store_options.read_only = cfg.store_read_only;
    store_options.max_size_bytes = cfg.store_max_size_mib * 1024 * 1024;
    store_options.mmap_bytes = cfg.store_mmap_mib * 1024 * 1024;
    store::database db(store_options);
    if (store_options.max_size_bytes > 0 && db.max_size_bytes() > store_options.max_size_bytes)
        log.event(server::log_level::warn,
                  "the store is larger than store.max_size_mib already: it may not grow",
                  {{"max_size_mib", std::to_string(cfg.store_max_size_mib)},
                   {"bytes", std::to_string(db.max_size_bytes())}});
    api::core::clock clock;
    api::core::service svc(db, clock, std::move(options));
    if (cfg.store_read_only) {
        log.event(server::log_level::info,
                  "read-only store: no initial state, no fixtures, nothing settles",
                  {{"db", cfg.db}});
    } else {
        bool const new_store =
            svc.instances.list(api::core::page_request{1, std::nullopt}).items.empty();
        svc.instances.ensure_initial_state();
        if (!cfg.fixtures.empty() && !seed_fixtures(db, svc, clock, cfg, log, new_store))
            return 2;
    }
    db.commit();

    // One thread runs the event loop and nothing else calls into it (the checkpointer's thread
    // never touches asio): its scheduler and reactor need no locks.
    net::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE};
    // The lines of one turn of the event loop go out in one write, after that turn's handlers:
    // a write per line cost more than formatting it (perf, under wrk).
    log.defer([&ioc, &log] { net::post(ioc, [&log] { log.flush(); }); });
    // Commits that failed: the scheduler timer backs off after one (its slices would only be
    // rolled back again).
    std::uint64_t failed_commits = 0;
    server::commit_gate gate(
        ioc.get_executor(), [&db] { return db.in_transaction(); },
        [&db, &svc, &failed_commits] {
            try {
                db.commit();
            } catch (store::sqlite_error const& e) {
                ++failed_commits;
                // Requests the batch settled are in flight again: the timer must look again.
                svc.lifecycle.rolled_back();
                // Tells the sessions whose changes were lost why: the store is full, read-only…
                throw server::commit_failure(
                    api::storage_rejection(api::core::storage_error(e.code()).why()), e.what());
            }
        },
        [&log](std::exception_ptr) {
            log.event(server::log_level::error, "commit failed; the batch was rolled back");
        });
    gate.share_reads([&db] { db.begin_read(); }, [&db] { db.end_read(); });
    gate.after_commit([&db] { db.finish_wal(); });
    // Up to 4 more polls while they bring more waiters: under wrk at 32 connections a commit
    // then carries about twice the requests (pwrite 3.1 -> 1.8 and fcntl 1.0 -> 0.4 per
    // request, perf stat) and writes run about 15% faster; 1 connection pays one poll.
    gate.gather(4);
    server::scheduler_timer timer(
        ioc.get_executor(),
        [&svc]() -> std::optional<std::chrono::system_clock::time_point> {
            auto due = svc.lifecycle.next_due_wall_ms();
            if (auto const write = svc.lifecycle.next_write_wall_ms();
                !due || (write && *write < *due))
                due = write;
            if (!due)
                return std::nullopt;
            return std::chrono::system_clock::time_point(std::chrono::milliseconds(*due));
        },
        [&svc, &gate, &failed_commits, seen = std::uint64_t{0}]() mutable {
            // A commit failed since the last slice (the store is full, read-only…): the requests
            // it settled are due again, and settling them again at once would fail the same way
            // with every call's writes in the batch. Fail this turn: the timer backs off.
            if (failed_commits != seen) {
                seen = failed_commits;
                throw std::runtime_error("a commit failed; settling waits before trying again");
            }
            bool more = false;
            try {
                more = svc.lifecycle.settle_due(timer_slice_rows);
                more = svc.lifecycle.write_settled(timer_write_rows) || more;
            } catch (...) {
                gate.flush_soon(); // what a slice released before the failure is committed
                throw;
            }
            gate.flush_soon();
            return more;
        },
        &log);
    svc.lifecycle.on_schedule_changed = [&timer] { timer.poke(); };
    svc.lifecycle.on_settled = [&log](api::core::async_request const& row) {
        if (!log.enabled(server::log_level::info))
            return;
        log.event(server::log_level::info, "settled",
                  {{"request_id", api::core::format_uuid(row.id)},
                   {"kind", api::core::to_string(row.kind)},
                   {"status", api::core::to_string(row.status)},
                   {"failure_reason", row.failure_reason.value_or("")}});
    };

    auto const keys = verifier_of(cfg);
    api::auth::verifier const* verify = keys ? &*keys : nullptr;
    api::core::identity_store identity(db, clock, cfg.max_page_size);
    if (cfg.identity_require_principals)
        svc.assignments.check_principal = [&identity](std::string_view instance,
                                                      std::string_view type, std::string_view id) {
            return identity.missing_principal(instance, type, id);
        };
    svc.apps.check_principal = svc.assignments.check_principal;
    api::aws::surface aws(svc, cfg.default_account_id, verify, &identity);
    api::huawei::surface huawei(svc, verify, &identity);
    server::metrics stats;
    server::journal calls(static_cast<std::size_t>(cfg.journal_size),
                          static_cast<std::size_t>(cfg.journal_max_body_bytes),
                          [&clock] { return clock.offset_ms(); });
    auto append_metrics = [&stats](std::string& out) { stats.render(out); };
    api::admin::admin_options admin_options{ICEMU_VERSION,  cfg.db,          {"aws", "huawei"},
                                            append_metrics, cfg.admin_token, false,
                                            &calls,         &identity};
    api::admin::surface admin(svc, admin_options);
    // With an admin listener of its own, the main one keeps /_icemu/health (health checks ask
    // the main address) and answers the rest of /_icemu/ with 404.
    bool const separate_admin = !cfg.admin_listen_host.empty();
    admin_options.health_only = true;
    api::admin::surface health_only(svc, admin_options);
    server::router routes(separate_admin ? health_only : admin, aws, huawei);
    server::session_limits const limits{
        .max_body_bytes = cfg.max_body_bytes,
        .idle_timeout = cfg.idle_timeout,
        .max_header_bytes = cfg.max_header_bytes,
        .request_timeout = cfg.request_timeout,
        .max_connections = static_cast<std::size_t>(cfg.max_connections),
    };
    // Every connection, those answered 503 beyond the limit, the store and the listeners.
    auto const wanted_files =
        static_cast<std::uint64_t>(cfg.max_connections) + server::max_refused_connections + 64;
    if (auto const files = server::raise_open_files_limit(wanted_files); files < wanted_files)
        log.event(server::log_level::warn,
                  "the open files limit is below what limits.max_connections needs",
                  {{"max_connections", std::to_string(cfg.max_connections)},
                   {"open_files", std::to_string(files)}});
    server::http_server http(ioc, routes, gate, log, limits, &stats, &calls);
    // The admin listener has the main one's limits.
    server::router const admin_routes = server::router::admin_only(admin);
    std::optional<server::http_server> admin_http;
    if (separate_admin)
        admin_http.emplace(ioc, admin_routes, gate, log, limits, &stats, &calls);

    std::uint16_t port = 0;
    std::uint16_t admin_port = 0;
    try {
        port = http.listen(cfg.listen_host, cfg.listen_port);
        if (admin_http)
            admin_port = admin_http->listen(cfg.admin_listen_host, cfg.admin_listen_port);
    } catch (std::exception const& e) {
        log.event(server::log_level::error, "cannot listen", {{"error", e.what()}});
        return 1;
    }
    // Requests that fell due while icemu was stopped are settled before it takes a call (later,
    // calls go first and a backlog settles in slices between them).
    if (!cfg.store_read_only) {
        try {
            svc.lifecycle.settle_due();
            if (db.in_transaction())
                db.commit();
        } catch (store::sqlite_error const& e) {
            svc.lifecycle.rolled_back(); // the timer tries again, with its back-off
            log.event(server::log_level::error, "settling overdue requests failed",
                      {{"error", e.what()}});
        }
    }
    write_port_file(cfg.port_file, port);
    write_port_file(cfg.admin_port_file, admin_port);
    http.start();
    if (admin_http)
        admin_http->start();
    if (!cfg.store_read_only)
        timer.start();

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int signal) {
        if (ec)
            return;
        log.event(server::log_level::info, "stopping", {{"signal", std::to_string(signal)}});
        timer.stop();
        // The final commit waits for both listeners' requests in flight.
        auto draining = std::make_shared<int>(admin_http ? 2 : 1);
        auto drained = [&, draining] {
            if (--*draining > 0)
                return;
            // The settlements not yet written into their rows: a store left at rest holds none
            // (after a crash, or if this fails, the next start reads them back).
            try {
                if (!cfg.store_read_only)
                    svc.lifecycle.write_settled(std::numeric_limits<std::int64_t>::max(), true);
            } catch (std::exception const& e) {
                log.event(server::log_level::warn, "writing the settlements into their rows failed",
                          {{"error", e.what()}});
            }
            try {
                db.commit();
            } catch (std::exception const& e) {
                log.event(server::log_level::error, "final commit failed", {{"error", e.what()}});
            }
        };
        http.stop(drained);
        if (admin_http)
            admin_http->stop(drained);
    });
    log.event(
        server::log_level::info, "listening",
        {{"address", cfg.listen_host + ":" + std::to_string(port)},
         {"admin_address", admin_http ? cfg.admin_listen_host + ":" + std::to_string(admin_port)
                                      : "(the main address)"},
         {"auth", server::to_string(cfg.auth_mode)},
         {"db", cfg.db},
         {"version", ICEMU_VERSION}});
    ioc.run();
    db.commit();
    log.event(server::log_level::info, "stopped");
    return 0;
}

// `icemu export --db FILE`: the state document on stdout, or the reason on stderr and 1.
int export_state(server::config const& cfg) {
    auto const& path = cfg.db;
    try {
        auto const document = api::admin::export_state(path, core_options(cfg));
        std::fwrite(document.data(), 1, document.size(), stdout);
        std::fputc('\n', stdout);
        return std::fflush(stdout) == 0 ? 0 : 1;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "icemu: export: store %s: %s\n", path.c_str(), e.what());
        return 1;
    }
}

} // namespace

int main(int argc, char** argv, char** envp) {
    api::auth::init_crypto();
    server::startup start;
    try {
        start = server::load_config(argc, argv, envp);
    } catch (server::config_error const& e) {
        std::fprintf(stderr, "icemu: %s\n", e.what());
        return 2;
    }
    switch (start.cmd) {
    case server::command::help: std::cout << server::usage(); return 0;
    case server::command::version: std::cout << "icemu " << ICEMU_VERSION << '\n'; return 0;
    case server::command::healthcheck:
        return server::probe_health(start.cfg.listen_host, start.cfg.listen_port,
                                    std::chrono::milliseconds(2000));
    case server::command::export_state: return export_state(start.cfg);
    case server::command::serve: break;
    }
    try {
        return serve(start.cfg);
    } catch (store::unusable_store const& e) {
        std::fprintf(stderr, "icemu: store %s%s: %s\n", start.cfg.db.c_str(),
                     start.cfg.store_read_only ? " (store.read_only)" : "", e.what());
        return 2;
    } catch (store::sqlite_error const& e) {
        std::fprintf(stderr, "icemu: store %s%s: %s\n", start.cfg.db.c_str(),
                     start.cfg.store_read_only ? " (store.read_only)" : "", e.what());
        return start.cfg.store_read_only && e.code() == SQLITE_CANTOPEN ? 2 : 1;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "icemu: %s\n", e.what());
        return 1;
    }
}

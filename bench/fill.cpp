// icemu_fill: fills an icemu database with settled requests through the store, not the HTTP path,
// for the scale benchmark (bench/compare.sh --scale). Opens (creating and migrating) the file,
// ensures the default initial state, creates one permission set and inserts N requests in
// transactions of --batch rows. Every --assignment-every-th request is an assignment creation,
// the others provisioning requests (so ListPermissionSetProvisioningStatus has deep pages).
// Writes an evenly spaced sample of the ids of each kind to files, one id a line, for wrk.
//
//   icemu_fill --db PATH --requests N [--samples K] [--provision-ids FILE]
//              [--assignment-ids FILE] [--batch B] [--assignment-every E] [--cache-kib C]
//
// Prints one JSON line: {"instance_id":..,"permission_set_id":..,"requests":..,"seconds":..}.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "api/core/clock.hpp"
#include "api/core/ids.hpp"
#include "api/core/service.hpp"
#include "store/database.hpp"
#include "store/requests.hpp"

namespace {

using namespace icemu;

struct options {
    std::string db;
    std::int64_t requests = 1000;
    std::int64_t samples = 1000;
    std::int64_t batch = 10000;
    std::int64_t assignment_every = 10;
    std::int64_t cache_kib = 131072;
    std::string provision_ids;
    std::string assignment_ids;
};

[[noreturn]] void usage_error(std::string const& what) {
    throw std::invalid_argument(what +
                                "\nusage: icemu_fill --db PATH --requests N [--samples K] "
                                "[--provision-ids FILE] [--assignment-ids FILE] "
                                "[--batch B] [--assignment-every E] [--cache-kib C]");
}

std::int64_t positive(std::string_view flag, std::string const& text) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (std::exception const&) {
        usage_error(std::string(flag) + ": not a number: " + text);
    }
    if (used != text.size() || value < 1)
        usage_error(std::string(flag) + ": expected a positive integer, got " + text);
    return value;
}

options parse(int argc, char** argv) {
    options o;
    std::vector<std::string> const args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string const& flag = args[i];
        if (flag == "--help" || flag == "-h")
            usage_error("icemu_fill: bulk loader for the scale benchmark");
        if (i + 1 >= args.size())
            usage_error(flag + ": missing value");
        std::string const& value = args[++i];
        if (flag == "--db")
            o.db = value;
        else if (flag == "--requests")
            o.requests = positive(flag, value);
        else if (flag == "--samples")
            o.samples = positive(flag, value);
        else if (flag == "--batch")
            o.batch = positive(flag, value);
        else if (flag == "--assignment-every")
            o.assignment_every = positive(flag, value);
        else if (flag == "--cache-kib")
            o.cache_kib = positive(flag, value);
        else if (flag == "--provision-ids")
            o.provision_ids = value;
        else if (flag == "--assignment-ids")
            o.assignment_ids = value;
        else
            usage_error("unknown flag " + flag);
    }
    if (o.db.empty())
        usage_error("--db is required");
    return o;
}

std::string account_of(std::int64_t n) {
    char text[16];
    std::snprintf(text, sizeof text, "%012lld", static_cast<long long>(n % 1000000000000LL));
    return text;
}

/// Keeps every stride-th id of one kind, up to `limit` of them.
struct sampler {
    std::int64_t stride = 1;
    std::int64_t limit = 0;
    std::int64_t seen = 0;
    std::vector<api::core::request_id> ids;

    sampler(std::int64_t total, std::int64_t wanted) : limit(wanted) {
        stride = total > wanted ? total / wanted : 1;
    }
    void offer(api::core::request_id const& id) {
        if (seen++ % stride == 0 && static_cast<std::int64_t>(ids.size()) < limit)
            ids.push_back(id);
    }
    void write(std::string const& path) const {
        if (path.empty())
            return;
        std::ofstream out(path, std::ios::trunc);
        for (auto const& id : ids)
            out << api::core::format_uuid(id) << '\n';
        if (!out)
            throw std::runtime_error("cannot write " + path);
    }
};

int run(options const& o) {
    auto const started = std::chrono::steady_clock::now();
    store::database_options db_options;
    db_options.path = o.db;
    db_options.cache_kib = o.cache_kib;
    store::database db(db_options);
    api::core::clock clock;
    api::core::service_options svc_options;
    svc_options.scheduler.mode = api::core::scheduler_mode::manual;
    svc_options.instances.push_back({"123456789012", "", "", ""});
    api::core::service svc(db, clock, svc_options);
    svc.instances.ensure_initial_state();
    db.commit();

    auto const instances = svc.instances.list({1, std::nullopt});
    if (instances.items.empty())
        throw std::runtime_error("no instance after ensure_initial_state");
    std::string const instance_id = instances.items.front().id;

    api::core::permission_set_input input;
    input.name = "bench-fill-" + std::to_string(clock.now_ms());
    auto const ps = svc.permission_sets.create(instance_id, input);
    db.commit();

    std::int64_t const assignments = o.requests / o.assignment_every;
    sampler provisions(o.requests - assignments, o.samples);
    sampler creations(assignments, o.samples);

    store::requests table(db);
    api::core::id_source ids;
    std::int64_t const base_ms = clock.now_ms() - o.requests; // one ms apart, oldest first
    for (std::int64_t i = 0; i < o.requests; ++i) {
        if (i % o.batch == 0) {
            db.commit();
            db.begin();
        }
        store::request_row row;
        row.id = ids.request_uuid();
        row.status = store::request_status::succeeded;
        row.instance_id = instance_id;
        row.permission_set_id = ps.id;
        row.account_id = account_of(100000000000LL + i);
        row.created_ms = base_ms + i;
        row.settle_by = store::settle_mode::manual;
        row.planned_status = store::request_status::succeeded;
        row.surface = "aws";
        bool const assignment = (i + 1) % o.assignment_every == 0;
        if (assignment) {
            row.kind = store::request_kind::assignment_create;
            row.principal_type = "USER";
            row.principal_id = "9067639464-" + api::core::format_uuid(ids.uuid());
            creations.offer(row.id);
        } else {
            row.kind = store::request_kind::provision;
            provisions.offer(row.id);
        }
        table.insert(row);
    }
    db.commit();
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

    provisions.write(o.provision_ids);
    creations.write(o.assignment_ids);
    double const seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf(
        "{\"instance_id\":\"%s\",\"permission_set_id\":\"%s\",\"requests\":%lld,"
        "\"provision_samples\":%zu,\"assignment_samples\":%zu,\"seconds\":%.2f}\n",
        instance_id.c_str(), ps.id.c_str(), static_cast<long long>(o.requests),
        provisions.ids.size(), creations.ids.size(), seconds);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (std::invalid_argument const& e) {
        std::cerr << "icemu_fill: " << e.what() << '\n';
        return 2;
    } catch (std::exception const& e) {
        std::cerr << "icemu_fill: " << e.what() << '\n';
        return 1;
    }
}

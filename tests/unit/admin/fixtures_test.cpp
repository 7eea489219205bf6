#include "api/admin/fixtures.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tests/support/memory_db.hpp"

namespace {

namespace admin = icemu::api::admin;
using icemu::test::temp_dir;

void write(std::filesystem::path const& file, std::string const& text) {
    std::ofstream(file) << text;
}

std::string failure(std::string const& path) {
    try {
        admin::load_fixtures(path);
    } catch (std::runtime_error const& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("fixtures load every item of a file with its origin", "[admin]") {
    temp_dir dir;
    auto const file = (dir.path() / "seed.json").string();
    write(file, R"({"instances": [{"owner_account_id": "210987654321", "name": "second"}],
        "permission_sets": [{"name": "ReadOnly", "description": "d", "session_duration": "PT12H",
                             "relay_state": "https://x"},
                            {"owner_account_id": "210987654321", "name": "Admins"}],
        "assignments": [{"permission_set": "ReadOnly", "account_id": "111122223333",
                         "principal_type": "GROUP", "principal_id": "a-b-c"}]})");
    auto const f = admin::load_fixtures(file);
    REQUIRE(f.instances.size() == 1);
    CHECK(f.instances[0].owner_account_id == "210987654321");
    CHECK(f.instances[0].name == "second");
    REQUIRE(f.permission_sets.size() == 2);
    CHECK(f.permission_sets[0].origin == file + ": permission_sets[0]");
    CHECK_FALSE(f.permission_sets[0].owner_account_id);
    CHECK(f.permission_sets[0].session_duration == "PT12H");
    CHECK(f.permission_sets[1].owner_account_id == "210987654321");
    CHECK_FALSE(f.permission_sets[1].description);
    REQUIRE(f.assignments.size() == 1);
    CHECK(f.assignments[0].principal_type == "GROUP");
}

TEST_CASE("fixtures from a folder are read in name order, json files only", "[admin]") {
    temp_dir dir;
    write(dir.path() / "20-b.json", R"({"permission_sets": [{"name": "B"}]})");
    write(dir.path() / "10-a.json", R"({"permission_sets": [{"name": "A"}]})");
    write(dir.path() / "README.md", "not json");
    write(dir.path() / ".hidden.json", "not json");
    auto const f = admin::load_fixtures(dir.path().string());
    REQUIRE(f.permission_sets.size() == 2);
    CHECK(f.permission_sets[0].name == "A");
    CHECK(f.permission_sets[1].name == "B");

    SECTION("a missing folder or an empty path is an empty set") {
        CHECK(admin::load_fixtures((dir.path() / "absent").string()).empty());
        CHECK(admin::load_fixtures("").empty());
    }
}

TEST_CASE("fixtures that cannot be used stop with one line naming the file and field", "[admin]") {
    temp_dir dir;
    auto const file = (dir.path() / "bad.json").string();

    SECTION("a missing .json file") {
        CHECK(failure(file) == "fixtures " + file + ": no such file");
    }
    SECTION("not JSON") {
        write(file, "{\n  \"instances\": [,]\n}");
        CHECK(failure(file) == "fixtures " + file + ": not valid JSON: Invalid value. (line 2)");
    }
    SECTION("an unknown top-level key") {
        write(file, R"({"instance": []})");
        CHECK(failure(file) == "fixtures " + file +
                                   ": instance: unknown key (expected instances, permission_sets, "
                                   "assignments, users, groups, group_memberships)");
    }
    SECTION("an unknown item key") {
        write(file, R"({"permission_sets": [{"name": "A", "Name": "B"}]})");
        CHECK(failure(file) == "fixtures " + file + ": permission_sets[0].Name: unknown key");
    }
    SECTION("a missing required field") {
        write(file, R"({"assignments": [{"permission_set": "A", "account_id": "111122223333",
                       "principal_type": "USER"}]})");
        CHECK(failure(file) == "fixtures " + file + ": assignments[0].principal_id: is required");
    }
    SECTION("a bad value") {
        write(file, R"({"instances": [{"owner_account_id": "1234"}]})");
        CHECK(failure(file) ==
              "fixtures " + file + ": instances[0].owner_account_id: '1234' must be 12 digits");
    }
    SECTION("a bad duration") {
        write(file, R"({"permission_sets": [{"name": "A", "session_duration": "1h"}]})");
        CHECK(failure(file) == "fixtures " + file +
                                   ": permission_sets[0].session_duration: '1h' must be an ISO "
                                   "8601 duration such as PT1H or PT12H");
    }
    SECTION("a list that is not an array") {
        write(file, R"({"assignments": {}})");
        CHECK(failure(file) == "fixtures " + file + ": assignments: must be an array");
    }
}

TEST_CASE("fixtures nested 1000000 deep are refused, not a stack overflow", "[admin]") {
    temp_dir dir;
    auto const file = (dir.path() / "deep.json").string();
    write(file, std::string(1000000, '['));
    CHECK(failure(file) == "fixtures " + file + ": not valid JSON: Invalid value. (line 1)");
}

// The configuration loader: the JSON text of a configuration file over the defaults (as
// `--config FILE`), then, after a NUL byte, NUL-separated flags and `ICEMU_*=value` variables
// as load_config reads them from argv and the environment, then the fault rules the way main()
// parses them. config_error and rules_error are the documented refusals; anything else that
// escapes is a bug (libFuzzer reports the uncaught exception).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/admin/faults.hpp"
#include "api/aws/operations.hpp"
#include "api/huawei/operations.hpp"
#include "server/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view input(reinterpret_cast<char const*>(data), size);
    auto const nul = input.find('\0');
    std::string_view const text = input.substr(0, nul);

    icemu::server::config cfg;
    try {
        icemu::server::apply_config_text(cfg, text, "fuzz.json");
    } catch (icemu::server::config_error const&) {
    }

    if (nul != std::string_view::npos) {
        // argv and envp from the rest; --config is left out so that no file is ever read.
        std::vector<std::string> words;
        auto rest = input.substr(nul + 1);
        while (words.size() < 16) {
            auto const end = rest.find('\0');
            words.emplace_back(rest.substr(0, end));
            if (end == std::string_view::npos)
                break;
            rest.remove_prefix(end + 1);
        }
        std::vector<char const*> argv{"icemu"};
        std::vector<char const*> envp;
        for (auto const& w : words) {
            if (w.starts_with("--config") || w.starts_with("ICEMU_CONFIG"))
                continue;
            (w.starts_with("ICEMU_") ? envp : argv).push_back(w.c_str());
        }
        argv.push_back(nullptr);
        envp.push_back(nullptr);
        try {
            auto const start = icemu::server::load_config(static_cast<int>(argv.size() - 1),
                                                          argv.data(), envp.data());
            (void)start;
        } catch (icemu::server::config_error const&) {
        }
    }

    try {
        icemu::api::core::operation_catalogue operations; // as main() fills it
        icemu::api::aws::add_operations(operations);
        icemu::api::huawei::add_operations(operations);
        (void)icemu::api::admin::parse_fault_rules(cfg.faults_json, operations);
    } catch (icemu::api::admin::rules_error const&) {
    }
    return 0;
}

#!/usr/bin/env bash
# Runs the release binary under valgrind (memcheck: invalid reads and writes, uninitialised
# values, definite leaks) while integration tests drive it: test_aws_workflow, test_bad_input
# and test_huawei_raw (tests/integration) by default, or the modules named. Each icemu the tests
# start runs as `valgrind ... icemu ...` (the harness's ICEMU_WRAPPER) and must exit 0 after SIGTERM,
# which it cannot when valgrind found an error (--error-exitcode=1). Prints the time taken.
#
#   scripts/valgrind.sh [MODULE...]        # e.g. scripts/valgrind.sh test_aws_workflow test_faults
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

icemu_install_deps --test --valgrind
if [[ ! -x build/release/bin/icemu ]]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target icemu
fi

modules=("$@")
[[ ${#modules[@]} -gt 0 ]] || modules=(test_aws_workflow test_bad_input test_huawei_raw)

export ICEMU_BIN="$ICEMU_ROOT/build/release/bin/icemu"
# Leaks: only definite ones fail (the process exits through main, which frees what it owns).
export ICEMU_WRAPPER="valgrind --quiet --error-exitcode=1 --leak-check=full \
--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes"
export ICEMU_START_TIMEOUT_S=120 ICEMU_STOP_TIMEOUT_S=120
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

start="$(icemu_now)"
(cd tests/integration && python3 -m unittest -v "${modules[@]}")
end="$(icemu_now)"
icemu_log "valgrind: ${modules[*]} passed under memcheck in $(awk -v a="$start" -v b="$end" \
    'BEGIN { printf "%.1f", b - a }') s"

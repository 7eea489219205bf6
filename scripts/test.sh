#!/usr/bin/env bash
# Install what is missing, then run the whole suite: the release workflow (unit + every
# integration test), then the sanitizer build (ASan + UBSan, leak detection) on the unit tests and
# the integration tests labelled `asan` (all of them, the AWS CLI ones included),
# then the Docker image (scripts/container-smoke.sh: built with docker or podman, its size, health,
# non-root, a boto3 and a Huawei smoke, SIGTERM to PID 1),
# then the libFuzzer targets for 20 s each (scripts/fuzz.sh), then three integration modules
# against the release binary under valgrind (scripts/valgrind.sh).
# Stops at the first failing stage, names it, and exits non-zero. Works from any cwd.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

icemu_finish() {
    local rc=$?
    icemu_summary
    if [[ $rc -ne 0 ]]; then
        echo "==> FAILED at stage: ${ICEMU_FAILED_STAGE:-(outside a stage)} (status $rc)" >&2
    else
        echo "==> all stages passed"
    fi
    exit "$rc"
}
trap icemu_finish EXIT

stage deps icemu_install_deps --test
# The Huawei integration tests' npm client, exactly as tests/huawei/package-lock.json pins it.
stage npm-ci npm ci --prefix tests/huawei --no-audit --no-fund
stage npm-ci-aws npm ci --prefix tests/aws-js --no-audit --no-fund
stage npm-ci-console npm ci --prefix tests/console --no-audit --no-fund
# The Node helper's development dependencies (its tests' AWS and Huawei clients, tsc).
stage npm-ci-node-helper npm ci --prefix clients/node --no-audit --no-fund
stage release cmake --workflow --preset release
stage debug-configure cmake --preset debug
stage debug-build cmake --build --preset debug
stage debug-test ctest --preset debug -L 'unit|asan'
stage container bash scripts/container-smoke.sh
stage fuzz bash scripts/fuzz.sh 20
stage valgrind bash scripts/valgrind.sh

#!/usr/bin/env bash
# The Docker image check: builds docker/Dockerfile without a Docker engine, starts the image, waits
# for /_icemu/health, runs the image's HEALTHCHECK inside it, then drives it with
# tests/integration/container_smoke.py (boto3; the fixture docker/fixtures/example.json is loaded
# through ICEMU_FIXTURES) and tests/huawei/container_smoke.mjs (the Huawei npm client; needs
# `npm ci --prefix tests/huawei` first, as scripts/test.sh does). The building and running is
# ../shared/tools/container-smoke's work (podman + buildah, as root); this script passes the smoke
# commands and prints the image size the tool measured.
# Arguments go to the tool (e.g. --tag, --port). Works from any cwd.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

tool=../shared/tools/container-smoke
if [[ ! -x "$tool" ]]; then
    echo "error: $tool (relative to $ICEMU_ROOT) is missing or not executable:" \
        "the container check needs it" >&2
    exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
"$tool" --env ICEMU_FIXTURES=/usr/local/share/icemu/fixtures/example.json "$@" \
    -- bash -c 'python3 tests/integration/container_smoke.py && node tests/huawei/container_smoke.mjs' \
    2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

size="$(sed -n 's/^container-smoke: \(built in .*\)$/\1/p' "$log")"
icemu_log "image: ${size:-size not measured (the build did not finish)}"
exit "$rc"

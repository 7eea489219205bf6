#!/usr/bin/env bash
# Install what is missing, build the release binary, and start icemu from the repository root
# (so conf/icemu.json is found; default listen 127.0.0.1:4577, database ./icemu.db).
# Arguments are passed to icemu, e.g. `scripts/run.sh --listen 0.0.0.0:4577`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

stage deps icemu_install_deps
stage configure cmake --preset release
stage build cmake --build --preset release --target icemu

exec build/release/bin/icemu "$@"

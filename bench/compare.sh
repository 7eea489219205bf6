#!/usr/bin/env bash
# icemu's benchmark: one command. Installs wrk and nginx when missing (Debian packages), builds
# icemu's release preset (icemu and icemu_fill) when needed, then runs bench/compare.py, which
# starts and stops icemu (as shipped: info logs, the auto scheduler, so writes settle during the
# run), nginx (one worker, icemu's own answer as a fixed body) and moto_server (when on PATH)
# itself, runs wrk (one thread on a machine of two cores) against them in turn and prints the
# tables, the ratios and the budgets. The huawei-* workloads make the same calls on the Huawei
# Cloud surface (/v1/...) and run against icemu and nginx only (moto has no Huawei API).
#
#   bench/compare.sh                       every workload at 32 connections, 5 s, medians of 3 rounds
#   bench/compare.sh --quick               2 s runs, 1 round (a check of the harness, not a result)
#   bench/compare.sh --scale               1,000 vs 1,000,000 stored requests, cold start, RssAnon
#   bench/compare.sh --connections 1,32,256 --workloads read-assignment,write-provision
#   bench/compare.sh --quick --workloads huawei     the Huawei workloads only (aws: the AWS ones)
#   bench/compare.sh --icemu-arg=--log-level=warn   icemu not as shipped (every table says so)
#
# Environment: ICEMU_BIN / ICEMU_FILL_BIN use prebuilt binaries (no build); ICEMU_BENCH_PRESET
# picks another configure/build preset (release). Run `bench/compare.sh --help` for every option.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

say() { printf '==> %s\n' "$*" >&2; }

for arg in "$@"; do
    if [[ $arg == -h || $arg == --help ]]; then
        exec python3 bench/compare.py --icemu - --fill - --help
    fi
done

# Tools of the benchmark itself.
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    icemu_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    icemu_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

# boto3 prepares the targets' state through the API.
python=python3
if ! python3 -c 'import boto3' >/dev/null 2>&1; then
    if ! /usr/bin/python3 -c 'import boto3' >/dev/null 2>&1; then
        say "installing python3-boto3"
        icemu_as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        icemu_as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends python3 python3-boto3
    fi
    python=/usr/bin/python3
fi
if ! command -v moto_server >/dev/null 2>&1; then
    say "moto_server is not on PATH (pip install 'moto[server]' provides it): moto is skipped"
fi

# icemu, release preset, built only when something changed (ninja decides).
preset="${ICEMU_BENCH_PRESET:-release}"
if [[ -n ${ICEMU_BIN:-} ]]; then
    icemu_bin="$ICEMU_BIN"
    fill_bin="${ICEMU_FILL_BIN:-$(dirname "$ICEMU_BIN")/icemu_fill}"
else
    # shellcheck disable=SC2119 # no --test: the build packages only
    icemu_install_deps >&2
    if [[ ! -f build/$preset/CMakeCache.txt ]]; then
        cmake --preset "$preset" >&2
    fi
    say "building icemu and icemu_fill ($preset preset)"
    cmake --build --preset "$preset" --target icemu icemu_fill >&2
    icemu_bin="build/$preset/bin/icemu"
    fill_bin="build/$preset/bin/icemu_fill"
fi

exec "$python" bench/compare.py --icemu "$icemu_bin" --fill "$fill_bin" --nginx "$nginx_bin" "$@"

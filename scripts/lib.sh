# shellcheck shell=bash
# Shared helpers for scripts/run.sh and scripts/test.sh. Source it; it defines functions only
# (and ICEMU_ROOT), it runs nothing.
#
#   icemu_cd_root             cd to the repository root (works from any cwd)
#   icemu_install_deps [--test] [--fuzz] [--valgrind]
#                             install the Debian packages the build needs (and, with --test, the
#                             test clients; --fuzz: clang and libFuzzer for scripts/fuzz.sh;
#                             --valgrind: valgrind) when missing; idempotent; root or sudo
#   stage NAME CMD [ARG...]   run CMD as one timed stage under `set -e`; prints
#                             "==> stage NAME: 12.3 s"; on failure prints which stage failed
#                             and returns its status. Call it as a plain command (never after
#                             `if`, `||` or `&&`): bash ignores `set -e` inside such contexts.
#   icemu_summary             print the table of the stages run so far

ICEMU_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Build dependencies (Debian 12 packages). libboost1.81-dev conflicts with
# libboost1.74-dev: apt removes the latter if it is installed.
ICEMU_BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libsqlite3-dev
    rapidjson-dev catch2 libssl-dev libpcre2-dev)

# The pytest plugin's tests (clients/python/tests/run-in-venv.sh): a venv on /usr/bin/python3
# that sees Debian's pytest and boto3, the plugin built by Debian's setuptools; YAML for the docs'
# CI example.
ICEMU_PYTEST_PLUGIN_PACKAGES=(python3 python3-venv python3-pip python3-setuptools python3-wheel
    python3-pytest python3-boto3 python3-yaml)

# The fuzz targets (scripts/fuzz.sh): clang with its libFuzzer and sanitizer runtimes.
ICEMU_FUZZ_PACKAGES=(clang libclang-rt-14-dev)
# scripts/valgrind.sh.
ICEMU_VALGRIND_PACKAGES=(valgrind)

icemu_cd_root() {
    cd "$ICEMU_ROOT"
}

icemu_log() {
    printf '==> %s\n' "$*"
}

# True when the Debian package is installed (not merely known or removed with its config kept).
icemu_pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Runs a command as root: directly when we are root, else through sudo.
icemu_as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
        return
    fi
    if ! command -v sudo >/dev/null 2>&1; then
        echo "error: need root or sudo to run: $*" >&2
        return 1
    fi
    sudo "$@"
}

icemu_install_deps() {
    local with_test=0 extra=() opt
    for opt in "$@"; do
        case "$opt" in
        --test) with_test=1 ;;
        --fuzz) extra+=("${ICEMU_FUZZ_PACKAGES[@]}") ;;
        --valgrind) extra+=("${ICEMU_VALGRIND_PACKAGES[@]}") ;;
        *)
            echo "icemu_install_deps: unknown option '$opt' (expected --test, --fuzz, --valgrind)" >&2
            return 2
            ;;
        esac
    done

    local missing=() pkg
    for pkg in "${ICEMU_BUILD_PACKAGES[@]}" "${extra[@]}"; do
        icemu_pkg_installed "$pkg" || missing+=("$pkg")
    done

    if [[ $with_test -eq 1 ]]; then
        # The clients may come from elsewhere (pyenv, pip, nodesource): ask for the tool, and
        # install the Debian package only when the tool itself is missing.
        if ! command -v python3 >/dev/null 2>&1; then
            missing+=(python3 python3-boto3)
        elif ! python3 -c 'import boto3' >/dev/null 2>&1; then
            missing+=(python3-boto3)
        fi
        # The pytest plugin's tests (clients/python) run on Debian's own interpreter, whatever
        # python3 comes first on PATH: its packages, not the tool, are what they need.
        for pkg in "${ICEMU_PYTEST_PLUGIN_PACKAGES[@]}"; do
            icemu_pkg_installed "$pkg" || missing+=("$pkg")
        done
        command -v aws >/dev/null 2>&1 || missing+=(awscli)
        command -v node >/dev/null 2>&1 || missing+=(nodejs)
        command -v npm >/dev/null 2>&1 || missing+=(npm)
        # The console's test drives Debian's chromium headless (playwright-core downloads none).
        [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    fi

    if [[ ${#missing[@]} -eq 0 ]]; then
        icemu_log "dependencies: all present"
        return 0
    fi

    icemu_log "dependencies: installing ${missing[*]}"
    icemu_as_root env DEBIAN_FRONTEND=noninteractive apt-get update || return
    icemu_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}" || return

    if [[ $with_test -eq 1 ]] && ! python3 -c 'import boto3' >/dev/null 2>&1; then
        # A python3 earlier on PATH (pyenv, a venv) does not see Debian's dist-packages.
        echo "error: python3 ($(command -v python3)) still cannot import boto3;" \
            "put /usr/bin first on PATH or install boto3 for that interpreter" >&2
        return 1
    fi
}

ICEMU_STAGE_NAMES=()
ICEMU_STAGE_TIMES=()
ICEMU_STAGE_RESULTS=()
# shellcheck disable=SC2034 # read by the caller (scripts/test.sh)
ICEMU_FAILED_STAGE=""

icemu_now() {
    if [[ -n "${EPOCHREALTIME:-}" ]]; then
        printf '%s' "${EPOCHREALTIME/,/.}" # some locales print a decimal comma
        return
    fi
    date +%s.%N
}

stage() {
    local name="$1"
    shift
    local start end elapsed rc
    icemu_log "stage $name: $*"
    start="$(icemu_now)"
    # A subshell outside any `if`/`||` context, so that `set -e` holds inside shell functions too.
    set +e
    (
        set -euo pipefail
        "$@"
    )
    rc=$?
    set -e
    end="$(icemu_now)"
    elapsed="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
    ICEMU_STAGE_NAMES+=("$name")
    ICEMU_STAGE_TIMES+=("$elapsed")
    if [[ $rc -eq 0 ]]; then
        ICEMU_STAGE_RESULTS+=("ok")
        icemu_log "stage $name: $elapsed s"
        return 0
    fi
    ICEMU_STAGE_RESULTS+=("FAILED ($rc)")
    # shellcheck disable=SC2034 # read by the caller
    ICEMU_FAILED_STAGE="$name"
    icemu_log "stage $name: FAILED with status $rc after $elapsed s"
    return "$rc"
}

icemu_summary() {
    local i total=0
    printf '\n%-24s %10s  %s\n' "stage" "seconds" "result"
    printf '%-24s %10s  %s\n' "------------------------" "----------" "------"
    for i in "${!ICEMU_STAGE_NAMES[@]}"; do
        printf '%-24s %10s  %s\n' "${ICEMU_STAGE_NAMES[$i]}" "${ICEMU_STAGE_TIMES[$i]}" \
            "${ICEMU_STAGE_RESULTS[$i]}"
        total="$(awk -v a="$total" -v b="${ICEMU_STAGE_TIMES[$i]}" 'BEGIN { printf "%.1f", a + b }')"
    done
    printf '%-24s %10s\n' "total" "$total"
}

#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and runs each one for
# SECONDS (default 20) on a fresh copy of its seed corpus (fuzz/corpus/NAME, plus the kept
# crashers of fuzz/regressions/NAME), so the committed corpus never grows. Fails on any crash,
# leak, timeout (-timeout=5) or memory blow-up (-rss_limit_mb=1024) and prints the reproducer.
# Prints runs, exec/s, coverage (cov = edges, ft = features) and corpus size per target.
#
#   scripts/fuzz.sh [SECONDS] [NAME...]     # NAME: http aws huawei config fixtures (default: all)
#   ICEMU_FUZZ_KEEP=1 scripts/fuzz.sh ...   # keep the working directory (grown corpora, logs)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

seconds="${1:-20}"
if [[ $# -gt 0 ]]; then
    shift
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [[ "$seconds" -lt 1 ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [NAME...]" >&2
    exit 2
fi

icemu_install_deps --fuzz
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

bin="build/fuzz/bin"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    for dir in fuzz/corpus/*/; do
        name="$(basename "$dir")"
        [[ -x "$bin/fuzz_$name" ]] && targets+=("$name")
    done
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/icemu-fuzz.XXXXXX")"
cleanup() {
    if [[ -n "${ICEMU_FUZZ_KEEP:-}" || ${failed:-0} -ne 0 ]]; then
        echo "==> fuzz: working directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$ICEMU_ROOT/fuzz/ubsan.supp}"

failed=0
summary=()
for name in "${targets[@]}"; do
    exe="$bin/fuzz_$name"
    if [[ ! -x "$exe" ]]; then
        echo "error: no fuzz target $name ($exe)" >&2
        exit 2
    fi
    corpus="$work/$name/corpus"
    artifacts="$work/$name/artifacts/"
    mkdir -p "$corpus" "$artifacts"
    cp fuzz/corpus/"$name"/* "$corpus"/
    dirs=("$corpus")
    [[ -d fuzz/regressions/$name ]] && dirs+=("fuzz/regressions/$name")
    log="$work/$name/fuzz.log"
    icemu_log "fuzz $name: ${seconds}s on ${#dirs[@]} corpus dir(s)"
    set +e
    "$exe" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$artifacts" "${dirs[@]}" >"$log" 2>&1
    rc=$?
    set -e
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    done_line="$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)"
    cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")"
    ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")"
    corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$done_line")"
    result="ok"
    if [[ $rc -ne 0 ]]; then
        failed=1
        result="FAILED ($rc)"
        tail -n 60 "$log" >&2
        for artifact in "$artifacts"*; do
            [[ -e "$artifact" ]] || continue
            echo "==> fuzz $name: reproducer $artifact" >&2
            echo "    replay: $exe $artifact" >&2
            echo "    keep it: cp $artifact fuzz/regressions/$name/ (and add a unit test)" >&2
        done
    fi
    summary+=("$(printf '%-8s %10s %10s %8s %8s %12s  %s' "$name" "${runs:-?}" "${speed:-?}" \
        "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")")
done

printf '\n%-8s %10s %10s %8s %8s %12s  %s\n' target runs exec/s cov ft corpus result
for line in "${summary[@]}"; do
    printf '%s\n' "$line"
done
exit "$failed"

#!/usr/bin/env bash
# The Docker image check (stage `container` of scripts/test.sh). It needs nothing outside the
# repository:
#
#  1. Builds docker/Dockerfile: with `docker` where an engine answers (`docker info`), otherwise
#     with Debian's podman (chroot isolation, host network: no daemon and no namespaces needed).
#     With podman, the build stage's base, debian:bookworm-slim, is made here with debootstrap from
#     the machine's Debian mirror, once per machine, since no image registry may be reachable.
#     What is missing (podman, buildah, debootstrap, curl) is installed with apt-get.
#  2. Prints the image's size, uncompressed, as `docker images` / `podman images` count it, and
#     fails above the limit (25 MiB).
#  3. Starts the image (its entrypoint, user and environment; the example fixture through
#     ICEMU_FIXTURES), waits for /_icemu/health, runs the image's HEALTHCHECK command inside the
#     image, checks that the server runs under the image's non-root user, then drives it with
#     tests/integration/container_smoke.py (boto3) and tests/huawei/container_smoke.mjs (the
#     Huawei npm client).
#  4. Checks that SIGTERM to the image's entrypoint running as PID 1 ends it with status 0 within
#     5 s. Docker: `docker stop`. Podman: `buildah run` (step 3) does not make it PID 1, so the
#     entrypoint is started again in the image's file system as PID 1 of a new PID namespace
#     (unshare), with the image's user, environment and working directory.
#
# usage: scripts/container-smoke.sh [--engine docker|podman] [--tag NAME] [--max-mib N]
# Podman needs root (the script runs itself again through sudo when it is not). Works from any cwd.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
icemu_cd_root

engine="" tag=icemu:smoke max_mib=25
while (($#)); do
    case "$1" in
    --engine) engine="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --max-mib) max_mib="$2"; shift 2 ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "container-smoke: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -z "$engine" ]]; then
    engine=podman
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        engine=docker
    fi
fi
case "$engine" in
docker | podman) ;;
*) echo "container-smoke: --engine must be docker or podman, not '$engine'" >&2; exit 2 ;;
esac

say() { printf 'container-smoke: %s\n' "$*"; }
fail() {
    printf 'container-smoke: FAILED: %s\n' "$*" >&2
    exit 1
}

# The fixture the smoke clients expect (docker/fixtures/example.json, shipped in the image).
fixture_env=ICEMU_FIXTURES=/usr/local/share/icemu/fixtures/example.json
term_limit_s=5 # SIGTERM to exit

# --- What the check needs on this machine -----------------------------------------------------

if [[ "$engine" == podman && $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "podman's chroot isolation needs root (or sudo)"
    say "podman's chroot isolation needs root: running again through sudo"
    exec sudo -E env "PATH=$PATH" bash "$0" --engine podman --tag "$tag" --max-mib "$max_mib"
fi

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
if [[ "$engine" == podman ]]; then
    command -v podman >/dev/null 2>&1 || need+=(podman)
    command -v buildah >/dev/null 2>&1 || need+=(buildah)
    command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
fi
if ((${#need[@]})); then
    say "installing ${need[*]}"
    # Lock timeout: other apt-get runs on a shared machine finish first instead of failing us.
    icemu_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    icemu_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
        install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Huawei client of the smoke (scripts/test.sh installs it before this stage).
if [[ ! -d tests/huawei/node_modules ]]; then
    npm ci --prefix tests/huawei --no-audit --no-fund
fi

# The first process named $2 among $1 and its descendants.
find_process() {
    local queue=("$1") p kids
    while ((${#queue[@]})); do
        p="${queue[0]}"
        queue=("${queue[@]:1}")
        if [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == "$2" ]]; then
            echo "$p"
            return 0
        fi
        kids="$(cat /proc/"$p"/task/*/children 2>/dev/null || true)"
        # shellcheck disable=SC2206 # pids: split on whitespace
        queue+=($kids)
    done
    return 1
}

# Scratch files, containers and processes of this run, removed however it ends.
work="$(mktemp -d)"
ctr="" docker_name="" run_pid="" pid1_pid=""
cleanup() {
    local p server
    [[ -n "$docker_name" ]] && docker rm -f "$docker_name" >/dev/null 2>&1
    # A server still running under buildah run or unshare: the server first (killing buildah
    # alone would leave it behind), then its wrapper.
    for p in "$pid1_pid" "$run_pid"; do
        [[ -n "$p" ]] || continue
        server="$(find_process "$p" "${server_name:-icemu}")" && kill -KILL "$server" 2>/dev/null
        kill -KILL "$p" 2>/dev/null
    done
    wait 2>/dev/null
    [[ -n "$ctr" ]] && buildah rm "$ctr" >/dev/null 2>&1
    rm -rf "$work"
    return 0
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- 1. Build ---------------------------------------------------------------------------------

# debian:bookworm-slim for podman when this machine has none: debootstrap's minbase from the
# mirror that apt uses here, trimmed the way the published slim image is.
make_base_image() {
    local base=docker.io/library/debian:bookworm-slim mirror root
    podman image exists "$base" && return 0
    # The URI of the apt source (one-line or deb822) that serves the suite `bookworm` itself.
    mirror="$(python3 - <<'PY'
import glob, re
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for stanza in re.split(r"\n\s*\n", open(path).read()):
        fields = dict(re.findall(r"^([A-Za-z-]+):[ \t]*(.*)$", stanza, re.M))
        if "deb" in fields.get("Types", "").split() and "bookworm" in fields.get("Suites", "").split():
            print(fields["URIs"].split()[0]); raise SystemExit
for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        lines = open(path).read().splitlines()
    except OSError:
        continue
    for line in lines:
        words = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
        if len(words) >= 3 and words[0] == "deb" and words[2] == "bookworm":
            print(words[1]); raise SystemExit
PY
    )"
    [[ -n "$mirror" ]] || fail "no apt source for Debian bookworm on this machine (for debootstrap)"
    root="$work/base"
    say "making the base image $base with debootstrap from $mirror (once per machine)"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -n 30 "$work/debootstrap.log" >&2; fail "debootstrap"; }
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
        "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
    tar -C "$root" -c . | podman import -q \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' - "$base" >/dev/null
    rm -rf "$root"
}

say "engine: $engine; building $tag from docker/Dockerfile"
SECONDS=0
if [[ "$engine" == podman ]]; then
    make_base_image
    # --format docker: the OCI format has no HEALTHCHECK and would drop it.
    podman build --format docker --pull=never --isolation chroot --network host \
        -f docker/Dockerfile -t "$tag" . >"$work/build.log" 2>&1 ||
        { tail -n 60 "$work/build.log" >&2; fail "podman build (the last 60 lines are above)"; }
else
    docker build -f docker/Dockerfile -t "$tag" . >"$work/build.log" 2>&1 ||
        { tail -n 60 "$work/build.log" >&2; fail "docker build (the last 60 lines are above)"; }
fi
say "built in ${SECONDS} s"

# --- 2. Size ----------------------------------------------------------------------------------

size="$("$engine" image inspect --format '{{.Size}}' "$tag")"
listed="$("$engine" images --format '{{.Size}}' "$tag" | head -n 1)"
max_bytes=$((max_mib * 1024 * 1024))
size_mib="$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1048576 }')"
say "image size: $size_mib MiB ($size bytes; \`$engine images\`: $listed), limit $max_mib MiB"
((size <= max_bytes)) || fail "the image is $size_mib MiB, over the $max_mib MiB limit"

# --- What the image says about itself ---------------------------------------------------------

"$engine" image inspect "$tag" >"$work/inspect.json"
# Prints one field of the image's configuration, each item followed by a NUL.
#   entry: ENTRYPOINT + CMD; check: the HEALTHCHECK command (exec form); user; workdir; env.
image_field() {
    python3 - "$1" "$work/inspect.json" <<'PY'
import json, sys
what, path = sys.argv[1], sys.argv[2]
image = json.load(open(path))[0]
config = image.get("Config") or {}
if what == "entry":
    items = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
elif what == "check":
    # Docker keeps it in Config; podman also at the top level.
    test = (config.get("Healthcheck") or image.get("Healthcheck") or {}).get("Test") or []
    if test[:1] == ["CMD"]:
        items = test[1:]
    elif test[:1] == ["CMD-SHELL"]:
        items = ["/bin/sh", "-c"] + test[1:]
    else:
        items = []
elif what in ("user", "workdir"):
    items = [config.get({"user": "User", "workdir": "WorkingDir"}[what]) or ""]
else:
    items = config.get("Env") or []
sys.stdout.write("".join(item + "\0" for item in items))
PY
}
mapfile -d '' -t entry < <(image_field entry)
mapfile -d '' -t check < <(image_field check)
mapfile -d '' -t image_env < <(image_field env)
user="$(image_field user | tr -d '\0')"
workdir="$(image_field workdir | tr -d '\0')"
((${#entry[@]})) || fail "the image has no ENTRYPOINT or CMD"
server_name="$(basename "${entry[0]}")"
((${#check[@]})) || fail "the image has no HEALTHCHECK in exec form"
[[ -n "$user" ]] || fail "the image sets no USER: it would run as root"
say "image user: $user; entrypoint: ${entry[*]}; HEALTHCHECK: ${check[*]}"

# Waits until $1 answers 200 on /_icemu/health, while the process $2 lives (30 s at most).
wait_healthy() {
    local endpoint="$1" pid="$2" log="$3" i
    for ((i = 0; i < 300; i++)); do
        curl -fsS -o /dev/null --noproxy '*' "$endpoint/_icemu/health" 2>/dev/null && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$log" >&2
            fail "the server in the image exited before it was healthy (its log is above)"
        fi
        sleep 0.1
    done
    tail -n 20 "$log" >&2
    fail "no healthy answer on $endpoint/_icemu/health in 30 s"
}

# Checks that process $1 runs with real, effective, saved and file-system uid $2, or with any
# one uid other than 0 when $2 is empty; uids as its user namespace sees them (a rootless engine
# maps them), so that root inside never passes as the mapped host uid.
check_uid() {
    local pid="$1" want="$2" uids
    uids="$(awk 'NR == FNR { n[NR] = $1; h[NR] = $2; c[NR] = $3; rows = NR; next }
        $1 == "Uid:" {
            for (f = 2; f <= 5; f++) {
                u = "?"
                for (i = 1; i <= rows; i++) if ($f >= h[i] && $f < h[i] + c[i]) u = n[i] + $f - h[i]
                printf "%s%s", (f > 2 ? " " : ""), u
            }
        }' "/proc/$pid/uid_map" "/proc/$pid/status")"
    local expected="the image's user $want"
    [[ -n "$want" ]] || { want="${uids%% *}" expected="one uid, not root"; }
    [[ "$uids" == "$want $want $want $want" && "$want" != 0 ]] ||
        fail "the server runs with uids '$uids'; expected $expected"
    say "the server runs as uid $want (not root)"
}

# Sends SIGTERM to $1 and waits for $2 (the process whose status tells how it ended); passes
# when it ends with status 0 within the limit.
check_sigterm() {
    local target="$1" waited="$2" what="$3" start elapsed rc i
    start="$(icemu_now)"
    kill -TERM "$target"
    for ((i = 0; i < term_limit_s * 10; i++)); do
        kill -0 "$waited" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$waited" 2>/dev/null && fail "$what: still running ${term_limit_s} s after SIGTERM"
    rc=0
    wait "$waited" || rc=$?
    elapsed="$(awk -v a="$start" -v b="$(icemu_now)" 'BEGIN { printf "%.2f", b - a }')"
    ((rc == 0)) || fail "$what: exited with status $rc after SIGTERM"
    say "$what: SIGTERM, exit status 0 after $elapsed s"
}

run_smoke_clients() {
    local endpoint="$1"
    ICEMU_ENDPOINT="$endpoint" python3 tests/integration/container_smoke.py
    ICEMU_ENDPOINT="$endpoint" node tests/huawei/container_smoke.mjs
}

# --- 3 and 4 with docker ----------------------------------------------------------------------

if [[ "$engine" == docker ]]; then
    port="$(free_port)"
    docker_name="icemu-smoke-$$"
    docker run -d --name "$docker_name" -p "127.0.0.1:$port:4577" -e "$fixture_env" "$tag" \
        >/dev/null
    pid="$(docker inspect --format '{{.State.Pid}}' "$docker_name")" # on this host's /proc
    docker logs -f "$docker_name" >"$work/server.log" 2>&1 &
    logs_pid=$! # ends when the container does
    wait_healthy "http://127.0.0.1:$port" "$logs_pid" "$work/server.log"
    say "healthy on 127.0.0.1:$port (published from the image's 4577)"
    docker exec "$docker_name" "${check[@]}" >/dev/null ||
        fail "HEALTHCHECK (${check[*]}) fails inside the image"
    say "HEALTHCHECK (${check[*]}) passes inside the image"
    want=""
    [[ "${user%%:*}" =~ ^[0-9]+$ ]] && want="${user%%:*}"
    check_uid "$pid" "$want"
    [[ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$pid/status")" == 1 ]] ||
        fail "the entrypoint is not PID 1 in its container"
    run_smoke_clients "http://127.0.0.1:$port"
    start="$(icemu_now)"
    docker stop --time "$term_limit_s" "$docker_name" >/dev/null
    elapsed="$(awk -v a="$start" -v b="$(icemu_now)" 'BEGIN { printf "%.2f", b - a }')"
    rc="$(docker inspect --format '{{.State.ExitCode}}' "$docker_name")"
    ((rc == 0)) || fail "PID 1: exited with status $rc on docker stop (137: killed after ${term_limit_s} s)"
    say "PID 1: docker stop (SIGTERM), exit status 0 after $elapsed s"
    say "passed"
    exit 0
fi

# --- 3 with podman: the image's entrypoint under `buildah run` ---------------------------------

ctr="$(buildah from -q --pull-never "$tag")"
mnt="$(buildah mount "$ctr")"
# The image's USER as numbers, through the image's own /etc/passwd and /etc/group when named.
uid="${user%%:*}"
gid="${user#*:}"
[[ "$user" == *:* ]] || gid=""
if [[ ! "$uid" =~ ^[0-9]+$ ]]; then
    uid="$(awk -F: -v u="$uid" '$1 == u { print $3 }' "$mnt/etc/passwd")"
fi
if [[ -z "$gid" ]]; then
    gid="$(awk -F: -v u="$uid" '$3 == u { print $4 }' "$mnt/etc/passwd")"
elif [[ ! "$gid" =~ ^[0-9]+$ ]]; then
    gid="$(awk -F: -v g="$gid" '$1 == g { print $3 }' "$mnt/etc/group")"
fi
[[ "$uid" =~ ^[0-9]+$ && "$gid" =~ ^[0-9]+$ ]] || fail "cannot resolve the image's USER '$user'"
[[ "$uid" != 0 ]] || fail "the image's USER '$user' is root"

port="$(free_port)"
# Host network: the server listens on a free loopback port instead of the image's 0.0.0.0:4577.
run_env=(--env "ICEMU_LISTEN=127.0.0.1:$port" --env "$fixture_env")
buildah run --isolation chroot --network host --user "$uid:$gid" "${run_env[@]}" "$ctr" -- \
    "${entry[@]}" >"$work/server.log" 2>&1 &
run_pid=$!
wait_healthy "http://127.0.0.1:$port" "$run_pid" "$work/server.log"
say "healthy on 127.0.0.1:$port"
buildah run --isolation chroot --network host --user "$uid:$gid" "${run_env[@]}" "$ctr" -- \
    "${check[@]}" >"$work/check.log" 2>&1 ||
    { cat "$work/check.log" >&2; fail "HEALTHCHECK (${check[*]}) fails inside the image"; }
say "HEALTHCHECK (${check[*]}) passes inside the image"
server_pid="$(find_process "$run_pid" "$server_name")" ||
    fail "no process '${entry[0]}' under buildah run"
check_uid "$server_pid" "$uid"
run_smoke_clients "http://127.0.0.1:$port"
check_sigterm "$server_pid" "$run_pid" "under buildah run (not PID 1)"
run_pid=""

# --- 4 with podman: the entrypoint as PID 1 ---------------------------------------------------

# The same container's file system (its store now holds the smoke's data), the image's
# environment, user and working directory; icemu is PID 1 of its own PID namespace, as in a
# container, where the kernel delivers SIGTERM to PID 1 only if it handles it.
port="$(free_port)"
env -i "${image_env[@]}" "ICEMU_LISTEN=127.0.0.1:$port" "$fixture_env" \
    "$(command -v unshare)" --pid --fork --kill-child --root="$mnt" --wd="${workdir:-/}" \
    --setgid "$gid" --setuid "$uid" -- "${entry[@]}" >"$work/pid1.log" 2>&1 &
pid1_pid=$!
wait_healthy "http://127.0.0.1:$port" "$pid1_pid" "$work/pid1.log"
server_pid="$(find_process "$pid1_pid" "$server_name")" ||
    fail "no process '${entry[0]}' under unshare"
[[ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$server_pid/status")" == 1 ]] ||
    fail "the entrypoint is not PID 1 in its namespace"
check_uid "$server_pid" "$uid"
check_sigterm "$server_pid" "$pid1_pid" "PID 1 (unshare --pid)"
pid1_pid=""
say "passed"

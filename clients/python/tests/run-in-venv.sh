#!/usr/bin/env bash
# Installs the plugin as docs/testing-your-code.md says (its block marked install-pytest-plugin.sh,
# run as it is written, with Debian's python3 first on PATH) into a venv under WORK_DIR, then runs
# the plugin's tests with that venv's pytest. ctest runs it with ICEMU_BIN set to the built icemu.
#
#   clients/python/tests/run-in-venv.sh WORK_DIR [PYTEST_ARG...]
set -euo pipefail
if [[ $# -lt 1 ]]; then
    echo "usage: $0 WORK_DIR [PYTEST_ARG...]" >&2
    exit 2
fi
work="$1"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
# Debian's interpreter, whatever python3 comes first on PATH (a pyenv one has no python3-pytest).
export PATH="/usr/bin:/bin:$PATH"
# Offline and quiet: every dependency comes from Debian's packages.
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1

# A copy of the package: pip builds in the source folder (build/, *.egg-info), which must stay
# clean, and the debug and release test runs must not share one.
rm -rf "$work"
mkdir -p "$work/clients"
cp -r "$repo/clients/python" "$work/clients/python"
rm -rf "$work/clients/python/build" "$work/clients/python"/src/*.egg-info
/usr/bin/python3 - "$repo/docs/testing-your-code.md" install-pytest-plugin.sh >"$work/install.sh" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = dict(re.findall(r"<!-- tested-as: (\S+) -->\n```[a-z]*\n(.*?)\n```", text, re.S))
if sys.argv[2] not in blocks:
    sys.exit("%s: no block marked tested-as: %s" % (sys.argv[1], sys.argv[2]))
print(blocks[sys.argv[2]])
PY
echo "==> the docs' install block, in $work:"
cat "$work/install.sh"
(cd "$work" && bash -euo pipefail install.sh)

cd "$here"
exec "$work/.venv/bin/python" -m pytest -p no:cacheprovider -v "$@" "$here"

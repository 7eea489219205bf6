#!/usr/bin/env python3
"""The layers stay apart: no code in api/ outside api/core reaches store/.

    tests/layering.py ROOT CXX     checks the tree at ROOT with the compiler CXX

Two checks, each naming what breaks it:
- no source under api/ outside api/core includes a store/ header or names `store::`;
- no header under api/ outside api/core pulls in <sqlite3.h>, directly or through another
  header (each is preprocessed alone with CXX -std=c++20 -I ROOT -E).
Before it trusts the second check, it makes sure the same preprocessing does find <sqlite3.h>
in store/database.hpp, so that a broken command cannot pass for a clean tree.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import subprocess
import sys

STORE_NAME = re.compile(r'#\s*include\s*"store/|(?<![A-Za-z0-9_])store::')


def surface_files(root: str, suffixes: tuple[str, ...]) -> list[str]:
    out = []
    api = os.path.join(root, "api")
    for folder, dirs, files in os.walk(api):
        dirs.sort()
        rel = os.path.relpath(folder, root)
        if rel == os.path.join("api", "core") or rel.startswith(os.path.join("api", "core") + os.sep):
            dirs[:] = []
            continue
        for name in sorted(files):
            if name.endswith(suffixes):
                out.append(os.path.join(rel, name))
    return out


def pulls_sqlite(root: str, cxx: str, header: str) -> bool:
    result = subprocess.run([cxx, "-std=c++20", "-I", root, "-E", "-x", "c++", "-"],
                            input=f'#include "{header}"\n', capture_output=True, text=True,
                            cwd=root)
    if result.returncode != 0:
        raise RuntimeError(f"{cxx} could not preprocess {header}:\n{result.stderr}")
    return re.search(r'^# \d+ "[^"]*sqlite3\.h"', result.stdout, re.MULTILINE) is not None


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, cxx = sys.argv[1], sys.argv[2]
    failures = []

    for path in surface_files(root, (".hpp", ".cpp")):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if STORE_NAME.search(line):
                    failures.append(f"{path}:{number}: reaches store/: {line.strip()}")

    if not pulls_sqlite(root, cxx, "store/database.hpp"):
        print("layering: the check is broken: store/database.hpp shows no <sqlite3.h>",
              file=sys.stderr)
        return 1
    headers = surface_files(root, (".hpp",))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for header, pulls in zip(headers, pool.map(lambda h: pulls_sqlite(root, cxx, h), headers)):
            if pulls:
                failures.append(f"{header}: pulls in <sqlite3.h>")

    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        return 1
    print(f"layering: {len(headers)} headers under api/ outside api/core, none reaches store/")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks that every relative link of the user documentation leads somewhere.

    python3 tests/docs_links.py [ROOT]    # README.md and docs/*.md under ROOT (default: the repo)
    python3 tests/docs_links.py --self-test

A relative link must name a file or folder that exists; a `#anchor` (alone, or after a markdown
file) must be the anchor GitHub gives one of that file's headings. Links inside code (fenced
blocks and `code spans`) are not links and are skipped; absolute URLs (`https:`, `mailto:`) are
not checked. Prints one line per broken link (`FILE:LINE: LINK: why`) and exits 1 if there is any.
"""

import os
import re
import sys
import tempfile
import unittest

_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
# [text](target) and [text](target "title"); ![alt](target) too.
_INLINE_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# [label]: target
_REFERENCE_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HTML_ANCHOR_RE = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"")


def _prose_lines(text):
    """(line number, line) of the lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        match = _FENCE_RE.match(line)
        if match:
            if fence is None:
                fence = match.group(1)
            elif match.group(1) == fence:
                fence = None
            continue
        if fence is None:
            yield number, line


def github_slug(heading):
    """The anchor GitHub gives a heading: lowercase, punctuation but `-` and `_` dropped, spaces
    made `-` (markdown emphasis and code marks are punctuation too)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text):
    """Every anchor of a markdown text: its headings' (a repeated one gets -1, -2, ...) and any
    explicit <a name|id>."""
    found, counts = set(), {}
    for _, line in _prose_lines(text):
        match = _HEADING_RE.match(line)
        if match:
            slug = github_slug(match.group(1))
            seen = counts.get(slug, 0)
            counts[slug] = seen + 1
            found.add(slug if seen == 0 else "%s-%d" % (slug, seen))
        found.update(_HTML_ANCHOR_RE.findall(line))
    return found


def links(text):
    """(line number, target) of every link of a markdown text outside code."""
    for number, line in _prose_lines(text):
        match = _REFERENCE_RE.match(line)
        if match:
            yield number, match.group(1)
            continue
        prose = _CODE_SPAN_RE.sub(lambda m: "x" * len(m.group(0)), line)
        # A link whose text is a code span ([`x`](y)): the span is masked, the target is not.
        for match in _INLINE_LINK_RE.finditer(prose):
            yield number, match.group(1)


def check_file(path, root):
    """The problems of one markdown file: ["FILE:LINE: LINK: why"]."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    shown = os.path.relpath(path, root)
    problems = []
    for number, link in links(text):
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", link) or link.startswith("//"):
            continue  # an absolute URL
        target, _, anchor = link.partition("#")
        if target.startswith("/"):
            problems.append("%s:%d: %s: an absolute path (use a relative link)" %
                            (shown, number, link))
            continue
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target \
            else path
        if not os.path.exists(resolved):
            problems.append("%s:%d: %s: no such file" % (shown, number, link))
            continue
        if not anchor:
            continue
        if not resolved.endswith(".md") or not os.path.isfile(resolved):
            problems.append("%s:%d: %s: an anchor into something that is not markdown" %
                            (shown, number, link))
            continue
        with open(resolved, encoding="utf-8") as f:
            if anchor not in anchors(f.read()):
                problems.append("%s:%d: %s: no heading with that anchor" % (shown, number, link))
    return problems


def documentation(root):
    """README.md and every markdown page under docs/."""
    files = [os.path.join(root, "README.md")]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        for folder, _, names in os.walk(docs):
            files += [os.path.join(folder, n) for n in sorted(names) if n.endswith(".md")]
    return files


def check(root):
    problems = []
    for path in documentation(root):
        problems += check_file(path, root)
    return problems


class SelfTest(unittest.TestCase):
    """The checker finds what it must, and nothing else, in a small tree made for it."""

    def test_broken_links_and_anchors_are_reported(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "docs"))
            os.makedirs(os.path.join(root, "bench"))
            with open(os.path.join(root, "README.md"), "w") as f:
                f.write("# Tool\n\n## The admin API (`/_icemu/`)\n\n## Limits\n\n## Limits\n\n"
                        "[ok](docs/a.md) [ok](docs/a.md#fault-rules) [ok](#limits-1)\n"
                        "[ok](#the-admin-api-_icemu) [ok](bench/) [`ok`](bench) "
                        "[ok](https://example.com/x#y)\n"
                        "[bad](docs/b.md)\n"
                        "[bad](docs/a.md#fault-rule)\n"
                        "[bad](#limits-2)\n"
                        "`[not a link](nowhere.md)`\n"
                        "```\n[not a link](nowhere.md)\n```\n"
                        "[ref]: docs/c.md\n")
            with open(os.path.join(root, "docs", "a.md"), "w") as f:
                f.write("# A\n\n### Fault rules\n\n[ok](../README.md#limits) "
                        "[bad](../README.md#durability) [bad](README.md)\n")
            self.assertEqual(check(root), [
                "README.md:11: docs/b.md: no such file",
                "README.md:12: docs/a.md#fault-rule: no heading with that anchor",
                "README.md:13: #limits-2: no heading with that anchor",
                "README.md:18: docs/c.md: no such file",
                "docs/a.md:5: ../README.md#durability: no heading with that anchor",
                "docs/a.md:5: README.md: no such file",
            ])

    def test_slugs_are_githubs(self):
        self.assertEqual(github_slug("The admin API (`/_icemu/`)"), "the-admin-api-_icemu")
        self.assertEqual(github_slug("Fixtures: start from a known state"),
                         "fixtures-start-from-a-known-state")
        self.assertEqual(github_slug("Durability and storage failures"),
                         "durability-and-storage-failures")


def main(argv):
    if argv[1:] == ["--self-test"]:
        result = unittest.main(argv=[argv[0]], exit=False, verbosity=2).result
        return 0 if result.wasSuccessful() else 1
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    problems = check(root)
    for problem in problems:
        print(problem)
    print("%d files, %d broken links" % (len(documentation(root)), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

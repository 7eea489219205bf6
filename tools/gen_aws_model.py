#!/usr/bin/env python3
"""Generates api/aws/model_gen.cpp from botocore's sso-admin and identitystore models.

Usage (from the repository root):
    python3 tools/gen_aws_model.py [--model PATH] [--out api/aws/model_gen.cpp]

Needs Python 3 and botocore (only to locate the model; stdlib otherwise). The output is committed,
so building icemu needs no Python. If clang-format is on PATH, the output is formatted with the
repository's .clang-format, so that regenerating an unchanged model gives an unchanged file.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys

SERVICE = "sso-admin"
API_VERSION = "2020-07-20"
# The second service on the same port: its operations get a table of their own, its shapes and
# patterns join the shared tables.
IDENTITYSTORE = "identitystore"
IDENTITYSTORE_VERSION = "2020-06-15"

KINDS = {
    "structure": "structure",
    "list": "list",
    "map": "map",
    "string": "string",
    "integer": "integer",
    "long": "long_",
    "float": "float_",
    "double": "double_",
    "boolean": "boolean",
    "timestamp": "timestamp",
    "blob": "blob",
}

# Java Unicode categories that PCRE2 (UTF mode) also knows by the same name.
UNICODE_CATEGORIES = {
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No",
    "P", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So",
    "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs", "Cn",
}

RAW_DELIMITER = "re"


def default_model_path(service=SERVICE, version=API_VERSION):
    import botocore  # only to find the installed model

    return os.path.join(os.path.dirname(botocore.__file__), "data", service, version,
                        "service-2.json.gz")


def botocore_version():
    try:
        import botocore

        return "botocore " + botocore.__version__
    except ImportError:
        return "botocore"


def load_model(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def java_to_pcre2(java):
    """Converts a java.util.regex pattern to PCRE2 syntax; fails on constructs that differ.

    Handled: \\uXXXX escapes become \\x{XXXX}. Rejected (none occur in the model today): nested
    classes and && intersections inside [...], Java-only \\p{...} names, octal \\0 escapes.
    Everything else (\\w \\d \\s \\b with ASCII semantics, lookahead, \\p{L}) means the same in PCRE2
    compiled with PCRE2_UTF and without PCRE2_UCP.
    """
    out = []
    i = 0
    in_class = False
    class_start = 0
    n = len(java)
    while i < n:
        c = java[i]
        if c == "\\":
            if i + 1 >= n:
                raise ValueError("trailing backslash in %r" % java)
            e = java[i + 1]
            if e == "u":
                hexdigits = java[i + 2:i + 6]
                if not re.fullmatch(r"[0-9A-Fa-f]{4}", hexdigits):
                    raise ValueError("bad \\u escape in %r" % java)
                out.append("\\x{%s}" % hexdigits.upper())
                i += 6
                continue
            if e in "pP":
                m = re.match(r"\{(\^?)([A-Za-z_]+)\}", java[i + 2:])
                if m is None:
                    if java[i + 2:i + 3] and java[i + 2] in "LMNPSZC":
                        out.append(java[i:i + 3])  # one-letter form, \pL
                        i += 3
                        continue
                    raise ValueError("unsupported \\%s in %r" % (e, java))
                if m.group(2) not in UNICODE_CATEGORIES:
                    raise ValueError("Java-only property \\%s{%s} in %r" % (e, m.group(2), java))
                out.append(java[i:i + 2 + m.end()])
                i += 2 + m.end()
                continue
            if e == "0":
                raise ValueError("octal escape in %r" % java)
            if e == "Q":
                end = java.find("\\E", i + 2)
                end = n if end < 0 else end + 2
                out.append(java[i:end])
                i = end
                continue
            out.append(java[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[":
                raise ValueError("nested character class (Java union) in %r" % java)
            if c == "&" and java[i + 1:i + 2] == "&":
                raise ValueError("character class intersection in %r" % java)
            if c == "]" and i > class_start:
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if java[i:i + 1] == "^":
                out.append("^")
                i += 1
            class_start = i  # a ']' right here is a literal
            continue
        out.append(c)
        i += 1
    if in_class:
        raise ValueError("unterminated class in %r" % java)
    return "".join(out)


def lower_camel(name):
    return name[:1].lower() + name[1:]


def integral(shape_name, shape, key):
    if key not in shape:
        return None
    value = shape[key]
    if float(value) != int(value):
        raise ValueError("%s.%s = %r is not integral" % (shape_name, key, value))
    return int(value)


class tables:
    def __init__(self, model):
        self.model = model
        self.shapes = model["shapes"]
        self.order = []  # shape keys (prefix + name), by index
        self.index = {}
        self.prefix = ""  # the key prefix of the model being added (shape names may repeat)
        self.all_shapes = {}
        self.patterns = []  # (java, pcre2)
        self.pattern_index = {}

    def use(self, model, prefix):
        """Adds the shapes of a further model from now on, keyed with `prefix`."""
        self.shapes = model["shapes"]
        self.prefix = prefix

    def key(self, name):
        return self.prefix + name

    def add(self, name):
        """Assigns indexes breadth-first so that a shape's children follow it closely."""
        queue = [name]
        while queue:
            current = queue.pop(0)
            if self.key(current) in self.index:
                continue
            self.index[self.key(current)] = len(self.order)
            self.order.append(self.key(current))
            s = self.shapes[current]
            self.all_shapes[self.key(current)] = (current, s, self.prefix)
            for m in s.get("members", {}).values():
                queue.append(m["shape"])
            for key in ("member", "key", "value"):
                if key in s:
                    queue.append(s[key]["shape"])

    def pattern(self, java):
        if java not in self.pattern_index:
            self.pattern_index[java] = len(self.patterns)
            self.patterns.append((java, java_to_pcre2(java)))
        return self.pattern_index[java]


def cxx_string(text):
    """A C++ string literal; raw when the text has backslashes or quotes."""
    if "\\" in text or '"' in text:
        if ")%s\"" % RAW_DELIMITER in text:
            raise ValueError("raw string delimiter occurs in %r" % text)
        return 'R"%s(%s)%s"' % (RAW_DELIMITER, text, RAW_DELIMITER)
    if any(ord(ch) < 0x20 or ord(ch) > 0x7e for ch in text):
        return '"%s"' % "".join(ch if 0x20 <= ord(ch) <= 0x7e else "\\x%02x" % ord(ch)
                                for ch in text)
    return '"%s"' % text


def optional(value):
    return "{}" if value is None else str(value)


def index(value):
    return "no_index" if value is None else str(value)


def generate(model, identitystore):
    t = tables(model)
    operations = sorted(model["operations"].items())
    for _, op in operations:
        if "input" not in op:
            raise ValueError("operation without input is not supported by the generator")
        t.add(op["input"]["shape"])
    t.use(identitystore, IDENTITYSTORE + ":")
    t.shapes_model_operations = identitystore["operations"]
    store_operations = sorted(identitystore["operations"].items())
    for _, op in store_operations:
        if "input" not in op:
            raise ValueError("operation without input is not supported by the generator")
        t.add(op["input"]["shape"])
    if len(t.order) >= 0xffff:
        raise ValueError("too many shapes for a 16-bit index")

    shape_rows = []
    member_rows = []
    enum_rows = []
    for key in t.order:
        name, s, prefix = t.all_shapes[key]
        btype = s["type"]
        if btype not in KINDS:
            raise ValueError("unsupported shape type %s of %s" % (btype, name))
        kind = KINDS[btype]
        if btype == "structure":
            if s.get("document"):
                kind = "document"
            elif s.get("union"):
                kind = "union_"
        pattern = t.pattern(s["pattern"]) if "pattern" in s else None
        first, count, item, value = 0, 0, None, None
        if kind in ("structure", "union_"):
            first = len(member_rows)
            required = set(s.get("required", []))
            for member_name, m in s["members"].items():
                member_rows.append((member_name, lower_camel(member_name),
                                    t.index[prefix + m["shape"]], member_name in required, key))
            count = len(s["members"])
            unknown = required - set(s["members"])
            if unknown:
                raise ValueError("%s requires unknown members %s" % (name, sorted(unknown)))
        elif "enum" in s:
            first = len(enum_rows)
            enum_rows.extend(s["enum"])
            count = len(s["enum"])
        if btype == "list":
            item = t.index[prefix + s["member"]["shape"]]
        if btype == "map":
            item = t.index[prefix + s["key"]["shape"]]
            value = t.index[prefix + s["value"]["shape"]]
        shape_rows.append((name, kind, integral(name, s, "min"), integral(name, s, "max"),
                           pattern, first, count, item, value))

    out = []
    w = out.append
    w("// Generated by tools/gen_aws_model.py from %s's %s %s model (%d operations) and %s %s"
      " model (%d operations)." % (botocore_version(), SERVICE, API_VERSION, len(operations),
                                   IDENTITYSTORE, IDENTITYSTORE_VERSION, len(store_operations)))
    w("// Do not edit by hand; to regenerate, from the repository root:")
    w("//     python3 tools/gen_aws_model.py")
    w("")
    # clang-format would move the own header after <...>: it does not see model_gen.cpp as
    # the implementation of model.hpp.
    w("// clang-format off")
    w('#include "api/aws/model.hpp"')
    w("")
    w("#include <algorithm>")
    w("#include <array>")
    w("// clang-format on")
    w("")
    w("namespace icemu::api::aws::model {")
    w("namespace {")
    w("")
    w("// One row per line, whatever its length: the tables are read by index.")
    w("// clang-format off")
    w("constexpr std::array<operation, %d> operation_table{{" % len(operations))
    for op_name, op in operations:
        w("    {\"%s\", %d}," % (op_name, t.index[op["input"]["shape"]]))
    w("}};")
    w("")
    w("constexpr std::array<operation, %d> identitystore_operation_table{{" % len(store_operations))
    for op_name, op in store_operations:
        w("    {\"%s\", %d}," % (op_name, t.index[IDENTITYSTORE + ":" + op["input"]["shape"]]))
    w("}};")
    w("")
    w("// name, kind, min, max, pattern, first member/enum, count, list item/map key, map value")
    w("constexpr std::array<shape, %d> shape_table{{" % len(shape_rows))
    for i, (name, kind, lo, hi, pattern, first, count, item, value) in enumerate(shape_rows):
        w("    /* %d */ {\"%s\", kind::%s, %s, %s, %s, %d, %d, %s, %s}," % (
            i, name, kind, optional(lo), optional(hi), index(pattern), first, count, index(item),
            index(value)))
    w("}};")
    w("")
    w("// wire name, Coral name, shape, required")
    w("constexpr std::array<member, %d> member_table{{" % len(member_rows))
    owner = None
    for i, (member_name, path_name, shape_index, required, parent) in enumerate(member_rows):
        if parent != owner:
            w("    // %s" % parent)
            owner = parent
        w("    /* %d */ {\"%s\", \"%s\", %d, %s}," % (i, member_name, path_name, shape_index,
                                                    "true" if required else "false"))
    w("}};")
    w("")
    w("constexpr std::array<std::string_view, %d> enum_table{{" % len(enum_rows))
    for i, value in enumerate(enum_rows):
        w("    /* %d */ %s," % (i, cxx_string(value)))
    w("}};")
    w("")
    w("// As in the model (Java), then converted for PCRE2.")
    w("constexpr std::array<pattern, %d> pattern_table{{" % len(t.patterns))
    for i, (java, pcre2) in enumerate(t.patterns):
        w("    /* %d */ {%s," % (i, cxx_string(java)))
        w("        %s}," % cxx_string(pcre2))
    w("}};")
    w("// clang-format on")
    w("")
    w("static_assert(std::ranges::is_sorted(operation_table, {}, &operation::name));")
    w("static_assert(std::ranges::is_sorted(identitystore_operation_table, {}, &operation::name));")
    w("")
    w("} // namespace")
    w("")
    w("std::span<operation const> operations() noexcept { return operation_table; }")
    w("std::span<shape const> shapes() noexcept { return shape_table; }")
    w("std::span<member const> members() noexcept { return member_table; }")
    w("std::span<std::string_view const> enum_values() noexcept { return enum_table; }")
    w("std::span<pattern const> patterns() noexcept { return pattern_table; }")
    w("")
    w("std::span<operation const> identitystore_operations() noexcept {")
    w("    return identitystore_operation_table;")
    w("}")
    w("")
    w("namespace {")
    w("")
    w("operation const* find_in(std::span<operation const> table, std::string_view name) noexcept {")
    w("    auto const it = std::ranges::lower_bound(table, name, {}, &operation::name);")
    w("    if (it == table.end() || it->name != name)")
    w("        return nullptr;")
    w("    return &*it;")
    w("}")
    w("")
    w("} // namespace")
    w("")
    w("operation const* find_operation(std::string_view name) noexcept {")
    w("    return find_in(operation_table, name);")
    w("}")
    w("")
    w("operation const* find_identitystore_operation(std::string_view name) noexcept {")
    w("    return find_in(identitystore_operation_table, name);")
    w("}")
    w("")
    w("} // namespace icemu::api::aws::model")
    return "\n".join(out) + "\n", t


def clang_format(text, out_path):
    exe = shutil.which("clang-format-14") or shutil.which("clang-format")
    if exe is None:
        print("note: clang-format not found; output left unformatted", file=sys.stderr)
        return text
    return subprocess.run([exe, "--style=file", "--assume-filename=" + out_path], input=text,
                          capture_output=True, text=True, check=True,
                          cwd=os.path.dirname(os.path.abspath(out_path))).stdout


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="service-2.json(.gz); default: the installed botocore's")
    parser.add_argument("--identitystore-model",
                        help="identitystore's service-2.json(.gz); default: the installed botocore's")
    parser.add_argument("--out", default=os.path.join(root, "api", "aws", "model_gen.cpp"))
    args = parser.parse_args()
    model_path = args.model or default_model_path()
    text, t = generate(load_model(model_path),
                       load_model(args.identitystore_model or
                                  default_model_path(IDENTITYSTORE, IDENTITYSTORE_VERSION)))
    text = clang_format(text, args.out)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s: %d + %d operations, %d shapes, %d patterns" % (
        args.out, len(t.model["operations"]), len(t.shapes_model_operations),
        len(t.order), len(t.patterns)))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks that the one-path test lists every public method of every keyspace type.

Reads the classes of HEADER_DIR/*.hpp (the public headers, api/cachet/): a keyspace type is
a class with a public constructor whose first parameter is a Cluster&; its methods are the public member
functions declared in it and in the classes it derives from, written "Type::method", and
"Type::method..." for an overload that takes a parameter pack. Compares them with the
strings between "// public methods: begin" and "// public methods: end" in TEST_FILE, and
fails, naming each, for a method declared but not listed, or listed but not declared.

The headers are read as they are written in this project (one declaration starts a line
indented two spaces inside a class, access labels indented one, the class closed by "};"
at the start of a line); a header written otherwise makes it fail loudly rather than pass.

Usage: public_methods.py TEST_FILE HEADER_DIR
"""
import pathlib
import re
import sys

CLASS = re.compile(r"^class (\w+)(?:\s*:\s*public\s+([\w:]+)<.*)?\s*\{\s*$")
ACCESS = re.compile(r"^ (public|protected|private):\s*$")
# A member declaration: two spaces, a return type, the name, "(".
METHOD = re.compile(r"^  (?!return\b|using\b|template\b|requires\b|friend\b|static_assert\b|//)"
                    r"(?:static |explicit |constexpr |inline |virtual )*([^\s(][^(]*?)\b(\w+)\((.*)$")


def classes_in(text):
    """Yields (name, base, [(method, is_pack)] of its public methods, has a public Cluster& constructor)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = CLASS.match(lines[i])
        if not match:
            i += 1
            continue
        name, base = match.group(1), (match.group(2) or "").split("::")[-1] or None
        access = "private"
        methods, constructible = [], False
        previous = ""
        i += 1
        while i < len(lines) and lines[i] != "};":
            line = lines[i]
            label = ACCESS.match(line)
            if label:
                access = label.group(1)
            elif access == "public":
                if line.startswith("  " + name + "(Cluster& "):
                    constructible = True
                else:
                    declared = METHOD.match(line)
                    if declared and declared.group(2) != name and not declared.group(2).startswith("operator"):
                        pack = "&..." in declared.group(3) or "..." in previous and "template" in previous
                        methods.append((declared.group(2), pack))
            if line.strip():
                previous = line
            i += 1
        if i == len(lines):
            sys.exit(f"public_methods.py: class {name} has no closing '}};' at the start of a line")
        yield name, base, methods, constructible
        i += 1


def declared_methods(header_dir):
    classes = {}
    for header in sorted(pathlib.Path(header_dir).glob("*.hpp")):
        for name, base, methods, constructible in classes_in(header.read_text(encoding="utf-8")):
            classes[name] = (base, methods, constructible)
    keyspaces = [name for name, (_, _, constructible) in classes.items() if constructible]
    if not keyspaces:
        sys.exit(f"public_methods.py: no keyspace type found in {header_dir}: has the header layout changed?")
    out = set()
    for keyspace in keyspaces:
        name = keyspace
        while name is not None:
            if name not in classes:
                sys.exit(f"public_methods.py: {keyspace} derives from {name}, which no header in {header_dir} defines")
            base, methods, _ = classes[name]
            for method, pack in methods:
                out.add(f"{keyspace}::{method}" + ("..." if pack else ""))
            name = base
    return out


def listed_methods(test_file):
    text = pathlib.Path(test_file).read_text(encoding="utf-8")
    match = re.search(r"// public methods: begin\n(.*?)// public methods: end", text, re.DOTALL)
    if not match:
        sys.exit(f"public_methods.py: no '// public methods: begin' ... 'end' in {test_file}")
    return set(re.findall(r'"(\w+::\w+(?:\.\.\.)?)"', match.group(1)))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    declared = declared_methods(sys.argv[2])
    listed = listed_methods(sys.argv[1])
    missing = sorted(declared - listed)
    unknown = sorted(listed - declared)
    for m in missing:
        print(f"declared in the headers, not in the one-path test's list (list it and call it): {m}")
    for m in unknown:
        print(f"listed in the one-path test, declared in no header: {m}")
    if missing or unknown:
        sys.exit(1)
    print(f"{len(declared)} public methods of keyspaces, every one listed")


if __name__ == "__main__":
    main()

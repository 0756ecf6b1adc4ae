#!/usr/bin/env python3
"""Function lengths in decode/ and viewer/: the longest ones, and any over the limit.

    tests/function-lengths.py [--top N] [--max LINES] [DIR...]

The code is laid out by clang-format (.clang-format): a function body opens
with "{" alone at the start of a line and closes with "}" alone at the
start of a line, so a body is read from one to the other. Table data
("};") is not a function. Counts the lines from the signature's first line
to the closing brace. Exits 1 when a function is longer than --max
(default 60), listing each as file:line: name (N lines).
"""
import os
import re
import sys


def functions(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    for i, line in enumerate(lines):
        if line != "{":
            continue
        # The signature: the lines above, back to the one that starts at column 0.
        start = i - 1
        while start > 0 and (lines[start].startswith((" ", "\t")) or lines[start] == ""):
            start -= 1
        sig = " ".join(lines[start:i])
        m = re.search(r"([A-Za-z_][A-Za-z_0-9]*)\s*\(", sig)
        if not m or sig.rstrip().endswith(("=", ";")):
            continue
        end = i + 1
        while end < len(lines) and lines[end] != "}":
            end += 1
        yield m.group(1), start + 1, end - start + 1


def main(argv):
    top, limit, dirs = 5, 60, []
    args = iter(argv)
    for a in args:
        if a == "--top":
            top = int(next(args))
        elif a == "--max":
            limit = int(next(args))
        else:
            dirs.append(a)
    found = []
    for d in dirs or ["decode", "viewer"]:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if f.endswith(".c"):
                    p = os.path.join(root, f)
                    found += [(n, name, p, line) for name, line, n in functions(p)]
    found.sort(key=lambda t: -t[0])
    print("longest functions:")
    for n, name, p, line in found[:top]:
        print(f"  {n:4d} lines  {name} ({p}:{line})")
    over = [t for t in found if t[0] > limit]
    for n, name, p, line in over:
        print(f"{p}:{line}: {name} ({n} lines, over {limit})")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

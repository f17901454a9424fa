#!/usr/bin/env bash
# Fails when the tracked tree would not check out, build or test the same way on a Mac:
#   1. two tracked paths (files or folders) that differ only in letter case: APFS and HFS+ are
#      case-insensitive by default and merge them;
#   2. two target or product names of one Package.swift that differ only in case (their build
#      folders and modules collide there, and in Xcode);
#   3. Glibc-only spellings (`import Glibc`, `SOCK_STREAM.rawValue`, ...) outside a Linux-only
#      `#if os(Linux)` / `#if canImport(Glibc)` branch;
#   4. `/proc`, `ulimit` or `Glibc` in tests outside such a branch (macOS has no /proc and
#      ignores `ulimit -v`: such a test would pass there without its check).
# A Swift file that must spell these as data opts out of 3 and 4 with a line
# `// check-portability: skip-file <why>` in its first 20 lines; the OK line lists such files.
#
#   Scripts/check-portability.sh            # the repository this script is in
#   Scripts/check-portability.sh DIR        # another git checkout (the tests use this)
#
# Prints one line per problem (file:line: what, and why) and exits 1 if there is any, 0 if not.
set -euo pipefail
repo=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
cd "$repo"
checker=$(cat <<'PY'
import os, re, sys

paths = [p for p in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0") if p]
problems = []
skipped = []

# 1. Paths, and every folder above them, that differ only in case.
seen = {}
for path in paths:
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        seen.setdefault(prefix.casefold(), set()).add(prefix)
for spellings in seen.values():
    if len(spellings) > 1:
        problems.append("paths differ only in case (one folder or file on a case-insensitive disk): " + ", ".join(sorted(spellings)))

# 2. Target and product names of each manifest.
declaration = re.compile(r'\.(?:target|executableTarget|testTarget|systemLibrary|binaryTarget|macro|plugin|library|executable)\(\s*name:\s*"([^"]+)"')
for manifest in [p for p in paths if os.path.basename(p) == "Package.swift"]:
    try:
        text = open(manifest, encoding="utf-8").read()
    except OSError:
        continue
    names = {}
    for match in declaration.finditer(text):
        names.setdefault(match.group(1).casefold(), set()).add(match.group(1))
    for spellings in names.values():
        if len(spellings) > 1:
            problems.append(f"{manifest}: target or product names differ only in case (build folders and modules collide on a Mac and in Xcode): " + ", ".join(sorted(spellings)))

# 3 and 4. Linux-only spellings outside a Linux-only #if branch.
glibc_only = re.compile(r'\bimport\s+Glibc\b|\bGlibc\.|\bSOCK_(?:STREAM|DGRAM|RAW|SEQPACKET)\.rawValue\b')
test_only = re.compile(r'/proc\b|\bulimit\b|\bGlibc\b')
linux_conditions = {"os(Linux)", "canImport(Glibc)"}

def linux_only(condition):
    return condition.strip() in linux_conditions

for path in [p for p in paths if p.endswith(".swift")]:
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    except OSError:
        continue
    # A file may opt out with a line "// check-portability: skip-file <why>" (the script's own
    # tests, whose fixtures spell what it looks for); skipped files are listed.
    if any(l.strip().startswith("// check-portability: skip-file") for l in lines[:20]):
        skipped.append(path)
        continue
    in_tests = path.startswith("Tests/") or "/Tests/" in path
    stack = []  # per #if: whether the active branch is Linux-only
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        directive = re.match(r'#(if|elseif|else|endif)\b\s*(.*)', stripped)
        if directive:
            kind, condition = directive.group(1), directive.group(2)
            if kind == "if":
                stack.append({"linux": linux_only(condition), "negated": condition.strip() in {"!" + c for c in linux_conditions}})
            elif kind == "elseif" and stack:
                stack[-1] = {"linux": linux_only(condition), "negated": False}
            elif kind == "else" and stack:
                stack[-1] = {"linux": stack[-1]["negated"], "negated": False}
            elif kind == "endif" and stack:
                stack.pop()
            continue
        if any(branch["linux"] for branch in stack):
            continue
        code = stripped.split("//", 1)[0] if not stripped.startswith("///") else ""
        if glibc_only.search(code):
            problems.append(f"{path}:{number}: a Glibc-only spelling outside '#if os(Linux)' (Darwin spells it differently): {stripped}")
        elif in_tests and test_only.search(stripped.split("//", 1)[0] if not stripped.startswith("//") else ""):
            problems.append(f"{path}:{number}: a Linux-only test mechanic outside '#if os(Linux)' (no /proc on macOS; ulimit -v is ignored there): {stripped}")

for problem in problems:
    print("check-portability: " + problem)
if problems:
    print(f"check-portability: {len(problems)} problem(s); see docs in Scripts/check-portability.sh", file=sys.stderr)
    sys.exit(1)
print(f"check-portability: OK ({len(paths)} tracked paths" + (f"; skipped by their own request: {', '.join(skipped)}" if skipped else "") + ")")
PY
)
git ls-files -z | python3 -c "$checker"

#!/usr/bin/env python3
"""Compiles one snippet and checks the outcome its first line names.

  // expect: compiles            the snippet must compile
  // expect: <message>           it must fail to compile, and the compiler must print <message>

Usage: run.py SNIPPET -- COMPILER [FLAGS...]
"""
import re
import subprocess
import sys

snippet = sys.argv[1]
command = sys.argv[sys.argv.index("--") + 1:]
with open(snippet, encoding="utf-8") as f:
    match = re.search(r"^// expect: (.*)$", f.read(), re.MULTILINE)
if not match:
    sys.exit(f"{snippet}: no '// expect:' line")
expected = match.group(1).strip()

result = subprocess.run(command + ["-fsyntax-only", snippet], capture_output=True, text=True)
if expected == "compiles":
    if result.returncode != 0:
        sys.exit(f"{snippet} should compile but did not:\n{result.stderr}")
elif result.returncode == 0:
    sys.exit(f"{snippet} compiled, but must fail with: {expected}")
elif expected not in result.stderr:
    sys.exit(f"{snippet} failed to compile, but without the message: {expected}\n{result.stderr}")
print(f"{snippet}: {expected}")

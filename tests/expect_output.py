#!/usr/bin/env python3
"""Runs a program and checks that its standard output matches every given regex.

Usage: expect_output.py [--fails] PROGRAM REGEX [REGEX...]

With --fails the program must exit with a failure instead, and the regexes are matched
against what it wrote to standard error.
"""
import re
import subprocess
import sys

args = sys.argv[1:]
fails = args[:1] == ["--fails"]
if fails:
    args = args[1:]
program, patterns = args[0], args[1:]
result = subprocess.run([program], capture_output=True, text=True, timeout=120)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
if fails and result.returncode == 0:
    sys.exit(f"{program} exited with 0, and should have failed")
if not fails and result.returncode != 0:
    sys.exit(f"{program} exited with {result.returncode}")
checked = result.stderr if fails else result.stdout
missing = [p for p in patterns if not re.search(p, checked, re.MULTILINE)]
if missing:
    sys.exit(f"{program}: output does not match: {missing}")

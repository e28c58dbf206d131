#!/usr/bin/env python3
"""Runs a program and checks that its standard output matches every given regex.

Usage: expect_output.py PROGRAM REGEX [REGEX...]
"""
import re
import subprocess
import sys

program, patterns = sys.argv[1], sys.argv[2:]
result = subprocess.run([program], capture_output=True, text=True, timeout=120)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
if result.returncode != 0:
    sys.exit(f"{program} exited with {result.returncode}")
missing = [p for p in patterns if not re.search(p, result.stdout, re.MULTILINE)]
if missing:
    sys.exit(f"{program}: output does not match: {missing}")

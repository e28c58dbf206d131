#!/usr/bin/env python3
"""The benchmark's quick mode as a test: runs it, then draws its chart as bench/run.sh does,
so neither the table nor the chart can rot. It checks that they are made, never a timing.

Usage: quick.py CACHET_BENCH CHART_SH
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

bench, chart_sh = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory(prefix="cachet-bench-quick.") as work:
    data, svg = os.path.join(work, "bench.tsv"), os.path.join(work, "bench.svg")
    subprocess.run([bench, "--quick", "--command", "meson test bench-quick", "--data", data], check=True)
    comparisons = [line.split("\t") for line in open(data, encoding="utf-8") if not line.startswith("#")]
    if not comparisons or any(len(c) != 7 or float(c[6]) <= 0 for c in comparisons):
        sys.exit(f"{data} does not hold the run's comparisons: {comparisons!r}")
    subprocess.run([chart_sh, data, svg, "bench-quick"], check=True)
    text = "".join(ElementTree.parse(svg).getroot().itertext())  # also: the SVG is well-formed
    missing = [c[0] for c in comparisons if c[0].replace('"', "'") not in text]
    if missing:
        sys.exit(f"the chart has no bar for {missing}")
    print(f"chart: {len(comparisons)} comparisons drawn")

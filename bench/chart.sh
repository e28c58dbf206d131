#!/usr/bin/env bash
# Draws the benchmark's comparisons as an SVG bar chart with gnuplot:
#
#   bench/chart.sh DATA OUT.svg ["TITLE"]
#
# DATA is what cachet_bench --data wrote (bench/run.sh --chart does both). One bar per
# comparison: how many times better cachet did than the baseline measured beside it in the
# same run (time and bytes: baseline ÷ cachet; throughput: cachet ÷ baseline), on a log
# scale, so a bar right of the line at 1 is cachet ahead and one left of it behind.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: bench/chart.sh DATA OUT.svg [TITLE]" >&2
  exit 2
fi
data=$1 out=$2 title=${3:-cachet vs its baselines}
command -v gnuplot >/dev/null || { echo "bench/chart.sh: gnuplot is not installed (apt-get install gnuplot-nox)" >&2; exit 1; }
rows=$(grep -vc '^#' "$data" || true)
[ "$rows" -gt 0 ] || { echo "bench/chart.sh: $data holds no comparison" >&2; exit 1; }

# The label of a bar: the workload as the table names it (which says the baseline), and its
# threads.
work=$(mktemp -d /tmp/cachet-chart.XXXXXX)
trap 'rm -rf "$work"' EXIT
awk -F'\t' '!/^#/ {
    label = $1 ", " $2 ($2 == 1 ? " thread" : " threads")
    gsub(/"/, "\x27", label)
    printf "%s\t\"%s\"\t%s\t%s\n", ++n, label, $7, ($7 >= 1 ? 1 : 2)
  }' "$data" >"$work/bars.tsv"
# Room on the left for the longest label (gnuplot's margin counts characters).
margin=$(awk -F'\t' '{ n = length($2); if (n > m) m = n } END { print int(m * 0.95) + 2 }' "$work/bars.tsv")

# The scale: from below the smallest advantage to above the largest, 1 always shown.
read -r low high < <(awk -F'\t' '{ a = $3 + 0; if (NR == 1 || a < lo) lo = a; if (NR == 1 || a > hi) hi = a }
  END { if (lo > 1) lo = 1; if (hi < 1) hi = 1; print lo / 1.6, hi * 1.6 }' "$work/bars.tsv")
height=$((90 + 26 * rows))
width=$((600 + 7 * margin))
gnuplot <<GNUPLOT
set terminal svg size $width,$height dynamic noenhanced font "sans,11" background rgb "white"
set output "$out"
set datafile separator "\t"
set title "$title"
set xlabel "times better than the baseline (log scale; right of 1: cachet ahead)"
set logscale x 2
set xrange [$low:$high]
set yrange [$rows + 0.7:0.3]
set ytics scale 0 font "sans,10"
set format x "%g×"
set grid xtics lc rgb "#dddddd"
set lmargin $margin
set key off
set style fill solid 0.85 noborder
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb "#444444" lw 1.5
# x, y, xlow, xhigh, ylow, yhigh: a bar from 1 to the advantage.
plot "$work/bars.tsv" using 3:1:(\$3 < 1 ? \$3 : 1):(\$3 < 1 ? 1 : \$3):(\$1 - 0.35):(\$1 + 0.35):(\$4 == 1 ? 0x2e7d32 : 0xc62828):ytic(2) \
       with boxxyerror lc rgb variable notitle, \
     "" using ((\$3 < 1 ? 1 : \$3) * 1.04):1:(sprintf("%.2f×", \$3)) with labels font "sans,9" left notitle
GNUPLOT

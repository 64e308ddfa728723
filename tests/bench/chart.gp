# SPDX-License-Identifier: GPL-2.0
# The bench chart: gnuplot -e "dat='build/bench/chart.dat'; out='build/bench/chart.png'" tests/bench/chart.gp
# chart.dat (written by tests/bench/report.py) holds one block per panel:
#   "label" value color "text"
if (!exists("dat")) dat = 'build/bench/chart.dat'
if (!exists("out")) out = 'build/bench/chart.png'

array T[6]
T[1] = "4 KiB randwrite QD1, mean latency (us, lower is better)"
T[2] = "4 KiB randwrite QD16 (IOPS, higher is better)"
T[3] = "1 MiB sequential write (MB/s, higher is better)"
T[4] = "Full resync (MB/s, higher is better)"
T[5] = "Context switches per 4 KiB QD1 write"
T[6] = "4 KiB randwrite QD1, p99 latency (us)"

set terminal pngcairo size 1650,950 font "DejaVu Sans,10"
set output out
date = system("sed -n '2s/^# //p' ".dat)
set multiplot layout 2,3 title "hadisk vs DRBD 8.4 vs the physical limit -- one qemu TCG VM run, ".date \
	font ",13"
set style fill solid 0.9 border lc rgb "#333333"
set boxwidth 0.7
set grid ytics lc rgb "#dddddd"
set xtics rotate by -30 nomirror font ",9"
set ytics nomirror
set border 3
set yrange [0:*]
set offsets 0.4, 0.4, graph 0.12, 0
unset key
do for [i=0:5] {
	set title T[i+1]
	plot dat index i using 0:2:3:xtic(1) with boxes lc rgb variable, \
	     '' index i using 0:2:4 with labels offset char 0,0.7 font ",9"
}
unset multiplot

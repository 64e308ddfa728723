# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# fio measurements in the two crash-test VMs, with the job shapes of
# make bench (tests/bench/vm-bench.sh).  Sourced after tests/crash/lib.sh
# by tests/crash/80-rdma.sh and tests/bench/rdma.sh.
#
#   perf_fio NODE TAG RUNTIME SPAN_MB JOB...
#       NODE (resource r0 connected, Secondary) becomes Primary, runs the
#       JOBs one after the other on /dev/hadisk0, waits until in sync and
#       becomes Secondary again.  Each job: libaio, direct, --time_based
#       --runtime=RUNTIME over the first SPAN_MB MiB, --randrepeat=0
#       --norandommap; JOB is one of
#         4k_qd1   4 KiB random writes, one at a time (with p50 and p99)
#         4k_qd16  4 KiB random writes, 16 in flight
#         1m_seq   1 MiB sequential writes, 8 in flight
#       fio's JSON is left in NODE's results share as perf/TAG-JOB.json
#       (on the host: $(vm_file NODE perf/TAG-JOB.json)); the figures, read
#       on the host, go into the array PERF, keyed by the metric names of
#       tests/bench/report.py: 4k_qd1_lat_us, 4k_qd1_p50_us, 4k_qd1_p99_us,
#       4k_qd1_iops, 4k_qd16_iops, 1m_seq_MBps (the jobs that ran only).

declare -gA PERF=()

perf_fio() {
	local node=$1 tag=$2 runtime=$3 span=$4 job shape script
	shift 4
	script='hd primary r0 && mkdir -p $R/perf'
	for job in "$@"; do
		case $job in
		4k_qd1) shape="--rw=randwrite --bs=4k --iodepth=1 --lat_percentiles=1 --percentile_list=50:99" ;;
		4k_qd16) shape="--rw=randwrite --bs=4k --iodepth=16" ;;
		1m_seq) shape="--rw=write --bs=1M --iodepth=8" ;;
		*) fail "perf_fio: unknown job $job" ;;
		esac
		script+=" &&
		rm -f \$R/perf/$tag-$job.json &&
		fio --name=$tag-$job --filename=\$DEV --direct=1 --ioengine=libaio \
		    --size=${span}M --time_based --runtime=$runtime \
		    --randrepeat=0 --norandommap $shape \
		    --output-format=json --output=\$R/perf/$tag-$job.json"
	done
	script+=' &&
		hd wait-sync r0 --timeout 60 && hd secondary r0 && show'
	vm_must "$node" $((runtime * $# + 120)) "$script"
	PERF=()
	local k v files=()
	for job in "$@"; do files+=("$job=$(vm_file "$node" "perf/$tag-$job.json")"); done
	while read -r k v; do
		[ -n "$k" ] && PERF[$k]=$v
	done < <(python3 - "${files[@]}" <<'EOF'
import json, sys
for arg in sys.argv[1:]:
    job, path = arg.split("=", 1)
    w = json.load(open(path))["jobs"][0]["write"]
    if job == "4k_qd1":
        pct = w["lat_ns"]["percentile"]
        print("4k_qd1_lat_us %.1f" % (w["lat_ns"]["mean"] / 1e3))
        print("4k_qd1_p50_us %.1f" % (pct["50.000000"] / 1e3))
        print("4k_qd1_p99_us %.1f" % (pct["99.000000"] / 1e3))
        print("4k_qd1_iops %.0f" % w["iops"])
    elif job == "4k_qd16":
        print("4k_qd16_iops %.0f" % w["iops"])
    else:
        print("1m_seq_MBps %.1f" % (w["bw_bytes"] / 1e6))
EOF
	)
	for job in "$@"; do
		case $job in
		4k_qd1) k=4k_qd1_iops ;; 4k_qd16) k=4k_qd16_iops ;; 1m_seq) k=1m_seq_MBps ;;
		esac
		[ -n "${PERF[$k]:-}" ] || fail "perf_fio: no $job figures from $node (fio JSON in ${files[*]})"
	done
	note "perf $tag: $(for k in 4k_qd1_lat_us 4k_qd1_p50_us 4k_qd1_p99_us 4k_qd1_iops 4k_qd16_iops 1m_seq_MBps; do
		[ -n "${PERF[$k]:-}" ] && printf '%s=%s ' "$k" "${PERF[$k]}"; done)"
}

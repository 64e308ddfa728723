#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failover time (issue 6, part 2): the Primary killed -> the other node
# Primary with ext4 mounted, in two VMs (the crash-test harness,
# tests/crash/lib.sh and ha.sh), with hadiskd's default timeouts
# (heartbeat-interval 500 ms, heartbeat-timeout 3 s), policy automatic
# and fencing (resource-only; the fence-peer hook reports the dead peer
# unreachable).  The service is tests/crash/service.sh: ext4 on
# /dev/hadisk0 and a file writer, started by hadiskd's start hook.
#
# Each trial: the writer runs on the Primary P; P's qemu is SIGKILLed (a
# power cut); the host times, with its own clock, the moment the survivor's
# kernel reports it Primary (its event stream) and the moment its start
# hook has mounted ext4 (its service log), both seen through the VMs'
# results shares.  Then P boots again, rejoins ('up', resynced from the new
# Primary), its hadiskd starts, and the next trial goes the other way.
#
# Usage: tests/bench/failover.sh           (called by tests/bench/run.sh)
# Env:   BENCH_FAILOVER_TRIALS (default 5)
# Writes build/bench/failover.env (failover_s = median, failover_worst_s,
# the same for Primary alone, each trial's figures) and, when
# build/bench/results.json exists already and build/bench/raw does not,
# merges the figures into it (target hadisk-C); tests/bench/run.sh runs
# this before tests/bench/report.py, which reads failover.env.
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
OUTB=$ROOT/build/bench
TRIALS=${BENCH_FAILOVER_TRIALS:-5}
. "$ROOT/tests/crash/lib.sh"
. "$CRASH_LIB/ha.sh"
mkdir -p "$OUTB"
sh "$ROOT/tests/vm/mkinitramfs.sh" > /dev/null || { echo "failover: cannot build the VM initramfs" >&2; exit 1; }
crash_init bench-failover
ha_config 7	# a small activity log: each return resyncs <= 28 MiB, not the whole device
make_images 256

step "failover bench: $TRIALS trials; boot alpha and beta, a fresh pair, ext4, hadiskd on both, alpha's service started"
vm_boot alpha beta
pair_up
ha_mkfs alpha
ha_start alpha beta
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up'
ha_services alpha

P=alpha S=beta
each=() each_p=()
for i in $(seq 1 "$TRIALS"); do
	step "trial $i of $TRIALS: $P Primary with the writer running; power cut of $P"
	ha_fence_ok "$S"
	ha_wait_line "$P" writer '^[0-9]+$' "$(( $(ha_writer_acks "$P") + 3 ))" 180 > /dev/null ||
		fail "$P's writer acknowledged no files in 180 s"
	sleep "1.$((RANDOM % 10))"
	ha_kill_measure "$P" "$S"
	each+=("$HA_T_MOUNTED")
	each_p+=("$HA_T_PRIMARY")
	metric "trial${i}_${S}_primary_s" "$HA_T_PRIMARY"
	metric "trial${i}_${S}_mounted_s" "$HA_T_MOUNTED"
	ha_wait_line "$S" writer '^[0-9]+$' "$(( $(ha_writer_acks "$S") + 1 ))" 120 > /dev/null ||
		check_fail "the writer did not resume on $S"
	[ "$i" -lt "$TRIALS" ] || break
	step "trial $i: $P boots again, rejoins as Secondary, resynced from $S; its hadiskd starts"
	vm_boot "$P"
	vm_must "$P" 60 'hd up r0 && show'
	vm_must "$S" 200 'hd wait-sync r0 --timeout 180 && show'
	vm_must "$P" 60 'wait_until "UpToDate" 50 is disk UpToDate && show'
	ha_start "$P"
	vm_must "$S" 30 'wait_until "the peer heard on both paths" 20 ha_is peer_state up'
	t=$P P=$S S=$t
done

stats() {	# stats V...: "median worst"
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.2f %.2f\n", m, v[NR] }'
}
read -r med worst <<< "$(stats "${each[@]}")"
read -r pmed pworst <<< "$(stats "${each_p[@]}")"
notes="kill -> Primary: hadiskd's heartbeat-timeout, its decision loop (every heartbeat-interval), the fence-peer hook, PRIMARY; -> mounted: the start hook's mount (ext4 journal recovery)"
{
	echo "failover_s=$med"
	echo "failover_worst_s=$worst"
	echo "failover_primary_s=$pmed"
	echo "failover_primary_worst_s=$pworst"
	echo "trials=${#each[@]}"
	echo "each_s=${each[*]}"
	echo "each_primary_s=${each_p[*]}"
	echo "heartbeat_interval_ms=500"
	echo "heartbeat_timeout_ms=3000"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "notes=$notes"
} > "$OUTB/failover.env"
cp "$OUTB/failover.env" "$CRASH_DIR/"
step "failover: kill -> ext4 mounted: median $med s, worst $worst s (Primary: median $pmed s, worst $pworst s) over ${#each[@]} trials; heartbeat-timeout 3 s: target <= 5 s"
note "each trial, kill -> mounted: ${each[*]} s; kill -> Primary: ${each_p[*]} s"
[ -z "$notes" ] || note "note: $notes"

if [ -f "$OUTB/results.json" ] && [ ! -d "$OUTB/raw" ]; then
	python3 - "$OUTB/results.json" "$OUTB/failover.env" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
env = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[2]) if "=" in l)
keys = ("failover_s", "failover_worst_s", "failover_primary_s", "failover_primary_worst_s")
res["results"] = [r for r in res["results"] if not (r["target"] == "hadisk-C" and r["metric"] in keys)]
res["results"] += [{"target": "hadisk-C", "metric": k, "value": float(env[k])} for k in keys]
json.dump(res, open(sys.argv[1], "w"), indent=1)
PY
	note "merged into $OUTB/results.json"
elif [ -d "$OUTB/raw" ]; then
	python3 "$ROOT/tests/bench/report.py" "$OUTB" > /dev/null && note "build/bench/results.json and table.txt regenerated with the failover figures"
fi

vm_shutdown "$S"
klog_check
crash_done

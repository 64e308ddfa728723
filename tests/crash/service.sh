#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "service" of the hadiskd crash tests: ext4 on /dev/hadisk0 mounted
# on /mnt/r0, and a writer that creates files in /mnt/r0/data.  hadiskd
# runs this script as the resource's start and stop hook:
#
#   service.sh start RES   mount, then start the writer (detached)
#   service.sh stop RES    stop the writer (SIGTERM: it finishes the file
#                          it is writing and exits 0), then unmount
#
# and the tests run it directly for:
#
#   service.sh writer DIR REPORT   the writer (see below)
#   service.sh verify DIR REPORT   every acknowledged file is intact
#
# The writer resumes after the highest file number present in DIR, writes
# f<i> (a deterministic content of 1 to 48 KiB) to DIR/.tmp, fsyncs it,
# renames it into place, fsyncs the directory, and only then appends i to
# REPORT: an acknowledged file.  Any failure (an IO error returned to the
# application) is appended to REPORT.errors and ends it with status 1.
#
# The share of the VM (the crash test's results directory) is read from
# /run/crash/service.env (R=...), written by ha_start: hooks get no
# environment but HADISK_ACTION, HADISK_RESOURCE, HADISK_NODE, HADISK_PEER.
# Everything that happens is appended to $R/service.log with this VM's
# clock (seconds.nanoseconds) and to the kernel log.
set -u
MNT=/mnt/r0
DEV=/dev/hadisk0
R=/tmp
[ -r /run/crash/service.env ] && . /run/crash/service.env
NODE=${HADISK_NODE:-$(hostname)}

log() {
	echo "${EPOCHREALTIME} $NODE $*" >> "$R/service.log"
	echo "crash-service: $NODE: $*" > /dev/kmsg 2>/dev/null
	return 0
}

content() {	# content I: the bytes of file I
	local size=$(( ($1 * 7919) % 49152 + 1 )) line="hadisk crash-test service file $1"$'\n' s=""
	while [ ${#s} -lt "$size" ]; do s+=$line$s; done
	printf '%s' "${s:0:size}"
}

last_file() {	# last_file DIR: the highest i of DIR/f<i>, 0 if none
	local f n last=0
	for f in "$1"/f*; do
		n=${f##*/f}
		[[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt "$last" ] && last=$n
	done
	echo "$last"
}

writer() {
	local dir=$1 report=$2 i stop=0
	mkdir -p "$dir" && sync "$dir" || { echo "$NODE: mkdir $dir failed" >> "$report.errors"; exit 1; }
	i=$(( $(last_file "$dir") + 1 ))
	trap 'stop=1' TERM INT
	log "writer: starting at file $i"
	while [ $stop = 0 ]; do
		if ! { content "$i" > "$dir/.tmp" && sync "$dir/.tmp" &&
		       mv "$dir/.tmp" "$dir/f$i" && sync "$dir"; }; then
			echo "$NODE: an IO error writing file $i" >> "$report.errors"
			log "writer: IO ERROR at file $i"
			exit 1
		fi
		echo "$i" >> "$report"
		i=$((i + 1))
	done
	log "writer: stopped cleanly after file $((i - 1))"
	exit 0
}

verify() {	# every number of REPORT has its file, intact
	local dir=$1 report=$2 i n=0 bad=0 got
	while read -r i; do
		[[ $i =~ ^[0-9]+$ ]] || continue
		n=$((n + 1))
		if [ ! -e "$dir/f$i" ]; then
			echo "MISSING: acknowledged file f$i"
			bad=$((bad + 1))
			continue
		fi
		got=$(< "$dir/f$i")
		if [ "$got" != "$(content "$i")" ]; then
			echo "CORRUPT: acknowledged file f$i"
			bad=$((bad + 1))
		fi
	done < "$report"
	echo "verify: $n acknowledged files checked, $bad bad, highest present f$(last_file "$dir")"
	[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
}

case ${1:-} in
start)
	mkdir -p "$MNT"
	t0=$EPOCHREALTIME
	if ! out=$(mount "$DEV" "$MNT" 2>&1); then
		log "start: mount $DEV $MNT failed: $out"
		exit 1
	fi
	log "start: mounted $DEV on $MNT"
	setsid "$0" writer "$MNT/data" "$R/writer" < /dev/null >> "$R/writer.out" 2>&1 &
	echo $! > /run/crash/writer.pid
	log "start: writer started (pid $!)"
	exit 0 ;;
stop)
	pid=$(cat /run/crash/writer.pid 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for _ in $(seq 1 300); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			log "stop: the writer did not stop within 30 s"
			exit 1
		fi
		log "stop: writer stopped"
	fi
	rm -f /run/crash/writer.pid
	if mountpoint -q "$MNT"; then
		if ! out=$(umount "$MNT" 2>&1); then
			log "stop: umount failed: $out"
			exit 1
		fi
		log "stop: unmounted $MNT"
	fi
	exit 0 ;;
writer) writer "$2" "$3" ;;
verify) verify "$2" "$3" ;;
*)
	echo "usage: service.sh start|stop RES | writer DIR REPORT | verify DIR REPORT" >&2
	exit 2 ;;
esac

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ten power cuts of the Primary in a row, ext4 on top, roles alternating.
#
# alpha makes ext4 on /dev/hadisk0.  Then each trial t (CRASH_TRIALS,
# default 10), with P the Primary and S the Secondary:
#  1. P mounts the file system and runs two writers on it: ackcheck on a
#     new 8 MiB file (O_DIRECT|O_SYNC into unwritten extents: every write
#     is a journal commit) and a file creator (write, fsync, rename, fsync
#     of the directory); both report each acknowledged number to the host.
#  2. 1-3 s after 20 acks and 3 files, P's qemu is SIGKILLed.
#  3. S sees the peer lost, is promoted (no --force), mounts the file system
#     (journal replay): every acknowledged block and file, of this trial
#     and of all earlier ones, is there and intact; unmounted,
#     'fsck.ext4 -fn' finds it clean.
#  4. P boots again: log replay, crashed Primary, it stays Secondary and
#     is resynced bitmap-based by S: at most P's log extents plus what S's
#     bitmap holds.  Both data areas are then byte-identical.
#  5. S is the Primary of the next trial.
# Kernel warnings in any boot's log fail it.  A failed check does not stop
# the trials (what happens next is evidence too); it fails at the end.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
crash_init
# The smallest activity log (7 extents, 28 MiB): ext4's journal, metadata,
# and two writers keep more extents hot than that, so extents come and go
# all the time, and each crash catches the log in the middle of it.
crash_config 7
make_images 256
TRIALS=${CRASH_TRIALS:-10}
MNT=/mnt/hd

step "boot alpha and beta; a fresh pair, alpha Primary; ext4 on /dev/hadisk0"
vm_boot alpha beta
pair_up
vm_must alpha 300 '
	mkfs.ext4 -q -F -N 4096 -J size=4 -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 $DEV
	hd wait-sync r0 --timeout 60
	show'

# files_check NODE T: the guest command that checks, in NODE's mounted file
# system, every file acknowledged in trials 1..T against a manifest of
# their md5s, written by the host into NODE's share.
declare -A FILES_ACKED=()
files_check() {
	local n=$1 t=$2 u i m
	m=$(vm_file "$n" "manifest-$t")
	(
		HADISK_ROOT=$ROOT
		. "$CRASH_LIB/guest.sh"
		for ((u = 1; u <= t; u++)); do
			for ((i = 1; i <= FILES_ACKED[$u]; i++)); do
				echo "$(_file_content "trial$u" "$i" | md5sum | cut -d' ' -f1)  t$u/f$i"
			done
		done
	) > "$m"
	echo "if (cd $MNT && md5sum --quiet --strict -c \$R/manifest-$t); then
		echo '$(wc -l < "$m") acknowledged files of trials 1..$t intact'
	else bad=1; fi"
}

P=alpha
S=beta
for ((t = 1; t <= TRIALS; t++)); do
	step "trial $t of $TRIALS: $P Primary writing on ext4; power cut"
	prev=$((t - 1))
	mark_links "$P" "$S"
	vm_must "$P" 60 "
		mkdir -p $MNT && mount -t ext4 \$DEV $MNT
		rm -f $MNT/ack-$prev.dat
		fallocate -l 8M $MNT/ack-$t.dat && sync $MNT/ack-$t.dat $MNT
		bg_start acks \$ACKCHECK write $MNT/ack-$t.dat --count 2048 --seed $t --area 8M --report \$R/acks-$t
		bg_start files files_writer $MNT/t$t \$R/files-$t trial$t
		show"
	wait_acks "$P" "acks-$t" 20 180
	wait_acks "$P" "files-$t" 3 180
	sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"
	expect_no_link_loss "$S" "in trial $t while $P was writing"
	vm_kill "$P"
	expect_no_link_loss "$P" "in trial $t while it was writing"
	acked=$(acks_last "$P" "acks-$t")
	FILES_ACKED[$t]=$(acks_last "$P" "files-$t")
	metric "trial${t}_acked_blocks" "$acked"
	metric "trial${t}_acked_files" "${FILES_ACKED[$t]}"
	dump=$(md_dump "$P" "trial$t")
	[ "$(json_get "$dump" crashed_primary)" = true ] ||
		check_fail "trial $t: $P's metadata does not say crashed Primary"
	al_ext=$(json_get "$dump" activity_log.newest.extents | tr -cd '0-9,' | tr ',' '\n' | grep -c .)
	md_oos=$(json_get "$dump" out_of_sync_bytes)
	metric "trial${t}_al_extents" "$al_ext"

	step "trial $t: $S promoted; every acknowledged block and file is there; fsck clean"
	vm_must "$S" 60 '
		wait_until "the loss of the peer" 40 is connection Connecting
		[ "$(st disk)" = UpToDate ] || { echo "not UpToDate"; exit 1; }
		hd primary r0 && show'
	vm_run "$S" 300 "
		mkdir -p $MNT && mount -t ext4 \$DEV $MNT || exit 1
		bad=0
		\$ACKCHECK verify $MNT/ack-$t.dat --upto $acked --seed $t --area 8M || bad=1
		$(files_check "$S" "$t")
		umount $MNT || exit 1
		fsck.ext4 -fn \$DEV || { echo \"fsck.ext4 -fn: status \$?\"; exit 1; }
		[ \$bad = 0 ]" ||
		check_fail "trial $t: acknowledged data lost or file system damaged on $S (see above)"
	vm_must "$S" 10 'echo $(st bytes_sent) $(st out_of_sync_bytes)'
	read -r sent0 s_oos <<< "$VM_REPLY"

	step "trial $t: $P returns: log replay, Secondary, bitmap-based resync from $S"
	vm_boot "$P"
	vm_must "$P" 60 '
		hd up r0
		show
		kmsg_has "activity log replayed: [0-9]+ extents" || { echo "no activity-log replay"; exit 1; }
		kmsg_has "crashed Primary" || { echo "not recognised as a crashed Primary"; exit 1; }
		[ "$(st role)" = Secondary ] || { echo "came back as $(st role)"; exit 1; }'
	replayed=$(kmsg_num "$P" 'activity log replayed: ([0-9]+) extents')
	[ "$replayed" = "$al_ext" ] || check_fail "trial $t: $P replayed $replayed extents, its log named $al_ext"
	vm_must "$S" 140 'hd wait-sync r0 --timeout 120 && show'
	vm_must "$P" 60 'wait_until "UpToDate" 50 is disk UpToDate && show'
	vm_must "$S" 10 'st bytes_sent'
	sent=$((VM_REPLY - sent0))
	rs=$(grep -aE "resync to $P started" "$(vm_file "$S" kmsg)" | tail -n 1)
	rsb=$(sed -nE 's/.*bitmap-based resync to .* started: ([0-9]+) bytes.*/\1/p' <<< "$rs")
	bound=$((replayed * 4 * MiB + md_oos + s_oos))
	metric "trial${t}_resync_bytes" "${rsb:-none}"
	note "trial $t: resync ${rsb:-?} bytes (bound: $replayed log extents x 4 MiB + $P's bitmap $md_oos + $S's bitmap $s_oos = $bound), $sent bytes sent"
	if [ -z "$rsb" ]; then
		check_fail "trial $t: no bitmap-based resync to $P (${rs:-no resync})"
	else
		[ "$rsb" -le "$bound" ] ||
			check_fail "trial $t: resync of $rsb bytes, more than $P's log extents and bitmap + $S's bitmap ($bound)"
		[ "$sent" -le $((rsb * 11 / 10 + MiB)) ] ||
			check_fail "trial $t: $S sent $sent bytes for a $rsb-byte resync"
	fi
	images_identical
	tmp=$P
	P=$S
	S=$tmp
done

step "the last Primary, $P: every trial's acknowledged files once more; fsck clean"
vm_run "$P" 300 "
	mount -t ext4 \$DEV $MNT || exit 1
	bad=0
	$(files_check "$P" "$TRIALS")
	umount $MNT || exit 1
	fsck.ext4 -fn \$DEV && [ \$bad = 0 ]" ||
	check_fail "acknowledged files lost or file system damaged at the end"

step "clean shutdown"
vm_must "$P" 30 'hd down r0'
vm_must "$S" 30 'hd down r0'
vm_shutdown alpha beta
klog_check
crash_done

#!/bin/bash
# The activity log's size (disk { al-extents N; }) trades log writes for
# the resync after a crash: random writes over 16 extents need one log
# transaction per extent with room for all of them, and many more when the
# log holds only 7. The counts are printed; the size of the active set is
# bounded by al-extents, which bounds the resync after a Primary crash.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 128
load_hadisk
run_with() {	# run_with AL_EXTENTS -> prints "al_writes active"
	sed -i '/^    disk {/d' /etc/hadisk/r0.conf
	sed -i "s/^    protocol C;/    protocol C;\n    disk { al-extents $1; }/" /etc/hadisk/r0.conf
	hd_a up r0 >/dev/null || fail "up with al-extents $1"
	hd_a primary r0 --force >/dev/null || fail "primary"
	fio --name=al --filename=/dev/hadisk0 --direct=1 --ioengine=libaio \
	    --rw=randwrite --bs=4k --iodepth=1 --size=64M --number_ios=3000 \
	    --randrepeat=1 --output=/dev/null || fail "fio"
	echo "$(hd_status_field alpha r0 al_writes) $(hd_status_field alpha r0 al_active_extents)"
	hd_a secondary r0 >/dev/null
	hd_a down r0 >/dev/null || fail "down"
}
step "al-extents 257: 64 MiB of random writes = 16 extents"
read -r w257 a257 <<< "$(run_with 257)"
echo "al-extents 257: $w257 log transactions, $a257 active extents"
step "al-extents 7: the same writes"
read -r w7 a7 <<< "$(run_with 7)"
echo "al-extents 7: $w7 log transactions, $a7 active extents"
[ "$a257" = 16 ] || fail "with 257 slots the 16 touched extents should all be active"
[ "$w257" -le 17 ] || fail "with room for every extent, one transaction per extent"
[ "$a7" -le 7 ] || fail "more active extents than al-extents"
[ "$w7" -gt $((w257 * 10)) ] || fail "a small log should need far more transactions"
echo "activity log size: 257 -> $w257 transactions (resync after a crash <= $((a257 * 4)) MiB); 7 -> $w7 transactions (<= $((a7 * 4)) MiB)"

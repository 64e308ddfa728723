#!/bin/sh
# make demo: two nodes, printed as it happens.
#  Part 1 (one VM, two network namespaces): setup, initial sync, ext4,
#          switchover, a link cut while writing, bitmap-based resync.
#  Part 2 (two VMs): the Primary's qemu is killed mid-write (a power cut);
#          the Secondary is promoted with every acknowledged write; the old
#          Primary returns, replays its activity log and is resynced
#          incrementally (tests/crash/10-failover.sh).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
bash "$ROOT/tests/vm/run-vm.sh" --live --name demo \
	"$ROOT/tests/demo/demo-inside.sh" || exit 1
printf '\n\033[1m### Part 2: a power cut of the Primary, in two VMs\033[0m\n'
exec bash "$ROOT/tests/crash/10-failover.sh"

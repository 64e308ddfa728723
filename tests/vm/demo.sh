#!/bin/sh
# make demo: a two-node hadisk cluster in two VMs, printed step by step
# with timings (tests/demo/two-vm.sh): ext4 and a running writer on alpha,
# started by hadiskd; a power cut of alpha; beta promoted by hadiskd, the
# file system mounted, the writer resumed; alpha returns and is resynced
# incrementally; a switchover moves the service back to alpha.
#
# DEMO_ONE_VM=1 first runs the older one-VM walk-through
# (tests/demo/demo-inside.sh: setup, initial sync, switchover by hand, a
# link cut while writing, bitmap-based resync; two network namespaces).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${DEMO_ONE_VM:-0}" = 1 ]; then
	bash "$ROOT/tests/vm/run-vm.sh" --live --name demo \
		"$ROOT/tests/demo/demo-inside.sh" || exit 1
fi
sh "$ROOT/tests/vm/mkinitramfs.sh" > /dev/null || { echo "demo: cannot build the VM initramfs" >&2; exit 1; }
exec bash "$ROOT/tests/demo/two-vm.sh"

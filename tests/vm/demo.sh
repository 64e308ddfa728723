#!/bin/sh
# make demo: boot the test VM and run the two-node demo, printed live.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
exec bash "$ROOT/tests/vm/run-vm.sh" --live --name demo \
	"$ROOT/tests/demo/demo-inside.sh"

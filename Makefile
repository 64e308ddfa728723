# hadisk top-level Makefile.
#   make            build hadisk.ko and the userspace tools (installs Debian deps)
#   make check      unit tests, every VM scenario and crash test (the Debian
#                   packages are built first for 61-debian-packages);
#                   last line "N passed, N failed"
#   make demo       a two-node cluster in a VM, printed step by step
#   make unit       unit tests only
#   make vm-check   VM scenarios only (SCENARIOS="name ..." to pick some)
#   make crash-check  the two-VM crash tests only
#   make bench      the benchmark against DRBD 8.4 and the limit (one VM, ~10 min)
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS (default 60) each
#   make check-debug  the VM scenarios on a KASAN/lockdep/kmemleak kernel built
#                   once from Debian's linux-source-6.1 and cached in
#                   /var/cache/hadisk/debug-kernel (SCENARIOS="name ..." to
#                   pick some); last line "N passed, N failed"
# KDIR=... overrides the kernel build tree (default: Debian's linux-headers-amd64).

KVER ?= $(shell ls -d /lib/modules/*-amd64/build 2>/dev/null | sed 's,/lib/modules/,,;s,/build,,' | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build
export KVER KDIR

.PHONY: all deps module userspace tools unit vm-check crash-check check demo clean checkpatch bench fuzz deb soak check-debug

all: deps module userspace tools

deps:
	@sh scripts/deps.sh

module: deps
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: deps
	$(MAKE) -C userspace

# Test helpers run inside the VM (tests/tools).
tools: build/tools/fakepeer build/tools/ackcheck build/tools/nlfuzz

build/tools/fakepeer: tests/tools/fakepeer.c kernel/wire.c kernel/sbpolicy.c kernel/wire.h include/hadisk/wire.h
	@mkdir -p build/tools
	$(CC) -Wall -Wextra -O2 -Iinclude -Ikernel -o $@ tests/tools/fakepeer.c kernel/wire.c kernel/sbpolicy.c

build/tools/ackcheck: tests/tools/ackcheck.c
	@mkdir -p build/tools
	$(CC) -Wall -Wextra -O2 -o $@ tests/tools/ackcheck.c

build/tools/nlfuzz: tests/tools/nlfuzz.c include/uapi/linux/hadisk.h
	@mkdir -p build/tools
	$(CC) -Wall -Wextra -O2 -Iinclude -o $@ tests/tools/nlfuzz.c -lmnl

unit: deps
	$(MAKE) -C tests/unit

vm-check: all
	@sh tests/vm/run-scenarios.sh $(SCENARIOS)

crash-check: all
	@bash tests/crash/run.sh

check: all deb
	@sh tests/check.sh

# tests/debug/check-debug.sh: hadisk.ko is built for the debug kernel in
# build/debug/src, so this needs neither `module` nor the stock headers.
check-debug: deps userspace tools
	@bash tests/debug/check-debug.sh

demo: all
	@sh tests/vm/demo.sh

bench: all
	@sh tests/bench/run.sh

# One VM for MINUTES (default 10): fio with verification under link cuts,
# corrupted packets, role switches, Secondary restarts and backing-disk
# failures (detach, re-attach); build/soak/.
soak: all
	@bash tests/soak/run.sh $(or $(MINUTES),10) $(SEED)

# tests/fuzz/Makefile: clang, libFuzzer; crashes kept in build/fuzz/artifacts/
fuzz: deps
	$(MAKE) -C tests/fuzz run

checkpatch:
	@sh scripts/checkpatch.sh

# The Debian packages hadisk-dkms and hadisk-utils, into build/deb/.
deb: deps
	@sh debian/build-debs.sh build/deb

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace clean
	-$(MAKE) -C tests/unit clean
	rm -rf build

#!/bin/bash
# The hadisk demo, run inside the VM by tests/vm/demo.sh: two nodes (alpha
# and beta, each in its own network namespace with its own disk), printed
# step by step for a person to follow.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

say() { printf '\n\033[1m### %s\033[0m\n' "$*"; }
run() { printf '\033[36m%s$ %s\033[0m\n' "${NODE:-vm}" "$*"; "$@"; }
on() { local n=$1; shift; NODE=$n run "$@"; }
CTL=hadiskctl
export PATH=$HADISK_ROOT/userspace/hadiskctl:$PATH
ctl_a() { NODE=alpha run ip netns exec a $CTL --node alpha "$@"; }
ctl_b() { NODE=beta run ip netns exec b $CTL --node beta "$@"; }

say "Two nodes in one VM: alpha (namespace a, disk /dev/ram0) and beta (namespace b, disk /dev/ram1), joined by a veth pair"
setup_two_nodes 256
load_hadisk
run cat /etc/hadisk/r0.conf

say "1. Bring the resource up on both nodes: attach the disk, start connecting"
ctl_a up r0
ctl_b up r0
ctl_a wait-connect r0 --timeout 60
ctl_a status r0

say "2. Both disks are new: declare alpha's data good and promote it; the initial full sync starts"
ctl_a primary r0 --force
sleep 1
ctl_a status r0
ctl_a wait-sync r0 --timeout 600
ctl_b status r0

say "3. ext4 on /dev/hadisk0 (alpha, Primary); write some files; every write is on beta's disk before it completes (protocol C)"
on alpha mkfs.ext4 -q -F /dev/hadisk0
mkdir -p /mnt/alpha /mnt/beta
on alpha mount /dev/hadisk0 /mnt/alpha
write_tree /mnt/alpha /tmp/manifest
echo "  wrote $(wc -l < /tmp/manifest) files, $(du -sh /mnt/alpha | cut -f1)"
on alpha umount /mnt/alpha
ctl_a status r0

say "4. Switchover: demote alpha, promote beta, mount on beta: the files are there, byte for byte"
ctl_a secondary r0
ctl_b primary r0
on beta mount /dev/hadisk1 /mnt/beta
check_tree /mnt/beta /tmp/manifest
ctl_b status r0

say "5. The link breaks while beta writes: beta keeps serving writes and remembers what alpha missed"
run link_down
dd if=/dev/urandom of=/mnt/beta/while-apart bs=1M count=16 status=none
sync
sleep 4
ctl_b status r0

say "6. The link comes back: only the blocks alpha missed are resent (bitmap-based resync)"
sent0=$(hd_status_field beta r0 bytes_sent)
run link_up
ctl_b wait-sync r0 --timeout 300
sent1=$(hd_status_field beta r0 bytes_sent)
echo "  resync sent $(( (sent1 - sent0) / 1048576 )) MiB for a 256 MiB device"
ctl_b status r0

say "7. Switch back to alpha and check every file, including the one written while apart"
sha256sum /mnt/beta/while-apart | sed 's|/mnt/beta/||' > /tmp/m2
on beta umount /mnt/beta
ctl_b secondary r0
ctl_a primary r0
on alpha mount -o ro /dev/hadisk0 /mnt/alpha
check_tree /mnt/alpha /tmp/manifest
(cd /mnt/alpha && sha256sum -c /tmp/m2)
on alpha umount /mnt/alpha
run fsck.ext4 -fn /dev/hadisk0
ctl_a secondary r0

say "8. The two backing disks are identical"
cmp_backing
n=$(hd_status_field alpha r0 size_bytes)
echo "  data areas of /dev/ram0 and /dev/ram1: identical ($(md5_dev /dev/ram0 $n))"

say "Part 1 done. Part 2 follows: a real power cut of the Primary, in two VMs"
ctl_a down r0
ctl_b down r0

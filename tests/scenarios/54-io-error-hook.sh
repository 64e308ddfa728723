#!/bin/bash
# A backing-device write error with on-io-error pass_on: the application
# gets the error and the local-io-error hook runs, once per burst, with the
# resource's environment. (The default, detach, is 57-io-error-detach.)
# timeout: 300
. "$HADISK_ROOT/tests/scenarios/lib.sh"

setup_two_nodes 32
load_hadisk
modprobe dm-mod || fail "modprobe dm-mod"
SECTORS=$(blockdev --getsz /dev/ram2)
dmsetup create hdtest --table "0 $SECTORS linear /dev/ram2 0" || fail "dmsetup create"
dmsetup mknodes hdtest
[ -b /dev/mapper/hdtest ] || fail "no /dev/mapper/hdtest"
HOOKS=/tmp/hooks
mkdir -p $HOOKS
cat > $HOOKS/ioerr <<'H'
#!/bin/sh
echo "$HADISK_HOOK $HADISK_NODE $HADISK_RESOURCE dev=$HADISK_DEVICE backing=$HADISK_BACKING role=$HADISK_ROLE" >> /tmp/hooks/calls
H
chmod +x $HOOKS/ioerr
cat > "$HD_CONF" <<C
resource $RES {
    disk { on-io-error pass_on; }
    handlers { local-io-error $HOOKS/ioerr; }
    on alpha { node-id 0; address $IP_A:$PORT; disk /dev/mapper/hdtest; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
hd_a create-md $RES --force >/dev/null || fail "create-md"
hd_a up $RES || fail "up"
hd_a primary $RES --force || fail "primary"
dd if=/dev/zero of=$HD_DEV_A bs=4k count=16 oflag=direct status=none || fail "write before the error"
[ ! -s $HOOKS/calls ] || fail "the hook ran without an error"

step "the backing device fails writes"
dmsetup suspend hdtest
dmsetup load hdtest --table "0 $SECTORS error" || fail "dmsetup load error"
dmsetup resume hdtest
dd if=/dev/zero of=$HD_DEV_A bs=4k count=1 seek=1 oflag=direct status=none 2>/tmp/dd.err &&
	fail "a write on a failing disk succeeded"
cat /tmp/dd.err
wait_for "the local-io-error hook ran" 30 grep -q "local-io-error alpha r0" $HOOKS/calls
cat $HOOKS/calls
grep -q "dev=/dev/hadisk0 backing=/dev/mapper/hdtest role=Primary" $HOOKS/calls ||
	fail "the hook's environment is wrong"
dmesg | grep -q "local-io-error hook $HOOKS/ioerr exited with 0" || fail "no hook line in the log"

step "the disk works again"
dmsetup suspend hdtest
dmsetup load hdtest --table "0 $SECTORS linear /dev/ram2 0"
dmsetup resume hdtest
dd if=/dev/zero of=$HD_DEV_A bs=4k count=1 seek=2 oflag=direct status=none || fail "write after repair"
hd_a secondary $RES
hd_a down $RES || fail "down"
dmsetup remove hdtest
echo "io error hook: ok"

#!/bin/sh
# Run the kernel's checkpatch.pl over kernel/ and include/ (make checkpatch).
# checkpatch.pl ships inside Debian's linux-source-6.1 tarball: it is
# installed when missing and the three files it needs are unpacked into
# build/checkpatch/. include/hadisk/ is shared with userspace, which has no
# __packed: PREFER_DEFINED_ATTRIBUTE_MACRO is not checked.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/checkpatch
if [ ! -x "$OUT/scripts/checkpatch.pl" ]; then
	TAR=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	if [ -z "$TAR" ]; then
		echo "checkpatch: installing linux-source-6.1 (for scripts/checkpatch.pl)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.1 >/dev/null
		TAR=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
	fi
	mkdir -p "$OUT"
	top=$(tar -tf "$TAR" | head -n 1 | cut -d/ -f1)
	tar -xf "$TAR" -C "$OUT" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
cd "$ROOT"
"$OUT/scripts/checkpatch.pl" --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE,PREFER_DEFINED_ATTRIBUTE_MACRO \
	-f kernel/*.c kernel/*.h include/hadisk/*.h include/uapi/linux/hadisk.h

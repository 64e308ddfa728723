#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The hand-made edge cases of the fuzz corpus: corpus/NAME/edge-*.
# Run by "make -C tests/fuzz corpus" (with gen_corpus for the rest).
set -e
C=${1:-corpus}
mk() { mkdir -p "$C/$1"; printf "$3" > "$C/$1/edge-$2"; }
W='HDKW'	# packet magic

# wire: header cut short; bitmap length not a multiple of a run; a HELLO
# with an empty version range; a write past the end of the device; a
# checksum request of 0 blocks; an unknown type; a HELLO longer than v2
mk wire truncated-header "${W}\000\001\000"
mk wire bitmap-odd-length "${W}\000\011\000\000\000\000\000\027\000\000\000\000\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020\021\022\023\024\025\026\027"
mk wire hello-empty-range "${W}\000\001\000\000\000\000\000\010\000\000\000\000HDKH\000\003\000\002"
mk wire data-past-end "${W}\000\003\000\000\000\000\000\030\000\000\000\000\000\000\000\000\000\000\000\001\000\000\000\000\000\010\000\000\000\000\020\000\000\000\000\000"
mk wire csum-zero-blocks "${W}\000\013\000\000\000\000\000\230\000\000\000\000$(printf '%0152d' 0 | sed 's/0/\\000/g')"
mk wire unknown-type "${W}\000\014\000\000\000\000\000\000\000\000\000\000"
mk wire hello-too-long "${W}\000\001\000\000\000\000\001\000\000\000\000\000HDKH"

# meta: no superblock at all; a superblock magic and nothing valid
# behind it (crc fixed by the harness, flag 1); all bits set
mk meta zeros "\000\000\000$(printf '%0256d' 0 | sed 's/0/\\000/g')"
mk meta magic-only-fixcrc "\001\007\000HDKM\001\000\000\000$(printf '%0248d' 0 | sed 's/0/\\000/g')"
mk meta all-ones "\377\377\377$(printf '%0256d' 0 | sed 's/0/\\377/g')"

# config: an unterminated string, a NUL byte, nesting, a long token,
# a comment without a newline at the end, CRLF line ends
mk config unterminated-string 'resource r0 {\n  on alpha { disk "/dev/ram0'
mk config nul-byte 'resource r0 {\000 on alpha { } }\n'
mk config deep-nesting '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'
mk config long-token "resource $(printf '%0300d' 0 | tr 0 r) {\n}\n"
mk config comment-at-eof 'resource r0 { } # no newline'
mk config crlf 'resource r0 {\r\n  protocol C;\r\n}\r\n'

# dconf: the same kinds
mk dconf unterminated-string 'daemon { node "alpha'
mk dconf long-name "daemon { node $(printf '%0200d' 0 | tr 0 n); }\n"
mk dconf too-many-paths "daemon { path 1.1.1.1:1 2.2.2.2:2; path 1.1.1.1:1 2.2.2.2:2; path 1.1.1.1:1 2.2.2.2:2; path 1.1.1.1:1 2.2.2.2:2; path 1.1.1.1:1 2.2.2.2:2; }\n"

# status (attributes after the genetlink header): empty; a zero length;
# a length past the end; a string without its NUL; a u64 of 4 bytes;
# nested garbage (NLA_F_NESTED on RESOURCE)
mk status empty ''
mk status zero-length '\000\000\001\000'
mk status length-past-end '\377\000\001\000r0'
mk status string-no-nul '\006\000\001\000r0\010\000\042\000abcd'
mk status short-u64 '\007\000\001\000r0\000\000\010\000\027\000\001\002\003\004'
mk status nested-garbage '\014\000\001\200\010\000\001\000r0\000\000'

# sbsave (flags byte first): empty, a header cut short, a huge count
mk sbsave empty '\000'
mk sbsave short-header '\000HDSBSAVE\001\000\000\000\000\002\000\000'
mk sbsave huge-count-fixcrc "\001HDSBSAVE\001\000\000\000\000\002\000\000\000\020\000\000\000\000\000\000\377\377\377\377\377\377\377\017$(printf '%0480d' 0 | sed 's/0/\\000/g')"

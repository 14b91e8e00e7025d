#!/usr/bin/python3
"""Rewrites a little-endian nanosecond pcap in layouts editcap does not write, keeping each
frame's exact time: a big-endian microsecond pcap, and a pcapng whose interface counts time in
units of 2^-20 s from an if_tsoffset. Usage: variants.py IN.pcap OUTDIR"""
import os
import struct
import sys

src, outdir = sys.argv[1], sys.argv[2]
data = open(src, "rb").read()
magic, _, _, _, _, snap, link = struct.unpack("<IHHiIII", data[:24])
assert magic == 0xA1B23C4D, "a little-endian nanosecond pcap"
recs, at = [], 24
while at < len(data):
    sec, nsec, cap, orig = struct.unpack("<IIII", data[at:at + 16])
    recs.append((sec, nsec, data[at + 16:at + 16 + cap], orig))
    at += 16 + cap
stem = os.path.splitext(os.path.basename(src))[0]

with open(os.path.join(outdir, stem + "-be-us.pcap"), "wb") as f:
    f.write(struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, link))
    for sec, nsec, b, orig in recs:
        f.write(struct.pack(">IIII", sec, nsec // 1000, len(b), orig) + b)


def opt(code, value):
    return struct.pack("<HH", code, len(value)) + value + b"\x00" * (-len(value) % 4)


def block(kind, body):
    body += b"\x00" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", kind, n) + body + struct.pack("<I", n)


OFFSET = 1_600_000_000  # if_tsoffset: seconds added to every timestamp
with open(os.path.join(outdir, stem + "-tsresol2.pcapng"), "wb") as f:
    f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + opt(4, b"variants.py") + b"\x00" * 4))
    idb_opts = opt(2, b"bin20") + opt(9, bytes([0x80 | 20])) + opt(14, struct.pack("<q", OFFSET)) + b"\x00" * 4
    f.write(block(1, struct.pack("<HHI", link, 0, snap) + idb_opts))
    for sec, nsec, b, orig in recs:
        # Units of 2^-20 s: exact only for times on that grid, so round down to it and let the
        # reader give back floor(units * 1e9 / 2^20) ns, as Wireshark does.
        units = ((sec - OFFSET) << 20) + (nsec << 20) // 1_000_000_000
        f.write(block(6, struct.pack("<IIIII", 0, units >> 32, units & 0xFFFFFFFF, len(b), orig) + b))

#!/usr/bin/python3
"""IPv6, ICMPv6 and TCP edge cases, built byte by byte (no scapy needed), written as a
little-endian nanosecond pcap with exact times in 2024: extension headers (hop-by-hop with
Router Alert and padding, destination options, routing, fragments), ICMPv6 Neighbor Discovery
with its options, MLD v1 and v2, errors quoting packets, TCP flags and options (SACK, urgent,
reset, a bogus header length, options cut by the capture), Q-in-Q around IPv6.
Usage: crafted6.py OUT.pcap"""
import struct
import sys

A = bytes.fromhex("020000000a01")
B = bytes.fromhex("020000000b01")
S1 = bytes.fromhex("fe800000000000000000000000000001")
S2 = bytes.fromhex("fe800000000000000000000000000002")
G1 = bytes.fromhex("fd000009000000000000000000000001")
G2 = bytes.fromhex("fd000009000000000000000000000002")
ALL = bytes.fromhex("ff020000000000000000000000000001")
MLD2 = bytes.fromhex("ff020000000000000000000000000016")
GRP = bytes.fromhex("ff150000000000000000000000000001")


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo6(src, dst, nxt, payload):
    return src + dst + struct.pack("!IxxxB", len(payload), nxt)


def with_sum(msg, at, src, dst, nxt):
    msg = bytearray(msg)
    msg[at:at + 2] = b"\0\0"
    msg[at:at + 2] = struct.pack("!H", csum(pseudo6(src, dst, nxt, bytes(msg)) + bytes(msg)))
    return bytes(msg)


def ipv6(src, dst, nxt, payload, hlim=64, tclass=0, flow=0):
    word = (6 << 28) | (tclass << 20) | flow
    return struct.pack("!IHBB", word, len(payload), nxt, hlim) + src + dst + payload


def eth(dst, src, body, etype=0x86DD):
    return dst + src + struct.pack("!H", etype) + body


def icmp6(src, dst, type_, code, body):
    return with_sum(struct.pack("!BBH", type_, code, 0) + body, 2, src, dst, 58)


def opt_lla(kind, mac):
    return struct.pack("!BB", kind, 1) + mac


def mcast_mac(addr):
    return b"\x33\x33" + addr[12:]


def tcp(src, dst, sport, dport, seq, ack, flags, win, opts=b"", payload=b"", urg=0, doff=None, bad=False):
    hl = 20 + len(opts)
    off = (doff if doff is not None else hl // 4) << 12
    h = struct.pack("!HHIIHHHH", sport, dport, seq, ack, off | flags, win, 0, urg) + opts
    seg = h + payload
    if src is None:
        return seg
    seg = bytearray(with_sum(seg, 16, src, dst, 6))
    if bad:
        seg[16] ^= 0xFF
    return bytes(seg)


def tcp4(src, dst, seg):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 7, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    ph = src + dst + struct.pack("!BBH", 0, 6, len(seg))
    seg = bytearray(seg)
    seg[16:18] = b"\0\0"
    seg[16:18] = struct.pack("!H", csum(ph + bytes(seg)))
    return ip + bytes(seg)


frames = []


def add(frame, snap=None):
    frames.append((frame[:snap] if snap else frame, len(frame)))


# Neighbor Discovery: RS, RA with prefix and MTU options, NS, NA (router), Redirect.
add(eth(mcast_mac(ALL), A, ipv6(S1, bytes.fromhex("ff020000000000000000000000000002"), 58,
    icmp6(S1, bytes.fromhex("ff020000000000000000000000000002"), 133, 0, b"\0" * 4 + opt_lla(1, A)), 255)))
ra = struct.pack("!BBHII", 64, 0xC0, 1800, 30000, 1000) + opt_lla(1, B)
ra += struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) + G1[:8] + b"\0" * 8
ra += struct.pack("!BBHI", 5, 1, 0, 1500)
add(eth(mcast_mac(ALL), B, ipv6(S2, ALL, 58, icmp6(S2, ALL, 134, 0, ra), 255)))
sol = bytes.fromhex("ff0200000000000000000001ff000002")
add(eth(mcast_mac(sol), A, ipv6(G1, sol, 58, icmp6(G1, sol, 135, 0, b"\0" * 4 + G2 + opt_lla(1, A)), 255)))
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 136, 0, struct.pack("!I", 0xE0000000) + G2 + opt_lla(2, B)), 255)))
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 136, 0, struct.pack("!I", 0) + G2), 255)))
add(eth(A, B, ipv6(S2, G1, 58, icmp6(S2, G1, 137, 0, b"\0" * 4 + S2 + G2 + opt_lla(2, B)), 255)))
# MLD v1 query, report, done; v2 query with sources; v2 report with sources, all with Router Alert.
ra_opt = bytes([58, 0, 5, 2, 0, 0, 1, 0])  # next header ICMPv6, Router Alert MLD, PadN
hop = lambda nxt: bytes([nxt, 0, 5, 2, 0, 0, 1, 0])


def mld(dst, type_, body, src=S1):
    msg = icmp6(src, dst, type_, 0, body)
    return eth(mcast_mac(dst), A, ipv6(src, dst, 0, hop(58) + msg, 1))


add(mld(ALL, 130, struct.pack("!HH", 10000, 0) + b"\0" * 16))
add(mld(GRP, 131, struct.pack("!HH", 0, 0) + GRP))
add(mld(bytes.fromhex("ff020000000000000000000000000002"), 132, struct.pack("!HH", 0, 0) + GRP))
add(mld(ALL, 130, struct.pack("!HH", 1000, 0) + GRP + struct.pack("!BBH", 0x0A, 125, 2) + G1 + G2))
rec = struct.pack("!BBH", 1, 0, 2) + GRP + G1 + G2 + struct.pack("!BBH", 6, 0, 0) + ALL
add(mld(MLD2, 143, struct.pack("!HH", 0, 2) + rec))
# Errors quoting packets: port unreachable quoting UDP, packet too big, time exceeded, parameter problem.
udp = struct.pack("!HHHH", 40000, 9999, 12, 0) + b"ping"
udp = with_sum(udp, 6, G1, G2, 17)
inner = ipv6(G1, G2, 17, udp)
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 1, 4, b"\0" * 4 + inner))))
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 2, 0, struct.pack("!I", 1280) + inner))))
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 3, 0, b"\0" * 4 + inner[:48]))))
add(eth(A, B, ipv6(G2, G1, 58, icmp6(G2, G1, 4, 1, struct.pack("!I", 6) + inner))))
# Extension headers: destination options before UDP, routing (type 0, segments left 1), a whole
# datagram in a fragment header, and a first and a last fragment.
dst_opts = bytes([17, 0, 1, 4, 0, 0, 0, 0])
add(eth(B, A, ipv6(G1, G2, 60, dst_opts + udp)))
route = bytes([17, 2, 0, 1, 0, 0, 0, 0]) + G2
add(eth(B, A, ipv6(G1, G2, 43, route + udp)))
add(eth(B, A, ipv6(G1, G2, 44, struct.pack("!BBHI", 17, 0, 0, 0x1234) + udp)))
echo = icmp6(G1, G2, 128, 0, struct.pack("!HH", 7, 1) + b"x" * 64)
add(eth(B, A, ipv6(G1, G2, 44, struct.pack("!BBHI", 58, 0, 1, 0x99) + echo[:40])))
add(eth(B, A, ipv6(G1, G2, 44, struct.pack("!BBHI", 58, 0, 40, 0x99) + echo[40:])))
# Echo with a traffic class and flow label; hop limit 1.
add(eth(B, A, ipv6(G1, G2, 58, icmp6(G1, G2, 128, 0, struct.pack("!HH", 0x1234, 9) + b"abc"), 1, 0xB8, 0x12345)))
# TCP over IPv6: SYN with options on port 40000, SYN-ACK, data with SACK, RST, URG, bad checksum.
syn_opts = struct.pack("!BBH", 2, 4, 1440) + bytes([4, 2]) + struct.pack("!BBII", 8, 10, 111, 0) + bytes([1, 3, 3, 7])
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1000, 0, 0x002, 65535, syn_opts))))
add(eth(A, B, ipv6(G2, G1, 6, tcp(G2, G1, 40000, 50000, 5000, 1001, 0x012, 28800, syn_opts))))
sack = bytes([1, 1]) + struct.pack("!BBIIII", 5, 18, 2000, 2100, 2200, 2300)
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1001, 5001, 0x018, 512, sack + b"\0\0", b"hello v6"))))
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1009, 0, 0x004, 0))))
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1009, 5001, 0x030, 512, b"", b"!", urg=1))))
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1010, 5001, 0x011, 512, bad=True))))
add(eth(B, A, ipv6(G1, G2, 6, tcp(G1, G2, 50000, 40000, 1010, 5001, 0x0C2, 512))))
# TCP over IPv4: a bogus header length, no flags, options cut by a snap length.
v4a, v4b = bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])
add(eth(B, A, tcp4(v4a, v4b, tcp(None, None, 50001, 40000, 1, 0, 0x002, 100, doff=4)), 0x0800))
add(eth(B, A, tcp4(v4a, v4b, tcp(None, None, 50001, 40000, 1, 0, 0x000, 100)), 0x0800))
add(eth(B, A, tcp4(v4a, v4b, tcp(None, None, 50001, 40000, 1, 0, 0x002, 100, syn_opts)), 0x0800), 64)
# Q-in-Q around IPv6, and an IPv6 header cut by the snap length.
qinq = struct.pack("!HHHH", 10, 0x8100, 20, 0x86DD)
add(eth(B, A, qinq + ipv6(G1, G2, 58, icmp6(G1, G2, 128, 0, struct.pack("!HH", 1, 1))), 0x88A8))
add(eth(B, A, ipv6(G1, G2, 58, icmp6(G1, G2, 128, 0, struct.pack("!HH", 1, 1)))), 40)

with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, 1))
    for k, (b, orig) in enumerate(frames):
        f.write(struct.pack("<IIII", 1720000000 + k, 123456789 + k, len(b), orig) + b)

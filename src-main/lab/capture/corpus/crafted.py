#!/usr/bin/python3
"""Edge cases crafted with scapy (Debian's python3-scapy), written as a nanosecond pcap with exact
integer times (scapy's own writer goes through floats). Usage: crafted.py OUT.pcap"""
import struct
import sys

from scapy.all import (ARP, Dot1AD, Dot1Q, Ether, ICMP, IP, IPOption_LSRR, IPOption_SSRR,
                       IPOption_Router_Alert, Raw, UDP)
from scapy.contrib.igmp import IGMP
from scapy.contrib.igmpv3 import IGMPv3, IGMPv3gr, IGMPv3mq, IGMPv3mr

A, B = "02:00:00:00:0a:01", "02:00:00:00:0b:01"
frames = []  # (bytes, original length)


def add(pkt, orig=None, cut=None):
    b = bytes(pkt)
    if cut is not None:
        frames.append((b[:cut], len(b)))
    else:
        frames.append((b, orig if orig is not None else len(b)))


udp = IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=40000, dport=9999) / Raw(b"quoted payload!")
# ICMP error quoting a complete UDP datagram (checksum verifiable, payload present).
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=3, code=3) / bytes(udp))
# ... and quoting one cut short (as Linux quotes at most 576 bytes).
big = IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=40000, dport=9999) / Raw(b"x" * 600)
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=3, code=3) / bytes(big)[:548])
# Source-routed UDP: the checksum is over the final destination (the last hop of the route).
for opt in (IPOption_LSRR, IPOption_SSRR):
    p = IP(src="10.9.0.1", dst="10.9.0.254", options=[opt(routers=["10.9.0.254", "10.9.1.7"], pointer=4)]) / UDP(sport=1234, dport=5000) / Raw(b"routed")
    add(Ether(src=A, dst=B) / p)
# Router alert and a UDP datagram with no checksum.
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2", options=[IPOption_Router_Alert()]) / UDP(sport=1, dport=2, chksum=0) / Raw(b"nocsum"))
# Padding, then a trailer after it (an Ethernet frame longer than its IP datagram).
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=7001, dport=7002) / Raw(b"ab"))
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=7001, dport=7002) / Raw(b"ab"))
frames[-1] = (frames[-1][0] + b"\x00" * 16 + b"TRAILER!", len(frames[-1][0]) + 24)
# 802.1Q around an unknown ethertype; Q-in-Q (802.1ad then 802.1Q) around IPv4/UDP.
add(Ether(src=A, dst=B) / Dot1Q(vlan=7, type=0x88b5) / Raw(b"\x01\x02experimental" + b"\x00" * 30))
add(Ether(src=A, dst=B, type=0x88a8) / Dot1AD(vlan=100, type=0x8100) / Dot1Q(vlan=20) / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=5, dport=6) / Raw(b"qinq"))
# Ethertype 0x05dd (1501): neither a length (<= 1500) nor a type (>= 0x0600).
add(Ether(src=A, dst=B, type=0x05DD) / Raw(b"\x00" * 46))
# IEEE 802.3 with a length.
add(Ether(src=A, dst=B, type=46) / Raw(b"\xaa\xaa\x03\x00\x00\x00\x88\xb5" + b"\x00" * 38))
# RARP request; ARP with 16-byte protocol addresses (IPv6-sized); ARP probe and announcement.
add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff", type=0x8035) / ARP(op=3, hwsrc=A, hwdst=A, psrc="0.0.0.0", pdst="0.0.0.0"))
arp16 = struct.pack("!HHBBH", 1, 0x86DD, 6, 16, 1) + bytes.fromhex(A.replace(":", "")) + bytes(16) + bytes(6) + bytes(15) + b"\x01"
add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(arp16))
add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=A, psrc="0.0.0.0", pdst="10.9.0.7"))
add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=A, psrc="10.9.0.1", pdst="10.9.0.1"))
# IGMPv3 queries with max resp codes below and at/above 128 (exponential form), v2 and v1.
for mrc in (100, 128, 200, 255):
    add(Ether(src=A, dst="01:00:5e:00:00:01") / IP(src="10.9.0.1", dst="224.0.0.1", ttl=1, options=[IPOption_Router_Alert()]) / IGMPv3(type=0x11, mrcode=mrc) / IGMPv3mq(gaddr="0.0.0.0"))
add(Ether(src=A, dst="01:00:5e:01:01:01") / IP(src="10.9.0.1", dst="239.1.1.1", ttl=1) / IGMP(type=0x16, gaddr="239.1.1.1"))
add(Ether(src=A, dst="01:00:5e:00:00:02") / IP(src="10.9.0.1", dst="224.0.0.2", ttl=1) / IGMP(type=0x17, gaddr="239.1.1.1"))
add(Ether(src=A, dst="01:00:5e:00:00:16") / IP(src="10.9.0.1", dst="224.0.0.22", ttl=1) / IGMPv3(type=0x22) / IGMPv3mr(records=[IGMPv3gr(rtype=1, maddr="239.1.1.3", srcaddrs=["10.9.0.9"]), IGMPv3gr(rtype=4, maddr="239.1.1.4")]))
# Frames cut by the snap length: UDP, ICMP, ARP.
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2") / UDP(sport=5000, dport=5000) / Raw(b"y" * 400), cut=64)
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2") / ICMP(type=8, id=9, seq=1) / Raw(b"z" * 300), cut=40)
add(Ether(src=A, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=A, psrc="10.9.0.1", pdst="10.9.0.2"), cut=30)
# A fragment (not the first), ICMP echo with bad checksum, IP with bad header checksum.
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2", proto=17, frag=185, flags=0) / Raw(b"f" * 40))
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2") / ICMP(type=8, id=1, seq=2, chksum=0x1234) / Raw(b"bad"))
add(Ether(src=A, dst=B) / IP(src="10.9.0.1", dst="10.9.0.2", chksum=0x4321) / UDP(sport=1, dport=2) / Raw(b"badip"))
# Time exceeded, redirect, parameter problem, fragmentation needed (with the next-hop MTU).
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=11, code=0) / bytes(udp)[:28])
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=5, code=1, gw="10.9.0.254") / bytes(udp)[:28])
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=12, code=0, ptr=20) / bytes(udp)[:28])
add(Ether(src=B, dst=A) / IP(src="10.9.0.2", dst="10.9.0.1") / ICMP(type=3, code=4, nexthopmtu=1280) / bytes(udp)[:28])
# UDP to and from the port the lab's generators use, carrying no generator payload.
add(Ether(src=A, dst="01:00:5e:01:01:01") / IP(src="10.9.0.1", dst="239.1.1.1") / UDP(sport=5000, dport=5000) / Raw(b"NLAB" + b"\x00" * 20))

# Times: 2023 epoch with nanoseconds a double would round (1700000000.009999990 and the like).
base = 1_700_000_000
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 262144, 1))
    for i, (b, orig) in enumerate(frames):
        sec = base + i // 3
        nsec = [9_999_990, 10_000_000, 999_999_999][i % 3] - i
        f.write(struct.pack("<IIII", sec, nsec, len(b), orig))
        f.write(b)
print(len(frames), "frames")

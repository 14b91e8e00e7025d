#!/bin/sh
# Captures real Linux traffic between two network namespaces joined by a veth pair, three ways at
# once: tcpdump (pcap, µs), tcpdump --time-stamp-precision=nano (pcap, ns) and dumpcap (pcapng).
# Needs root, iproute2, tcpdump, tshark's dumpcap, socat and ping. Nothing leaves the namespaces;
# they are deleted at the end. Usage: sh netns.sh OUTDIR
set -eu
out=${1:?usage: netns.sh OUTDIR}
a=nlcorpus-a
b=nlcorpus-b
cleanup() {
  ip netns pids $a 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns pids $b 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del $a 2>/dev/null || true
  ip netns del $b 2>/dev/null || true
}
trap cleanup EXIT
cleanup
ip netns add $a
ip netns add $b
ip link add veth-a netns $a type veth peer name veth-b netns $b
A="ip netns exec $a"
B="ip netns exec $b"
$A ip link set lo up
$B ip link set lo up
$A ip link set veth-a address 02:00:00:00:0a:01
$B ip link set veth-b address 02:00:00:00:0b:01
$A ip addr add 10.9.0.1/24 dev veth-a
$B ip addr add 10.9.0.2/24 dev veth-b
$A ip addr add fd00:9::1/64 dev veth-a nodad
$B ip addr add fd00:9::2/64 dev veth-b nodad
# veth-a up while its peer is down: no carrier yet, so no traffic before the capturers run.
$A ip link set veth-a up
$A tcpdump -i veth-a -U -w "$out/netns-us.pcap" 2>/dev/null &# veth-a up while its peer is down: no carrier yet, so no traffic before the capturers run.
$A ip link set veth-a up
$A tcpdump -i veth-a -U --time-stamp-precision=nano -w "$out/netns-ns.pcap" 2>/dev/null &
$A dumpcap -q -i veth-a -w "$out/netns.pcapng" 2>/dev/null &
sleep 1.5
# Carrier now, with the capturers running: IPv6 router solicitations, MLD reports, ND.
$B ip link set veth-b up
sleep 1
$A ping -c 2 -i 0.2 10.9.0.2 >/dev/null
$A ping -c 1 -s 1600 10.9.0.2 >/dev/null                # fragments
$A ping -c 1 -R 10.9.0.2 >/dev/null || true            # record-route option
$A ping -c 1 -b 10.9.0.255 >/dev/null 2>&1 || true     # broadcast echo
$A ping -6 -c 2 -i 0.2 fd00:9::2 >/dev/null            # ICMPv6 echo, neighbour discovery
# UDP to a closed port: port unreachable quoting the whole datagram.
echo closed | $A socat - UDP4-SENDTO:10.9.0.2:9999
$B socat -u UDP4-RECV:5000 /dev/null &
# A multicast group joined: IGMPv3 membership report.
$B socat -u UDP4-RECV:5001,ip-add-membership=239.1.1.1:veth-b /dev/null &
$B socat -u UDP6-RECV:5002,ipv6-join-group=[ff15::1]:veth-b /dev/null &
$B socat TCP4-LISTEN:7000,reuseaddr SYSTEM:'cat' &
sleep 0.5
printf 'open port\n' | $A socat - UDP4-SENDTO:10.9.0.2:5000
printf 'to the group\n' | $A socat - UDP4-SENDTO:239.1.1.1:5001,ip-multicast-if=10.9.0.1
printf 'udp over ipv6\n' | $A socat - UDP6-SENDTO:[fd00:9::2]:5000 || true
printf 'hello over tcp\n' | $A socat -t 0.5 - TCP4:10.9.0.2:7000 >/dev/null
sleep 0.5
$A ping -c 1 -t 1 10.9.0.2 >/dev/null
sleep 1

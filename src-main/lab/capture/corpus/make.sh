#!/bin/sh
# Rebuilds the corpus in files/ (run as root: netns.sh makes network namespaces). The files are
# committed; rebuilding gives new traffic and times, and the test reads whatever is there.
set -eu
cd "$(dirname "$0")"
out=files
mkdir -p $out
sh netns.sh $out
/usr/bin/python3 crafted.py $out/crafted.pcap
/usr/bin/python3 variants.py $out/crafted.pcap $out
/usr/bin/python3 crafted6.py $out/crafted6.pcap
editcap -F pcapng $out/crafted6.pcap $out/crafted6-editcap.pcapng
editcap -F pcapng $out/crafted.pcap $out/crafted-editcap.pcapng
editcap -F pcapng -t 86400.123456 $out/netns-us.pcap $out/netns-shifted.pcapng
editcap -s 60 $out/netns.pcapng $out/netns-snap60.pcapng
editcap -F nsecpcap $out/netns.pcapng $out/netns-editcap-ns.pcap
mergecap -w $out/merged.pcapng $out/netns-ns.pcap $out/crafted.pcap
chmod 644 $out/*

#!/usr/bin/python3
"""The real-kernel side of one fidelity scenario (src-main/fidelity/README.md).

Reads a scenario as JSON on stdin: the hosts (name, MAC, ifindex-stable veth ends) and the steps.
Builds two network namespaces joined by a veth pair (eth0 in each), runs every step in the host's
namespace and prints a JSON list with each step's output lines and exit status. The namespaces are
deleted whatever happens; traffic stays on the veth pair between them.
"""
import ctypes, errno, json, os, socket, struct, subprocess, sys, time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
home = os.open('/proc/self/ns/net', os.O_RDONLY)


def run(cmd, check=True):
    r = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f'{cmd}: {r.stdout.strip()}')
    return r


class InNs:
    """Creates sockets inside a namespace: setns there, back home on leaving."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        fd = os.open(f'/var/run/netns/{self.ns}', os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns')
        finally:
            os.close(fd)

    def __exit__(self, *a):
        libc.setns(home, CLONE_NEWNET)


def ename(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def frame_summary(frame):
    """One line per ARP or IGMP frame (frame-summary.ts writes the lab's)."""
    if len(frame) >= 42 and frame[12:14] == b'\x08\x06':
        op = struct.unpack('!H', frame[20:22])[0]
        sip, tip = socket.inet_ntoa(frame[28:32]), socket.inet_ntoa(frame[38:42])
        to = frame[0:6].hex(':')
        if op == 1:
            return f'ARP request to {to}: who-has {tip} tell {sip}'
        return f'ARP op {op} to {to}: {sip} is-at {frame[22:28].hex(":")}'
    return igmp_summary(frame) or fragment_summary(frame)


def fragment_summary(frame):
    """An IPv4 fragment (MF or an offset): as frame-summary.ts's fragmentSummary."""
    if len(frame) < 34 or frame[12:14] != b'\x08\x00':
        return None
    frag = struct.unpack('!H', frame[20:22])[0]
    if frag & 0x3fff == 0:
        return None
    ident, length = struct.unpack('!H', frame[18:20])[0], struct.unpack('!H', frame[16:18])[0]
    flags = (' DF' if frag & 0x4000 else '') + (' MF' if frag & 0x2000 else '')
    return (f'IPv4 fragment to {socket.inet_ntoa(frame[30:34])}: proto {frame[23]} id {ident} '
            f'offset {(frag & 0x1fff) * 8} length {length}{flags}')


def igmp_summary(frame):
    """One line per IGMP frame: the version's message, its destination and its groups."""
    if len(frame) < 34 or frame[12:14] != b'\x08\x00' or frame[23] != 2:
        return None
    ihl = (frame[14] & 15) * 4
    dst = socket.inet_ntoa(frame[30:34])
    g = frame[14 + ihl:]
    t = g[0]
    if t == 0x22:
        n = struct.unpack('!H', g[6:8])[0]
        recs, off = [], 8
        for _ in range(n):
            rtype, aux, nsrc = g[off], g[off + 1], struct.unpack('!H', g[off + 2:off + 4])[0]
            recs.append(f'{rtype} {socket.inet_ntoa(g[off + 4:off + 8])}')
            off += 8 + 4 * nsrc + 4 * aux
        return f'IGMPv3 report to {dst}: ' + ', '.join(recs)
    names = {0x11: 'query', 0x12: 'v1 report', 0x16: 'v2 report', 0x17: 'leave'}
    return f'IGMP {names.get(t, hex(t))} to {dst}: {socket.inet_ntoa(g[4:8])}'


def main():
    sc = json.load(sys.stdin)
    tag = f'nlf{os.getpid()}'
    ns = {h['name']: f'{tag}{h["name"]}' for h in sc['hosts']}
    socks, caps, results = {}, {}, []
    try:
        for h in sc['hosts']:
            run(f'ip netns add {ns[h["name"]]}')
            # The lab speaks no IPv6: nor do these hosts (no link-local addresses, no MLD).
            run(f'ip netns exec {ns[h["name"]]} sysctl -qw net.ipv6.conf.all.disable_ipv6=1 '
                'net.ipv6.conf.default.disable_ipv6=1')
            # A booted host's lo is up (a new namespace's is down): 127.0.0.1/8 comes with it.
            run(f'ip -n {ns[h["name"]]} link set lo up')
        # Veth pairs as the scenario cables them (by default h0's eth0 to h1's eth0).
        a, b = sc['hosts'][0]['name'], sc['hosts'][1]['name']
        for ha, da, hb, db in sc.get('links', [[a, 'eth0', b, 'eth0']]):
            run(f'ip -n {ns[ha]} link add {da} type veth peer name {db} netns {ns[hb]}')
        for h in sc['hosts']:
            run(f'ip -n {ns[h["name"]]} link set eth0 address {h["mac"]}')
            for dev, mac in h.get('macs', {}).items():
                run(f'ip -n {ns[h["name"]]} link set {dev} address {mac}')
        for step in sc['steps']:
            host = ns[step['host']]
            op = step['op']
            out, rc = [], 0
            try:
                if op == 'sh':
                    r = run(f'ip netns exec {host} sh -c {json.dumps(step["cmd"])}', check=False)
                    out, rc = r.stdout.splitlines(), r.returncode
                elif op == 'udp':
                    with InNs(host):
                        socks[step['name']] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                elif op == 'bind':
                    socks[step['name']].bind(('0.0.0.0', step['port']))
                elif op == 'rcvbuf':
                    s = socks[step['name']]
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, step['value'])
                    out = [f'SO_RCVBUF {s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)}']
                elif op == 'getrcvbuf':
                    s = socks[step['name']]
                    out = [f'SO_RCVBUF {s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)}']
                elif op == 'join':
                    idx = 0
                    if step.get('dev'):
                        with InNs(host):
                            idx = socket.if_nametoindex(step['dev'])
                    mreq = struct.pack('4s4si', socket.inet_aton(step['group']), bytes(4), idx)
                    socks[step['name']].setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
                elif op == 'mcif':
                    with InNs(host):
                        idx = socket.if_nametoindex(step['dev'])
                    mreq = struct.pack('4s4si', bytes(4), bytes(4), idx)
                    socks[step['name']].setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreq)
                elif op == 'pmtudisc':
                    v = {'dont': 0, 'want': 1, 'do': 2, 'probe': 3}[step['value']]
                    socks[step['name']].setsockopt(socket.IPPROTO_IP, 10, v)  # IP_MTU_DISCOVER
                elif op == 'getloop':
                    v = socks[step['name']].getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP)
                    out = [f'IP_MULTICAST_LOOP {v}']
                elif op == 'send':
                    s = socks[step['name']]
                    for _ in range(step.get('count', 1)):
                        s.sendto(bytes(step['size']), (step['to'], step['port']))
                    # Time for ARP and the softirqs on a loaded machine (the lab settles in 200 ms).
                    time.sleep(0.5)
                elif op == 'read':
                    s = socks[step['name']]
                    s.setblocking(False)
                    n = 0
                    try:
                        while n < step.get('count', 1 << 30):
                            s.recv(65535)
                            n += 1
                    except BlockingIOError:
                        pass
                    out = [f'read {n}']
                elif op == 'close':
                    socks.pop(step['name']).close()
                elif op == 'capture':
                    with InNs(host):
                        c = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
                    c.bind((step['dev'], 0))
                    c.setblocking(False)
                    caps[step['host']] = (c, step.get('dir', 'out'))
                elif op == 'captured':
                    c, want = caps[step['host']]
                    while True:
                        try:
                            frame, addr = c.recvfrom(65535)
                        except BlockingIOError:
                            break
                        except OSError as e:
                            # The device went down and up since: the socket says so once.
                            if e.errno == errno.ENETDOWN:
                                continue
                            raise
                        line = frame_summary(frame)
                        outgoing = addr[2] == socket.PACKET_OUTGOING
                        if line and outgoing == (want == 'out'):
                            out.append(line)
                elif op == 'wait':
                    time.sleep(step['ms'] / 1000)
                else:
                    raise RuntimeError(f'unknown op {op}')
            except OSError as e:
                out, rc = [f'{op}: {ename(e)}'], 1
            results.append({'out': out, 'rc': rc})
    finally:
        for s in socks.values():
            s.close()
        for c, _ in caps.values():
            c.close()
        for n in ns.values():
            subprocess.run(['ip', 'netns', 'del', n], stderr=subprocess.DEVNULL)
    with open('/proc/sys/net/core/rmem_max') as f:
        rmem_max = int(f.read())
    json.dump({'kernel': os.uname().release, 'rmemMax': rmem_max, 'steps': results}, sys.stdout)


main()

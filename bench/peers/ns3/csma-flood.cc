// netlab's benchmark scenarios (P1-P4, issue #9 and #20) on ns-3's CSMA model (bench/labs.ts and
// bench/peers/run.ts build and run it).
//
// `hosts` nodes (default 8) on one CsmaChannel (bit rate from argv, 500 ns delay). Each of the
// first `senders` nodes (default 1) sends 18-byte UDP datagrams to its multicast group
// 239.1.1.(i+1) on port 5000+i through a socket, one every `interval` (default: 672 bit times ×
// senders, so that together they fill netlab's line rate counting preamble and inter-frame gap),
// sender i starting i/senders of an interval late; every other node has a UDP socket bound to
// one sender's port (round robin) whose receive callback reads every datagram as soon as it
// arrives and counts it. Multicast leaves a sender through its default multicast route; the
// CSMA devices have no multicast filter and ns-3 has no IGMP, so every node's IP layer takes
// every group's datagrams and UDP hands each to the sockets bound to its port: the port per
// group is what makes each receiver get its one group, as netlab's joined receivers do.
//
// Usage: csma-flood <bitRate bps> <sim seconds> [hosts] [senders] [interval ns]
// Prints one line of JSON: deliveries, framesSent (datagrams the sender's socket took),
// framesOnWire (transmissions the sender's device began), macTxDrops (dropped at its full device
// queue), backoffs (times it found the channel busy and backed off), frameBytes (of the first
// frame on the channel), intervalNs, simSeconds, wallSeconds (steady clock around
// Simulator::Run()) and cpuSeconds (this process's user + system time over the same span).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <sys/resource.h>

#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

using namespace ns3;

static uint64_t g_deliveries = 0;
static uint64_t g_sent = 0;
static uint32_t g_frameBytes = 0;
static uint64_t g_framesOnWire = 0;
static uint64_t g_macTxDrops = 0;
static uint64_t g_backoffs = 0;

/** User + system CPU seconds of this process so far. */
static double
CpuSeconds()
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void
Receive(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        g_deliveries++;
    }
}

static void
FrameOnWire(Ptr<const Packet> p)
{
    if (g_frameBytes == 0)
    {
        g_frameBytes = p->GetSize();
    }
    g_framesOnWire++;
}

static void
MacTxDrop(Ptr<const Packet>)
{
    g_macTxDrops++;
}

static void
MacTxBackoff(Ptr<const Packet>)
{
    g_backoffs++;
}

struct Sender
{
    Ptr<Socket> socket;
    Time interval;
    Time stop;
};

static void
SendOne(Sender* s)
{
    s->socket->Send(Create<Packet>(18));
    g_sent++;
    Time next = Simulator::Now() + s->interval;
    if (next < s->stop)
    {
        Simulator::Schedule(s->interval, &SendOne, s);
    }
}

int
main(int argc, char* argv[])
{
    if (argc < 3)
    {
        std::fprintf(stderr,
                     "usage: %s <bitRate bps> <sim seconds> [hosts] [senders] [interval ns]\n",
                     argv[0]);
        return 2;
    }
    const double bitRate = std::atof(argv[1]);
    const double seconds = std::atof(argv[2]);
    const uint32_t hosts = argc > 3 ? std::atoi(argv[3]) : 8;
    const uint32_t senders = argc > 4 ? std::atoi(argv[4]) : 1;
    // 672 bit times: a 64-byte frame plus 8 bytes of preamble and 12 of inter-frame gap.
    const double intervalNs = argc > 5 ? std::atof(argv[5]) : 672e9 * senders / bitRate;
    const uint16_t port = 5000;
    if (hosts < 2 || senders < 1 || senders >= hosts)
    {
        std::fprintf(stderr, "need 1 <= senders < hosts\n");
        return 2;
    }

    NodeContainer nodes;
    nodes.Create(hosts);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(DataRate(uint64_t(bitRate))));
    csma.SetChannelAttribute("Delay", TimeValue(NanoSeconds(500)));
    NetDeviceContainer devices = csma.Install(nodes);

    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.0.0", "255.255.0.0");
    addresses.Assign(devices);

    // Each sender's multicast leaves through its one CSMA device.
    Ipv4StaticRoutingHelper multicast;
    for (uint32_t i = 0; i < senders; i++)
    {
        multicast.SetDefaultMulticastRoute(nodes.Get(i), devices.Get(i));
        devices.Get(i)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&FrameOnWire));
        devices.Get(i)->TraceConnectWithoutContext("MacTxDrop", MakeCallback(&MacTxDrop));
        devices.Get(i)->TraceConnectWithoutContext("MacTxBackoff", MakeCallback(&MacTxBackoff));
    }

    TypeId udp = UdpSocketFactory::GetTypeId();
    for (uint32_t i = senders; i < hosts; i++)
    {
        Ptr<Socket> r = Socket::CreateSocket(nodes.Get(i), udp);
        r->Bind(InetSocketAddress(Ipv4Address::GetAny(), port + (i - senders) % senders));
        r->SetRecvCallback(MakeCallback(&Receive));
    }
    std::vector<Sender> all(senders);
    for (uint32_t i = 0; i < senders; i++)
    {
        Sender& sender = all[i];
        char group[16];
        std::snprintf(group, sizeof group, "239.1.1.%u", i + 1);
        sender.socket = Socket::CreateSocket(nodes.Get(i), udp);
        sender.socket->Bind();
        sender.socket->Connect(InetSocketAddress(Ipv4Address(group), port + i));
        sender.interval = NanoSeconds(int64_t(intervalNs));
        sender.stop = Seconds(seconds);
        Simulator::Schedule(NanoSeconds(int64_t(intervalNs * i / senders)), &SendOne, &sender);
    }
    Simulator::Stop(Seconds(seconds));

    const double cpu0 = CpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t1 = std::chrono::steady_clock::now();
    const double wall = std::chrono::duration<double>(t1 - t0).count();
    const double cpu = CpuSeconds() - cpu0;
    const double simSeconds = Simulator::Now().GetSeconds();
    Simulator::Destroy();

    std::printf("{\"deliveries\":%llu,\"framesSent\":%llu,\"framesOnWire\":%llu,"
                "\"macTxDrops\":%llu,\"backoffs\":%llu,\"frameBytes\":%u,\"intervalNs\":%.3f,"
                "\"simSeconds\":%.9f,\"wallSeconds\":%.6f,\"cpuSeconds\":%.6f}\n",
                (unsigned long long)g_deliveries,
                (unsigned long long)g_sent,
                (unsigned long long)g_framesOnWire,
                (unsigned long long)g_macTxDrops,
                (unsigned long long)g_backoffs,
                g_frameBytes,
                intervalNs,
                simSeconds,
                wall,
                cpu);
    return 0;
}

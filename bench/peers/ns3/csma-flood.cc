// netlab's issue #9 P1/P2 scenario on ns-3's CSMA model (bench/peers/run.ts builds and runs it).
//
// 8 nodes on one CsmaChannel (bit rate from argv, 500 ns delay). Node 0 sends 18-byte UDP
// datagrams to the multicast group 239.1.1.1:5000 through a socket, one every `interval`
// (default: 672 bit times, netlab's line rate counting preamble and inter-frame gap); nodes 1-7
// each have a UDP socket bound to port 5000 whose receive callback reads every datagram as soon
// as it arrives and counts it. Multicast leaves node 0 through its default multicast route; the
// CSMA devices have no multicast filter, so every receiver's IP layer delivers it locally.
//
// Usage: csma-flood <bitRate bps> <sim seconds> [interval ns]
// Prints one line of JSON: deliveries, framesSent (datagrams the sender's socket took),
// framesOnWire (transmissions the sender's device began), macTxDrops (dropped at its full device
// queue), backoffs (times it found the channel busy and backed off), frameBytes (of the first
// frame on the channel), intervalNs, simSeconds, wallSeconds (steady clock around
// Simulator::Run()) and cpuSeconds (this process's user + system time over the same span).
#include <chrono>
#include <cstdio>
#include <cstdlib>
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
        std::fprintf(stderr, "usage: %s <bitRate bps> <sim seconds> [interval ns]\n", argv[0]);
        return 2;
    }
    const double bitRate = std::atof(argv[1]);
    const double seconds = std::atof(argv[2]);
    // 672 bit times: a 64-byte frame plus 8 bytes of preamble and 12 of inter-frame gap.
    const double intervalNs = argc > 3 ? std::atof(argv[3]) : 672e9 / bitRate;
    const uint32_t hosts = 8;
    const uint16_t port = 5000;

    NodeContainer nodes;
    nodes.Create(hosts);
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", DataRateValue(DataRate(uint64_t(bitRate))));
    csma.SetChannelAttribute("Delay", TimeValue(NanoSeconds(500)));
    NetDeviceContainer devices = csma.Install(nodes);

    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.0.0", "255.255.255.0");
    addresses.Assign(devices);

    // The sender's multicast leaves through its one CSMA device.
    Ipv4StaticRoutingHelper multicast;
    multicast.SetDefaultMulticastRoute(nodes.Get(0), devices.Get(0));
    devices.Get(0)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&FrameOnWire));
    devices.Get(0)->TraceConnectWithoutContext("MacTxDrop", MakeCallback(&MacTxDrop));
    devices.Get(0)->TraceConnectWithoutContext("MacTxBackoff", MakeCallback(&MacTxBackoff));

    const Ipv4Address group("239.1.1.1");
    TypeId udp = UdpSocketFactory::GetTypeId();
    for (uint32_t i = 1; i < hosts; i++)
    {
        Ptr<Socket> r = Socket::CreateSocket(nodes.Get(i), udp);
        r->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        r->SetRecvCallback(MakeCallback(&Receive));
    }
    Sender sender;
    sender.socket = Socket::CreateSocket(nodes.Get(0), udp);
    sender.socket->Bind();
    sender.socket->Connect(InetSocketAddress(group, port));
    sender.interval = NanoSeconds(int64_t(intervalNs));
    sender.stop = Seconds(seconds);
    Simulator::Schedule(Seconds(0), &SendOne, &sender);
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

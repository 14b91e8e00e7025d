// Sends 18-byte UDP datagrams to a multicast group with sendmmsg, BATCH at a time, paced to
// `rate` datagrams per second (0: as fast as it can), for `seconds` wall seconds.
// Usage: sender <group> <port> <source ip> <rate> <seconds>
// Prints one line of JSON: sent, sendErrors, wallSeconds, cpuSeconds (user + system, which
// includes the softirq work -- bridge flooding, veth deliveries -- done on the sender's behalf).
#include "common.h"

#include <sys/resource.h>

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: %s <group> <port> <source ip> <rate/s, 0 = unpaced> <seconds>\n",
            argv[0]);
    return 2;
  }
  struct sockaddr_in dst = {.sin_family = AF_INET,
                            .sin_port = htons(atoi(argv[2])),
                            .sin_addr = parse_ip(argv[1])};
  struct in_addr src = parse_ip(argv[3]);
  double rate = atof(argv[4]);
  double seconds = atof(argv[5]);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &src, sizeof src) < 0)
    die("IP_MULTICAST_IF");
  unsigned char loop = 0, ttl = 1;
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
  setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl);
  if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0) die("connect");

  static char payload[BATCH][PAYLOAD];
  static struct iovec iov[BATCH];
  static struct mmsghdr msgs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    memset(payload[i], 'n', PAYLOAD);
    iov[i].iov_base = payload[i];
    iov[i].iov_len = PAYLOAD;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }

  uint64_t sent = 0, errors = 0;
  double t0 = now_seconds(), t = t0, end = t0 + seconds;
  while (t < end) {
    int n = BATCH;
    if (rate > 0) {
      // Datagrams due by now; if none, sleep until the next one is.
      double due = (t - t0) * rate - (double)sent;
      if (due < 1) {
        double wake = t0 + (sent + 1) / rate;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double d = wake - t;
        ts.tv_sec += (time_t)d;
        ts.tv_nsec += (long)((d - (time_t)d) * 1e9);
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
        t = now_seconds();
        continue;
      }
      if (due < n) n = (int)due;
    }
    int r = sendmmsg(fd, msgs, n, 0);
    if (r < 0) {
      if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
        errors++;
      } else {
        die("sendmmsg");
      }
    } else {
      sent += r;
    }
    t = now_seconds();
  }
  double wall = now_seconds() - t0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6;
  printf("{\"sent\":%llu,\"sendErrors\":%llu,\"wallSeconds\":%.6f,\"cpuSeconds\":%.6f}\n",
         (unsigned long long)sent, (unsigned long long)errors, wall, cpu);
  return 0;
}

// Joins a multicast group on one interface and reads 18-byte datagrams with recvmmsg, BATCH at a
// time, as fast as it can, until SIGTERM or SIGINT.
// Usage: receiver <group> <port> <interface ip>
// Prints "ready" once joined, then at the end one line of JSON: received.
#include "common.h"

static volatile sig_atomic_t stop = 0;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <group> <port> <interface ip>\n", argv[0]);
    return 2;
  }
  struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: recvmmsg returns EINTR */
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) die("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_port = htons(atoi(argv[2])),
                             .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
  struct ip_mreq mreq = {.imr_multiaddr = parse_ip(argv[1]), .imr_interface = parse_ip(argv[3])};
  if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0)
    die("IP_ADD_MEMBERSHIP");
  /* A signal landing just before recvmmsg blocks is noticed within 100 ms. */
  struct timeval tv = {.tv_sec = 0, .tv_usec = 100000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

  static char buf[BATCH][64];
  static struct iovec iov[BATCH];
  static struct mmsghdr msgs[BATCH];
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = buf[i];
    iov[i].iov_len = sizeof buf[i];
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  printf("ready\n");
  fflush(stdout);

  uint64_t received = 0;
  while (!stop) {
    int r = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
    if (r > 0) {
      received += r;
    } else if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      die("recvmmsg");
    }
  }
  printf("{\"received\":%llu}\n", (unsigned long long)received);
  return 0;
}

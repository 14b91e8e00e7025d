// Shared by sender.c and receiver.c (bench/peers/run.ts builds and runs them).
#ifndef PEERS_COMMON_H
#define PEERS_COMMON_H
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 18 /* 18 bytes of UDP data: a 64-byte Ethernet frame */
#define BATCH 64   /* datagrams per sendmmsg/recvmmsg call */

static inline double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void die(const char *what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(1);
}

static inline struct in_addr parse_ip(const char *s) {
  struct in_addr a;
  if (inet_pton(AF_INET, s, &a) != 1) {
    fprintf(stderr, "bad IPv4 address: %s\n", s);
    exit(2);
  }
  return a;
}
#endif

import { EMPTY_BYTES } from './bytes';
import { Ipv4View } from './ipv4';
import { UdpView } from './udp';

/*
 * What the receive path reads of an IPv4 or UDP header, parsed once: every
 * host on a segment receives the same wire frame, whose bytes cannot change
 * (skb/lender.ts), so the first host's parse answers for the others. Each
 * summary remembers where (`at`) and over how many bytes (`len`) it was made,
 * and is valid only for that. A bad header or checksum is still refused by
 * every host that reads it: the summary carries the verdict, not a pass.
 */

const ip = new Ipv4View(EMPTY_BYTES);
const udp = new UdpView(EMPTY_BYTES);

/** Where a summary was made: it answers only for the same offset and length. */
abstract class HeaderSummary {
  private at = -1;
  private len = 0;

  /** Whether this summary was made of the header at `at` over `len` bytes. */
  isOf(at: number, len: number): boolean {
    return this.at === at && this.len === len;
  }

  forget(): void {
    this.at = -1;
  }

  protected madeOf(at: number, len: number): void {
    this.at = at;
    this.len = len;
  }
}

/** `ip_rcv_core`'s reading of a header: the checks and the fields input routing needs. */
export class Ipv4Summary extends HeaderSummary {
  /** Well formed (`Ipv4View.check`) and the header checksum verifies. */
  ok = false;
  src = 0;
  dst = 0;
  protocol = 0;
  totalLength = 0;
  headerLength = 0;
  /** MF set or a nonzero offset (`ip_is_fragment`). */
  fragment = false;

  /** Parses the header at `bytes[at]`, `len` bytes received. */
  parse(bytes: Uint8Array, at: number, len: number): this {
    ip.at(bytes, at, len);
    this.madeOf(at, len);
    this.ok = ip.check(len) === '' && ip.verifyChecksum();
    if (this.ok) {
      this.src = ip.src;
      this.dst = ip.dst;
      this.protocol = ip.protocol;
      this.totalLength = ip.totalLength;
      this.headerLength = ip.headerLength;
      this.fragment = ip.isFragment;
    }
    return this;
  }
}

export const UDP_OK = 0;
/** Malformed (`UdpView.check`): counted in InErrors. */
export const UDP_BAD_HEADER = 1;
/** The checksum fails against the pseudo-header: InCsumErrors and InErrors. */
export const UDP_BAD_CHECKSUM = 2;

/** `__udp4_lib_rcv`'s reading of a datagram: its verdict and ports. */
export class UdpSummary extends HeaderSummary {
  /** UDP_OK, UDP_BAD_HEADER or UDP_BAD_CHECKSUM. */
  verdict = UDP_OK;
  srcPort = 0;
  dstPort = 0;
  udpLength = 0;

  /** Parses the datagram at `bytes[at]`, `len` bytes, from `src` to `dst` (the pseudo-header). */
  parse(bytes: Uint8Array, at: number, len: number, src: number, dst: number): this {
    udp.at(bytes, at, len);
    this.madeOf(at, len);
    if (udp.check(len) !== '') this.verdict = UDP_BAD_HEADER;
    else if (udp.checksum !== 0 && !udp.verifyChecksum(src, dst)) this.verdict = UDP_BAD_CHECKSUM;
    else this.verdict = UDP_OK;
    if (this.verdict === UDP_OK) {
      this.srcPort = udp.srcPort;
      this.dstPort = udp.dstPort;
      this.udpLength = udp.udpLength;
    }
    return this;
  }
}

/**
 * Byte offsets of the TCP header's fields (Linux's struct tcphdr). The lab has no TCP wire view:
 * the dissector is the only reader, and this its one table.
 */
export const TCP_OFF = {
  source: 0,
  dest: 2,
  seq: 4,
  ackSeq: 8,
  /** Data offset (4 bits), reserved (3), AE; then CWR ECE URG ACK PSH RST SYN FIN. */
  doff: 12,
  flags: 13,
  window: 14,
  check: 16,
  urgPtr: 18,
} as const;
export const TCP_HLEN = 20;

export const TCP_FIN = 0x001;
export const TCP_SYN = 0x002;
export const TCP_RST = 0x004;
export const TCP_PSH = 0x008;
export const TCP_ACK = 0x010;
export const TCP_URG = 0x020;
export const TCP_ECE = 0x040;
export const TCP_CWR = 0x080;
export const TCP_AE = 0x100;

/** Option kinds (RFC 9293 and the registry). */
export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WINDOW = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;

/** The 12 flag bits of the header's 13th and 14th bytes. */
export function tcpFlags(b: Uint8Array, at: number): number {
  return ((b[at + TCP_OFF.doff] & 0x0f) << 8) | b[at + TCP_OFF.flags];
}

/**
 * Walks the options in `b[start, end)`: `fn(kind, at, len, whole)` for each; `len` is its length
 * byte (1 for EOL and NOP, 0 when the byte is missing), `whole` whether it is sound and all
 * here. The walk stops after one that is not, as Wireshark's does.
 */
export function eachTcpOption(
  b: Uint8Array,
  start: number,
  end: number,
  fn: (kind: number, at: number, len: number, whole: boolean) => void,
): void {
  for (let p = start; p < end;) {
    const kind = b[p];
    if (kind === TCPOPT_EOL || kind === TCPOPT_NOP) {
      fn(kind, p, 1, true);
      if (kind === TCPOPT_EOL) return;
      p++;
      continue;
    }
    const len = p + 1 < end ? b[p + 1] : 0;
    const whole = len >= 2 && p + len <= end;
    fn(kind, p, len, whole);
    if (!whole) return;
    p += len;
  }
}

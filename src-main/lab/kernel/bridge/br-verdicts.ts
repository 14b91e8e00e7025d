import { formatIpv4 } from '../../wire/ipv4-addr';

/** What the bridge did with a frame, for the follow view (not a Linux structure: the lab's record). */
export const V_FLOOD = 1;
export const V_FORWARD = 2;
export const V_MDB = 3;
export const V_LOCAL = 4;
export const V_SAME_PORT = 5;
export const V_DISABLED = 6;
export const V_LINK_LOCAL = 7;

const CAPACITY = 4096;

/** One bridge's verdict on a frame from the wire, in words. */
export interface BrVerdict {
  /** The port it came in on, or null when this host sent it. */
  inPort: string | null;
  kind: number;
  /** The ports it went out of. */
  out: string[];
  /** Forwarding ports it was not sent out of (besides the one it came in on). */
  notSent: string[];
  /** The group a snooped multicast frame was sent by (0: none). */
  group: number;
}

/**
 * The last frames' verdicts, by wire frame number, in a ring of typed arrays: recording one
 * allocates nothing, and only the follow view turns one into words.
 */
export class BrVerdicts {
  private readonly seq = new Float64Array(CAPACITY);
  private readonly inPort = new Uint8Array(CAPACITY);
  private readonly kind = new Uint8Array(CAPACITY);
  private readonly mask = new Uint32Array(CAPACITY);
  private readonly group = new Uint32Array(CAPACITY);
  private next = 0;

  /** Records the verdict on wire frame `seq` (0: a frame this host sent, not recorded). */
  record(seq: number, inPort: number, kind: number, mask: number, group = 0): void {
    if (seq <= 0) return;
    const i = this.next;
    this.seq[i] = seq;
    this.inPort[i] = inPort;
    this.kind[i] = kind;
    this.mask[i] = mask;
    this.group[i] = group;
    this.next = (i + 1) % CAPACITY;
  }

  /** The verdict on frame `seq` in at port `inPort` (numbers are per wire), if still in the ring. */
  find(
    seq: number,
    inPort: number,
  ): { inPort: number; kind: number; mask: number; group: number } | undefined {
    for (let n = 1; n <= CAPACITY; n++) {
      const i = (this.next - n + CAPACITY) % CAPACITY;
      if (this.seq[i] === 0) return undefined;
      if (this.seq[i] === seq && this.inPort[i] === inPort)
        return {
          inPort: this.inPort[i],
          kind: this.kind[i],
          mask: this.mask[i],
          group: this.group[i],
        };
    }
    return undefined;
  }
}

/** A verdict in the words the follow view shows: "br0: flooded to eth1, eth2". */
export function verdictText(br: string, v: BrVerdict): string[] {
  const list = (names: string[]) => names.join(', ');
  switch (v.kind) {
    case V_FLOOD:
      return [
        v.out.length > 0
          ? `${br}: flooded to ${list(v.out)}`
          : `${br}: flooded, but no other port forwards`,
      ];
    case V_FORWARD:
      return [`${br}: fdb: its destination is behind ${list(v.out)}, forwarded there`];
    case V_MDB: {
      const g = v.group !== 0 ? formatIpv4(v.group) : 'the group';
      const lines = [
        v.out.length > 0
          ? `${br}: mdb: ${g} sent to ${list(v.out)} (members or multicast routers)`
          : `${br}: mdb: ${g} has no member or router port, sent nowhere`,
      ];
      for (const p of v.notSent) lines.push(`mdb: no member behind ${p}, not sent`);
      return lines;
    }
    case V_LOCAL:
      return [`${br}: fdb: the destination is ${br} itself, passed up to this host`];
    case V_SAME_PORT:
      return [
        `${br}: fdb: the destination is behind ${v.inPort ?? '?'}, where it came from: not sent`,
      ];
    case V_DISABLED:
      return [`${br}: port ${v.inPort ?? '?'} is not forwarding (down), dropped`];
    case V_LINK_LOCAL:
      return [`${br}: 01:80:c2:00:00:0X is link-local (802.1D): never forwarded`];
    default:
      return [];
  }
}

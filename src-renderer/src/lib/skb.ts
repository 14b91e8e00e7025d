// The sk_buff a received frame lived in, reconstructed from what the capture shows: the driver's
// allocation (NET_SKB_PAD of headroom, then the frame; copybreak decides between a right-sized
// copy and the ring's MTU-sized buffer), and the data pointer moving as each layer pulls its
// header. The sizes are lab/skb/truesize.ts's (small-head cache, kmalloc classes, SKB_TRUESIZE).
import type { FieldView } from '../../../src-main/ipc/api';
import { topField } from './tree';
import { fateDef, type FateLayer } from '../../../src-main/lab/netdev/drop-reason';

// One fact in one place: the sizes are the lab's own (Linux 6.18's small-head cache included).
export {
  NET_SKB_PAD,
  kmallocSize,
  skbDataSize,
  skbHeadCache,
  skbTruesize,
} from '../../../src-main/lab/skb/truesize';
import { NET_SKB_PAD, skbDataSize, skbTruesize } from '../../../src-main/lab/skb/truesize';

/** One layer's view of the buffer: where `data` and `tail` point (offsets from `head`). */
export interface SkbStage {
  layer: string;
  action: string;
  data: number;
  tail: number;
  /** The frame's fate stopped it here. */
  last: boolean;
}

/** A header (or the payload) inside the buffer. */
export interface SkbRegion {
  name: string;
  start: number;
  end: number;
}

export interface SkbLayout {
  head: 0;
  end: number;
  truesize: number;
  /** Copied into a right-sized buffer (copybreak) or passed up in the ring's own buffer. */
  copied: boolean;
  allocated: number;
  regions: SkbRegion[];
  stages: SkbStage[];
}

export interface NicTuning {
  mtu: number;
  copybreak: number;
}

/** The stage each layer of the fates table stops a frame at (the card's: before any). */
const STAGE_OF_LAYER: Record<FateLayer, number> = {
  card: 0,
  driver: 0,
  link: 1,
  ip: 2,
  transport: 3,
};

/** The layer a fate stops a frame at (the index into the stages), or the last. */
function stopStage(fate: string): number {
  const def = fateDef(fate.replace(/ \(socket \d+\)$/, ''));
  return def ? STAGE_OF_LAYER[def.layer] : 3;
}

function numberValue(f: FieldView | null, name: string): number | null {
  const child = f?.children.find((c) => c.name === name);
  if (!child) return null;
  const n = parseInt(child.value, 10);
  return Number.isFinite(n) ? n : null;
}

/** The buffer of a received frame of `length` captured bytes, or null if it is not Ethernet. */
export function skbLayout(
  tree: readonly FieldView[],
  length: number,
  fate: string,
  nic: NicTuning = { mtu: 1500, copybreak: 256 },
): SkbLayout | null {
  const eth = topField(tree, 'eth');
  if (!eth || eth.malformed) return null;
  const vlan = topField(tree, 'vlan');
  const macLen = vlan ? vlan.range[1] : eth.range[1];
  const copied = length <= nic.copybreak;
  const allocated = NET_SKB_PAD + (copied ? length : nic.mtu + 14 + 4);
  const end = skbDataSize(allocated);
  const base = NET_SKB_PAD;
  const regions: SkbRegion[] = [{ name: 'Ethernet', start: base, end: base + macLen }];
  const stages: SkbStage[] = [
    {
      layer: 'driver',
      action: copied
        ? `netdev_alloc_skb(${allocated}), skb_reserve(${NET_SKB_PAD}), copy ${length} bytes (≤ copybreak ${nic.copybreak})`
        : `ring buffer (MTU-sized) passed up, skb_put(${length})`,
      data: base,
      tail: base + length,
      last: false,
    },
    {
      layer: 'eth_type_trans',
      action: `skb_pull(${macLen}): mac_header stays at ${base}`,
      data: base + macLen,
      tail: base + length,
      last: false,
    },
  ];
  const ip = topField(tree, 'ip');
  if (ip) {
    const ihl = ip.range[1] - ip.range[0];
    const totLen = numberValue(ip, 'ip.len') ?? length - macLen;
    const tail = Math.min(base + length, base + macLen + totLen);
    regions.push({ name: 'IPv4', start: ip.range[0] + base, end: ip.range[1] + base });
    stages.push({
      layer: 'ip_rcv',
      action:
        tail < base + length
          ? `pskb_trim(${totLen}) drops ${base + length - tail} bytes of padding, skb_pull(${ihl})`
          : `skb_pull(${ihl})`,
      data: base + macLen + ihl,
      tail,
      last: false,
    });
    const transport = ['udp', 'icmp', 'igmp'].map((n) => topField(tree, n)).find((f) => f !== null);
    if (transport) {
      const name = transport.name.toUpperCase();
      const hdr = transport.name === 'udp' ? 8 : transport.range[1] - transport.range[0];
      const start = transport.range[0] + base;
      regions.push({ name, start, end: start + hdr });
      if (start + hdr < tail) regions.push({ name: 'payload', start: start + hdr, end: tail });
      stages.push({
        layer: `${transport.name}_rcv`,
        action:
          transport.name === 'udp'
            ? `skb_pull(8): data at the payload the socket reads`
            : `transport_header at ${start}; consumed by the kernel`,
        data: transport.name === 'udp' ? start + 8 : start,
        tail,
        last: false,
      });
    }
  } else if (base + macLen < base + length) {
    regions.push({ name: 'payload', start: base + macLen, end: base + length });
  }
  const stop = Math.min(stopStage(fate), stages.length - 1);
  stages[stop].last = true;
  return {
    head: 0,
    end,
    truesize: skbTruesize(end),
    copied,
    allocated,
    regions,
    stages: stages.slice(0, stop + 1),
  };
}

/**
 * Where an offset of the buffer is drawn on a bar `width` wide. To scale when the headers are a
 * fair share of it; otherwise the bytes up to a little past the last header get half the bar and
 * the rest the other half (`breakAt` says where the scale changes).
 */
export function skbScale(
  layout: Pick<SkbLayout, 'end' | 'regions'>,
  width: number,
): { x: (offset: number) => number; breakAt: number | null } {
  const headers = layout.regions.filter((r) => r.name !== 'payload');
  const headersEnd = headers.length > 0 ? headers[headers.length - 1].end : NET_SKB_PAD;
  const zoomEnd = headersEnd + 16;
  if (zoomEnd * 4 >= layout.end) return { x: (o) => (o / layout.end) * width, breakAt: null };
  const half = width / 2;
  return {
    x: (o) =>
      o <= zoomEnd ? (o / zoomEnd) * half : half + ((o - zoomEnd) / (layout.end - zoomEnd)) * half,
    breakAt: zoomEnd,
  };
}

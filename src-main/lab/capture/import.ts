import { Capture } from './capture';
import { DIR_IN, DIR_OUT, DIR_UNKNOWN } from './frame-store';
import { DIRECTION_INBOUND, DIRECTION_OUTBOUND, LINKTYPE_ETHERNET, readCapture } from './format';
import { diffNs, MAX_OFFSET_NS, type ExactTime } from './time';

export interface ImportResult {
  capture: Capture;
  format: 'pcap' | 'pcapng';
  /** Where and why reading stopped early; the frames before it were imported. */
  error?: { offset: number; reason: string };
  /** Frames skipped because their link type is not Ethernet. */
  skipped: number;
}

/**
 * Reads a pcap or pcapng file into a capture for inspection: one capture
 * point per interface of the file, each frame with its time, direction and
 * comment. A truncated or corrupt file yields what was readable and says where
 * it stopped; a file that is not a capture at all is an Error.
 */
export function importCapture(bytes: Uint8Array): ImportResult {
  const file = readCapture(bytes);
  if (!file.format) throw new Error(file.error?.reason ?? 'not a pcap or pcapng file');
  const points = file.interfaces.map((i, k) => ({
    kind: 'file' as const,
    name: i.name ?? (file.interfaces.length === 1 ? 'file' : `if${k}`),
    description: i.description,
  }));
  // Times count from the first frame's exact instant (see time.ts), so the Time column reads as
  // Wireshark's default one (seconds since the first frame) and every time stays exact.
  const p0 = file.packets[0];
  const origin: ExactTime = p0 ? { sec: p0.tsSeconds, nsec: p0.tsNanos } : { sec: 0, nsec: 0 };
  const capture = new Capture(
    points.length > 0 ? points : [{ kind: 'file', name: 'file' }],
    { now: 0 },
    // The generators' payload is recognised in files the lab wrote (pcapng says so), not others.
    { origin, fromLab: file.sections[0]?.userAppl === 'netlab' },
  );
  let skipped = 0;
  for (const p of file.packets) {
    const exact = { sec: p.tsSeconds, nsec: p.tsNanos };
    const t = diffNs(exact, origin);
    const iface = file.interfaces[p.interfaceId];
    if (iface && iface.linkType !== LINKTYPE_ETHERNET) {
      skipped++;
      continue;
    }
    const dir =
      p.direction === DIRECTION_INBOUND
        ? DIR_IN
        : p.direction === DIRECTION_OUTBOUND
          ? DIR_OUT
          : DIR_UNKNOWN;
    const far = Math.abs(t) > MAX_OFFSET_NS ? exact : undefined;
    capture.addImported(p.interfaceId, t, dir, p.data, p.originalLength, p.comment, far);
  }
  return { capture, format: file.format, error: file.error, skipped };
}

import { Session } from 'node:inspector/promises';

/** Where a delivery's wall time goes, by the layer whose code was running. */
export const STAGES = [
  'wire',
  'nicFilter',
  'ringNapi',
  'ipUdp',
  'socket',
  'scheduler',
  'other',
] as const;
export type Stage = (typeof STAGES)[number];

/** Maps a sampled function's source file to the stage of the path it belongs to. */
function stageOf(url: string): Stage {
  if (url.includes('/lab/segment/')) return 'wire';
  if (
    url.includes('/drivers/rx-filter') ||
    url.includes('/wire/crc32') ||
    url.includes('/drivers/phy')
  ) {
    return 'nicFilter';
  }
  if (url.includes('/lab/drivers/') || url.includes('/lab/skb/') || url.includes('/lab/netdev/'))
    return 'ringNapi';
  if (url.includes('/kernel/udp-socket') || url.includes('/host/') || url.includes('/traffic/'))
    return 'socket';
  if (url.includes('/lab/kernel/') || url.includes('/lab/wire/')) return 'ipUdp';
  if (url.includes('/lab/sim/')) return 'scheduler';
  if (url.includes('/lab/capture/')) return 'ringNapi';
  return 'other';
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/**
 * Runs `work` under V8's sampling profiler and returns each stage's share of
 * the samples taken while it ran (idle time excluded).
 */
export async function stageShares(work: () => void): Promise<Record<Stage, number>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  work();
  const { profile } = (await session.post('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[] };
  };
  session.disconnect();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  let total = 0;
  for (const id of profile.samples) {
    const n = byId.get(id);
    if (!n || n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)')
      continue;
    counts[stageOf(n.callFrame.url)]++;
    total++;
  }
  for (const s of STAGES) counts[s] = total > 0 ? counts[s] / total : 0;
  return counts;
}

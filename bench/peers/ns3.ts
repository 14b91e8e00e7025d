/** Runs bench/peers/ns3/csma-flood.cc's binary for one scenario and parses its JSON line. */
import { spawnSync } from 'node:child_process';

export interface Ns3Result {
  deliveries: number;
  /** Datagrams the senders' sockets took. */
  framesSent: number;
  /** Transmissions the sender's device began (the rest were dropped in its queue). */
  framesOnWire: number;
  /** Drops at the sender's full device queue (traffic control's queue drops are not counted). */
  macTxDrops: number;
  /** Times the sender's device found the channel busy and backed off. */
  backoffs: number;
  /** Bytes of the first frame on the channel (Ethernet header, padding and FCS included). */
  frameBytes: number;
  intervalNs: number;
  simSeconds: number;
  /** Measured inside the program with a steady clock around Simulator::Run(). */
  wallSeconds: number;
  /** The process's user + system CPU time over the same span. */
  cpuSeconds: number;
}

/** One run: `hosts` nodes, the first `senders` of them sending (see csma-flood.cc). */
export function runNs3(
  bin: string,
  bitRate: number,
  seconds: number,
  hosts = 8,
  senders = 1,
): Ns3Result {
  const args = [bitRate, seconds, hosts, senders].map(String);
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${bin} exited with ${r.status ?? r.signal}:\n${r.stderr}${r.stdout}`);
  }
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Ns3Result;
}

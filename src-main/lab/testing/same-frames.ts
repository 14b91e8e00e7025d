// The bar for a reference driver: one lab run twice, h1 on a built-in model and on a
// register-level card run by its reference driver, must bring the same frames to the same
// sockets. This runs one side and gathers what the two are compared on.
import { buildLab, type DriverReader } from '../labfile/build';
import { parseLabSpec } from '../labfile/load';
import { LabSession } from '../labfile/session';
import { FATE_DELIVERED, FATE_HW_FILTER, FATE_NOT_JOINED } from '../netdev/fate';
import type { LabReport } from '../report';

/**
 * Runs `labYaml` for 300 ms and returns h1's side of the comparison: every sink's counts and
 * streams, h1's delivered / not joined / hardware-filter fate totals and its Udp counters, plus
 * whatever `more` reads of the session and report; and the driver's reports (oopses, warnings).
 */
export function runSameFrames(
  labYaml: string,
  reader: DriverReader,
  more: (session: LabSession, report: LabReport) => Record<string, unknown> = () => ({}),
): { result: Record<string, unknown>; reports: unknown[] } {
  const parsed = parseLabSpec(labYaml, 'same-frames.yaml');
  if (parsed.errors) throw new Error(`same-frames.yaml: ${JSON.stringify(parsed.errors)}`);
  const session = new LabSession(buildLab(parsed.spec!, reader));
  session.lab.run(300e6);
  const report = session.report();
  const fates = session.lab.host('h1').machine.fates;
  const result = {
    sinks: report.sinks.map((s) => ({
      name: s.name,
      received: s.received,
      bytes: s.bytes,
      lost: s.lost,
      streams: s.streams.map((x) => [x.generatorId, x.received, x.lost]),
    })),
    delivered: fates.total(FATE_DELIVERED),
    notJoined: fates.total(FATE_NOT_JOINED),
    hwFilter: fates.total(FATE_HW_FILTER),
    snmpUdp: report.hosts['h1']!.snmp.Udp,
    ...more(session, report),
  };
  const reports = report.hosts['h1']!.devices['eth0']!.driver?.reports ?? [];
  session.close();
  return { result, reports };
}

/**
 * What differs between the two sides on purpose, taken out of both before
 * comparing. Each rule names the difference and why it is kept (README.md).
 */

/** Rules applied to every line of a step's output, in order. */
const LINE_RULES: [RegExp, string][] = [
  // A veth end prints its peer (`eth0@if2`) and the peer's namespace; a card has neither.
  [/^(\d+: \w+)@\w+:/, '$1:'],
  [/ link-netns \S+| link-netnsid \d+/, ''],
  // A veth pair has no queue (noqueue) where a card gets pfifo_fast: the device type, not the kernel.
  [/ qdisc (noqueue|pfifo_fast) /, ' qdisc <default> '],
  // `ip -d`: the driver's MTU limit and queue/offload limits (veth prints them on its own line).
  [/ maxmtu \d+ .*$/, ' maxmtu <driver>'],
  [/ maxmtu \d+ $/, ' maxmtu <driver>'],
  // ping's times: a round trip through veth pairs and the wall clock is not the simulated wire's.
  [/ time=\d+(\.\d+)? ms$/, ' time=<rtt> ms'],
  [/, time \d+ms$/, ', time <elapsed>ms'],
  [/^rtt min\/avg\/max\/mdev = .*$/, 'rtt min/avg/max/mdev = <rtts>'],
  // A redirect's exception counts down on the wall clock (300 s from when it came).
  [/ expires \d+sec /, ' expires <s>sec '],
];

/** Lines dropped outright: what only one kind of device prints. */
const DROP_LINES: RegExp[] = [
  // `ip -d`: veth's own line (its kind and limits).
  /^ {4}veth /,
  // ifconfig: an ISA card's resources (IRQ, I/O base); a veth has none.
  /^ {8}device /,
  // The lab speaks no IPv6; Linux joins ff02::1 and ff01::1 on every device even with
  // disable_ipv6 (ip maddr's inet6 lines, the 33:33:00:00:00:01 MAC).
  /^\tinet6 /,
  /^\tlink {2}33:33:/,
  /^\d+\s+\w+\s+\d+\s+\d+\s+3333[0-9a-f]{8}$/,
];

/** ip maddr's `N:\tdev` heading left with nothing under it once the IPv6 lines are gone. */
function dropEmptyHeadings(lines: string[]): string[] {
  return lines.filter((l, i) => !/^\d+:\t\S+$/.test(l) || /^\t/.test(lines[i + 1] ?? ''));
}

/**
 * A fragment's IP ID (frame-summary.ts) is random on Linux (`__ip_select_ident`) and a counter
 * in the lab: each distinct ID of a step becomes its order of appearance (#1, #2…), so what is
 * compared is which fragments share a datagram.
 */
function numberIds(lines: string[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) =>
    l.replace(/^(IPv4 fragment to \S+ proto \d+ id )(\d+)/, (_m, head: string, id: string) => {
      if (!seen.has(id)) seen.set(id, seen.size + 1);
      return `${head}#${seen.get(id)!}`;
    }),
  );
}

export function normalize(lines: readonly string[]): string[] {
  const kept = lines.filter((l) => !DROP_LINES.some((re) => re.test(l)));
  return numberIds(
    dropEmptyHeadings(kept).map((l) => LINE_RULES.reduce((s, [re, to]) => s.replace(re, to), l)),
  );
}

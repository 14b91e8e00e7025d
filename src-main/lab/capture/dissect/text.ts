import {
  IGMP_HOST_LEAVE_MESSAGE,
  IGMP_HOST_MEMBERSHIP_QUERY,
  IGMPV1_HOST_MEMBERSHIP_REPORT,
  IGMPV2_HOST_MEMBERSHIP_REPORT,
  IGMPV3_HOST_MEMBERSHIP_REPORT,
  IGMPV3_QUERY_HLEN,
} from '../../wire/igmp';
import {
  ICMP_EXTENDED_ECHO_CODE_NAMES,
  ICMP_PARAMETER_PROBLEM_CODE_NAMES,
  ICMP_REDIRECT_CODE_NAMES,
  ICMP_TIME_EXCEEDED_CODE_NAMES,
  ICMP_UNREACH_CODE_NAMES,
} from './fields';

/** Words the tree and the summary share. */

/** The name of an ICMP code where its type gives codes names, else ''. */
export function icmpCodeName(type: number, code: number): string {
  let names: Readonly<Record<number, string>> | null = null;
  if (type === 3) names = ICMP_UNREACH_CODE_NAMES;
  else if (type === 11) names = ICMP_TIME_EXCEEDED_CODE_NAMES;
  else if (type === 5) names = ICMP_REDIRECT_CODE_NAMES;
  else if (type === 12) names = ICMP_PARAMETER_PROBLEM_CODE_NAMES;
  else if (type === 42 || type === 43) names = ICMP_EXTENDED_ECHO_CODE_NAMES;
  return names ? (names[code] ?? 'Unknown') : '';
}

/**
 * The IGMP version of a message, as Wireshark decides it: a query by its
 * length (RFC 3376 §7.1: 8 bytes with a zero Max Resp Time is v1, otherwise
 * v2; 12 or more is v3), reports and leaves by their type. 0 when unknown.
 */
export function igmpVersion(type: number, length: number, maxResp: number): number {
  switch (type) {
    case IGMP_HOST_MEMBERSHIP_QUERY:
      // 9 to 11 bytes is malformed (RFC 3376 §7.1); Wireshark calls it v1 or v2, as here.
      if (length >= IGMPV3_QUERY_HLEN) return 3;
      return maxResp === 0 ? 1 : 2;
    case IGMPV1_HOST_MEMBERSHIP_REPORT:
      return 1;
    case IGMPV2_HOST_MEMBERSHIP_REPORT:
    case IGMP_HOST_LEAVE_MESSAGE:
      return 2;
    case IGMPV3_HOST_MEMBERSHIP_REPORT:
      return 3;
    default:
      return 0;
  }
}

const DSCP_SHORT: Record<number, string> = {
  0: 'CS0',
  8: 'CS1',
  10: 'AF11',
  12: 'AF12',
  14: 'AF13',
  16: 'CS2',
  18: 'AF21',
  20: 'AF22',
  22: 'AF23',
  24: 'CS3',
  26: 'AF31',
  28: 'AF32',
  30: 'AF33',
  32: 'CS4',
  34: 'AF41',
  36: 'AF42',
  38: 'AF43',
  40: 'CS5',
  44: 'VA',
  46: 'EF',
  48: 'CS6',
  56: 'CS7',
};

/** `CS6` (short) or `Class Selector 6` (long), as Wireshark names a DSCP. */
export function dscpName(dscp: number, short: boolean): string {
  if (short) return DSCP_SHORT[dscp] ?? String(dscp);
  if (dscp === 0) return 'Default';
  if (dscp % 8 === 0) return `Class Selector ${dscp / 8}`;
  if (dscp === 46) return 'Expedited Forwarding';
  if (dscp === 44) return 'Voice Admit';
  const af = DSCP_SHORT[dscp];
  return af ? `Assured Forwarding ${af.slice(2, 3)}${af.slice(3)}` : 'Unknown';
}

const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];
const ECN_LONG = [
  'Not ECN-Capable Transport',
  "ECN-Capable Transport codepoint '01'",
  "ECN-Capable Transport codepoint '10'",
  'Congestion Experienced',
];

export function ecnName(ecn: number, short: boolean): string {
  return (short ? ECN_SHORT : ECN_LONG)[ecn & 3];
}

const IP_OPTION_NAMES: Record<number, string> = {
  0: 'End of Options List (EOL)',
  1: 'No Operation (NOP)',
  7: 'Record Route',
  68: 'Time Stamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

/**
 * The names of the options in `bytes[start, end)`, comma-separated, for the
 * label of the raw options field. Stops at a malformed option.
 */
export function ipOptionNames(bytes: Uint8Array, start: number, end: number): string {
  const names: string[] = [];
  let p = start;
  while (p < end) {
    const type = bytes[p];
    names.push(IP_OPTION_NAMES[type] ?? `Unknown (${type})`);
    if (type === 0) break;
    if (type === 1) {
      p++;
      continue;
    }
    const len = p + 1 < end ? bytes[p + 1] : 0;
    if (len < 2) break;
    p += len;
  }
  return names.join(', ');
}

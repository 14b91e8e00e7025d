import { describe, expect, it } from 'vitest';
import { FATE_NAMES } from '../../../src-main/lab/netdev/fate';
import { fateKind, isDropped, protocolClass, rowClass } from './fate';

describe('fate colouring', () => {
  it('knows every fate the kernel records', () => {
    for (const name of FATE_NAMES) expect(fateKind(name)).not.toBe('unknown');
  });

  it('tells drops, wire losses and frames that reached their goal apart', () => {
    expect(fateKind('delivered (socket 3)')).toBe('ok');
    expect(fateKind('sent')).toBe('ok');
    expect(fateKind('on the wire')).toBe('ok');
    expect(fateKind('group not joined')).toBe('drop');
    expect(fateKind('collision')).toBe('wire');
    expect(isDropped('receive buffer full (socket 1)')).toBe(true);
    expect(isDropped('consumed by kernel')).toBe(false);
    // The follow panel's words for a card that could not receive at all.
    expect(fateKind('card down')).toBe('drop');
    expect(fateKind('cable unplugged')).toBe('drop');
  });

  it('colours a row by its fate first, then by protocol', () => {
    expect(rowClass('NETLAB', 'group not joined')).toBe('row-drop');
    expect(rowClass('Ethernet', 'collision')).toBe('row-wire');
    expect(rowClass('NETLAB', 'delivered (socket 1)')).toBe('row-udp');
    expect(rowClass('ARP', 'consumed by kernel')).toBe('row-arp');
    expect(protocolClass('IGMPv2')).toBe('igmp');
    expect(protocolClass('802.3')).toBe('other');
  });
});

import { describe, expect, it } from 'vitest';
import { LineHistory } from './line-history';

describe('LineHistory', () => {
  it('walks back and forth, and returns the draft past the newest', () => {
    const h = new LineHistory(['ifconfig', 'ping 10.0.0.2']);
    expect(h.older('cat /pr')).toBe('ping 10.0.0.2');
    expect(h.older('ping 10.0.0.2')).toBe('ifconfig');
    expect(h.older('ifconfig')).toBe('ifconfig');
    expect(h.newer('ifconfig')).toBe('ping 10.0.0.2');
    expect(h.newer('ping 10.0.0.2')).toBe('cat /pr');
    expect(h.newer('cat /pr')).toBe('cat /pr');
  });

  it('does nothing without history', () => {
    const h = new LineHistory([]);
    expect(h.older('x')).toBe('x');
    expect(h.newer('x')).toBe('x');
  });
});

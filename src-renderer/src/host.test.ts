import { describe, expect, it } from 'vitest';
import { describeHost } from './host';

describe('describeHost', () => {
  it('reports "web" when the Electron preload API is absent', () => {
    expect(describeHost(undefined)).toEqual({ host: 'web', version: null });
  });

  it('reports Electron and its version when the preload API is present', () => {
    expect(describeHost({ host: 'electron', version: '0.1.0' })).toEqual({
      host: 'electron',
      version: '0.1.0',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { markdownBlock, markdownInline } from './markdown';
import { parseNetlabLink } from './netlab-links';

describe('netlab: links', () => {
  it('name a view and what to show in it', () => {
    expect(parseNetlabLink('netlab:capture?filter=udp.dstport%3D%3D5000')).toEqual({
      view: 'capture',
      filter: 'udp.dstport==5000',
    });
    expect(parseNetlabLink('netlab:iface?host=h1&dev=eth1')).toEqual({
      view: 'iface',
      host: 'h1',
      dev: 'eth1',
    });
    expect(parseNetlabLink('netlab:shell?host=h1&cmd=cat%20/proc/net/snmp')).toEqual({
      view: 'shell',
      host: 'h1',
      cmd: 'cat /proc/net/snmp',
    });
    expect(parseNetlabLink('netlab:stats?host=h2')).toEqual({ view: 'stats', host: 'h2' });
    expect(parseNetlabLink('netlab:skb')).toEqual({ view: 'skb', host: null });
  });

  it('say what is wrong with a bad one', () => {
    expect(parseNetlabLink('netlab:iface?host=h1')).toEqual({
      error: 'netlab:iface?host=h1: missing dev=',
    });
    expect(parseNetlabLink('netlab:nowhere')).toMatchObject({
      error: expect.stringContaining('no view "nowhere"'),
    });
  });
});

describe('exercise Markdown', () => {
  it('renders lists, code and emphasis, and keeps netlab: links', () => {
    const html = markdownBlock(
      'Run:\n\n1. `ifconfig eth1`\n2. **then** [look](netlab:stats?host=h1)\n',
    );
    expect(html).toContain('<ol>');
    expect(html).toContain('<code>ifconfig eth1</code>');
    expect(html).toContain('<strong>then</strong>');
    expect(html).toContain('<a href="netlab:stats?host=h1">look</a>');
  });

  it('lets no markup or script through', () => {
    const html = markdownBlock(
      '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>1</script>',
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('href="javascript:');
    expect(markdownInline('a [site](https://example.org)')).toContain('target="_blank"');
  });
});

// Links from an exercise's text into the window: `netlab:VIEW?PARAMS`. Parsing is kept apart from
// acting on it, so the parse is testable without a window.
//   netlab:capture?filter=F         the capture view with display filter F
//   netlab:iface?host=H&dev=D       the interface view on H's D
//   netlab:stats?host=H             the statistics view
//   netlab:shell?host=H&cmd=C       H's shell with C typed (not run)
//   netlab:skb?host=H               the sk_buff view

export type NetlabLink =
  | { view: 'capture'; filter: string | null }
  | { view: 'iface'; host: string; dev: string }
  | { view: 'stats'; host: string | null }
  | { view: 'shell'; host: string; cmd: string }
  | { view: 'skb'; host: string | null };

/** The link's target, or an error saying what is wrong with it. */
export function parseNetlabLink(href: string): NetlabLink | { error: string } {
  if (!href.startsWith('netlab:')) return { error: `not a netlab: link: ${href}` };
  const rest = href.slice('netlab:'.length);
  const q = rest.indexOf('?');
  const view = (q < 0 ? rest : rest.slice(0, q)).replace(/^\/+/, '');
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const need = (name: string): string | { error: string } => {
    const v = params.get(name);
    return v === null || v === '' ? { error: `${href}: missing ${name}=` } : v;
  };
  switch (view) {
    case 'capture':
      return { view, filter: params.get('filter') };
    case 'iface': {
      const host = need('host');
      const dev = need('dev');
      if (typeof host !== 'string') return host;
      if (typeof dev !== 'string') return dev;
      return { view, host, dev };
    }
    case 'stats':
    case 'skb':
      return { view, host: params.get('host') };
    case 'shell': {
      const host = need('host');
      if (typeof host !== 'string') return host;
      return { view, host, cmd: params.get('cmd') ?? '' };
    }
    default:
      return { error: `${href}: no view "${view}" (capture, iface, stats, shell, skb)` };
  }
}

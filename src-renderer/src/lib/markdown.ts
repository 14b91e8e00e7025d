// Exercise text (instructions, hints, explanations) as HTML: markdown-it with raw HTML off, so
// nothing in a lab file can put markup or script into the window; markdown-it escapes the text
// and refuses javascript:, vbscript:, file: and data: links. Links into the window itself use the
// `netlab:` scheme (see netlab-links.ts) and are kept; other links open outside.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });

// Outside links open in a new window (which Electron hands to the system browser, or refuses).
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const href = String(token.attrGet('href') ?? '');
  if (!href.startsWith('netlab:')) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** A block of Markdown (paragraphs, lists, code) as HTML. */
export function markdownBlock(text: string): string {
  return md.render(text);
}

/** One line of Markdown (a question's prompt) as HTML, without a paragraph around it. */
export function markdownInline(text: string): string {
  return md.renderInline(text);
}

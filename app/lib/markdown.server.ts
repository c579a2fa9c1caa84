import { Marked, type TokenizerAndRendererExtension } from 'marked'
import sanitizeHtml from 'sanitize-html'

// A private instance so extensions or options set on the global `marked`
// elsewhere can never change how user content is rendered here.
const marked = new Marked({ gfm: true, breaks: false, async: false })

// marked passes raw HTML through untouched, so this allowlist is the actual
// security boundary: every rendered string goes through it.
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'blockquote', 'pre', 'code',
    'em', 'strong', 'del', 's', 'sup', 'sub', 'span',
    'ul', 'ol', 'li',
    'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    // `rel` is listed only so the value forced by transformTags survives.
    a: ['href', 'title', 'class', { name: 'rel', values: ['nofollow ugc noopener'] }],
    img: ['src', 'alt', 'title'],
    // marked emits column alignment as `align`, so no style attribute is needed.
    th: [{ name: 'align', values: ['left', 'center', 'right'] }],
    td: [{ name: 'align', values: ['left', 'center', 'right'] }],
    ol: ['start'],
  },
  allowedClasses: {
    code: [/^language-[a-z0-9-]+$/],
    a: ['mention'],
  },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {
    a: ['http', 'https', 'mailto'],
    img: ['http', 'https'],
  },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  // "//host/path" leaves the site while looking like a relative path.
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Drop the contents of these along with the tag; their text is code or
  // markup that would otherwise be re-emitted as visible (or parsed) text.
  nonTextTags: [
    'script', 'style', 'textarea', 'option', 'xmp',
    'noscript', 'iframe', 'noembed', 'noframes', 'template', 'title',
  ],
  transformTags: {
    // User links must not pass reputation or get window.opener access.
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }),
  },
}

// A handle after start, whitespace or punctuation, so "name@agency.gov" stays an email address.
const MENTION_IN_TEXT = /(?<![\w.+/-])@([a-z0-9][a-z0-9_-]{2,29})(?![\w-])/gi

/** Every `@handle` in the source, lowercased; some may not be members (the caller checks). */
export function findMentionCandidates(source: string): string[] {
  return [...new Set([...source.matchAll(MENTION_IN_TEXT)].map((match) => match[1].toLowerCase()))]
}

function mentionExtension(handles: ReadonlySet<string>): TokenizerAndRendererExtension {
  return {
    name: 'mention',
    level: 'inline',
    start: (src) => src.search(/(?<![\w.+/-])@[a-z0-9]/i),
    tokenizer(src) {
      const match = /^@([a-z0-9][a-z0-9_-]{2,29})(?![\w-])/i.exec(src)
      if (!match || !handles.has(match[1].toLowerCase())) return undefined
      return { type: 'mention', raw: match[0], handle: match[1].toLowerCase() }
    },
    renderer: (token) => `<a class="mention" href="/members/${token.handle}">@${token.handle}</a>`,
  }
}

/**
 * Markdown to safe HTML. Called once, when content is written; the HTML is stored.
 * `mentions` are the handles of real members: each `@handle` among them becomes a profile link.
 */
export function renderMarkdown(source: string, { mentions }: { mentions?: ReadonlySet<string> } = {}): string {
  const parser = mentions?.size
    ? new Marked({ gfm: true, breaks: false, async: false }, { extensions: [mentionExtension(mentions)] })
    : marked
  const html = parser.parse(source, { async: false })
  return sanitizeHtml(html, sanitizeOptions)
}

/** The handles that rendered HTML links as mentions (not ones inside code, say). */
export function mentionedHandles(html: string): string[] {
  return [...new Set([...html.matchAll(/<a class="mention" href="\/members\/([a-z0-9_-]+)"/g)].map((m) => m[1]))]
}

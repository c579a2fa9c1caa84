import { randomBytes } from 'node:crypto'
import { Marked, type MarkedExtension, type Token, type TokenizerAndRendererExtension, type Tokens } from 'marked'
import sanitizeHtml from 'sanitize-html'
import { markdownLimitProblem } from './markdown-limits'

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

// An image from another host is a tracking pixel: it tells that host who read the post, and
// when. So an image becomes a link to it, named by its alt text; inside a link, just its text.
const imagesAsLinks: MarkedExtension = {
  renderer: {
    image({ href, text }: Tokens.Image) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)} (image)</a>`
    },
  },
  walkTokens(token: Token) {
    if (token.type === 'link') {
      const link = token as Tokens.Link
      link.tokens = link.tokens.map((child) =>
        child.type === 'image' ? ({ type: 'text', raw: child.raw, text: child.text, escaped: false } as Tokens.Text) : child,
      )
    }
  },
}

// A private instance so extensions or options set on the global `marked`
// elsewhere can never change how user content is rendered here.
const marked = new Marked({ gfm: true, breaks: false, async: false }, imagesAsLinks)

// marked passes raw HTML through untouched, so this allowlist is the actual
// security boundary: every rendered string goes through it.
const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'blockquote', 'pre', 'code',
    'em', 'strong', 'del', 's', 'sup', 'sub', 'span',
    'ul', 'ol', 'li',
    'a',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    // `rel` is listed only so the value forced by transformTags survives.
    // `class` survives only as set by the transform in sanitizeOptionsFor.
    a: ['href', 'title', 'class', { name: 'rel', values: ['nofollow ugc noopener'] }],
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
}

/**
 * Only the renderer may dress a link as a mention: it marks its own links with a value made
 * for this one render, which no author can know; any other class on a link is dropped.
 * User links must not pass reputation or get window.opener access.
 */
function sanitizeOptionsFor(mentionMark: string): sanitizeHtml.IOptions {
  return {
    ...sanitizeOptions,
    transformTags: {
      a: (tagName, { class: _class, 'data-mention': mark, ...attribs }) => ({
        tagName,
        attribs: { ...(mark === mentionMark ? { class: 'mention' } : {}), ...attribs, rel: 'nofollow ugc noopener' },
      }),
    },
  }
}

// A handle after start, whitespace or punctuation, so "name@agency.gov" stays an email address.
const MENTION_IN_TEXT = /(?<![\w.+/-])@([a-z0-9][a-z0-9_-]{2,29})(?![\w-])/gi

/** Every `@handle` in the source, lowercased; some may not be members (the caller checks). */
export function findMentionCandidates(source: string): string[] {
  return [...new Set([...source.matchAll(MENTION_IN_TEXT)].map((match) => match[1].toLowerCase()))]
}

function mentionExtension(handles: ReadonlyMap<string, string>, mentionMark: string): TokenizerAndRendererExtension {
  return {
    name: 'mention',
    level: 'inline',
    start: (src) => src.search(/(?<![\w.+/-])@[a-z0-9]/i),
    tokenizer(src) {
      const match = /^@([a-z0-9][a-z0-9_-]{2,29})(?![\w-])/i.exec(src)
      if (!match || !handles.has(match[1].toLowerCase())) return undefined
      const typed = match[1].toLowerCase()
      return { type: 'mention', raw: match[0], typed, handle: handles.get(typed)! }
    },
    renderer: (token) => `<a data-mention="${mentionMark}" href="/members/${token.handle}">@${token.typed}</a>`,
  }
}

/**
 * Markdown to safe HTML. Called once, when content is written; the HTML is stored.
 * `mentions` maps handles as typed to real members' current handles: each `@handle` among them
 * becomes a link to that member's profile (an old handle links to the member's current one).
 * Every field that takes Markdown checks markdownLimitProblem first (withinMarkdownLimits), so
 * text beyond the limits reaching this point is a bug, not a member's input.
 */
export function renderMarkdown(source: string, { mentions }: { mentions?: ReadonlyMap<string, string> } = {}): string {
  const problem = markdownLimitProblem(source)
  if (problem) throw new Error(`renderMarkdown was given text beyond the limits: ${problem}`)
  const mentionMark = randomBytes(12).toString('base64url')
  const parser = mentions?.size
    ? new Marked({ gfm: true, breaks: false, async: false }, imagesAsLinks, { extensions: [mentionExtension(mentions, mentionMark)] })
    : marked
  const html = parser.parse(source, { async: false })
  return sanitizeHtml(html, sanitizeOptionsFor(mentionMark))
}

/** The handles that rendered HTML links as mentions (not ones inside code, say). */
export function mentionedHandles(html: string): string[] {
  return [...new Set([...html.matchAll(/<a class="mention" href="\/members\/([a-z0-9_-]+)"/g)].map((m) => m[1]))]
}

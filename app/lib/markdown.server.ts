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

/** The level of the page's heading a text is shown under: its own headings nest below it. */
export type HeadingLevel = 0 | 1 | 2 | 3 | 4 | 5

/**
 * The heading each kind of member text is shown under, by level: an opening post under its
 * author's h2 and a reply under its author's h3, a case's narrative and an event's description
 * under the page's h2 sections, a bio right under the profile's h1. (Migration 0018 moved the
 * HTML stored before to the same levels.)
 */
export const SHOWN_UNDER = {
  openingPost: 2,
  reply: 3,
  teamComment: 2,
  caseNarrative: 2,
  eventText: 2,
  bio: 1,
} as const satisfies Record<string, HeadingLevel>

// A "#" typed in a reply must not become a second h1 in the middle of the thread: the text's
// highest heading, whatever its level as typed, becomes the level just below the heading the
// text is shown under, and the others keep their distance from it (up to h6), so the page's
// outline never skips a level into the member's text.
function headingsNestedUnder(level: HeadingLevel, source: string): MarkedExtension | null {
  let top = 7
  marked.walkTokens(marked.lexer(source), (token) => {
    if (token.type === 'heading') top = Math.min(top, token.depth)
  })
  if (top === 7) return null
  const shift = level + 1 - top
  return {
    walkTokens(token: Token) {
      if (token.type === 'heading') token.depth = Math.min(token.depth + shift, 6)
    },
  }
}

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
 * `headingsUnder` is the level of the heading the text is shown under (a reply under its h3).
 * `mentions` maps handles as typed to real members' current handles: each `@handle` among them
 * becomes a link to that member's profile (an old handle links to the member's current one).
 * Every field that takes Markdown checks markdownLimitProblem first (withinMarkdownLimits), so
 * text beyond the limits reaching this point is a bug, not a member's input.
 */
export function renderMarkdown(
  source: string,
  { mentions, headingsUnder = 0 }: { mentions?: ReadonlyMap<string, string>; headingsUnder?: HeadingLevel } = {},
): string {
  const problem = markdownLimitProblem(source)
  if (problem) throw new Error(`renderMarkdown was given text beyond the limits: ${problem}`)
  const mentionMark = randomBytes(12).toString('base64url')
  const nesting = headingsUnder ? headingsNestedUnder(headingsUnder, source) : null
  const extensions: MarkedExtension[] = [
    ...(nesting ? [nesting] : []),
    ...(mentions?.size ? [{ extensions: [mentionExtension(mentions, mentionMark)] }] : []),
  ]
  const parser = extensions.length ? new Marked({ gfm: true, breaks: false, async: false }, imagesAsLinks, ...extensions) : marked
  const html = parser.parse(source, { async: false })
  return sanitizeHtml(html, sanitizeOptionsFor(mentionMark))
}

/** The handles that rendered HTML links as mentions (not ones inside code, say). */
export function mentionedHandles(html: string): string[] {
  return [...new Set([...html.matchAll(/<a class="mention" href="\/members\/([a-z0-9_-]+)"/g)].map((m) => m[1]))]
}

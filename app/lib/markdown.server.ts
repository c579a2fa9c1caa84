import { Marked } from 'marked'
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
    a: ['href', 'title', { name: 'rel', values: ['nofollow ugc noopener'] }],
    img: ['src', 'alt', 'title'],
    // marked emits column alignment as `align`, so no style attribute is needed.
    th: [{ name: 'align', values: ['left', 'center', 'right'] }],
    td: [{ name: 'align', values: ['left', 'center', 'right'] }],
    ol: ['start'],
  },
  allowedClasses: {
    code: [/^language-[a-z0-9-]+$/],
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

export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false })
  return sanitizeHtml(html, sanitizeOptions)
}

import { describe, it, expect } from 'vitest'
import { renderMarkdown, SHOWN_UNDER } from '../../app/lib/markdown.server'

// Decode the entity forms browsers accept inside attribute values, so an
// encoded `javascript&colon;` cannot slip past the string checks below.
// &lt; / &gt; are deliberately left alone: escaped text is inert and must not
// be mistaken for markup.
function decodeEntities(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);?/g, (_, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;/gi, '\t')
    .replace(/&newline;/gi, '\n')
    .replace(/&quot;/gi, '"')
    .replace(/&apos;/gi, "'")
    .replace(/&amp;/gi, '&')
}

interface Attr {
  tag: string
  name: string
  value: string
}

// sanitize-html escapes `<` and `>` inside attribute values, so `<...>` spans
// in its output are exactly the tags a browser will see.
function attributesOf(html: string): Attr[] {
  const attrs: Attr[] = []
  for (const [, tag, body] of html.matchAll(/<([a-z][a-z0-9-]*)([^>]*)>/gi)) {
    for (const m of body.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)) {
      const raw = m[2] ?? ''
      const unquoted = /^["']/.test(raw) ? raw.slice(1, -1) : raw
      attrs.push({ tag: tag.toLowerCase(), name: m[1].toLowerCase(), value: decodeEntities(unquoted) })
    }
  }
  return attrs
}

function textContent(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
}

const FORBIDDEN_TAGS = [
  'script', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'input', 'button',
  'style', 'base', 'meta', 'link', 'body', 'details', 'noscript', 'textarea', 'div',
]
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'srcdoc', 'xlink:href', 'background', 'poster'])

function expectInert(html: string): void {
  const decoded = decodeEntities(html).toLowerCase()
  for (const tag of FORBIDDEN_TAGS) {
    expect(decoded, `<${tag} in ${html}`).not.toMatch(new RegExp(`<${tag}[\\s/>]|<${tag}$`))
  }

  const tagMarkup = (decoded.match(/<[a-z][^>]*>/g) ?? []).join(' ')
  expect(tagMarkup).not.toMatch(/\son[a-z]+\s*=/)
  expect(tagMarkup).not.toContain('style=')
  expect(tagMarkup).not.toMatch(/\s(?:href|src|action|formaction|data|srcdoc)\s*=\s*["']?[\x00-\x20]*(?:javascript|vbscript|data):/)

  for (const attr of attributesOf(html)) {
    expect(attr.name, `${attr.tag}[${attr.name}]`).not.toMatch(/^on/)
    expect(attr.name).not.toBe('style')
    if (URL_ATTRS.has(attr.name)) {
      // Browsers strip these characters before reading a scheme.
      const url = attr.value.replace(/[\x00-\x20\x7f]/g, '').toLowerCase()
      expect(url, `${attr.tag}[${attr.name}]=${attr.value}`).not.toMatch(/^(?:javascript|vbscript|data):/)
      expect(url).not.toMatch(/^[/\\]{2}/)
    }
  }
}

describe('renderMarkdown: ordinary Markdown', () => {
  it('renders headings, lists and emphasis', () => {
    const html = renderMarkdown('# Title\n\n## Sub\n\n- one\n- two\n\n3. three\n4. four\n\n*em* **strong** ~~gone~~')
    expect(html).toContain('<h1>Title</h1>')
    expect(html).toContain('<h2>Sub</h2>')
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/)
    expect(html).toContain('<ol start="3">')
    expect(html).toContain('<em>em</em>')
    expect(html).toContain('<strong>strong</strong>')
    expect(html).toContain('<del>gone</del>')
  })

  it('keeps the language class on fenced code and escapes its contents', () => {
    const html = renderMarkdown('```ts\nconst a = "<script>"\n```')
    expect(html).toContain('<pre><code class="language-ts">')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('<script')
  })

  it('drops classes that are not language-*', () => {
    const html = renderMarkdown('<code class="evil language-ts">x</code>')
    expect(html).toContain('<code class="language-ts">x</code>')
  })

  it('renders GFM tables with column alignment', () => {
    const html = renderMarkdown('| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |')
    expect(html).toContain('<table>')
    expect(html).toContain('<th align="left">a</th>')
    expect(html).toContain('<th align="center">b</th>')
    expect(html).toContain('<td align="right">3</td>')
  })

  it('adds rel="nofollow ugc noopener" to an https link', () => {
    const html = renderMarkdown('[site](https://example.com/page)')
    expect(html).toContain('<a href="https://example.com/page" rel="nofollow ugc noopener">site</a>')
  })

  it('emits exactly one rel, overriding any user-supplied rel and dropping target', () => {
    const html = renderMarkdown('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    expect(html.match(/\srel=/g)).toHaveLength(1)
    expect(html).toContain('rel="nofollow ugc noopener"')
    expect(html).not.toContain('target=')
    expect(html).not.toContain('rel="opener"')
  })

  it('keeps same-site relative links', () => {
    const html = renderMarkdown('[cases](/cases) [top](#top) [search](?q=cloud)')
    expect(html).toContain('<a href="/cases" rel="nofollow ugc noopener">cases</a>')
    expect(html).toContain('<a href="#top" rel="nofollow ugc noopener">top</a>')
    expect(html).toContain('<a href="?q=cloud" rel="nofollow ugc noopener">search</a>')
  })

  it('keeps mailto links', () => {
    const html = renderMarkdown('[mail](mailto:team@example.gov)')
    expect(html).toContain('href="mailto:team@example.gov"')
  })

})

describe('renderMarkdown: headings nest under the heading the text is shown under', () => {
  it('a reply’s "#" is an h4 under its author’s h3, and nothing goes past h6', () => {
    const html = renderMarkdown('# One\n\n## Two\n\n### Three\n\n###### Six\n\nUnder\n=====', { headingsUnder: SHOWN_UNDER.reply })
    expect(html).toBe('<h4>One</h4>\n<h5>Two</h5>\n<h6>Three</h6>\n<h6>Six</h6>\n<h4>Under</h4>\n')
  })

  it('the highest heading typed, whatever its size, comes right under the post’s own: no level is skipped', () => {
    expect(renderMarkdown('### What worked\n\n#### In week one', { headingsUnder: SHOWN_UNDER.reply })).toBe('<h4>What worked</h4>\n<h5>In week one</h5>\n')
    expect(renderMarkdown('### What worked', { headingsUnder: SHOWN_UNDER.openingPost })).toBe('<h3>What worked</h3>\n')
    expect(renderMarkdown('> ## Quoted\n\n- ### Listed', { headingsUnder: SHOWN_UNDER.reply })).toMatch(/<h4>Quoted<\/h4>[\s\S]*<h5>Listed<\/h5>/)
  })

  it('shifts by each place’s own level, with mentions too, and leaves headings in code alone', () => {
    expect(renderMarkdown('# About me', { headingsUnder: SHOWN_UNDER.bio })).toBe('<h2>About me</h2>\n')
    expect(renderMarkdown('## Timeline', { headingsUnder: SHOWN_UNDER.caseNarrative })).toBe('<h3>Timeline</h3>\n')
    const withMention = renderMarkdown('# Thanks @pat', { headingsUnder: 3, mentions: new Map([['pat', 'pat']]) })
    expect(withMention).toMatch(/^<h4>Thanks <a class="mention" href="\/members\/pat"/)
    expect(renderMarkdown('```\n# not a heading\n<h1>x</h1>\n```', { headingsUnder: 3 })).toContain('# not a heading\n&lt;h1&gt;x&lt;/h1&gt;')
  })

  it('renders headings as typed where no level is given (site pages, category descriptions)', () => {
    expect(renderMarkdown('## Our rules')).toBe('<h2>Our rules</h2>\n')
  })
})

describe('renderMarkdown: images are links, never loaded by the reader', () => {
  it.each([
    ['an https image', '![chart](https://img.example.com/c.png "Chart")', 'https://img.example.com/c.png', 'chart (image)'],
    ['an image without alt text', '![](https://pixel.example/t.gif)', 'https://pixel.example/t.gif', 'https://pixel.example/t.gif (image)'],
    ['a reference-style image', '![logo][l]\n\n[l]: https://pixel.example/l.png', 'https://pixel.example/l.png', 'logo (image)'],
    ['a same-site image', '![map](/map.png)', '/map.png', 'map (image)'],
  ])('%s becomes a text link', (_, source, href, text) => {
    const html = renderMarkdown(source)
    expect(html).not.toContain('<img')
    expect(html).toContain(`<a href="${href}" rel="nofollow ugc noopener">${text}</a>`)
  })

  it('an image inside a link becomes its alt text, so links never nest', () => {
    const html = renderMarkdown('[![badge](https://pixel.example/b.svg)](https://ci.example/build)')
    expect(html).toBe('<p><a href="https://ci.example/build" rel="nofollow ugc noopener">badge</a></p>\n')
  })

  it.each(['<img src="https://pixel.example/t.gif">', '<p><img src=https://pixel.example/t.gif alt=x></p>', '<picture><source srcset="https://pixel.example/a.png"><img src="https://pixel.example/b.png"></picture>'])(
    'raw HTML %s loads nothing',
    (source) => {
      const html = renderMarkdown(source)
      expect(html).not.toMatch(/<(img|picture|source)\b/)
      expect(html).not.toMatch(/src=/)
    },
  )

  it('an image with a javascript: address is a link to nowhere', () => {
    const html = renderMarkdown('![x](javascript:alert(1))')
    expect(html).not.toContain('javascript')
    expect(html).not.toContain('<img')
  })
})

describe('renderMarkdown: only the renderer makes mentions', () => {
  it.each([
    ['raw HTML with the mention class', '<a class="mention" href="https://evil.example">Admin</a>'],
    ['the mention class among others', '<a class="x mention" href="/members/admin">Admin</a>'],
    ['a guessed renderer mark', '<a data-mention="x" href="/members/admin">Admin</a>'],
  ])('%s is a plain link', (_, source) => {
    const html = renderMarkdown(source, { mentions: new Map([['admin', 'admin']]) })
    expect(html).not.toContain('class=')
    expect(html).not.toContain('data-mention')
  })

  it("a real member's @handle is still a mention", () => {
    expect(renderMarkdown('Thanks @wren!', { mentions: new Map([['wren', 'wren']]) })).toBe(
      '<p>Thanks <a class="mention" href="/members/wren" rel="nofollow ugc noopener">@wren</a>!</p>\n',
    )
  })

  it("an old handle is a mention of the member's current profile, as typed", () => {
    expect(renderMarkdown('Ask @old-wren.', { mentions: new Map([['old-wren', 'wren']]) })).toBe(
      '<p>Ask <a class="mention" href="/members/wren" rel="nofollow ugc noopener">@old-wren</a>.</p>\n',
    )
  })
})

interface Payload {
  name: string
  input: string
  // For link/image payloads: the visible text that must survive once the
  // dangerous URL is removed.
  text?: string
}

const payloads: Payload[] = [
  { name: 'javascript: link', input: '[x](javascript:alert(1))', text: 'x' },
  { name: 'upper-case scheme', input: '[x](JAVASCRIPT:alert(1))', text: 'x' },
  { name: 'mixed-case scheme', input: '[x](JaVaScRiPt:alert(1))', text: 'x' },
  { name: 'tab entity inside scheme', input: '[x](java&#x09;script:alert(1))', text: 'x' },
  { name: 'decimal entity scheme', input: '[x](&#106;avascript:alert(1))', text: 'x' },
  { name: 'hex entity scheme', input: '[x](&#x6A;avascript:alert(1))', text: 'x' },
  { name: '&colon; entity scheme', input: '[x](javascript&colon;alert(1))', text: 'x' },
  { name: 'leading whitespace', input: '[x](  javascript:alert(1))', text: 'x' },
  { name: 'leading control char (markdown)', input: '[x](\u0001javascript:alert(1))' },
  { name: 'leading control char (html)', input: '<a href="\u0001javascript:alert(1)">x</a>', text: 'x' },
  { name: 'leading &#x01; entity (html)', input: '<a href="&#x01;javascript:alert(1)">x</a>', text: 'x' },
  { name: 'angle-bracket destination', input: '[x](<javascript:alert(1)>)', text: 'x' },
  { name: 'data: html link', input: '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', text: 'x' },
  { name: 'vbscript: link', input: '[x](vbscript:msgbox(1))', text: 'x' },
  { name: 'raw html javascript: href', input: '<a href="javascript:alert(1)">x</a>', text: 'x' },
  { name: 'newline entity inside scheme', input: '<a href="jav&#x0A;ascript:alert(1)">x</a>', text: 'x' },
  { name: 'reference-style link', input: '[x][1]\n\n[1]: javascript:alert(1)', text: 'x' },
  { name: 'autolink', input: '<javascript:alert(1)>', text: 'javascript:alert(1)' },
  { name: 'protocol-relative href', input: '<a href="//evil.example/phish">x</a>', text: 'x' },
  { name: 'backslash protocol-relative href', input: '<a href="/\\evil.example/phish">x</a>', text: 'x' },
  { name: 'protocol-relative markdown link', input: '[x](//evil.example/phish)', text: 'x' },
  { name: 'javascript: image', input: '![x](javascript:alert(1))' },
  { name: 'data: svg image', input: '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)' },
  { name: 'script tag', input: '<script>alert(1)</script>' },
  { name: 'img onerror', input: '<img src=x onerror=alert(1)>' },
  { name: 'svg onload', input: '<svg onload=alert(1)>' },
  { name: 'script inside svg', input: '<svg><script>alert(1)</script></svg>' },
  { name: 'details ontoggle', input: '<details open ontoggle=alert(1)>' },
  { name: 'noscript attribute breakout', input: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: 'iframe javascript: src', input: '<iframe src="javascript:alert(1)"></iframe>' },
  { name: 'iframe srcdoc', input: '<iframe srcdoc="<script>alert(1)</script>">' },
  { name: 'object data', input: '<object data="javascript:alert(1)">' },
  { name: 'embed src', input: '<embed src=javascript:alert(1)>' },
  { name: 'math/style namespace confusion', input: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: 'form action', input: '<form action="javascript:alert(1)"><button>x</button></form>' },
  { name: 'style attribute url()', input: '<div style="background:url(javascript:alert(1))">' },
  { name: 'body onload', input: '<body onload=alert(1)>' },
  { name: 'meta refresh', input: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { name: 'base href', input: '<base href="javascript:/">' },
  { name: 'input onfocus', input: '<input autofocus onfocus=alert(1)>' },
  { name: 'p onclick', input: '<p onclick="alert(1)">x</p>' },
  { name: 'style @import', input: "<style>@import 'javascript:alert(1)'</style>" },
]

describe('renderMarkdown: XSS payloads', () => {
  it('covers a meaningful set of payloads', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(24)
  })

  it.each(payloads)('neutralises $name', ({ input, text }) => {
    const html = renderMarkdown(input)
    expectInert(html)
    if (text !== undefined) {
      expect(textContent(html).trim()).toBe(text)
      // Every payload URL here is hostile, so no href/src may survive at all.
      expect(html).not.toMatch(/\s(?:href|src)=/)
    }
  })

  it('does not leak script or style bodies as text', () => {
    const html = renderMarkdown('<script>alert("leak")</script><style>body{}</style><textarea><b>t</b></textarea>ok')
    expect(html).not.toContain('leak')
    expect(html).not.toContain('body{}')
    expect(html).not.toContain('<b>')
    expect(html).toContain('ok')
  })
})

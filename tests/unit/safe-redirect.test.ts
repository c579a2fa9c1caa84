import { describe, it, expect } from 'vitest'
import { safeRedirect } from '../../app/lib/safe-redirect'

describe('safeRedirect', () => {
  it.each(['/', '/settings', '/a?b=c#d', '/members/wren-talavera', '/discussions?page=2&sort=new'])(
    'keeps the same-site path %s',
    (path) => {
      expect(safeRedirect(path, '/fallback')).toBe(path)
    },
  )

  it.each([
    ['an absolute URL', 'https://evil.example'],
    ['an absolute URL with a path', 'https://evil.example/settings'],
    ['a protocol-relative URL', '//evil.example'],
    ['a protocol-relative URL with a path', '//evil.example/settings'],
    ['a backslash host', '/\\evil.example'],
    ['a backslash later in the path', '/a\\b'],
    ['a tab that browsers strip', '/\t/evil.example'],
    ['a newline that browsers strip', '/\n/evil.example'],
    ['a carriage return', '/\r/evil.example'],
    ['a NUL byte', '/\u0000/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a relative path without a slash', 'evil.example'],
    ['leading whitespace before //', ' //evil.example'],
    ['the empty string', ''],
    ['an ideographic full stop before a host', '/\u3002evil.com'],
    ['a line separator', '/\u2028x'],
    ['a paragraph separator', '/\u2029x'],
    ['a fullwidth solidus', '/\uff0fevil.example'],
    ['a Latin-1 character', '/caf\u00e9'],
    ['an emoji', '/\u{1f600}'],
    ['a space', '/ /evil.example'],
    ['a DEL character', '/\u007f/evil.example'],
    ['a lone surrogate', '/\ud800'],
  ])('rejects %s', (_label, target) => {
    expect(safeRedirect(target, '/fallback')).toBe('/fallback')
  })

  it('falls back for null, undefined and uploaded files', () => {
    expect(safeRedirect(null, '/home')).toBe('/home')
    expect(safeRedirect(undefined, '/home')).toBe('/home')
    const file = new File(['/settings'], '/settings', { type: 'text/plain' })
    expect(safeRedirect(file, '/home')).toBe('/home')
  })

  it('defaults the fallback to /', () => {
    expect(safeRedirect('//evil.example')).toBe('/')
    expect(safeRedirect(null)).toBe('/')
  })

  it('every path it returns resolves to the same origin', () => {
    const base = 'https://sectorpulse.example'
    const attempts = [
      '/settings', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n\\evil.example',
      'https://evil.example', 'javascript:alert(1)', '/%2F%2Fevil.example', '/@evil.example',
    ]
    for (const attempt of attempts) {
      expect(new URL(safeRedirect(attempt), base).origin, attempt).toBe(base)
    }
  })

  it('refuses text that is not valid Unicode', () => {
    expect(safeRedirect('/a\ud800b', '/fallback')).toBe('/fallback')
  })
})


// The nesting and cost suite: text nested or repeated past the limits is refused with a message
// before rendering; everything within them renders, however it is shaped.
import { describe, expect, it } from 'vitest'
import { MARKDOWN_MAX_CONTAINERS, MARKDOWN_MAX_NESTING, markdownLimitProblem } from '../../app/lib/markdown-limits'
import { renderMarkdown } from '../../app/lib/markdown.server'

const BODY_MAX = 20_000
const fill = (unit: string) => unit.repeat(Math.floor(BODY_MAX / unit.length))
const nestedList = (depth: number) => Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n')

describe('refused before rendering', () => {
  it.each([
    ['4,000 quote markers', '>'.repeat(4000) + ' x'],
    ['4,000 spaced quote markers', '> '.repeat(4000) + 'x'],
    ['4,000 list markers on one line', '- '.repeat(4000) + 'x'],
    ['quotes and lists interleaved', '> - 1. '.repeat(1000) + 'x'],
    ['a list nested by indentation', nestedList(MARKDOWN_MAX_NESTING + 1)],
    ['ordered lists nested by indentation', Array.from({ length: 40 }, (_, i) => `${'   '.repeat(i)}1. x`).join('\n')],
    ['one level too deep', '>'.repeat(MARKDOWN_MAX_NESTING + 1) + ' x'],
    ['many paragraphs each nested deeply', fill('>'.repeat(MARKDOWN_MAX_NESTING) + ' x\n\n')],
    ['a list with thousands of items', fill('- x\n')],
    ['thousands of one-line quotes', fill('> x\n\n')],
  ])('%s', (_, source) => {
    expect(markdownLimitProblem(source)).toMatch(/at most/)
    expect(() => renderMarkdown(source)).toThrow(/beyond the limits/)
  })
})

describe('rendered within the limits', () => {
  it.each([
    ['quotes at the deepest level allowed', '>'.repeat(MARKDOWN_MAX_NESTING) + ' x'],
    ['a list at the deepest level allowed', nestedList(MARKDOWN_MAX_NESTING)],
    ['as many list items as allowed', '- x\n'.repeat(MARKDOWN_MAX_CONTAINERS)],
    ['deeply nested emphasis', '*_'.repeat(5000) + 'x' + '_*'.repeat(5000)],
    ['thousands of brackets', '['.repeat(9000) + 'x' + ']'.repeat(9000)],
    ['nested links', '[a]('.repeat(3000) + 'x' + ')'.repeat(3000)],
    ['angle brackets', '<'.repeat(BODY_MAX)],
    ['backticks', '`'.repeat(BODY_MAX)],
    ['a wide table', '|' + 'a|'.repeat(3000) + '\n|' + '-|'.repeat(3000) + '\n'],
    ['thousands of headings', fill('# x\n')],
    ['thousands of links', fill('[a](/b) ')],
    ['thousands of images', fill('![a](/b) ')],
  ])('%s', (_, source) => {
    expect(markdownLimitProblem(source)).toBeNull()
    expect(typeof renderMarkdown(source)).toBe('string')
  })

  it.each([
    ['a reply quoting a quote', '> > An earlier point\n>\n> I agree, and:\n\n- one\n- two\n  - two and a half\n\n1. first\n2. second'],
    ['indented code', '    const a = 1\n' + '                                            deeply(indented)\n'],
    ['a fenced block full of markers', '```\n' + '> - 1. '.repeat(500) + '\n```'],
    ['emphasis that is not a bullet', '*important* and **bold**'],
    ['a horizontal rule', '---\n\n* * *'],
  ])('ordinary Markdown passes: %s', (_, source) => {
    expect(markdownLimitProblem(source)).toBeNull()
  })
})

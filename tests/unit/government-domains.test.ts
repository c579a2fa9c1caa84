import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isGovernmentEmail, parseGovernmentDomains } from '../../app/lib/government-domains.server'

const patterns = parseGovernmentDomains(readFileSync('content/government-domains.md', 'utf8'))

describe('the government domain list', () => {
  it.each([
    'cio@agency.example.gov',
    'pat@army.mil',
    'lee@fs.fed.us',
    'kim@dot.state.tx.us',
    'sam@ci.portland.or.us',
    'ana@tbs-sct.gc.ca',
    'joe@gov.bc.ca',
    'ali@digital.cabinet-office.gov.uk',
    'bo@dta.gov.au',
    'mo@dia.govt.nz',
    'CIO@Agency.Example.GOV',
  ])('marks %s as a government address', (email) => {
    expect(isGovernmentEmail(email, patterns)).toBe(true)
  })

  it.each([
    'someone@consultancy.example.com',
    'someone@notgov.uk',
    'someone@gov.uk.example.com',
    'someone@governor.com',
    'someone@gov',
    'someone@example.gov.evil.com',
  ])('does not mark %s', (email) => {
    expect(isGovernmentEmail(email, patterns)).toBe(false)
  })

  it('refuses a pattern that is not a plain domain, naming it', () => {
    expect(() => parseGovernmentDomains('---\npatterns:\n  - gov\n  - "*.evil com"\n---\n')).toThrow(/patterns\.1/)
    expect(() => parseGovernmentDomains('---\npatterns:\n  - "*"\n---\n')).toThrow(/at least one label/)
    expect(() => parseGovernmentDomains('---\npatterns: []\n---\n')).toThrow()
  })
})

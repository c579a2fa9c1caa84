// Successes are not failures, as the pages say it: a case card counts the failure modes a case
// avoided or overcame apart from the one that hurt it most, a theme lists the cases that avoided
// or overcame it in a section of their own, and a case page says what it avoided and how. Read
// over real HTTP from the curated library the server seeded (GOV.UK succeeded without a mode
// that hurt it; X-Road avoided one).
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, mainOf, openServerDatabase } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const GOVUK = 'uk-gov-uk-single-government-website'
const XROAD = 'estonia-x-road-data-exchange'
const PHOENIX = 'canada-phoenix-pay-system'

/** A published case's failure modes as stored: those it avoided, and those that hurt it. */
async function modesOf(slug: string, avoided: boolean) {
  return (await db.all(sql`select t.slug, t.name, m.how from case_failure_modes m join cases c on c.id = m.case_id
       join taxonomy_terms t on t.id = m.term_id where c.slug = ${slug} and m.avoided = ${avoided ? 1 : 0} order by t.slug`)) as { slug: string; name: string; how: string }[]
}

async function page(path: string): Promise<string> {
  const response = await new HttpClient().get(path)
  expect(response.status, path).toBe(200)
  return mainOf(await response.text())
}

/** What a reader sees of some HTML: its text, without tags or React's text separators. */
const textOf = (html: string) => decodeHtml(html.replace(/<[^>]+>/g, ''))

/** The text of the case card in a list that links to `slug`. */
function cardText(html: string, slug: string): string {
  const card = [...html.matchAll(/<li class="case-card">[\s\S]*?<\/li>/g)].map((m) => m[0]).find((c) => c.includes(`href="/cases/${slug}"`))
  expect(card, `a card for ${slug}`).toBeDefined()
  return textOf(card!)
}

/** A section's HTML, found by the id of the heading that names it. */
function section(html: string, headingId: string): string | undefined {
  return new RegExp(`<section aria-labelledby="${headingId}">[\\s\\S]*?</section>`).exec(html)?.[0]
}

describe('successes are told apart from failures on the pages', () => {
  it('a case card says how many failure modes the case avoided, and names no mode that hurt a case that had none', async () => {
    const govuk = await modesOf(GOVUK, true)
    expect(govuk.length).toBeGreaterThan(1)
    expect(await modesOf(GOVUK, false)).toEqual([])
    const govukCard = cardText(await page(`/cases?avoided=${govuk[0].slug}`), GOVUK)
    expect(govukCard).toContain(`Avoided ${govuk.length} failure modes`)
    expect(govukCard).not.toContain('Hurt most by')

    expect(await modesOf(XROAD, true)).toHaveLength(1)
    expect(cardText(await page('/cases?avoided=legacy-integration'), XROAD)).toContain('Avoided 1 failure mode ·')

    // A case that avoided nothing says nothing about avoiding.
    const phoenixCard = cardText(await page('/cases?q=Phoenix'), PHOENIX)
    expect(phoenixCard).toContain('Hurt most by')
    expect(phoenixCard).not.toContain('Avoided')
  })

  it('a theme lists the cases that avoided or overcame it, with how, apart from the cases it hurt', async () => {
    const avoiders = (await db.all(sql`select c.slug, m.how from case_failure_modes m join cases c on c.id = m.case_id join taxonomy_terms t on t.id = m.term_id
         where t.slug = 'big-bang-scope' and m.avoided = 1 and c.status = 'published'`)) as { slug: string; how: string }[]
    expect(avoiders.map((a) => a.slug)).toContain(GOVUK)
    const html = await page('/cases/themes/big-bang-scope')
    const avoided = section(html, 'avoided-heading')
    expect(avoided).toBeDefined()
    expect(textOf(avoided!)).toContain(`Cases that avoided or overcame it (${avoiders.length})`)
    for (const { slug, how } of avoiders) {
      const card = cardText(avoided!, slug)
      expect(card).toContain('Avoided ·')
      expect(card).toContain(how)
    }
    expect(section(html, 'cases-heading')).not.toContain(`href="/cases/${GOVUK}"`)
  })

  it('a case page says which failure modes it avoided or overcame, and how, each leading to its theme', async () => {
    const html = await page(`/cases/${GOVUK}`)
    const avoided = section(html, 'avoided-heading')
    expect(avoided).toBeDefined()
    expect(textOf(avoided!)).toContain('Failure modes it avoided or overcame')
    const items = [...avoided!.matchAll(/<li>[\s\S]*?<\/li>/g)].map((m) => m[0])
    const modes = await modesOf(GOVUK, true)
    expect(items).toHaveLength(modes.length)
    for (const mode of modes) {
      const item = items.find((i) => i.includes(`href="/cases/themes/${mode.slug}"`))
      expect(item, mode.slug).toBeDefined()
      expect(textOf(item!), mode.slug).toContain(mode.name)
      expect(textOf(item!), mode.slug).toContain(mode.how)
    }
    // Nothing hurt it, so the page has no section saying something did.
    expect(textOf(html)).not.toContain('Failure modes that hurt it')
  })
})

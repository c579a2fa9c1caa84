// Accessibility past what axe finds: the focus ring's contrast on every button style, focus and
// the title after a refused form (with and without JavaScript), announcing client-side
// navigation, focusable table regions, tabs under text spacing, and events' follow-through.
import type { Locator, Page } from '@playwright/test'
import { setRole } from './discussions-helpers'
import { attendance, createEvent, createPublishedEvent, daysAhead, fillEventForm, newEvent, rsvp } from './events-helpers'
import { startThread, uniqueTitle } from './discussions-helpers'
import { expect, join, test } from './fixtures'
import { answerAll, answersFor } from './readiness-helpers'
import { checksWcag } from './wcag'

type Rgb = [number, number, number]
const parseColour = (css: string): Rgb | null => {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?\)/.exec(css)
  if (!m || (m[4] !== undefined && Number(m[4]) === 0)) return null
  return [Number(m[1]), Number(m[2]), Number(m[3])]
}
const luminance = ([r, g, b]: Rgb) => {
  const c = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b)
}
const contrast = (a: Rgb, b: Rgb) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

/** Focuses the control as the keyboard would and reads its focus indicator's colours. */
async function focusRing(page: Page, control: Locator) {
  await page.keyboard.press('Shift')
  await control.focus()
  return control.evaluate((el) => {
    const style = getComputedStyle(el)
    let outside = 'rgb(255, 255, 255)'
    for (let node = el.parentElement; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
        outside = bg
        break
      }
    }
    const shadow = /(rgba?\([^)]*\))\s+0px\s+0px\s+0px\s+(\d+)px/.exec(style.boxShadow)
    return {
      focusVisible: el.matches(':focus-visible'),
      outlineWidth: parseFloat(style.outlineWidth),
      outlineStyle: style.outlineStyle,
      outline: style.outlineColor,
      ring: shadow ? shadow[1] : null,
      ringSpread: shadow ? Number(shadow[2]) : 0,
      inside: style.backgroundColor,
      outside,
    }
  })
}

/** WCAG 1.4.11: some ring of the indicator stands at 3:1 or more against both its neighbours. */
async function expectVisibleFocus(page: Page, control: Locator, what: string) {
  const ring = await focusRing(page, control)
  expect(ring.focusVisible, `${what} shows focus`).toBe(true)
  expect(ring.outlineStyle, what).not.toBe('none')
  expect(ring.outlineWidth, what).toBeGreaterThanOrEqual(2)
  const outline = parseColour(ring.outline)!
  const outside = parseColour(ring.outside)!
  const inside = parseColour(ring.inside) ?? outside
  const dark = ring.ring && ring.ringSpread > ring.outlineWidth ? parseColour(ring.ring) : null
  const outlineOuter = dark ?? outside
  const outlinePasses = contrast(outline, inside) >= 3 && contrast(outline, outlineOuter) >= 3
  const ringPasses = dark !== null && contrast(dark, outline) >= 3 && contrast(dark, outside) >= 3
  expect(outlinePasses || ringPasses, `${what}: ${JSON.stringify(ring)}`).toBe(true)
}

test('every button style shows a focus ring at 3:1 or more against what surrounds it', async ({ page }) => {
  checksWcag('1.4.11', '2.4.7')
  // A journey: joins, creates and publishes an event, answers it, then measures each button style.
  test.setTimeout(90_000)
  await page.goto('/login')
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Sign in' }), 'a primary button')
  await expectVisibleFocus(page, page.getByRole('search').first().getByRole('button'), 'the header search button')
  await page.goto('/events')
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Apply' }), 'a secondary button')

  const organizer = await join(page)
  await setRole(organizer.handle, 'moderator')
  await createPublishedEvent(page, newEvent('Focus ring roundtable'))
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Interested' }), 'a secondary RSVP button')
  await expectVisibleFocus(page, page.locator('summary', { hasText: 'Cancel this event' }), 'a disclosure')
  await page.locator('summary', { hasText: 'Cancel this event' }).click()
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Yes, cancel the event' }), 'a danger button')
  await rsvp(page, 'Going')
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Going', exact: true }), 'a pressed (primary) RSVP button')
  await page.locator('summary', { hasText: organizer.displayName }).click()
  await expectVisibleFocus(page, page.getByRole('button', { name: 'Sign out' }), 'a button styled as a link in the dark header')
})

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled })

    test('a refused form focuses its error summary, says "Error:" in the title, and its links lead to controls', async ({ page }) => {
      checksWcag('3.3.1', '2.4.3', '2.4.2', '4.1.3')
      await page.goto('/join')
      const title = await page.title()
      await page.getByRole('button', { name: 'Create account' }).click()
      const summary = page.locator('.error-summary')
      await expect(summary).toBeVisible()
      await expect(summary).toBeFocused()
      await expect(page).toHaveTitle(`Error: ${title}`)
      // Every link in the summary points at a form control, not a fieldset or a message.
      const targets = await summary.locator('a').evaluateAll((links) =>
        links.map((a) => document.getElementById((a.getAttribute('href') ?? '').slice(1))?.tagName ?? 'missing'),
      )
      expect(targets.length).toBeGreaterThan(0)
      for (const tag of targets) expect(['INPUT', 'SELECT', 'TEXTAREA']).toContain(tag)
    })
  })
}

test('client-side navigation announces the new page title and moves focus to its heading', async ({ page }) => {
  checksWcag('4.1.3', '2.4.3')
  await page.goto('/')
  await page.getByRole('navigation').first().getByRole('link', { name: 'Events', exact: true }).click()
  await expect(page).toHaveURL(/\/events$/)
  await expect(page).toHaveTitle('Events · SectorPulse')
  await expect(page.getByTestId('route-announcer')).toHaveText('Events · SectorPulse')
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused()
})

test.describe('text spacing', () => {
  // The spacing is applied the way a reader's bookmarklet or extension would, past the page's CSP.
  test.use({ bypassCSP: true })

  test('search result tabs wrap, without overflowing, at 320 px with WCAG 1.4.12 text spacing', async ({ page }) => {
  checksWcag('1.4.12', '1.4.10')
  await page.setViewportSize({ width: 320, height: 640 })
  await page.goto('/search?q=payroll')
  await page.addStyleTag({
    content: '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
  })
  const tabs = page.getByRole('navigation', { name: 'Result types' })
  const overflow = await tabs.evaluate((nav) => {
    const list = nav.querySelector('ul')!
    const right = list.getBoundingClientRect().right
    return { list: list.scrollWidth - list.clientWidth, items: Math.max(...[...list.children].map((li) => li.getBoundingClientRect().right - right)) }
  })
  expect(overflow.list).toBeLessThanOrEqual(0)
  expect(overflow.items).toBeLessThanOrEqual(0)
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
  })
})

test.describe('after an event, without JavaScript', () => {
  test.use({ javaScriptEnabled: false })

  test("organizers record attendance and walk-ins; the page shows who chose to be named and how many attended", async ({ page, browser }) => {
    checksWcag('2.1.1', '1.3.1')
    test.setTimeout(90_000)
    const organizer = await join(page)
    await setRole(organizer.handle, 'moderator')
    const created = await createPublishedEvent(page, newEvent('Follow-through workshop', { capacity: 5 }))
    await expect(attendance(page)).toContainText('5 places left.')

    const context = await browser.newContext({ javaScriptEnabled: false })
    const memberPage = await context.newPage()
    const named = await join(memberPage)
    await memberPage.goto(created.path)
    await memberPage.getByLabel('Show my name under “Who\'s going”').check()
    await memberPage.getByRole('button', { name: 'Going', exact: true }).click()
    await expect(attendance(memberPage).getByRole('link', { name: named.displayName })).toBeVisible()
    await expect(attendance(memberPage)).toContainText('4 places left.')
    await context.close()

    // The event happened: the organizer moves it into the past and records who came.
    await page.goto(`/events/${created.id}/edit`)
    await fillEventForm(page, { starts: daysAhead(-2, '14:00'), ends: daysAhead(-2, '15:30') })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('link', { name: 'Attendee list and attendance' }).click()
    const going = page.getByRole('region', { name: 'Going', exact: true })
    await expect(going).toHaveAttribute('tabindex', '0')
    await going.getByRole('checkbox', { name: `${named.displayName} came` }).check()
    await page.getByLabel('Walk-ins').fill('-1')
    await page.getByRole('button', { name: 'Save attendance' }).click()
    await expect(page.locator('.error-summary')).toBeFocused()
    await expect(page.getByRole('link', { name: 'Walk-ins cannot be negative' })).toHaveAttribute('href', '#walkIns')
    await page.getByLabel('Walk-ins').fill('3')
    await page.getByRole('button', { name: 'Save attendance' }).click()
    await expect(page.getByRole('status')).toContainText('Attendance recorded: 4 attended.')
    await expect(attendance(page)).toContainText('4 attended')
    await page.goto('/events?when=past')
    await expect(page.locator('.event-card', { hasText: 'Follow-through workshop' })).toContainText('4 attended')
  })
})

/** The levels of the headings in main, in order: one h1 first, and never a jump of more than one level down. */
async function expectHeadingsInOrder(page: Page, what: string) {
  const levels = await page.locator('main').evaluate((main) =>
    [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')]
      // A post's own Markdown headings are the member's, not the page's.
      .filter((h) => !h.closest('.post-body'))
      .map((h) => Number(h.tagName[1])),
  )
  // A notification banner's h2 may precede the h1 (GOV.UK's pattern): it is a named region of its own.
  const fromH1 = levels.slice(levels.indexOf(1))
  expect(levels.filter((level) => level === 1), `${what}: one h1`).toHaveLength(1)
  for (let i = 1; i < fromH1.length; i++) expect(fromH1[i], `${what}: heading ${i + 1} of ${JSON.stringify(fromH1)}`).toBeLessThanOrEqual(fromH1[i - 1] + 1)
}

test('thread pages keep their headings in order signed out, signed in, with replies, an accepted answer and history', async ({ page, browser }) => {
  test.setTimeout(120_000)
  checksWcag('1.3.1')
  const starter = await join(page)
  const path = await startThread(page, { category: 'Requirements & scope', title: uniqueTitle('Heading order'), body: 'What do you do when scope keeps growing?' })
  await expectHeadingsInOrder(page, 'a new thread, signed in with the reply form')
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(starter.displayName) })).toBeVisible()

  const context = await browser.newContext()
  const other = await context.newPage()
  await join(other)
  await other.goto(path)
  // Headings typed in a reply nest under the post's own h3, so the outline stays whole.
  await other.getByLabel('Your reply').fill('# What we did\n\nWe froze scope at each release.\n\n## The parking lot\n\nEverything else waited there.')
  await other.getByRole('button', { name: 'Post reply' }).click()
  await expect(other.getByRole('heading', { level: 4, name: 'What we did' })).toBeVisible()
  await expect(other.getByRole('heading', { level: 5, name: 'The parking lot' })).toBeVisible()
  await expectHeadingsInOrder(other, 'a thread with a reply, signed in')

  await page.reload()
  await page.getByRole('button', { name: 'Accept as answer post 2' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Accepted answer' })).toBeVisible()
  await expectHeadingsInOrder(page, 'a thread with an accepted answer')

  await page.getByRole('link', { name: 'Edit post 1' }).click()
  await page.getByLabel(/Your post|Post/).first().fill('What do you do when scope keeps growing, release after release?')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page).toHaveURL(new RegExp(`${path}`))
  await page.getByRole('link', { name: 'edited' }).first().click()
  await expectHeadingsInOrder(page, 'a post’s history')

  const anonymous = await browser.newContext()
  const reader = await anonymous.newPage()
  await reader.goto(path)
  await expectHeadingsInOrder(reader, 'a thread, signed out')
  await context.close()
  await anonymous.close()
})

for (const javaScriptEnabled of [true, false]) {
  test.describe(`notices ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, () => {
    test.use({ javaScriptEnabled })

    test('a confirmation is a notification banner before the h1: a region named by its own h2', async ({ page }) => {
      checksWcag('1.3.1', '4.1.3')
      await join(page)
      await page.goto('/settings')
      await page.getByRole('button', { name: 'Save profile' }).click()
      const banner = page.getByRole('region', { name: 'Success' })
      await expect(banner).toBeVisible()
      await expect(banner.getByRole('heading', { level: 2, name: 'Success' })).toBeVisible()
      await expect(banner.getByRole('status')).toHaveText('Your profile has been saved.')
      // It comes first in main, before the page's h1, and nothing else does.
      const order = await page.locator('main').evaluate((main) => [...main.querySelectorAll('h1, section.notification-banner')].map((el) => el.tagName))
      expect(order).toEqual(['SECTION', 'H1'])
      // With JavaScript the banner is where focus lands, so it is heard first.
      if (javaScriptEnabled) await expect(banner).toBeFocused()
    })
  })
}

test('a page’s own notice (a draft event) follows its h1', async ({ browser, baseURL }) => {
  test.setTimeout(90_000)
  checksWcag('1.3.1')
  const context = await browser.newContext({ baseURL })
  const organizerPage = await context.newPage()
  const organizer = await join(organizerPage)
  await setRole(organizer.handle, 'moderator')
  await createEvent(organizerPage, newEvent('Draft notice order'))
  await expect(organizerPage.getByText('This event is a draft. Only organizers can see it.')).toBeVisible()
  const after = await organizerPage.locator('main').evaluate((main) => {
    const h1 = main.querySelector('h1')!
    const notice = [...main.querySelectorAll('.notice')].find((n) => n.textContent?.includes('draft'))!
    return !!(h1.compareDocumentPosition(notice) & Node.DOCUMENT_POSITION_FOLLOWING)
  })
  expect(after).toBe(true)
  await context.close()
})

/** The page's landmarks as "role: name" (the main one and those a name sets apart). */
function landmarksOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const roles: Record<string, string> = { NAV: 'navigation', ASIDE: 'complementary', MAIN: 'main', HEADER: 'banner', FOOTER: 'contentinfo', FORM: 'form', SECTION: 'region' }
    const nameOf = (el: Element) =>
      el.getAttribute('aria-label') ??
      (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' ')
    return [...document.querySelectorAll('nav, aside, main, section[aria-labelledby], section[aria-label], form[aria-label], [role]')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || el.tagName === 'MAIN')
      .map((el) => ({ role: el.getAttribute('role') ?? roles[el.tagName] ?? '', name: nameOf(el) }))
      .filter((l) => ['navigation', 'complementary', 'region', 'form', 'search', 'main'].includes(l.role))
      .map((l) => `${l.role}: ${l.name}`)
  })
}
const repeated = (landmarks: string[]) => landmarks.filter((l, i) => landmarks.indexOf(l) !== i)

test('landmarks on readiness results, the trend and insights have names of their own', async ({ page }) => {
  checksWcag('1.3.1', '2.4.1')
  for (const path of ['/readiness/teams/shared/sectorpulsedemoteamalignmentreport', '/insights', '/cases']) {
    await page.goto(path)
    const landmarks = await landmarksOf(page)
    expect(repeated(landmarks), `${path}: ${JSON.stringify(landmarks)}`).toEqual([])
  }
  // A visitor's own results, which only the answered questionnaire's POST shows.
  await page.goto('/readiness')
  await answerAll(page, answersFor({ 'Decision ownership': 'Not yet' }, 'Partly'))
  await page.getByRole('button', { name: 'See my results' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your readiness results')
  const landmarks = await landmarksOf(page)
  expect(landmarks).toContain('region: Keep these results')
  expect(repeated(landmarks), `the readiness results: ${JSON.stringify(landmarks)}`).toEqual([])
})

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } })

  for (const javaScriptEnabled of [true, false]) {
    test(`the header is one compact row and search, with the areas under Menu (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({ browser, baseURL }) => {
      checksWcag('1.4.10', '2.1.1')
      const context = await browser.newContext({ baseURL, javaScriptEnabled, viewport: { width: 390, height: 844 } })
      const page = await context.newPage()
      for (const signedIn of [false, true]) {
        if (signedIn) await join(page)
        await page.goto('/')
        const header = page.locator('header.site-header')
        const height = await header.evaluate((el) => el.getBoundingClientRect().height)
        // Brand, account and Menu on one row, search on the next: no sprawl of wrapped links.
        expect(height, signedIn ? 'signed in' : 'signed out').toBeLessThanOrEqual(130)
        const events = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events', exact: true })
        await expect(events).toBeHidden()
        await page.locator('.site-menu > summary').click()
        await expect(events).toBeVisible()
        await events.click()
        await expect(page).toHaveURL(/\/events$/)
        await expect(page.getByRole('heading', { level: 1 })).toHaveText('Events')
        await expect(page.getByRole('searchbox', { name: 'Search discussions, cases and events' })).toBeVisible()
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
      }
      await context.close()
    })
  }

  test('the insights heatmap yields to its table', async ({ page }) => {
    checksWcag('1.4.10')
    await page.goto('/insights')
    await expect(page.locator('svg.heatmap')).toBeHidden()
    await expect(page.locator('table.heatmap-table')).toBeVisible()
    await page.setViewportSize({ width: 1280, height: 900 })
    await expect(page.locator('svg.heatmap')).toBeVisible()
  })
})

// Helpers for the Events end-to-end tests: what the demo events in content/ say, filling the
// organizer form, RSVP buttons, notices, and reading iCalendar and CSV answers.
import { readdirSync, readFileSync } from 'node:fs'
import { join as joinPath } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import matter from 'gray-matter'
import { expect, horizontalOverflow, uniqueTitle } from './discussions-helpers'
import { expectNoAxeViolations } from './fixtures'

// ---------------------------------------------------------------------------------------------
// The demo events

export interface DemoEvent {
  /** The file's name without .md; the seed creates the events in this order, so ids 1, 2, … */
  file: string
  id: number
  title: string
  format: 'in-person' | 'virtual' | 'hybrid'
  timeZone: string
  starts: string
  ends: string
  capacity: number | null
  themes: string[]
}

const contentDir = joinPath(process.cwd(), 'content')

/** The demo events in seed order (file names sorted), with the id each gets in a fresh database. */
export function demoEvents(): DemoEvent[] {
  const dir = joinPath(contentDir, 'demo/events')
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name, index) => {
      const data = matter(readFileSync(joinPath(dir, name), 'utf8')).data as Record<string, unknown>
      return {
        file: name.replace(/\.md$/, ''),
        id: index + 1,
        title: String(data.title),
        format: data.format as DemoEvent['format'],
        timeZone: String(data.time_zone),
        starts: String(data.starts),
        ends: String(data.ends),
        capacity: typeof data.capacity === 'number' ? data.capacity : null,
        themes: (data.themes ?? []) as string[],
      }
    })
}

/** The UTC instant (ms) of a wall-clock "YYYY-MM-DDTHH:mm" in a zone, worked out without the app's code. */
export function instantOf(local: string, zone: string): number {
  const guess = Date.parse(`${local}:00Z`)
  // The zone's offset at `guess`, from what the zone's clock reads then.
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(at))
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - at
  }
  return guess - offset(guess - offset(guess))
}

/** Demo events that have ended (the Past tab's), latest start first. */
export function pastDemoEvents(now = Date.now()): DemoEvent[] {
  return demoEvents()
    .filter((e) => instantOf(e.ends, e.timeZone) < now)
    .sort((a, b) => instantOf(b.starts, b.timeZone) - instantOf(a.starts, a.timeZone))
}

/** Demo events that have not ended, soonest first. */
export function upcomingDemoEvents(now = Date.now()): DemoEvent[] {
  return demoEvents()
    .filter((e) => instantOf(e.ends, e.timeZone) >= now)
    .sort((a, b) => instantOf(a.starts, a.timeZone) - instantOf(b.starts, b.timeZone))
}

export function demoEvent(file: string): DemoEvent {
  const found = demoEvents().find((e) => e.file === file)
  if (!found) throw new Error(`No demo event ${file}`)
  return found
}

// ---------------------------------------------------------------------------------------------
// The organizer form

export interface EventFields {
  title: string
  /** Option labels, as the selects show them. */
  kind: string
  description: string
  /** Wall-clock "YYYY-MM-DDTHH:mm" in `timeZone`. */
  starts: string
  ends: string
  timeZone: string
  format: 'In person' | 'Virtual' | 'Hybrid'
  venue?: string
  address?: string
  joinUrl?: string
  capacity?: number
  rsvpDeadline?: string
  hosts?: string
  speakers?: string
  /** Failure-mode names, as the checkboxes show them. */
  themes?: string[]
}

/** "YYYY-MM-DDTHH:mm", `days` from today (UTC date) at `time`. */
export function daysAhead(days: number, time = '14:00'): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`
}

/** A join link no page, file or other test contains, so finding it anywhere means it leaked. */
export function uniqueJoinUrl(): string {
  return `https://meet.example.org/e2e/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`
}

/** A complete virtual event a few weeks ahead, in New York time. */
export function newEvent(prefix: string, overrides: Partial<EventFields> = {}): EventFields {
  return {
    title: uniqueTitle(prefix),
    kind: 'Roundtable',
    description: 'A **virtual** roundtable for program leads.\n\n- Bring one go-live decision you are facing.',
    starts: daysAhead(40, '14:00'),
    ends: daysAhead(40, '15:30'),
    timeZone: 'America/New_York',
    format: 'Virtual',
    joinUrl: uniqueJoinUrl(),
    hosts: 'Pat Organizer',
    speakers: 'Sam Speaker',
    themes: ['Unmanaged risks'],
    ...overrides,
  }
}

export async function fillEventForm(page: Page, fields: Partial<EventFields>) {
  const field = (label: string) => page.getByLabel(label, { exact: true })
  if (fields.title !== undefined) await field('Title').fill(fields.title)
  if (fields.kind !== undefined) await field('Kind of event').selectOption({ label: fields.kind })
  if (fields.description !== undefined) await field('Description').fill(fields.description)
  if (fields.starts !== undefined) await field('Starts').fill(fields.starts)
  if (fields.ends !== undefined) await field('Ends').fill(fields.ends)
  if (fields.timeZone !== undefined) await field('Time zone').selectOption(fields.timeZone)
  if (fields.format !== undefined) await field('Format').selectOption({ label: fields.format })
  if (fields.venue !== undefined) await field('Venue (in person and hybrid)').fill(fields.venue)
  if (fields.address !== undefined) await field('Address (in person and hybrid)').fill(fields.address)
  if (fields.joinUrl !== undefined) await field('Join link (virtual and hybrid)').fill(fields.joinUrl)
  if (fields.capacity !== undefined) await field('Capacity (optional)').fill(String(fields.capacity))
  if (fields.rsvpDeadline !== undefined) await field('RSVP deadline (optional)').fill(fields.rsvpDeadline)
  if (fields.hosts !== undefined) await field('Hosts').fill(fields.hosts)
  if (fields.speakers !== undefined) await field('Speakers').fill(fields.speakers)
  for (const theme of fields.themes ?? []) await page.getByRole('checkbox', { name: theme, exact: true }).check()
}

export interface CreatedEvent {
  id: number
  /** "/events/12/the-slug" */
  path: string
}

/** Creates an event at /events/new as the signed-in organizer; it is a draft until published. */
export async function createEvent(page: Page, fields: EventFields): Promise<CreatedEvent> {
  await page.goto('/events/new')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an event')
  await fillEventForm(page, fields)
  await page.getByRole('button', { name: 'Save as draft' }).click()
  await expect(page).toHaveURL(/\/events\/\d+\/[a-z0-9-]+$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
  await expect(page.getByRole('status')).toContainText('The event is saved as a draft. Publish it when it is ready.')
  const path = new URL(page.url()).pathname
  return { id: Number(path.split('/')[2]), path }
}

/** Publishes the draft open on the page. */
export async function publish(page: Page) {
  await page.getByRole('region', { name: 'Organizer tools' }).getByRole('button', { name: 'Publish' }).click()
  await expect(page.getByRole('status')).toContainText('The event is published.')
  await expect(page.getByRole('note')).toHaveCount(0)
}

/** Creates and publishes an event; the organizer is left on its page. */
export async function createPublishedEvent(page: Page, fields: EventFields): Promise<CreatedEvent> {
  const created = await createEvent(page, fields)
  await publish(page)
  return created
}

// ---------------------------------------------------------------------------------------------
// The event page

export type RsvpButton = 'Going' | 'Interested' | 'Not going' | 'Join the waitlist'

export function attendance(page: Page): Locator {
  return page.getByRole('region', { name: 'Attendance' })
}

export function rsvpButton(page: Page, name: RsvpButton): Locator {
  return attendance(page).getByRole('button', { name, exact: true })
}

const RSVP_FLASH: Record<RsvpButton, string | RegExp> = {
  Going: 'You are going. The details are below.',
  'Join the waitlist': /The event is full\. You are number \d+ on the waitlist/,
  Interested: 'Marked as interested.',
  'Not going': 'Marked as not going.',
}

/** Answers on the open event page and waits for the answer's confirmation. */
export async function rsvp(page: Page, name: RsvpButton) {
  await rsvpButton(page, name).click()
  await expect(page.getByRole('status')).toContainText(RSVP_FLASH[name])
}

/** Waits until the member's notifications list `text` (the background fan-out takes a moment). */
export async function expectNotification(page: Page, text: string) {
  await expect(async () => {
    await page.goto('/notifications')
    await expect(page.getByRole('link', { name: text, exact: true })).toBeVisible({ timeout: 500 })
  }).toPass({ timeout: 15_000 })
}

/** The member's notifications do not mention `text`. */
export async function expectNoNotification(page: Page, text: string | RegExp) {
  await page.goto('/notifications')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications')
  await expect(page.getByRole('link', { name: text })).toHaveCount(0)
}

/** The "Join online" value in the event's summary list. */
export function joinOnline(page: Page): Locator {
  return page.locator('dl.summary-list dt', { hasText: 'Join online' }).locator('xpath=following-sibling::dd[1]')
}

/** An event's card on /events. */
export function eventCard(page: Page, title: string): Locator {
  return page.locator('li.event-card').filter({ has: page.getByRole('link', { name: title, exact: true }) })
}

/** The titles of the event cards on the page, in order. */
export async function cardTitles(page: Page): Promise<string[]> {
  return page.locator('li.event-card h2 a').allTextContents()
}

// ---------------------------------------------------------------------------------------------
// Files

/** An iCalendar body with folded lines joined back (RFC 5545 §3.1). */
export function unfold(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '')
}

/** The VEVENT blocks of a calendar, unfolded. */
export function vevents(ics: string): string[] {
  return unfold(ics).match(/BEGIN:VEVENT\r\n[\s\S]*?END:VEVENT/g) ?? []
}

/** The value of a property in an unfolded block ("SUMMARY" gives the summary text). */
export function icsProperty(block: string, name: string): string | undefined {
  return new RegExp(`^${name}(?:;[^:\\r\\n]*)?:(.*)$`, 'm').exec(block)?.[1]?.replace(/\r$/, '')
}

/** TEXT escaping as iCalendar writes it. */
export function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n')
}

/** A small RFC 4180 parser: rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(cell)
      cell = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += char
  }
  if (cell || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

// ---------------------------------------------------------------------------------------------
// Accessibility

/** Zero axe violations at 1280 px, and no sideways scrolling at 320 px. */
export async function checkAxeAndReflow(page: Page, what: string) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await expectNoAxeViolations(page)
  await page.setViewportSize({ width: 320, height: 640 })
  expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${what}`).toBeLessThanOrEqual(0)
  await page.setViewportSize({ width: 1280, height: 800 })
}

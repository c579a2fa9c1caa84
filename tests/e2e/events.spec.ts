import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, type Person, setRole, test } from './discussions-helpers'
import {
  attendance,
  cardTitles,
  checkAxeAndReflow,
  createEvent,
  createPublishedEvent,
  daysAhead,
  demoEvent,
  eventCard,
  fillEventForm,
  icsProperty,
  icsText,
  instantOf,
  joinOnline,
  newEvent,
  expectNoNotification,
  expectNotification,
  parseCsv,
  pastDemoEvents,
  publish,
  rsvp,
  rsvpButton,
  unfold,
  upcomingDemoEvents,
  vevents,
} from './events-helpers'
import { expectNoAxeViolations, join, type MemberFields } from './fixtures'

/** The signed-in member on `page` becomes an organizer (a moderator). */
async function becomeOrganizer(page: Page): Promise<MemberFields> {
  const organizer = await join(page)
  await setRole(organizer.handle, 'moderator')
  return organizer
}

/** "20270114T160000Z": how the calendar files write an instant. */
function icsInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

/** Errors the page throws or React reports (a hydration mismatch, say) from now on. */
function scriptErrors(page: Page): string[] {
  const errors: string[] = []
  // "Minified React error #418; visit …": the first line is enough, and once each.
  const add = (text: string) => {
    const line = text.split('\n')[0].slice(0, 40)
    if (!errors.includes(line)) errors.push(line)
  }
  page.on('pageerror', (error) => add(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' && /react|hydrat/i.test(message.text())) add(message.text())
  })
  return errors
}

/** The rows of one group's table on the attendee list ("Going", "Waitlist, in order", "Interested"). */
function attendeeGroup(page: Page, title: string) {
  return page.getByRole('region', { name: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`) })
}

async function attendeeNames(page: Page, title: string): Promise<string[]> {
  return attendeeGroup(page, title).locator('tbody tr td a').allTextContents()
}

test.describe('events with JavaScript on', () => {
  test('capacity 2, three going: waitlist, promotion with a notification, the join link, attendee list, CSV and .ics', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(150_000)
    // The organizer creates a virtual event with two places and a join link: a draft at first.
    await becomeOrganizer(page)
    await page.goto('/events')
    await page.getByRole('link', { name: 'Create an event' }).click()
    await expect(page).toHaveURL(/\/events\/new$/)
    const fields = newEvent('Virtual roundtable with two places', { capacity: 2 })
    const { id, path } = await createEvent(page, fields)
    await expect(page.getByRole('note')).toHaveText('This event is a draft. Only organizers can see it.')
    await expect(page.locator('.event__when time').first()).toHaveAttribute(
      'datetime',
      new Date(instantOf(fields.starts, fields.timeZone)).toISOString(),
    )
    await expect(joinOnline(page)).toHaveText('The join link is shown here to members who are going.')

    // Nobody else sees a draft, in the list or at its address.
    const first = await anotherMember()
    expect((await first.page.goto(path))?.status(), 'a draft for a member').toBe(404)
    await first.page.goto('/events')
    await expect(first.page.getByRole('link', { name: fields.title, exact: true })).toHaveCount(0)
    expect((await first.page.request.get(`/events/${id}.ics`)).status(), 'a draft’s .ics').toBe(404)

    await page.goto(path)
    await publish(page)
    await expect(attendance(page)).toContainText('0 going of 2 places')

    // Two members are going and see the join link.
    const second = await anotherMember()
    for (const [n, person] of [first, second].entries()) {
      await person.page.goto(path)
      await expect(person.page.content()).resolves.not.toContain(fields.joinUrl!)
      await rsvp(person.page, 'Going')
      await expect(person.page).toHaveURL(new RegExp(`${path}(#rsvp)?$`))
      await expect(attendance(person.page)).toContainText(`${n + 1} going of 2 places`)
      await expect(attendance(person.page)).toContainText('Your answer: Going.')
      await expect(rsvpButton(person.page, 'Going')).toHaveAttribute('aria-pressed', 'true')
      await expect(joinOnline(person.page).getByRole('link', { name: 'Join link' })).toHaveAttribute('href', fields.joinUrl!)
    }

    // The third is offered the waitlist, is number 1 on it, and never gets the join link.
    const third = await anotherMember()
    await third.page.goto(path)
    await expect(attendance(third.page)).toContainText('2 going of 2 places')
    await expect(rsvpButton(third.page, 'Going')).toHaveCount(0)
    await expect(rsvpButton(third.page, 'Join the waitlist')).toBeVisible()
    await rsvp(third.page, 'Join the waitlist')
    await expect(third.page.getByRole('status')).toHaveText(
      'The event is full. You are number 1 on the waitlist, and you will move up automatically if a place opens.',
    )
    await expect(attendance(third.page)).toContainText('You are number 1 on the waitlist.')
    await expect(attendance(third.page)).toContainText('2 going of 2 places · 1 on the waitlist')
    await expect(joinOnline(third.page)).toHaveText('The join link is shown here to members who are going.')
    expect(await third.page.content()).not.toContain(fields.joinUrl!)
    await third.page.reload()
    await expect(attendance(third.page)).toContainText('You are number 1 on the waitlist.')
    expect(await third.page.content()).not.toContain(fields.joinUrl!)
    await third.page.goto('/events')
    await expect(eventCard(third.page, fields.title)).toContainText('You are on the waitlist')
    await expect(eventCard(third.page, fields.title)).toContainText('0 of 2 places left, 1 on the waitlist')
    expect(await third.page.content()).not.toContain(fields.joinUrl!)
    const thirdsIcs = await third.page.request.get(`/events/${id}.ics`)
    expect(await thirdsIcs.text()).not.toContain(fields.joinUrl!)

    // A fourth queues behind the third.
    const fourth = await anotherMember()
    await fourth.page.goto(path)
    await rsvp(fourth.page, 'Join the waitlist')
    await expect(attendance(fourth.page)).toContainText('You are number 2 on the waitlist.')

    // The organizer's attendee list: going, then the waitlist in order.
    await page.goto(path)
    await page.getByRole('region', { name: 'Organizer tools' }).getByRole('link', { name: 'Attendee list' }).click()
    await expect(page).toHaveURL(new RegExp(`/events/${id}/attendees$`))
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Attendees')
    await expect(page.getByRole('heading', { level: 2, name: /^Going/ })).toHaveText('Going (2 of 2)')
    expect(await attendeeNames(page, 'Going')).toEqual([first.member.displayName, second.member.displayName])
    await expect(page.getByRole('heading', { level: 2, name: /^Waitlist/ })).toHaveText('Waitlist, in order (2)')
    const waitlistRows = attendeeGroup(page, 'Waitlist, in order').locator('tbody tr')
    await expect(waitlistRows.locator('td:first-child')).toHaveText(['1', '2'])
    expect(await attendeeNames(page, 'Waitlist, in order')).toEqual([third.member.displayName, fourth.member.displayName])

    // One going member drops out: the first on the waitlist moves up in the same moment.
    await first.page.goto(path)
    await rsvp(first.page, 'Not going')
    await expect(attendance(first.page)).toContainText('Your answer: Not going.')
    await expect(attendance(first.page)).toContainText('2 going of 2 places · 1 on the waitlist')
    await expect(joinOnline(first.page)).toHaveText('The join link is shown here to members who are going.')
    expect(await first.page.content()).not.toContain(fields.joinUrl!)

    // The promoted member is notified, and the notification leads to the event and its join link.
    const promotion = `A place opened up: you are now going to “${fields.title}”`
    await expectNotification(third.page, promotion)
    await expectNoAxeViolations(third.page)
    await third.page.getByRole('link', { name: promotion }).click()
    await expect(third.page).toHaveURL(new RegExp(`${path}$`))
    await expect(attendance(third.page)).toContainText('Your answer: Going.')
    await expect(joinOnline(third.page).getByRole('link', { name: 'Join link' })).toHaveAttribute('href', fields.joinUrl!)
    expect(await third.page.content()).toContain(fields.joinUrl!)
    // Opened, it is read.
    await third.page.goto('/notifications')
    await expect(third.page.getByText('Unread:')).toHaveCount(0)
    await expectNoNotification(first.page, promotion)

    // The fourth moved up to number 1 and has no notice; the second was not disturbed.
    await fourth.page.goto(path)
    await expect(attendance(fourth.page)).toContainText('You are number 1 on the waitlist.')
    expect(await fourth.page.content()).not.toContain(fields.joinUrl!)
    await expectNoNotification(fourth.page, /A place opened up/)
    await second.page.goto(path)
    await expect(attendance(second.page)).toContainText('Your answer: Going.')
    await expectNoNotification(second.page, /A place opened up/)

    // The attendee list after the change.
    await page.goto(`/events/${id}/attendees`)
    await expect(page.getByRole('heading', { level: 2, name: /^Going/ })).toHaveText('Going (2 of 2)')
    expect(await attendeeNames(page, 'Going')).toEqual([second.member.displayName, third.member.displayName])
    expect(await attendeeNames(page, 'Waitlist, in order')).toEqual([fourth.member.displayName])
    await expect(attendeeGroup(page, 'Waitlist, in order').locator('tbody tr td:first-child')).toHaveText(['1'])
    await expect(page.getByText(first.member.displayName, { exact: true })).toHaveCount(0)

    // The CSV downloads with the same people.
    const downloading = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Download CSV' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe(`event-${id}-attendees.csv`)
    const downloaded = readFileSync((await download.path())!, 'utf8')
    const csvResponse = await page.request.get(`/events/${id}/attendees.csv`)
    expect(csvResponse.status()).toBe(200)
    expect(csvResponse.headers()['content-type']).toMatch(/^text\/csv\b/)
    expect(csvResponse.headers()['content-disposition']).toContain(`attachment; filename="event-${id}-attendees.csv"`)
    const csv = await csvResponse.text()
    expect(csv).toBe(downloaded)
    const rows = parseCsv(csv)
    expect(rows[0]).toEqual(['Name', 'Handle', 'Email', 'Organization', 'Status', 'Waitlist position', 'Answered at (UTC)', 'Attended'])
    const person = (p: Person) => [p.member.displayName, p.member.handle, p.member.email, p.member.organization]
    expect(rows.slice(1).map((row) => row.slice(0, 6))).toEqual([
      [...person(second), 'going', ''],
      [...person(third), 'going', ''],
      [...person(fourth), 'waitlisted', '1'],
    ])
    for (const row of rows.slice(1)) expect(row[6]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)

    // The event's calendar file.
    await page.goto(path)
    await expect(attendance(page).getByRole('link', { name: 'Add to your calendar (.ics)' })).toHaveAttribute('href', `/events/${id}.ics`)
    const ics = await page.request.get(`/events/${id}.ics`)
    expect(ics.status()).toBe(200)
    expect(ics.headers()['content-type']).toMatch(/^text\/calendar\b/)
    const body = await ics.text()
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
    expect(body.trimEnd().endsWith('END:VCALENDAR')).toBe(true)
    const [vevent, ...others] = vevents(body)
    expect(others).toEqual([])
    expect(icsProperty(vevent, 'UID')).toBe(`event-${id}@${new URL(page.url()).hostname}`)
    expect(icsProperty(vevent, 'SUMMARY')).toBe(icsText(fields.title))
    expect(icsProperty(vevent, 'DTSTART')).toBe(icsInstant(instantOf(fields.starts, fields.timeZone)))
    expect(icsProperty(vevent, 'DTEND')).toBe(icsInstant(instantOf(fields.ends, fields.timeZone)))
    expect(icsProperty(vevent, 'STATUS')).toBe('CONFIRMED')
    expect(unfold(body)).not.toContain(fields.joinUrl!)
  })

  test('an organizer cancels an event: "Cancelled" on its page and in the list, and people with a place are told', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(120_000)
    await becomeOrganizer(page)
    const fields = newEvent('Roundtable that will be cancelled', { capacity: 1 })
    const { id, path } = await createPublishedEvent(page, fields)

    const goer = await anotherMember()
    await goer.page.goto(path)
    await rsvp(goer.page, 'Going')
    const waiter = await anotherMember()
    await waiter.page.goto(path)
    await rsvp(waiter.page, 'Join the waitlist')
    const curious = await anotherMember()
    await curious.page.goto(path)
    await rsvp(curious.page, 'Interested')

    await page.goto(path)
    const tools = page.getByRole('region', { name: 'Organizer tools' })
    await tools.locator('summary', { hasText: 'Cancel this event' }).click()
    await expect(tools).toContainText('Everyone going, waitlisted or interested will be told, on the site and by email. This cannot be undone.')
    await tools.getByLabel('Message to attendees (optional)').fill('The speakers are ill; we will pick a new date.')
    await tools.getByRole('button', { name: 'Yes, cancel the event' }).click()
    await expect(page.getByRole('status')).toHaveText('The event is cancelled. 3 members were told.')
    await expect(page.getByRole('note')).toHaveText('This event has been cancelled. From the organizer: The speakers are ill; we will pick a new date.')
    await expect(tools.locator('summary', { hasText: 'Cancel this event' })).toHaveCount(0)
    await expect(attendance(page).getByRole('button')).toHaveCount(0)

    // In the list, the event is marked Cancelled.
    await page.goto('/events')
    const card = eventCard(page, fields.title)
    await expect(card.locator('.status-tag')).toHaveText('Cancelled')

    // Its calendar file says so, so calendars drop it.
    const ics = await page.request.get(`/events/${id}.ics`)
    expect(icsProperty(vevents(await ics.text())[0], 'STATUS')).toBe('CANCELLED')

    // The going, the waitlisted and the interested member are all told.
    for (const person of [waiter, curious, goer]) {
      await expectNotification(person.page, `“${fields.title}” has been cancelled`)
    }
    await goer.page.getByRole('link', { name: `“${fields.title}” has been cancelled` }).click()
    await expect(goer.page).toHaveURL(new RegExp(`${path}$`))
    await expect(goer.page.getByRole('note')).toHaveText('This event has been cancelled. From the organizer: The speakers are ill; we will pick a new date.')
    // No more answers, and the join link is gone even for those who were going.
    await expect(attendance(goer.page).getByRole('button')).toHaveCount(0)
    expect(await goer.page.content()).not.toContain(fields.joinUrl!)
  })

  test('the organizer form shows every problem, keeps what was typed, and saves once fixed', async ({ page }) => {
    test.setTimeout(90_000)
    await becomeOrganizer(page)
    await page.goto('/events/new')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an event')
    await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('America/New_York')
    await expect(page.getByLabel('Format', { exact: true })).toHaveValue('virtual')
    await checkAxeAndReflow(page, '/events/new')

    // Nothing filled in: every problem at once, each linked to its field.
    await page.getByRole('button', { name: 'Save as draft' }).click()
    const summary = page.getByRole('alert')
    await expect(summary).toContainText('There is a problem')
    for (const message of ['Title must be at least 5 characters', 'Choose the kind of event', 'Describe the event']) {
      await expect(summary.getByRole('link', { name: message })).toBeVisible()
    }
    await expect(summary.locator('a[href="#starts"]')).toHaveText('Enter a date and time')
    await expect(summary.locator('a[href="#ends"]')).toHaveText('Enter a date and time')
    for (const label of ['Title', 'Kind of event', 'Description', 'Starts', 'Ends']) {
      await expect(page.getByLabel(label, { exact: true }), label).toHaveAttribute('aria-invalid', 'true')
    }
    // The format is Virtual and there is no join link: that is a problem too, and should be listed now,
    // not only after the other fields are fixed.
    await expect
      .soft(summary.locator('a[href="#joinUrl"]'), 'the missing join link, listed with the other problems')
      .toHaveText('Enter the join link of a virtual or hybrid event')
    await expect(page).toHaveURL(/\/events\/new$/)
    await checkAxeAndReflow(page, '/events/new with errors')

    // A hybrid event needs a venue, an address and an https join link; capacity is a whole number.
    const fields = newEvent('Hybrid workshop with a form to fix', { format: 'Hybrid', joinUrl: 'http://insecure.example.org/x' })
    await fillEventForm(page, { ...fields, capacity: undefined, themes: ['Unmanaged risks', 'Capability and talent gaps'] })
    await page.getByLabel('Capacity (optional)', { exact: true }).fill('ten')
    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(summary.locator('a[href="#joinUrl"]')).toHaveText('Enter a join link that starts with https://')
    await expect.soft(summary.locator('a[href="#capacity"]'), 'the message for a capacity that is not a number').toContainText(
      'Capacity must be a whole number',
    )
    await expect
      .soft(summary.locator('a[href="#venue"]'), 'the missing venue, listed with the other problems')
      .toHaveText('Enter the venue of an in-person or hybrid event')
    await expect
      .soft(summary.locator('a[href="#address"]'), 'the missing address, listed with the other problems')
      .toHaveText('Enter the address of an in-person or hybrid event')
    // What was typed is still there.
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue(fields.title)
    await expect(page.getByLabel('Kind of event', { exact: true })).toHaveValue('roundtable')
    await expect(page.getByLabel('Description', { exact: true })).toHaveValue(fields.description)
    await expect(page.getByLabel('Starts', { exact: true })).toHaveValue(fields.starts)
    await expect(page.getByLabel('Ends', { exact: true })).toHaveValue(fields.ends)
    await expect(page.getByLabel('Format', { exact: true })).toHaveValue('hybrid')
    await expect(page.getByLabel('Capacity (optional)', { exact: true })).toHaveValue('ten')
    await expect(page.getByRole('checkbox', { name: 'Unmanaged risks', exact: true })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: 'Capability and talent gaps', exact: true })).toBeChecked()

    // Capacity 0, and no venue: the conditional checks and the capacity's own.
    await fillEventForm(page, { capacity: 0, joinUrl: 'https://meet.example.org/fixed' })
    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(summary.locator('a[href="#capacity"]')).toHaveText('Capacity must be at least 1')

    // Ends before it starts: the model's check, on the Ends field.
    await fillEventForm(page, {
      venue: 'Civic Center, Room 4',
      address: '1 Example Square, Albany, NY 12207',
      capacity: 30,
      ends: fields.starts.replace('T14:00', 'T13:00'),
    })
    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(summary.locator('a[href="#ends"]')).toHaveText('The event must end after it starts')
    await expect(page.getByLabel('Ends', { exact: true })).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Venue (in person and hybrid)', { exact: true })).toHaveValue('Civic Center, Room 4')

    await fillEventForm(page, { ends: fields.ends })
    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(page).toHaveURL(/\/events\/\d+\/[a-z0-9-]+$/)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(fields.title)
    const where = page.locator('dl.summary-list dt', { hasText: 'Where' }).locator('xpath=following-sibling::dd[1]')
    await expect(where).toContainText('Civic Center, Room 4')
    await expect(where).toContainText('1 Example Square, Albany, NY 12207')
    await expect(attendance(page)).toContainText('0 going of 30 places')
    // The organizer is not going, so even they do not get the join link on the page.
    await expect(joinOnline(page)).toHaveText('The join link is shown here to members who are going.')
  })

  test('editing: the form shows the saved event, and more places promote the waitlist in order', async ({ page, anotherMember }) => {
    test.setTimeout(120_000)
    await becomeOrganizer(page)
    const fields = newEvent('Webinar with one place', {
      kind: 'Webinar',
      capacity: 1,
      timeZone: 'Europe/Berlin',
      rsvpDeadline: daysAhead(39, '12:00'),
      themes: ['Unmanaged risks', 'Capability and talent gaps'],
    })
    const { id, path } = await createPublishedEvent(page, fields)
    const people: Person[] = []
    for (const answer of ['Going', 'Join the waitlist', 'Join the waitlist'] as const) {
      const person = await anotherMember()
      await person.page.goto(path)
      await rsvp(person.page, answer)
      people.push(person)
    }

    await page.goto(path)
    await page.getByRole('region', { name: 'Organizer tools' }).getByRole('link', { name: 'Edit event' }).click()
    await expect(page).toHaveURL(new RegExp(`/events/${id}/edit$`))
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit event')
    // Times come back as the wall-clock times entered, in the event's own zone.
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue(fields.title)
    await expect(page.getByLabel('Kind of event', { exact: true })).toHaveValue('webinar')
    await expect(page.getByLabel('Starts', { exact: true })).toHaveValue(fields.starts)
    await expect(page.getByLabel('Ends', { exact: true })).toHaveValue(fields.ends)
    await expect(page.getByLabel('RSVP deadline (optional)', { exact: true })).toHaveValue(fields.rsvpDeadline!)
    await expect(page.getByLabel('Time zone', { exact: true })).toHaveValue('Europe/Berlin')
    await expect(page.getByLabel('Join link (virtual and hybrid)', { exact: true })).toHaveValue(fields.joinUrl!)
    await expect(page.getByLabel('Capacity (optional)', { exact: true })).toHaveValue('1')
    await expect(page.getByRole('checkbox', { name: 'Unmanaged risks', exact: true })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: 'Capability and talent gaps', exact: true })).toBeChecked()
    await checkAxeAndReflow(page, 'the edit form')

    const title = `${fields.title} (two places)`
    await fillEventForm(page, { title, capacity: 2 })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByRole('status')).toHaveText('The event is updated. 1 member moved from the waitlist to going.')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    const newPath = new URL(page.url()).pathname
    expect(newPath).not.toBe(path)
    await expect(attendance(page)).toContainText('2 going of 2 places · 1 on the waitlist')
    // The old address leads to the new one.
    const old = await page.request.get(path, { maxRedirects: 0 })
    expect(old.status()).toBe(301)
    expect(old.headers().location).toBe(newPath)

    const [, promoted, still] = people
    await expectNotification(promoted.page, `A place opened up: you are now going to “${title}”`)
    await promoted.page.goto(newPath)
    await expect(joinOnline(promoted.page).getByRole('link', { name: 'Join link' })).toHaveAttribute('href', fields.joinUrl!)
    await still.page.goto(newPath)
    await expect(attendance(still.page)).toContainText('You are number 1 on the waitlist.')
    await expectNoNotification(still.page, /A place opened up/)
  })

  test('members cannot organize: no create, edit, attendee list or CSV; drafts stay hidden', async ({ page, anotherMember, request }) => {
    test.setTimeout(90_000)
    await becomeOrganizer(page)
    const { id, path } = await createEvent(page, newEvent('Draft nobody else may see'))
    const member = await anotherMember()
    await member.page.goto('/events')
    await expect(member.page.getByRole('link', { name: 'Create an event' })).toHaveCount(0)
    for (const target of ['/events/new', `/events/${id}/edit`, `/events/${id}/attendees`, `/events/${id}/attendees.csv`]) {
      const response = await member.page.request.get(target)
      expect(response.status(), target).toBe(403)
    }
    expect((await member.page.request.get(path)).status(), 'a draft for a member').toBe(404)
    // Anonymous visitors are sent to sign in, and do not see drafts either.
    for (const target of ['/events/new', `/events/${id}/attendees`]) {
      const response = await request.get(target, { maxRedirects: 0 })
      expect(response.status(), target).toBe(302)
      expect(response.headers().location, target).toMatch(/^\/login/)
    }
    expect((await request.get(path)).status(), 'a draft for a visitor').toBe(404)

    // Once published, a member sees it but not the organizer tools.
    await page.goto(path)
    await publish(page)
    await member.page.goto(path)
    await expect(member.page.getByRole('heading', { level: 1 })).toBeVisible()
    await expect(member.page.getByRole('region', { name: 'Organizer tools' })).toHaveCount(0)
  })

  test('the list: upcoming soonest first, past latest first, and filters by theme, format and month', async ({ page }) => {
    await page.goto('/events')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Events')
    const tabs = page.getByRole('navigation', { name: 'Upcoming or past' })
    await expect(tabs.locator('[aria-current="page"]')).toHaveText('Upcoming')
    // Tests add upcoming events of their own; the demo ones keep their order among them.
    const upcoming = upcomingDemoEvents().map((e) => e.title)
    expect(upcoming.length).toBeGreaterThan(0)
    expect((await cardTitles(page)).filter((t) => upcoming.includes(t))).toEqual(upcoming)

    await tabs.getByRole('link', { name: 'Past' }).click()
    await expect(page).toHaveURL(/\/events\?when=past$/)
    await expect(tabs.locator('[aria-current="page"]')).toHaveText('Past')
    const past = pastDemoEvents()
    // Tests add past events of their own (attendance is recorded once an event starts); the demo
    // ones keep their order among them.
    const pastDemoCards = async () => (await cardTitles(page)).filter((title) => past.some((e) => e.title === title))
    expect(past.length).toBeGreaterThan(1)
    expect(await pastDemoCards()).toEqual(past.map((e) => e.title))
    // Past events have no RSVP, but keep their recap.
    const recapped = demoEvent('roundtable-acting-on-oversight-findings')
    if (past.some((e) => e.file === recapped.file)) {
      await page.getByRole('link', { name: recapped.title, exact: true }).click()
      await expect(page).toHaveURL(new RegExp(`/events/${recapped.id}/`))
      await expect(page.getByRole('region', { name: 'Recap' })).toContainText('Takeaways')
      await expect(attendance(page).getByRole('button')).toHaveCount(0)
      await page.goBack()
    }

    // Format, within the Past tab.
    await page.getByLabel('Format', { exact: true }).selectOption({ label: 'In person' })
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(/[?&]format=in-person(&|$)/)
    await expect(page).toHaveURL(/[?&]when=past(&|$)/)
    expect(await pastDemoCards()).toEqual(past.filter((e) => e.format === 'in-person').map((e) => e.title))
    await expect(page.getByLabel('Format', { exact: true })).toHaveValue('in-person')

    // Theme, with the format cleared.
    await page.getByLabel('Format', { exact: true }).selectOption('')
    await page.getByLabel('Theme', { exact: true }).selectOption('unmanaged-risks')
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(/[?&]theme=unmanaged-risks(&|$)/)
    expect(await pastDemoCards()).toEqual(past.filter((e) => e.themes.includes('unmanaged-risks')).map((e) => e.title))

    // Month (the month each event starts in).
    const month = past[0].starts.slice(0, 7)
    await page.getByLabel('Theme', { exact: true }).selectOption('')
    await page.getByLabel('Month', { exact: true }).fill(month)
    await page.getByRole('button', { name: 'Apply' }).click()
    await expect(page).toHaveURL(new RegExp(`[?&]month=${month}(&|$)`))
    expect(await pastDemoCards()).toEqual(past.filter((e) => e.starts.startsWith(month)).map((e) => e.title))

    // Upcoming virtual events: every card is virtual, and the demo ones are all there.
    await page.goto('/events?format=virtual')
    await expect(page.getByLabel('Format', { exact: true })).toHaveValue('virtual')
    const virtual = upcoming.filter((t) => upcomingDemoEvents().find((e) => e.title === t)?.format === 'virtual')
    expect((await cardTitles(page)).filter((t) => upcoming.includes(t))).toEqual(virtual)
    for (const meta of await page.locator('li.event-card .event-card__meta').allTextContents()) expect(meta).toContain(' · Virtual')

    // A theme tag on a card filters by that theme.
    await page.goto('/events?when=past')
    const tag = page.locator('li.event-card .tag-list a').first()
    const themeName = (await tag.textContent()) ?? ''
    await tag.click()
    await expect(page).toHaveURL(/[?&]theme=[a-z-]+$/)
    // Retried as a whole: the address changes a moment before the filtered list renders.
    const cards = page.locator('li.event-card')
    await expect(cards.filter({ hasNot: page.locator('.tag-list', { hasText: themeName }) })).toHaveCount(0)
    await expect(cards).not.toHaveCount(0)
  })
})

test.describe('the month filter', () => {
  test('an evening event on the last day of a month is listed under that month, as its card shows', async ({ page }) => {
    test.setTimeout(60_000)
    await becomeOrganizer(page)
    // The last day of the month two months ahead, 21:00 to 22:00 in New York: already the next day in UTC.
    const ahead = new Date(Date.now() + 60 * 86_400_000)
    const [year, monthIndex] = [ahead.getUTCFullYear(), ahead.getUTCMonth()]
    const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate()
    const month = `${year}-${String(monthIndex + 1).padStart(2, '0')}`
    const nextMonth = new Date(Date.UTC(year, monthIndex + 1, 1)).toISOString().slice(0, 7)
    const fields = newEvent('Evening roundtable at the end of the month', {
      starts: `${month}-${lastDay}T21:00`,
      ends: `${month}-${lastDay}T22:00`,
      timeZone: 'America/New_York',
    })
    await createPublishedEvent(page, fields)
    const monthName = new Date(Date.UTC(year, monthIndex, 15)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })

    await page.goto(`/events?month=${nextMonth}`)
    await expect(page.getByLabel('Month', { exact: true })).toHaveValue(nextMonth)
    const card = eventCard(page, fields.title)
    // The card, if listed here, says the event is on the last day of the month before.
    if (await card.count()) await expect(card.locator('.event-card__when time').first()).toContainText(`${monthName} ${lastDay}, ${year}`)
    await expect(card, `listed under ${nextMonth} although it happens on ${monthName} ${lastDay}`).toHaveCount(0)

    await page.goto(`/events?month=${month}`)
    await expect(eventCard(page, fields.title), `listed under ${month}, the month it happens in`).toHaveCount(1)
    await expect(eventCard(page, fields.title).locator('.event-card__when time').first()).toContainText(`${monthName} ${lastDay}, ${year}`)
  })
})

test.describe('hydration', () => {
  test('the events pages hydrate without React errors (the browser shows the times the server rendered)', async ({ page }) => {
    const errors = scriptErrors(page)
    const demo = upcomingDemoEvents()[0] ?? pastDemoEvents()[0]
    for (const path of ['/events', '/events?when=past', `/events/${demo.id}`]) {
      await page.goto(path)
      await page.waitForLoadState('networkidle')
      await expect(page.locator('.event-time time').first()).toBeVisible()
      // Times are formatted on the server (Node's ICU) and again in the browser while hydrating.
      expect.soft(errors, `React errors while hydrating ${path}`).toEqual([])
      errors.length = 0
    }
  })
})

test.describe('time zones', () => {
  /** A New York event on 15 January two years ahead, 11:00 to 12:30 EST (16:00 UTC). */
  function newYorkEvent() {
    const year = new Date().getUTCFullYear() + 2
    return {
      year,
      fields: newEvent('New York morning roundtable', { starts: `${year}-01-15T11:00`, ends: `${year}-01-15T12:30`, timeZone: 'America/New_York' }),
    }
  }

  test('a member in Sydney sees the event in New York time and in their own', async ({ page, anotherMember }) => {
    test.setTimeout(90_000)
    await becomeOrganizer(page)
    const { year, fields } = newYorkEvent()
    const { path } = await createPublishedEvent(page, fields)
    // The organizer has no zone saved: the event's own zone only.
    const when = page.locator('.event__when')
    await expect(when).toHaveText(new RegExp(`^\\w{3}, Jan 15, ${year}, 11:00\\sAM\\s*–\\s*12:30\\sPM\\sEST$`))
    await expect(when.locator('.event-time__yours')).toHaveCount(0)

    const member = await anotherMember()
    await member.page.goto('/settings')
    await member.page.getByLabel('Your time zone').selectOption('Australia/Sydney')
    await member.page.getByRole('button', { name: 'Save time zone' }).click()
    await expect(member.page.getByRole('status')).toHaveText('Your time zone is saved. Event times now show in it too.')
    await expect(member.page.getByLabel('Your time zone')).toHaveValue('Australia/Sydney')

    // 11:00 in New York in January is 03:00 the next day in Sydney (daylight time, UTC+11).
    const yours = new RegExp(`^\\s*\\(your time: \\w{3}, Jan 16, ${year}, 3:00\\s*–\\s*4:30\\sAM\\sGMT\\+11\\)$`)
    await member.page.goto(path)
    const memberWhen = member.page.locator('.event__when')
    await expect(memberWhen.locator('time').first()).toHaveText(new RegExp(`Jan 15, ${year}, 11:00\\sAM\\s*–\\s*12:30\\sPM\\sEST`))
    await expect(memberWhen.locator('.event-time__yours')).toHaveText(yours)
    await member.page.goto('/events')
    await expect(eventCard(member.page, fields.title).locator('.event-time__yours')).toHaveText(yours)

    // A member whose zone is the event's sees it once.
    await member.page.goto('/settings')
    await member.page.getByLabel('Your time zone').selectOption('America/New_York')
    await member.page.getByRole('button', { name: 'Save time zone' }).click()
    await expect(member.page.getByRole('status')).toContainText('Your time zone is saved.')
    await member.page.goto(path)
    await expect(memberWhen.locator('.event-time__yours')).toHaveCount(0)
  })

  test.describe('in a browser set to London', () => {
    test.use({ timezoneId: 'Europe/London' })

    test('with no zone saved, settings propose the browser’s zone, which then applies once saved', async ({ page, anotherMember }) => {
      test.setTimeout(90_000)
      const organizer = await anotherMember()
      await setRole(organizer.member.handle, 'moderator')
      const { year, fields } = newYorkEvent()
      const { path } = await createPublishedEvent(organizer.page, fields)

      await join(page)
      await page.goto(path)
      // Nothing saved yet: no guessing on the server's side.
      await expect(page.locator('.event__when .event-time__yours')).toHaveCount(0)
      await page.goto('/settings')
      await expect(page.getByLabel('Your time zone')).toHaveValue('Europe/London')
      await page.getByRole('button', { name: 'Save time zone' }).click()
      await expect(page.getByRole('status')).toContainText('Your time zone is saved.')
      await expect(page.getByLabel('Your time zone')).toHaveValue('Europe/London')
      await page.goto(path)
      await expect(page.locator('.event__when .event-time__yours')).toHaveText(
        new RegExp(`^\\s*\\(your time: \\w{3}, Jan 15, ${year}, 4:00\\s*–\\s*5:30\\sPM\\sGMT\\)$`),
      )
    })
  })
})

test.describe('the private calendar feed', () => {
  test('make an address, fetch the events you are going to, replace it, turn it off', async ({ page, anotherMember, request }) => {
    test.setTimeout(120_000)
    const organizer = await anotherMember()
    await setRole(organizer.member.handle, 'moderator')
    const going = newEvent('Feed event I am going to')
    const maybe = newEvent('Feed event I am only interested in')
    const goingEvent = await createPublishedEvent(organizer.page, going)
    const maybeEvent = await createPublishedEvent(organizer.page, maybe)

    await join(page)
    await page.goto(goingEvent.path)
    await rsvp(page, 'Going')
    await page.goto(maybeEvent.path)
    await rsvp(page, 'Interested')

    await page.goto('/settings')
    const section = page.getByRole('region', { name: 'Your events calendar' })
    await expect(section.getByRole('button', { name: 'Turn off the address' })).toHaveCount(0)
    await section.getByRole('button', { name: 'Make my calendar address' }).click()
    await expect(section.getByRole('status')).toContainText('Your calendar address (shown once; copy it now):')
    const firstUrl = (await section.locator('code').textContent()) ?? ''
    expect(firstUrl).toMatch(/^https?:\/\/[^/]+\/events\/calendar\/[a-z2-7]{20,}\.ics$/)
    await expect(section.getByRole('button', { name: 'Make a new address' })).toBeVisible()

    // A calendar app fetches it without any session.
    const feed = await request.get(firstUrl)
    expect(feed.status()).toBe(200)
    expect(feed.headers()['content-type']).toMatch(/^text\/calendar\b/)
    expect(feed.headers()['cache-control']).toBe('private, no-store')
    const body = await feed.text()
    expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true)
    const uids = vevents(body).map((block) => icsProperty(block, 'UID'))
    expect(uids).toContain(`event-${goingEvent.id}@${new URL(page.url()).hostname}`)
    expect(uids).not.toContain(`event-${maybeEvent.id}@${new URL(page.url()).hostname}`)
    const block = vevents(body).find((b) => icsProperty(b, 'UID') === `event-${goingEvent.id}@${new URL(page.url()).hostname}`)!
    expect(icsProperty(block, 'SUMMARY')).toBe(icsText(going.title))
    expect(unfold(body)).not.toContain(going.joinUrl!)

    // A new address: the old one stops working.
    await section.getByRole('button', { name: 'Make a new address' }).click()
    await expect(section.locator('code')).not.toHaveText(firstUrl)
    const secondUrl = (await section.locator('code').textContent()) ?? ''
    expect(secondUrl).toMatch(/\/events\/calendar\/[a-z2-7]{20,}\.ics$/)
    expect((await request.get(firstUrl)).status(), 'the replaced address').toBe(404)
    const second = await request.get(secondUrl)
    expect(second.status()).toBe(200)
    expect(await second.text()).toContain(`UID:event-${goingEvent.id}@${new URL(page.url()).hostname}`)

    // Turned off: no address works.
    await section.getByRole('button', { name: 'Turn off the address' }).click()
    await expect(page.getByRole('status')).toHaveText('Your calendar address no longer works.')
    expect((await request.get(secondUrl)).status(), 'the turned-off address').toBe(404)
    await expect(section.getByRole('button', { name: 'Make my calendar address' })).toBeVisible()
  })
})

test.describe('events with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })

  test('an organizer creates and publishes; a member answers going, interested, going, then not going', async ({ page, anotherMember }) => {
    test.setTimeout(120_000)
    const organizer = await anotherMember()
    await setRole(organizer.member.handle, 'moderator')
    const fields = newEvent('Roundtable answered without JavaScript', { capacity: 5 })
    const { path } = await createPublishedEvent(organizer.page, fields)

    await join(page)
    await page.goto(path)
    await expect(attendance(page)).toContainText('0 going of 5 places')
    await expect(joinOnline(page)).toHaveText('The join link is shown here to members who are going.')

    await rsvp(page, 'Going')
    await expect(page).toHaveURL(new RegExp(`${path}#rsvp$`))
    await expect(attendance(page)).toContainText('1 going of 5 places')
    await expect(attendance(page)).toContainText('Your answer: Going.')
    await expect(rsvpButton(page, 'Going')).toHaveAttribute('aria-pressed', 'true')
    await expect(joinOnline(page).getByRole('link', { name: 'Join link' })).toHaveAttribute('href', fields.joinUrl!)

    await rsvp(page, 'Interested')
    await expect(attendance(page)).toContainText('0 going of 5 places · 1 interested')
    await expect(attendance(page)).toContainText('Your answer: Interested.')
    expect(await page.content()).not.toContain(fields.joinUrl!)

    await rsvp(page, 'Going')
    await expect(joinOnline(page).getByRole('link', { name: 'Join link' })).toBeVisible()
    await rsvp(page, 'Not going')
    await expect(attendance(page)).toContainText('0 going of 5 places')
    await expect(attendance(page)).toContainText('Your answer: Not going.')
    await expect(rsvpButton(page, 'Not going')).toHaveAttribute('aria-pressed', 'true')
    await expect(rsvpButton(page, 'Going')).toHaveAttribute('aria-pressed', 'false')
    expect(await page.content()).not.toContain(fields.joinUrl!)
    await page.goto('/events')
    await expect(eventCard(page, fields.title).locator('.event-card__rsvp')).toHaveText('You are not going')
  })

  test('a full event offers the waitlist, and the promotion notification can be marked read', async ({ page, anotherMember }) => {
    test.setTimeout(120_000)
    const organizer = await anotherMember()
    await setRole(organizer.member.handle, 'moderator')
    const fields = newEvent('One-place event without JavaScript', { capacity: 1 })
    const { path } = await createPublishedEvent(organizer.page, fields)
    const goer = await anotherMember()
    await goer.page.goto(path)
    await rsvp(goer.page, 'Going')

    await join(page)
    await page.goto(path)
    await rsvp(page, 'Join the waitlist')
    await expect(attendance(page)).toContainText('You are number 1 on the waitlist.')
    await rsvp(goer.page, 'Not going')

    await expectNotification(page, `A place opened up: you are now going to “${fields.title}”`)
    await page.getByRole('button', { name: 'Mark all as read' }).click()
    await expect(page.getByText('Unread:')).toHaveCount(0)
    await page.goto(path)
    await expect(joinOnline(page).getByRole('link', { name: 'Join link' })).toHaveAttribute('href', fields.joinUrl!)
  })

  test('settings do not guess a time zone without JavaScript', async ({ page }) => {
    await join(page)
    await page.goto('/settings')
    await expect(page.getByLabel('Your time zone')).toHaveValue('')
  })
})

test.describe('accessibility of the events pages', () => {
  test('list, event page (visitor, member, organizer), forms and attendee list: no violations, reflow at 320 px', async ({
    page,
    anotherMember,
  }) => {
    test.setTimeout(150_000)
    // As a visitor.
    await page.goto('/events')
    await checkAxeAndReflow(page, '/events')
    await page.goto('/events?when=past')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Events')
    await checkAxeAndReflow(page, '/events?when=past')
    const demo = upcomingDemoEvents()[0] ?? pastDemoEvents()[0]
    await page.goto(`/events/${demo.id}`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(demo.title)
    await checkAxeAndReflow(page, 'a demo event page for a visitor')

    // As an organizer, with a long title and every field.
    await becomeOrganizer(page)
    await page.goto('/events')
    await checkAxeAndReflow(page, '/events as an organizer')
    await page.goto('/events/new')
    await checkAxeAndReflow(page, '/events/new')
    await page.getByRole('button', { name: 'Save as draft' }).click()
    await expect(page.getByRole('alert')).toContainText('There is a problem')
    await checkAxeAndReflow(page, '/events/new with errors')
    const fields = newEvent(
      'Hybrid cutover rehearsal workshop for benefits, payroll and case-management programs run by intergovernmental consortia',
      {
        format: 'Hybrid',
        kind: 'Workshop',
        venue: 'Regional Service Center, Conference Room B',
        address: '200 Example Plaza, Denver, CO 80202',
        capacity: 1,
        rsvpDeadline: daysAhead(39, '17:00'),
        themes: ['Unmanaged risks', 'Capability and talent gaps'],
      },
    )
    const { id, path } = await createEvent(page, fields)
    await checkAxeAndReflow(page, 'a draft event for its organizer')
    await publish(page)
    await checkAxeAndReflow(page, 'a published event for its organizer')
    await page.getByRole('region', { name: 'Organizer tools' }).locator('summary', { hasText: 'Cancel this event' }).click()
    await expectNoAxeViolations(page)

    // As members: going, and on the waitlist.
    const member = await anotherMember()
    await member.page.goto(path)
    await checkAxeAndReflow(member.page, 'an event page before answering')
    await rsvp(member.page, 'Going')
    await checkAxeAndReflow(member.page, 'an event page for a member going')
    const waiting = await anotherMember()
    await waiting.page.goto(path)
    await rsvp(waiting.page, 'Join the waitlist')
    await checkAxeAndReflow(waiting.page, 'an event page for a member on the waitlist')
    await waiting.page.goto('/events')
    await checkAxeAndReflow(waiting.page, '/events for a member on the waitlist')

    // The organizer's pages.
    await page.goto(`/events/${id}/edit`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit event')
    await checkAxeAndReflow(page, 'the edit form')
    await page.getByLabel('Title', { exact: true }).fill('')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page.getByRole('alert')).toContainText('Title must be at least 5 characters')
    await checkAxeAndReflow(page, 'the edit form with an error')
    await page.goto(`/events/${id}/attendees`)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Attendees')
    await checkAxeAndReflow(page, 'the attendee list')
  })

  test('the demo event in the page sweeps is the one the list links to', async ({ page }) => {
    // pages.ts names a demo event by the id the seed gives it; check the list agrees.
    const recapped = demoEvent('roundtable-acting-on-oversight-findings')
    await page.goto(pastDemoEvents().some((e) => e.file === recapped.file) ? '/events?when=past' : '/events')
    await expect(page.getByRole('link', { name: recapped.title, exact: true })).toHaveAttribute(
      'href',
      `/events/${recapped.id}/roundtable-acting-on-independent-oversight-findings`,
    )
  })
})

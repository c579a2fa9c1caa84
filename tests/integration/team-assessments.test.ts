// Team alignment assessments over real HTTP: starting, inviting by email and by link, answering
// privately (no anchoring), results side by side with the divergence marked, rounds and trend,
// the share link, the private discussion, ownership, and who may open and do what. Everyone who
// does not take part (other members, moderators, admins, the invited who have not joined) gets
// the same 404 as for an assessment that does not exist.
import { sql } from 'kysely'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HttpClient } from '../helpers/http-client'
import { decodeHtml, errorSummary, fieldError, mainOf, openServerDatabase, PARTICIPATION_REFUSALS, type Person, signedIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const plain = (html: string) => decodeHtml(html.replaceAll('<!-- -->', '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ')
const text = (html: string) => plain(mainOf(html))
const loginRedirect = (path: string) => `/login?${new URLSearchParams({ redirectTo: path })}`

type Level = 'not-yet' | 'partly' | 'mostly' | 'fully'
const standardSlugs = async () => ((await db.all(sql`select slug from readiness_questions order by position`)) as { slug: string }[]).map((r) => r.slug)
const standardQuestion = async (slug: string) => ((await db.one(sql`select question from readiness_questions where slug = ${slug}`)) as { question: string }).question
const teamQuestionKeys = async (assessmentId: number) =>
  (
    (await db.all(sql`select q.id from team_questions q join team_rounds r on r.id = q.round_id
         where r.assessment_id = ${assessmentId} and r.number = (select max(number) from team_rounds where assessment_id = ${assessmentId}) order by q.id`)) as { id: number }[]
  ).map((r) => `team-${r.id}`)

async function answers(assessmentId: number, level: Level, overrides: Record<string, Level> = {}) {
  const fields: Record<string, string> = {}
  for (const key of [...await standardSlugs(), ...await teamQuestionKeys(assessmentId)]) fields[`answer-${key}`] = overrides[key] ?? level
  return fields
}

const mails = async (kind: string, to: string) =>
  (await db.all(sql`select subject, text_body, html_body from mail_outbox where kind = ${kind} and to_address = ${to.toLowerCase()} order by id`)) as {
    subject: string
    text_body: string
    html_body: string
  }[]

/** The HTML of the <section> a heading with `headingId` opens. */
const sectionOf = (html: string, headingId: string) => new RegExp(`<section[^>]*aria-labelledby="${headingId}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? ''
/** The text of each row of the table with `className`, by its row header. */
const rowsOf = (html: string, className: string) => {
  const table = new RegExp(`<table class="${className}">[\\s\\S]*?</table>`).exec(html)?.[0] ?? ''
  return new Map([...table.matchAll(/<tr>\s*<th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => [decodeHtml(m[1]), plain(m[2]).trim()]))
}

const tokenIn = (body: string, kind: 'invitations' | 'shared') => new RegExp(`/readiness/teams/${kind}/([a-z2-7]{26,64})`).exec(body)?.[1] ?? null

let owner: Person
let program: Person
let sponsor: Person
let invited: Person
let other: Person
let moderator: Person
let admin: Person
const anonymous = { client: new HttpClient() }
let teamId = 0
let shareToken = ''
const PROJECT = `Benefits modernization ${Date.now()}`

async function start(person: Person, projectName: string, side = 'it'): Promise<number> {
  const response = await person.client.post('/readiness/teams', { projectName, side })
  expect(response.status, await response.clone().text()).toBe(302)
  return Number(/\/readiness\/teams\/(\d+)$/.exec(response.headers.get('location')!)![1])
}

async function accept(person: Person, token: string, side: string) {
  const response = await person.client.post(`/readiness/teams/invitations/${token}`, { side })
  expect(response.status, await response.clone().text()).toBe(302)
}

beforeAll(async () => {
  ;[owner, program, sponsor, invited, other, moderator, admin] = await Promise.all([
    signedIn(db),
    signedIn(db),
    signedIn(db),
    signedIn(db),
    signedIn(db),
    signedIn(db, 'moderator'),
    signedIn(db, 'admin'),
  ])
})

describe('starting and inviting', () => {
  it('refuses a start without a project name or side, with messages by the fields', async () => {
    const response = await owner.client.post('/readiness/teams', { projectName: '  ', side: 'nobody' })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'projectName')).toContain('Enter the name of the project')
    expect(fieldError(html, 'side')).toContain('Choose the side you speak for')
    expect(errorSummary(html).length).toBe(2)
  })

  it('starts an assessment and invites by email, saying who invites them and why', async () => {
    teamId = await start(owner, PROJECT)
    const page = await owner.client.get(`/readiness/teams/${teamId}`)
    expect(page.status).toBe(200)
    expect(text(await page.text())).toContain('You speak for IT')

    const bad = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'invite', email: 'not an address' })
    expect(bad.status).toBe(400)
    expect(fieldError(await bad.text(), 'email')).toContain('correct format')

    for (const person of [sponsor, invited]) {
      const sent = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'invite', email: person.email, message: 'We need the sponsor view before the steering committee.' })
      expect(sent.status).toBe(302)
      const [mail] = await mails('team_invitation', person.email)
      expect(mail.subject).toContain(owner.displayName)
      expect(mail.text_body).toContain(`${owner.displayName} is running a team alignment assessment for the project “${PROJECT}”`)
      expect(mail.text_body).toContain('We need the sponsor view before the steering committee.')
      expect(mail.html_body).toContain('<h1')
    }
    // The token is in the link only: the database keeps its hash.
    const token = tokenIn((await mails('team_invitation', sponsor.email))[0].text_body, 'invitations')!
    expect(token.length).toBeGreaterThanOrEqual(26)
    const stored = (await db.all(sql`select token_hash from team_invitations where assessment_id = ${teamId}`)) as { token_hash: string }[]
    expect(stored.some((row) => row.token_hash === token)).toBe(false)
  })

  it('sends a visitor who is not signed in to sign in or join, and back to the same link', async () => {
    const token = tokenIn((await mails('team_invitation', sponsor.email))[0].text_body, 'invitations')!
    const path = `/readiness/teams/invitations/${token}`
    const html = await (await anonymous.client.get(path)).text()
    expect(text(html)).toContain(`${owner.displayName} invites you`)
    expect(html).toContain(`/login?${new URLSearchParams({ redirectTo: path }).toString().replace(/&/g, '&amp;')}`)
    expect(html).toContain('/join?redirectTo=')
    const posted = await anonymous.client.post(path, { side: 'sponsor' })
    expect(posted.status).toBe(302)
    expect(posted.headers.get('location')).toBe(loginRedirect(path))
  })

  it('lets the invited member accept once, for the side they choose', async () => {
    const token = tokenIn((await mails('team_invitation', sponsor.email))[0].text_body, 'invitations')!
    const noSide = await sponsor.client.post(`/readiness/teams/invitations/${token}`, { side: '' })
    expect(noSide.status).toBe(400)
    await accept(sponsor, token, 'sponsor')
    expect((await sponsor.client.get(`/readiness/teams/invitations/${token}`)).status).toBe(404)
  })

  it('lets members join through a revocable invite link', async () => {
    const made = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'invite-link' })
    expect(made.status).toBe(200)
    const token = tokenIn(await made.text(), 'invitations')!
    await accept(program, token, 'program')
    const revoked = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'revoke-invite-link' })
    expect(revoked.status).toBe(302)
    expect((await other.client.get(`/readiness/teams/invitations/${token}`)).status).toBe(404)
    expect((await other.client.post(`/readiness/teams/invitations/${token}`, { side: 'it' })).status).toBe(404)
  })

  it('adds up to five of the team’s own questions before anyone answers', async () => {
    for (let n = 1; n <= 5; n++) {
      const added = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'add-question', area: `Own area ${n}`, question: `Is our own thing ${n} ready?` })
      expect(added.status).toBe(302)
    }
    const sixth = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'add-question', area: 'Too many', question: 'One more?' })
    expect(sixth.status).toBe(409)
    expect(errorSummary(await sixth.text()).join(' ')).toContain('up to 5')
    const notOwner = await program.client.post(`/readiness/teams/${teamId}`, { intent: 'add-question', area: 'Mine', question: 'Mine?' })
    expect(notOwner.status).toBe(403)
  })
})

describe('an owner who may only read', () => {
  it('is offered no invitation, invite link or new question, and gets back an invitation sent anyway', async () => {
    const lead = await signedIn(db)
    const page = `/readiness/teams/${await start(lead, `Read-only owner ${Date.now()}`)}`
    const controls = ['Send the invitation', 'Make an invite link', 'Add the question']
    const before = decodeHtml(await (await lead.client.get(page)).text())
    for (const control of controls) expect(before).toContain(control)

    await db.run(sql`update users set silenced_until = ${'9999-12-31T23:59:59.999Z'} where id = ${lead.id}`)
    const after = decodeHtml(await (await lead.client.get(page)).text())
    for (const control of controls) expect(after).not.toContain(control)
    expect(after.slice(after.indexOf('id="invite-heading"'))).toContain(PARTICIPATION_REFUSALS.silenced)

    const colleague = `colleague-${Date.now()}@example.gov`
    const sent = await lead.client.post(page, { intent: 'invite', email: colleague, message: 'Join us' })
    expect(sent.status).toBe(403)
    const back = decodeHtml(await sent.text())
    expect(back).toContain(PARTICIPATION_REFUSALS.silenced)
    expect(back).toMatch(new RegExp(`<input[^>]*name="email"[^>]*value="${colleague}"`))
    expect(await mails('team_invitation', colleague)).toHaveLength(0)
  })
})

describe('answering and results', () => {
  it('hides everyone’s answers until one has given one’s own', async () => {
    const it1 = await owner.client.post(`/readiness/teams/${teamId}/answer`, await answers(teamId, 'fully'))
    expect(it1.status).toBe(302)
    const before = await program.client.get(`/readiness/teams/${teamId}/results`)
    expect(before.status).toBe(200)
    const html = text(await before.text())
    expect(html).toContain('Answer first')
    expect(html).not.toContain('Fully')
    expect(text(await (await program.client.get(`/readiness/teams/${teamId}/report`)).text())).not.toContain('Whole team')
  })

  it('refuses an incomplete questionnaire with a message by each missing answer', async () => {
    const fields = await answers(teamId, 'partly')
    delete fields['answer-current-state-understood']
    const response = await program.client.post(`/readiness/teams/${teamId}/answer`, fields)
    expect(response.status).toBe(400)
    expect(fieldError(await response.text(), 'answer-current-state-understood')).toContain('Choose not yet, partly, mostly or fully')
  })

  it('shows each side side by side, the spread, and marks a disagreement of two steps or more in words', async () => {
    const slug = (await standardSlugs()).find((s) => s.includes('current-state'))!
    expect((await program.client.post(`/readiness/teams/${teamId}/answer`, await answers(teamId, 'mostly', { [slug]: 'not-yet' }))).status).toBe(302)
    const html = await (await program.client.get(`/readiness/teams/${teamId}/results`)).text()
    const row = [...mainOf(html).matchAll(/<tr[^>]*id="result-([^"]+)"[\s\S]*?<\/tr>/g)].find((m) => m[1] === slug)![0]
    const cells = plain(row)
    expect(cells).toMatch(/Fully.*Not yet/) // IT, then program
    expect(cells).toContain('Sides disagree: 3 steps apart')
    expect(text(html)).toContain('Most divergent areas')
    expect(text(html)).toMatch(/Where to start/)
    // An area two sides see one step apart is not marked.
    expect(text(html)).toContain('1 step apart')
  })

  it('lets the owner see who has answered and remind once per round', async () => {
    const page = text(await (await owner.client.get(`/readiness/teams/${teamId}`)).text())
    expect(page).toContain(`${sponsor.displayName} (Executive sponsor) : Not answered yet`)
    expect(page).toContain(`${program.displayName} (Program) : Answered`)
    const first = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'remind', userId: String(sponsor.id) })
    expect(first.status).toBe(302)
    expect(await mails('team_reminder', sponsor.email)).toHaveLength(1)
    const second = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'remind', userId: String(sponsor.id) })
    expect(second.status).toBe(409)
    expect(await mails('team_reminder', sponsor.email)).toHaveLength(1)
    const answered = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'remind', userId: String(program.id) })
    expect(answered.status).toBe(409)
    const notOwner = await program.client.post(`/readiness/teams/${teamId}`, { intent: 'remind', userId: String(sponsor.id) })
    expect(notOwner.status).toBe(403)
  })

  it('refuses answers and comments from a silenced participant, and gives back what they sent', async () => {
    const answerPage = `/readiness/teams/${teamId}/answer`
    const silence = async () => await db.run(sql`update users set silenced_until = ${'9999-12-31T23:59:59.999Z'} where id = ${sponsor.id}`)
    const lift = async () => await db.run(sql`update users set silenced_until = null where id = ${sponsor.id}`)
    expect(decodeHtml(await (await sponsor.client.get(answerPage)).text())).toContain('Submit my')
    await silence()
    try {
      // Opened now, the page gives the reason instead of a questionnaire they could only be refused.
      const opened = decodeHtml(await (await sponsor.client.get(answerPage)).text())
      expect(opened).toContain(PARTICIPATION_REFUSALS.silenced)
      expect(opened).not.toContain('Submit my')

      // Sent from a page opened before: refused, with every answer they chose still chosen.
      const refused = await sponsor.client.post(answerPage, await answers(teamId, 'partly'))
      expect(refused.status).toBe(403)
      const refusedPage = decodeHtml(await refused.text())
      expect(refusedPage).toContain(PARTICIPATION_REFUSALS.silenced)
      const chosen = [...refusedPage.matchAll(/<input type="radio"[^>]*>/g)].filter(([tag]) => / checked=""/.test(tag) && tag.includes('value="partly"'))
      expect(chosen).toHaveLength(Object.keys(await answers(teamId, 'partly')).length)
    } finally {
      await lift()
    }
    expect((await sponsor.client.post(answerPage, await answers(teamId, 'partly'))).status).toBe(302)

    // Having answered, they have the discussion's comment box; a comment sent from it once
    // silenced is refused and comes back in the box.
    const discussion = `/readiness/teams/${teamId}/discuss/${(await standardSlugs())[0]}`
    expect(decodeHtml(await (await sponsor.client.get(discussion)).text())).toContain('Post the comment')
    await silence()
    try {
      expect(decodeHtml(await (await sponsor.client.get(discussion)).text())).not.toContain('Post the comment')
      const comment = `Hello from a silenced sponsor ${Date.now()}`
      const refusedComment = await sponsor.client.post(discussion, { body: comment })
      expect(refusedComment.status).toBe(403)
      const commentPage = decodeHtml(await refusedComment.text())
      expect(commentPage).toContain(PARTICIPATION_REFUSALS.silenced)
      expect(commentPage).toMatch(new RegExp(`<textarea[^>]*name="body"[^>]*>${comment}</textarea>`))

      // Nor are they offered a new assessment to start.
      const start = decodeHtml(await (await sponsor.client.get('/readiness/teams')).text())
      expect(start).not.toContain('Start the assessment')
      expect(start.slice(start.indexOf('id="start-heading"'))).toContain(PARTICIPATION_REFUSALS.silenced)
    } finally {
      await lift()
    }
  })

  it('never puts team answers into the site-wide insights', async () => {
    const before = mainOf(await (await anonymous.client.get('/insights')).text())
    const id = await start(other, `Insights probe ${Date.now()}`, 'program')
    expect((await other.client.post(`/readiness/teams/${id}/answer`, await answers(id, 'not-yet'))).status).toBe(302)
    const after = mainOf(await (await anonymous.client.get('/insights')).text())
    expect(after).toBe(before)
    expect(after).not.toContain('Insights probe')
  })
})

describe('discussion per question', () => {
  it('is private to participants, renders Markdown safely and emails the others', async () => {
    const slug = (await standardSlugs()).find((s) => s.includes('current-state'))!
    const path = `/readiness/teams/${teamId}/discuss/${slug}`
    const empty = await program.client.post(path, { body: '   ' })
    expect(empty.status).toBe(400)
    expect(fieldError(await empty.text(), 'body')).toContain('Write your comment')
    const posted = await program.client.post(path, { body: 'We have **never** mapped intake. <script>alert(1)</script>' })
    expect(posted.status).toBe(302)
    const html = await (await owner.client.get(path)).text()
    expect(html).toContain('<strong>never</strong>')
    expect(mainOf(html)).not.toContain('<script>alert(1)')
    expect((await mails('team_comment', owner.email)).at(-1)!.text_body).toContain('We have **never** mapped intake.')
    expect(await mails('team_comment', sponsor.email)).toHaveLength(1)
    expect(await mails('team_comment', program.email)).toHaveLength(0)
    expect((await program.client.get(`/readiness/teams/${teamId}/discuss/no-such-question`)).status).toBe(404)
    // The team's own questions have discussions too; another team's question is not found.
    const [own] = await teamQuestionKeys(teamId)
    expect(text(await (await sponsor.client.get(`/readiness/teams/${teamId}/discuss/${own}`)).text())).toContain('Discuss Own area 1')
    const elsewhere = await start(other, `Elsewhere ${Date.now()}`)
    expect((await other.client.post(`/readiness/teams/${elsewhere}`, { intent: 'add-question', area: 'Theirs', question: 'Theirs?' })).status).toBe(302)
    const [theirs] = await teamQuestionKeys(elsewhere)
    expect((await program.client.get(`/readiness/teams/${teamId}/discuss/${theirs}`)).status).toBe(404)
  })
})

describe('rounds, trend and the share link', () => {
  it('opens a second round, keeps the first readable and shows the trend as a chart and a table', async () => {
    expect((await program.client.post(`/readiness/teams/${teamId}`, { intent: 'next-round' })).status).toBe(403)
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'next-round' })).status).toBe(302)
    expect((await owner.client.post(`/readiness/teams/${teamId}/answer`, await answers(teamId, 'mostly'))).status).toBe(302)
    expect((await program.client.post(`/readiness/teams/${teamId}/answer`, await answers(teamId, 'mostly'))).status).toBe(302)
    const first = text(await (await sponsor.client.get(`/readiness/teams/${teamId}/results?round=1`)).text())
    expect(first).toContain('Sides disagree: 3 steps apart')
    expect(text(await (await sponsor.client.get(`/readiness/teams/${teamId}/results?round=2`)).text())).toContain('Answer first')
    const trend = await owner.client.get(`/readiness/teams/${teamId}/trend`)
    const html = await trend.text()
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="trend-title trend-desc"/)
    expect(html).toContain('<title id="trend-title">')
    const table = text(html)
    expect(table).toContain('Round 1')
    expect(table).toContain('Round 2')
    expect(table).toMatch(/IT 100% 67%/)
    expect(table).toMatch(/Executive sponsor 33% no answers/)
  })

  it('draws each area per side across rounds, with the same numbers in the table', async () => {
    const html = await (await owner.client.get(`/readiness/teams/${teamId}/trend`)).text()
    // Whole team, IT, program, sponsor; two rounds each. Round 1: IT fully, program not yet, sponsor partly.
    expect(rowsOf(html, 'area-trend__table').get('Current-state process')).toBe('44% 67% 100% 67% 0% 67% 33% no answers')
    expect(rowsOf(html, 'area-trend__table').size).toBe((await standardSlugs()).length)
    // One small chart per area, hidden from assistive technology (the table holds its numbers).
    const charts = /<figure class="trend-chart area-trend">[\s\S]*?<\/figure>/.exec(html)![0]
    expect(charts).toMatch(/^<figure[^>]*><div aria-hidden="true">/)
    expect([...charts.matchAll(/class="area-trend__area"/g)]).toHaveLength((await standardSlugs()).length)
    const chart = /<p class="area-trend__name">Current-state process<\/p>([\s\S]*?)<\/svg>/.exec(charts)![1]
    const lines = [...chart.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(' ').map((point) => Number(point.split(',')[1])))
    const [it, program, sponsor] = lines
    expect(it[1]).toBeGreaterThan(it[0]) // IT's line falls from 100% to 67% (SVG y grows downwards)
    expect(program[1]).toBeLessThan(program[0]) // the program's rises from 0% to 67%
    expect(sponsor).toHaveLength(1) // the sponsor has not answered round 2
    expect(program[0] - it[0]).toBeGreaterThan(2 * Math.abs(program[1] - it[1]))
  })

  it('keeps the current round out of the trend for someone who has not answered it', async () => {
    const html = await (await sponsor.client.get(`/readiness/teams/${teamId}/trend`)).text()
    expect(text(html)).toContain('The current round joins the trend once you have given your answers')
    expect(rowsOf(html, 'area-trend__table').get('Current-state process')).toBe('44% 100% 0% 33%')
    expect(html).not.toContain('Round 2')
    expect(text(await (await sponsor.client.get(`/readiness/teams/${teamId}/report`)).text())).not.toContain('Round 2')
  })

  it('keeps the discussion from whoever has not answered the current round, on the page and in the email', async () => {
    const slug = (await standardSlugs()).find((s) => s.includes('current-state'))!
    const path = `/readiness/teams/${teamId}/discuss/${slug}`
    const posted = await program.client.post(path, { body: 'In round 2 we rate intake **mostly** mapped.' })
    expect(posted.status).toBe(302)
    const mail = (await mails('team_comment', sponsor.email)).at(-1)!
    expect(mail.subject).toContain(program.displayName)
    expect(mail.text_body).not.toContain('mostly')
    expect(mail.text_body).toContain('once you have given your own answers to round 2')
    expect(mail.text_body).toContain(`/readiness/teams/${teamId}/answer`)
    expect((await mails('team_comment', owner.email)).at(-1)!.text_body).toContain('In round 2 we rate intake **mostly** mapped.')

    const page = await sponsor.client.get(path)
    expect(page.status).toBe(200)
    const html = text(await page.text())
    expect(html).toContain('Answer first')
    expect(html).toContain('read and join the team’s discussion once you have given your own answers to round 2')
    expect(html).not.toContain('intake')
    expect(html).not.toContain('Post the comment')
    const refused = await sponsor.client.post(path, { body: 'Let me see first' })
    expect(refused.status).toBe(409)
    expect(await db.one(sql`select count(*) as n from team_comments where body_md = ${'Let me see first'}`)).toEqual({ n: 0 })
  })

  it('shows results, and only results, to whoever has the share link, until it is revoked', async () => {
    const made = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'share-link' })
    shareToken = tokenIn(await made.text(), 'shared')!
    const shared = await new HttpClient().get(`/readiness/teams/shared/${shareToken}`)
    expect(shared.status).toBe(200)
    const html = await shared.text()
    expect(text(html)).toContain('Every question, side by side')
    expect(text(html)).toContain('Trend across rounds')
    expect(html).not.toContain('/discuss/')
    expect(html).not.toContain(program.displayName)
    expect(html).not.toContain('We have')
    expect((await new HttpClient().get(`/readiness/teams/shared/${'a'.repeat(32)}`)).status).toBe(404)
  })
})

describe('ranked views and what is recommended', () => {
  const modesOf = async (slug: string) =>
    (await db.all(sql`select t.slug, t.name from readiness_questions q join readiness_question_failure_modes f on f.question_id = q.id
         join taxonomy_terms t on t.id = f.term_id where q.slug = ${slug} order by f.position`)) as { slug: string; name: string }[]
  let html = ''
  let veteran: Person
  let elsewhere: Person

  beforeAll(async () => {
    const [lead, programLead] = await Promise.all([signedIn(db), signedIn(db)])
    ;[veteran, elsewhere] = await Promise.all([signedIn(db), signedIn(db)])
    const id = await start(lead, `Ranked ${Date.now()}`)
    await accept(programLead, tokenIn(await (await lead.client.post(`/readiness/teams/${id}`, { intent: 'invite-link' })).text(), 'invitations')!, 'program')
    // Team levels: outcomes 0, stakeholders 1, data 1.5 (1 step apart), current state 2 (2 steps
    // apart), end users 2.5 (1 step apart), every other area 2 with both sides alike.
    const itAnswers = { 'outcomes-defined': 'not-yet', 'stakeholders-involved-early': 'partly', 'data-and-integration-risks': 'partly', 'current-state-understood': 'fully', 'end-user-change': 'mostly' } as const
    const programAnswers = { 'outcomes-defined': 'not-yet', 'stakeholders-involved-early': 'partly', 'data-and-integration-risks': 'mostly', 'current-state-understood': 'partly', 'end-user-change': 'fully' } as const
    expect((await lead.client.post(`/readiness/teams/${id}/answer`, await answers(id, 'mostly', itAnswers))).status).toBe(302)
    expect((await programLead.client.post(`/readiness/teams/${id}/answer`, await answers(id, 'mostly', programAnswers))).status).toBe(302)
    // Listed in the directory: one lived through a failure mode of a divergent-only area, the
    // other only through one no recommended area exposes.
    const recommendedModes = new Set((await Promise.all(Object.keys(itAnswers).map(modesOf))).flat().map((m) => m.slug))
    const unrelated = (await modesOf('vendors-managed-to-outcomes')).find((m) => !recommendedModes.has(m.slug))!
    const addExperience = (userId: number, slug: string) =>
      db.run(sql`insert into member_experience (user_id, term_id) select ${userId}, id from taxonomy_terms where facet = 'failure-mode' and slug = ${slug}`)
    await addExperience(veteran.id, (await modesOf('current-state-understood'))[0].slug)
    await addExperience(elsewhere.id, unrelated.slug)
    await db.run(sql`update users set listed_in_directory = 1 where id in (${veteran.id}, ${elsewhere.id})`)
    html = await (await lead.client.get(`/readiness/teams/${id}/results`)).text()
  })

  it('ranks the weakest areas, lowest team answer first, and the most divergent by their gap', () => {
    const items = (headingId: string) => [...sectionOf(html, headingId).matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => plain(m[1]).trim())
    expect(items('weakest-heading')).toEqual(['Business outcomes : team Not yet', 'Stakeholder involvement : team Partly', 'Data and integration : team Mostly (1.5 of 3)'])
    expect(items('divergent-heading')).toEqual([
      'Current-state process : 2 steps between sides (sides disagree)',
      'Data and integration : 1 step between sides',
      'Change for end users : 1 step between sides',
    ])
  })

  it('recommends for the weakest and for an area whose sides disagree though the team is not weak there', async () => {
    const recommendations = sectionOf(html, 'recommendations-heading')
    const articles = new Map(
      [...recommendations.matchAll(/<article[^>]*><h3 id="recommend-([^"]+)">([\s\S]*?)<\/h3>([\s\S]*?)<\/article>/g)].map((m) => [m[1], { heading: plain(m[2]), body: m[3] }]),
    )
    expect([...articles.keys()]).toEqual(['outcomes-defined', 'stakeholders-involved-early', 'data-and-integration-risks', 'current-state-understood', 'end-user-change'])
    expect(articles.get('outcomes-defined')!.heading).toBe('Business outcomes: among the weakest')
    expect(articles.get('data-and-integration-risks')!.heading).toBe('Data and integration: among the weakest, and the sides see it differently')
    expect(articles.get('current-state-understood')!.heading).toBe('Current-state process: the sides see it differently')
    for (const slug of ['outcomes-defined', 'current-state-understood']) {
      const body = articles.get(slug)!.body
      expect(plain(body)).toContain(await standardQuestion(slug))
      const links = [...body.matchAll(/href="\/cases\/themes\/([^"]+)"/g)].map((m) => m[1])
      expect(links, slug).toEqual((await modesOf(slug)).map((m) => m.slug))
      for (const heading of ['Prevention practices', 'Cases to learn from', 'Open discussions', 'Upcoming events']) expect(plain(body)).toContain(heading)
    }
  })

  it('names the listed members who have lived through what is recommended, and only them', () => {
    const peers = sectionOf(html, 'been-there-heading')
    expect(plain(peers)).toContain('Members who have been there')
    const entry = [...peers.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]).find((li) => li.includes(`href="/members/${veteran.handle}"`))!
    expect(plain(entry).trim()).toMatch(new RegExp(`^${veteran.displayName}.*\\(lists it as experience\\)$`))
    expect(peers).not.toContain(elsewhere.handle)
  })
})

describe('links, and who may do what, role by role', () => {
  let matrixId = 0
  let questionId = 0
  const shareHolder = new HttpClient()
  const revokedHolder = new HttpClient()
  const makeLink = async (intent: 'invite-link' | 'share-link') => {
    const response = await owner.client.post(`/readiness/teams/${matrixId}`, { intent })
    expect(response.status).toBe(200)
    return tokenIn(await response.text(), intent === 'share-link' ? 'shared' : 'invitations')!
  }

  beforeAll(async () => {
    matrixId = await start(owner, `Matrix ${Date.now()}`)
    expect((await owner.client.post(`/readiness/teams/${matrixId}`, { intent: 'add-question', area: 'Our own', question: 'Is ours ready?' })).status).toBe(302)
    questionId = Number((await teamQuestionKeys(matrixId))[0].slice('team-'.length))
    expect((await owner.client.post(`/readiness/teams/${matrixId}`, { intent: 'invite', email: invited.email })).status).toBe(302)
  })

  it('stops an invite link once it is replaced', async () => {
    const first = await makeLink('invite-link')
    const second = await makeLink('invite-link')
    expect((await program.client.get(`/readiness/teams/invitations/${first}`)).status).toBe(404)
    expect((await program.client.post(`/readiness/teams/invitations/${first}`, { side: 'program' })).status).toBe(404)
    await accept(program, second, 'program')
  })

  it('makes share links of 160 random bits, stores only their SHA-256, and stops one once it is replaced or revoked', async () => {
    const first = await makeLink('share-link')
    expect(first).toMatch(/^[a-z2-7]+$/)
    expect(first.length * 5).toBeGreaterThanOrEqual(128)
    const row = (await db.one(sql`select * from team_assessments where id = ${matrixId}`)) as Record<string, unknown>
    expect(row.share_link_hash).toBe(createHash('sha256').update(first).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(first)

    const second = await makeLink('share-link')
    expect(second).not.toBe(first)
    expect((await new HttpClient().get(`/readiness/teams/shared/${first}`)).status).toBe(404)
    expect((await revokedHolder.get(`/readiness/teams/shared/${second}`)).status).toBe(200)
    expect((await owner.client.post(`/readiness/teams/${matrixId}`, { intent: 'revoke-share-link' })).status).toBe(302)
    expect((await revokedHolder.get(`/readiness/teams/shared/${second}`)).status).toBe(404)
    const third = await makeLink('share-link')
    expect((await shareHolder.get(`/readiness/teams/shared/${third}`)).status).toBe(200)
  })

  it('answers every role as the matrix says, for every page and every action', async () => {
    const people = { participant: program, invited, other, moderator, admin }
    // Owner last: its remove-question succeeds, and the answers that follow close the round's questions.
    const roles = [
      ...Object.entries(people).map(([role, person]) => [role, person.client] as const),
      ['anonymous', new HttpClient()] as const,
      ['share-link holder', shareHolder] as const,
      ['revoked share-link holder', revokedHolder] as const,
      ['owner', owner.client] as const,
    ]
    const SIGN_IN = 'sign in'
    // null: not sent for that role here, because it would end the assessment or the role's part
    // in it (the owner's own actions and leaving are in 'control').
    type Expected = number | typeof SIGN_IN | null
    const byRole = (owner: Expected, participant: Expected, outsider: Expected = 404): Record<string, Expected> => ({
      owner,
      participant,
      invited: outsider,
      other: outsider,
      moderator: outsider,
      admin: outsider,
      anonymous: SIGN_IN,
      'share-link holder': SIGN_IN,
      'revoked share-link holder': SIGN_IN,
    })
    const here = `/readiness/teams/${matrixId}`
    const fields = { side: 'vendor', email: 'matrix-invitee@agency.example.gov', userId: String(program.id), newOwner: String(program.id), area: 'A', question: 'Q?', questionId: String(questionId) }
    const intent = (name: string, expected: Record<string, Expected>) => ({ action: name, send: (c: HttpClient) => c.post(here, { intent: name, ...fields }), expected })
    const page = (path: string, outsider = 404) => ({ action: `GET ${path}`, send: (c: HttpClient) => c.get(path), expected: byRole(200, 200, outsider), signIn: loginRedirect(path) })
    const matrix: { action: string; send: (client: HttpClient) => Promise<Response>; expected: Record<string, Expected>; signIn?: string }[] = [
      ...[here, `${here}/answer`, `${here}/results`, `${here}/results?round=1`, `${here}/trend`, `${here}/report`, `${here}/discuss/${(await standardSlugs())[0]}`].map((path) => page(path)),
      intent('side', byRole(302, 302)),
      intent('invite', byRole(302, 403)),
      intent('remove-question', byRole(302, 403)),
      ...['invite-link', 'revoke-invite-link', 'share-link', 'revoke-share-link', 'remind', 'remove', 'transfer', 'add-question', 'next-round', 'delete'].map((name) => intent(name, byRole(null, 403))),
      intent('leave', byRole(null, null)),
      { action: 'answer', send: async (c) => c.post(`${here}/answer`, await answers(matrixId, 'mostly')), expected: byRole(302, 302) },
      { action: 'discuss', send: async (c) => c.post(`${here}/discuss/${(await standardSlugs())[0]}`, { body: 'From the matrix' }), expected: byRole(302, 302) },
      { action: 'start', send: (c) => c.post('/readiness/teams', { projectName: `Matrix start ${Date.now()}`, side: 'it' }), expected: byRole(302, 302, 302) },
      page('/readiness/teams', 200),
    ]
    // A page sends one to sign in and come back to it; a refused write, to sign in.
    for (const { action, send, expected, signIn = '/login' } of matrix) {
      for (const [role, client] of roles) {
        const want = expected[role]
        if (want === null) continue
        const response = await send(client)
        const location = response.headers.get('location') ?? ''
        const seen = want === SIGN_IN ? `${response.status} ${signIn === '/login' ? location.split('?')[0] : location}` : response.status
        expect(seen, `${action} by ${role}`).toBe(want === SIGN_IN ? `302 ${signIn}` : want)
      }
    }
    // What the owner and participant did took effect; nobody else's did.
    expect(await teamQuestionKeys(matrixId)).toEqual([])
    expect(await db.one(sql`select count(*) as n from team_comments where assessment_id = ${matrixId}`)).toEqual({ n: 2 })
    expect(await db.one(sql`select count(*) as n from team_responses r join team_rounds t on t.id = r.round_id where t.assessment_id = ${matrixId}`)).toEqual({ n: 2 })
    expect(await db.one(sql`select count(*) as n from team_rounds where assessment_id = ${matrixId}`)).toEqual({ n: 1 })
    expect(await db.all(sql`select side from team_participants where assessment_id = ${matrixId} order by user_id`)).toEqual([{ side: 'vendor' }, { side: 'vendor' }])
    expect(await mails('team_invitation', 'matrix-invitee@agency.example.gov')).toHaveLength(1)
    expect(await mails('team_reminder', program.email)).toHaveLength(0)
  })
})

describe('the share link', () => {
  it('stops the share link once revoked', async () => {
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'revoke-share-link' })).status).toBe(302)
    expect((await new HttpClient().get(`/readiness/teams/shared/${shareToken}`)).status).toBe(404)
  })
})

describe('control', () => {
  it('lets a participant leave, the owner remove one, hand over and delete', async () => {
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'leave' })).status).toBe(409)
    expect((await sponsor.client.post(`/readiness/teams/${teamId}`, { intent: 'leave' })).status).toBe(302)
    expect((await sponsor.client.get(`/readiness/teams/${teamId}`)).status).toBe(404)

    const token = tokenIn(await (await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'invite-link' })).text(), 'invitations')!
    await accept(other, token, 'vendor')
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'remove', userId: String(other.id) })).status).toBe(302)
    expect((await other.client.get(`/readiness/teams/${teamId}`)).status).toBe(404)

    const badOwner = await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'transfer', newOwner: String(admin.id) })
    expect(badOwner.status).toBe(400)
    expect(fieldError(await badOwner.text(), 'newOwner')).toContain('Choose another participant')
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'transfer', newOwner: String(program.id) })).status).toBe(302)
    expect((await owner.client.post(`/readiness/teams/${teamId}`, { intent: 'delete' })).status).toBe(403)
    expect((await program.client.post(`/readiness/teams/${teamId}`, { intent: 'delete' })).status).toBe(302)
    expect((await program.client.get(`/readiness/teams/${teamId}`)).status).toBe(404)
    expect(await db.one(sql`select count(*) as n from team_answers a join team_rounds r on r.id = a.round_id where r.assessment_id = ${teamId}`)).toEqual({ n: 0 })
  })
})

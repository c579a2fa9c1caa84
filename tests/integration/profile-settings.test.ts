// Public member profiles and the settings page (profile and password).
import { afterAll, describe, expect, it } from 'vitest'
import { HttpClient, joinAsNewMember, memberFields } from '../helpers/http-client'
import { decodeHtml, errorSummary, fieldError, fieldTag, mainOf, openServerDatabase, sessionIdOf, signIn } from './support'

const db = openServerDatabase()
afterAll(() => db.close())

const longDate = (iso: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso))
const textOf = (html: string) => decodeHtml(html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '))

describe('member profile page', () => {
  it('shows display name, member type, organization, level of government and joined date', async () => {
    const member = await joinAsNewMember(new HttpClient(), {
      memberType: 'leader',
      governmentLevel: 'tribal',
      organization: 'A tribal nation IT office',
    })
    const response = await new HttpClient().get(`/members/${member.handle}`)
    expect(response.status).toBe(200)
    const html = await response.text()
    const text = textOf(mainOf(html))
    expect(mainOf(html)).toContain(`<h1>${member.displayName}</h1>`)
    // An agency address (.gov), confirmed: the mark beside the name, in words.
    expect(text).toMatch(new RegExp(`@${member.handle} +Verified government email`))
    expect(text).toContain('Verified public servant By a confirmed government email address')
    expect(text).toContain(`@${member.handle}`)
    expect(text).toContain('Member type Leader (CIO, CTO, program executive)')
    expect(text).toContain('Organization A tribal nation IT office')
    expect(text).toContain('Level of government Tribal')
    const createdAt = (await db.userByEmail(member.email))!.created_at
    expect(text).toContain(`Joined ${longDate(createdAt)}`)
    // The email address is private: it is never on the public page.
    expect(html).not.toContain(member.email)
    expect(text).not.toContain('Administrator')
  })

  it('says "Not given" when there is no organization', async () => {
    const member = await joinAsNewMember(new HttpClient(), { organization: '' })
    const text = textOf(mainOf(await (await new HttpClient().get(`/members/${member.handle}`)).text()))
    expect(text).toContain('Organization Not given')
  })

  it('answers an unknown handle with the 404 page', async () => {
    const response = await new HttpClient().get('/members/no-such-member-anywhere')
    expect(response.status).toBe(404)
    const html = await response.text()
    expect(mainOf(html)).toContain('<h1>Page not found</h1>')
  })
})

describe('settings', () => {
  it('sends an anonymous visitor to sign in, for GET and POST alike', async () => {
    const visitor = new HttpClient()
    const get = await visitor.get('/settings')
    expect(get.status).toBe(302)
    expect(get.headers.get('location')).toBe('/login?redirectTo=%2Fsettings')

    const post = await visitor.post('/settings', { intent: 'profile', displayName: 'Nobody', memberType: 'leader', governmentLevel: 'state' })
    expect(post.status).toBe(302)
    expect(post.headers.get('location')).toMatch(/^\/login\?redirectTo=%2Fsettings/)
  })

  it('shows the member their own details', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.get('/settings')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(member.email)
    expect(fieldTag(html, 'displayName')).toContain(`value="${member.displayName}"`)
  })

  it('saves a profile change that then shows on the public profile', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post('/settings', {
      intent: 'profile',
      handle: member.handle,
      displayName: 'Renamed Member',
      memberType: 'partner',
      organization: 'A state digital service',
      governmentLevel: 'state',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/settings')
    expect(await (await client.get('/settings')).text()).toContain('Your profile has been saved.')

    const text = textOf(mainOf(await (await new HttpClient().get(`/members/${member.handle}`)).text()))
    expect(text).toContain('Renamed Member')
    expect(text).toContain('Member type Partner firm')
    expect(text).toContain('Organization A state digital service')
    expect(text).toContain('Level of government State')
    expect(text).not.toContain(member.displayName)
  })

  it('refuses an empty display name with a message, and keeps the old one', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post('/settings', { intent: 'profile', displayName: '   ', memberType: 'leader', governmentLevel: 'state' })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'displayName')).toBe('Enter your display name')
    expect((await db.userByEmail(member.email))?.display_name).toBe(member.displayName)
  })

  it('refuses a password change with the wrong current password', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post('/settings', {
      intent: 'password',
      currentPassword: 'not my password at all',
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a brand new passphrase',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(fieldError(html, 'currentPassword')).toBe('Your current password is not correct')
    expect(fieldTag(html, 'currentPassword')).toContain('aria-invalid="true"')
    expect(html).not.toContain('not my password at all')
    expect(html).not.toContain('a brand new passphrase')
    expect((await signIn(new HttpClient(), member.email, member.password)).status).toBe(302)
  })

  it('refuses a new password whose confirmation does not match', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post('/settings', {
      intent: 'password',
      currentPassword: member.password,
      newPassword: 'a brand new passphrase',
      confirmPassword: 'a different passphrase',
    })
    expect(response.status).toBe(400)
    expect(errorSummary(await response.text())).toEqual(['The two new passwords do not match'])
    expect((await signIn(new HttpClient(), member.email, member.password)).status).toBe(302)
  })

  it('changes the password, signs out other sessions and keeps this one', async () => {
    const here = new HttpClient()
    const member = await joinAsNewMember(here)
    const elsewhere = new HttpClient()
    expect((await signIn(elsewhere, member.email, member.password)).status).toBe(302)
    expect((await elsewhere.get('/settings')).status).toBe(200)
    const elsewhereId = sessionIdOf(elsewhere)

    const newPassword = 'a brand new passphrase'
    const response = await here.post('/settings', {
      intent: 'password',
      currentPassword: member.password,
      newPassword,
      confirmPassword: newPassword,
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/settings')

    const afterwards = await here.get('/settings')
    expect(afterwards.status).toBe(200)
    expect(await afterwards.text()).toContain('Your password has been changed.')

    const signedOut = await elsewhere.get('/settings')
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toBe('/login?redirectTo=%2Fsettings')
    expect(await db.sessionById(elsewhereId)).toBeUndefined()
    const userId = (await db.userByEmail(member.email))!.id
    expect((await db.sessionsOfUser(userId)).map((s) => s.id)).toEqual([sessionIdOf(here)])

    expect((await signIn(new HttpClient(), member.email, member.password)).status).toBe(401)
    expect((await signIn(new HttpClient(), member.email, newPassword)).status).toBe(302)
  })

  it('ignores a role sent with the profile form', async () => {
    const client = new HttpClient()
    const member = await joinAsNewMember(client)
    const response = await client.post('/settings', { ...memberFields(), intent: 'profile', role: 'admin', is_demo: '1' })
    expect(response.status).toBe(302)
    expect((await db.userByEmail(member.email))?.role).toBe('member')
  })
})

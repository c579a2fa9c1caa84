import type { Page } from '@playwright/test'
import { expectNoAxeViolations, join } from './fixtures'
import {
  type AnotherMember,
  demoThreads,
  expect,
  fillNewThread,
  horizontalOverflow,
  inTagOrder,
  post,
  reply,
  makeEstablished,
  setRole,
  startThread,
  test,
  threadRow,
  uniqueTitle,
} from './discussions-helpers'
import { MODERATOR_PAGES } from './pages'

const AI_TRIAGE = 'AI triage pilot for benefits: where should human review sit?'

/** Preview on the reply form shows the rendered reply and keeps the text; it must not post it. */
async function previewReplyWithoutPosting(page: Page, anotherMember: AnotherMember) {
  await join(page)
  const path = await startThread(page, {
    category: 'Data & integration',
    title: uniqueTitle('Checking a reply before posting it'),
    body: 'Is a reply previewed before it is posted?',
  })
  const member = await anotherMember()
  await member.page.goto(path)
  const text = 'A reply I want to *check* before posting it.'
  await member.page.getByLabel('Your reply').fill(text)
  const response = member.page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path,
  )
  await member.page.getByRole('button', { name: 'Preview' }).click()
  await response
  // With JavaScript, the page's data reloads after the action; let that finish before looking.
  await member.page.waitForLoadState('networkidle')
  await expect(post(member.page, 2), 'Preview must not post the reply').toHaveCount(0)
  await expect(member.page.getByRole('region', { name: 'Preview' }).locator('em')).toHaveText('check')
  await expect(member.page.getByLabel('Your reply')).toHaveValue(text)
  // Nothing was saved either.
  await member.page.goto(path)
  await expect(member.page.locator('.thread-meta')).toContainText('0 replies')
  await expect(post(member.page, 2)).toHaveCount(0)
}

test.describe('discussions with JavaScript on', () => {
  test('start a thread, reply, quote, edit with history, mark helpful, accept an answer', async ({ page, anotherMember }) => {
    test.setTimeout(120_000)
    const author = await join(page)
    const title = uniqueTitle('We locked scope before we understood the permits')
    const firstBody = [
      'We locked **scope** before we understood which permits mattered.',
      '',
      '- the vendor priced every permit type',
      '- nobody could say which ones people used',
    ].join('\n')
    const path = await startThread(page, {
      category: 'Requirements & scope',
      title,
      body: firstBody,
      tags: ['Big-bang scope', 'Rushed requirements'],
    })

    // The thread page: rendered Markdown and both tags.
    const opening = post(page, 1)
    await expect(opening.locator('.post-body strong')).toHaveText('scope')
    await expect(opening.locator('.post-body li')).toHaveText([
      'the vendor priced every permit type',
      'nobody could say which ones people used',
    ])
    await expect(opening).not.toContainText('**scope**')
    const tags = page.getByRole('list', { name: 'Tags' })
    await expect(tags.getByRole('link')).toHaveText(inTagOrder(['Big-bang scope', 'Rushed requirements']))
    await expect(page.getByRole('link', { name: 'Requirements & scope' })).toBeVisible()

    // A second member replies.
    const second = await anotherMember()
    await second.page.goto(path)
    const secondReply = `Start with the three permit types that make up most of the volume. ${second.member.handle}`
    expect(await reply(second.page, secondReply)).toBe(2)
    await expect(second.page).toHaveURL(new RegExp(`${path}#post-2$`))
    await expect(post(second.page, 2)).toContainText(second.member.displayName)
    // After a reply is posted the box is empty again, ready for the next one.
    await expect(second.page.getByLabel('Your reply')).toHaveValue('')

    // A third member quotes the opening post.
    const third = await anotherMember()
    await third.page.goto(path)
    await post(third.page, 1).getByRole('link', { name: 'Quote post 1' }).click()
    const replyBox = third.page.getByLabel('Your reply')
    await expect(replyBox).toHaveValue(new RegExp(`^> @${author.handle} wrote`))
    const quoted = await replyBox.inputValue()
    expect(quoted).toContain(`> @${author.handle} wrote (post #1):`)
    expect(quoted).toContain('> We locked **scope** before we understood which permits mattered.')
    expect(quoted).toContain('> - the vendor priced every permit type')
    const thirdReply = 'Same here: we counted applications by permit type before cutting scope.'
    await replyBox.fill(`${quoted}${thirdReply}`)
    await third.page.getByRole('button', { name: 'Post reply' }).click()
    const quotePost = post(third.page, 3)
    await expect(quotePost).toContainText(thirdReply)
    await expect(quotePost.locator('blockquote')).toContainText('We locked scope before we understood which permits mattered.')
    await expect(quotePost.locator('blockquote').getByRole('link', { name: `@${author.handle}` })).toHaveAttribute(
      'href',
      `/members/${author.handle}`,
    )
    await expect(third.page).not.toHaveURL(/quote=/)
    await expect(third.page.getByLabel('Your reply')).toHaveValue('')

    // The author edits the opening post: it is marked edited and the history keeps both versions.
    await page.goto(path)
    await post(page, 1).getByRole('link', { name: 'Edit post 1' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit post #1')
    await expect(page.getByLabel('Your post')).toHaveValue(firstBody)
    const editedBody = `${firstBody}\n\n**Update:** we have since cut the first release to three permit types.`
    await page.getByLabel('Your post').fill(editedBody)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page).toHaveURL(new RegExp(`${path}#post-1$`))
    await expect(post(page, 1)).toContainText('we have since cut the first release to three permit types')
    const edited = post(page, 1).getByRole('link', { name: 'edited' })
    await expect(edited).toBeVisible()
    await edited.click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('History of post #1')
    await expect(page.getByText('2 versions, newest first.')).toBeVisible()
    const versions = page.locator('li.revision')
    await expect(versions).toHaveCount(2)
    await expect(versions.nth(0).getByRole('heading')).toHaveText('Version 2 (current)')
    await expect(versions.nth(0)).toContainText('we have since cut the first release to three permit types')
    await expect(versions.nth(1).getByRole('heading')).toHaveText('Version 1 (original)')
    await expect(versions.nth(1)).toContainText('We locked scope before we understood which permits mattered.')
    await expect(versions.nth(1)).not.toContainText('Update:')

    // A member marks the quoting reply helpful, then takes it back.
    await second.page.goto(path)
    const quoteActions = post(second.page, 3)
    await expect(quoteActions.locator('.helpful-count')).toHaveText('0 helpful')
    await quoteActions.getByRole('button', { name: 'Mark helpful post 3' }).click()
    const undo = quoteActions.getByRole('button', { name: 'Helpful (undo) post 3' })
    await expect(undo).toHaveAttribute('aria-pressed', 'true')
    await expect(quoteActions.locator('.helpful-count')).toHaveText('1 helpful')
    await expect(second.page.locator('.thread-meta')).toContainText('1 helpful')
    await undo.click()
    const mark = quoteActions.getByRole('button', { name: 'Mark helpful post 3' })
    await expect(mark).toHaveAttribute('aria-pressed', 'false')
    await expect(quoteActions.locator('.helpful-count')).toHaveText('0 helpful')
    await expect(second.page.locator('.thread-meta')).toContainText('0 helpful')
    // Nobody marks their own post helpful.
    await expect(post(second.page, 2).getByRole('button', { name: /helpful/i })).toHaveCount(0)

    // The author accepts the second member's reply: it appears right under the opening post.
    await page.goto(path)
    await expect(page.getByRole('region', { name: 'Accepted answer' })).toHaveCount(0)
    await post(page, 2).getByRole('button', { name: 'Accept as answer post 2' }).click()
    const accepted = page.getByRole('region', { name: 'Accepted answer' })
    await expect(accepted).toBeVisible()
    await expect(accepted).toContainText(secondReply)
    await expect(accepted).toContainText(second.member.displayName)
    const underOpening = await page.evaluate(() => {
      const next = document.querySelector('article#post-1')?.nextElementSibling
      return next?.querySelector('h2')?.textContent ?? null
    })
    expect(underOpening).toBe('Accepted answer')
    await expect(post(page, 2).getByRole('button', { name: 'Unaccept answer post 2' })).toBeVisible()
    // Only the thread's author may accept.
    await second.page.reload()
    await expect(second.page.getByRole('button', { name: /Accept as answer/ })).toHaveCount(0)
    await expect(second.page.getByRole('region', { name: 'Accepted answer' })).toContainText(secondReply)
  })

  test('the live preview renders Markdown as the member types, without submitting', async ({ page }) => {
    await join(page)
    await page.goto('/discussions/new')
    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname)
    })
    await page.getByLabel('Title').fill('A title kept while previewing')
    await page.getByLabel('Your post').fill('Some **bold** words and a [link](https://example.gov).')
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.locator('strong')).toHaveText('bold')
    await expect(preview.getByRole('link', { name: 'link' })).toHaveAttribute('href', 'https://example.gov')
    await expect(preview).not.toContainText('**')

    // It follows further typing.
    await page.getByLabel('Your post').fill('Now *italic* instead.')
    await expect(preview.locator('em')).toHaveText('italic')
    await expect(preview.locator('strong')).toHaveCount(0)

    // Nothing was posted: the page is the same form, and only the preview endpoint was called.
    await expect(page).toHaveURL(/\/discussions\/new$/)
    await expect(page.getByLabel('Title')).toHaveValue('A title kept while previewing')
    expect(posts.length).toBeGreaterThan(0)
    expect(new Set(posts)).toEqual(new Set(['/discussions/preview']))
  })

  test("the live preview nests headings as the saved post will: an opening post's a level above a reply's", async ({ page }) => {
    await join(page)
    await page.goto('/discussions/new')
    await page.getByLabel('Your post').fill('# Lessons')
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.getByRole('heading', { level: 3, name: 'Lessons' })).toBeVisible()

    await page.goto(await startThread(page, { category: 'Data & integration', title: uniqueTitle('Headings in a preview'), body: 'Where do headings sit?' }))
    await page.getByLabel('Your reply').fill('# Lessons')
    await expect(page.getByRole('region', { name: 'Preview' }).getByRole('heading', { level: 4, name: 'Lessons' })).toBeVisible()
  })

  test('the live preview says next to the field why it cannot show Markdown nested too deeply, and shows images as links', async ({ page }) => {
    await join(page)
    await page.goto('/discussions/new')
    const field = page.getByLabel('Your post')
    await field.fill(`${'>'.repeat(4000)} deep`)
    await expect(page.locator('#body-error')).toContainText('Quotes and lists can nest at most 16 levels deep')
    await expect(field).toHaveAttribute('aria-invalid', 'true')

    await field.fill('![a chart](https://pixel.example/track.gif)')
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.getByRole('link', { name: 'a chart (image)' })).toHaveAttribute('href', 'https://pixel.example/track.gif')
    await expect(preview.locator('img')).toHaveCount(0)
    await expect(page.locator('#body-error')).toHaveCount(0)
  })

  test('Preview on the reply form previews the reply without posting it', async ({ page, anotherMember }) => {
    test.setTimeout(60_000)
    await previewReplyWithoutPosting(page, anotherMember)
  })

  test('replying too soon is refused with a message and the text is kept', async ({ page, anotherMember }) => {
    test.setTimeout(60_000)
    await join(page)
    const path = await startThread(page, {
      category: 'Testing & go-live',
      title: uniqueTitle('How long did your parallel run last'),
      body: 'We are planning a parallel run for payroll. How long did yours last?',
    })
    const member = await anotherMember()
    await member.page.goto(path)
    await reply(member.page, 'Ours ran for two full pay cycles.')

    const tooSoon = 'And we compared every payslip line by line, which took a team of four.'
    await member.page.getByLabel('Your reply').fill(tooSoon)
    const response = member.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(path))
    await member.page.getByRole('button', { name: 'Post reply' }).click()
    expect((await response).status()).toBe(429)
    await expect(member.page.getByRole('alert')).toContainText('You can post one reply every 10 seconds')
    await expect(member.page.getByLabel('Your reply')).toHaveValue(tooSoon)
    await expect(member.page.locator('article[id^="post-"]', { hasText: tooSoon })).toHaveCount(0)
    await expect(post(member.page, 3)).toHaveCount(0)
  })

  test('XSS payloads in a thread stay inert, and their harmless text stays visible', async ({ page }) => {
    test.setTimeout(60_000)
    const dialogs: string[] = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    await join(page)
    const payloads = [
      'Payload text before.',
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=1</script>',
      '[x](javascript:window.__xss=1)',
      '[spaced](  javascript:window.__xss=1)',
      '<a href="javascript:window.__xss=1">raw link</a>',
      '<svg onload="window.__xss=1">',
      'After the svg.',
      '<details open ontoggle="window.__xss=1">',
      'After the details.',
      '<iframe src="javascript:window.__xss=1"></iframe>',
      '![img](javascript:window.__xss=1)',
      'Payload text after.',
      // These two open an element whose content is raw text (as a browser parses it too), so
      // nothing after them survives; they come last.
      '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
      '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
    ].join('\n\n')
    // Kept to short words: a long unbroken word in a title is a separate (layout) problem.
    const title = uniqueTitle('<img src=x onerror=alert(1)> <b onclick=alert(1)>Title</b>')
    const dangerous =
      'script, svg, iframe, details, math, style, noscript, object, embed, [onerror], [onload], [ontoggle], a[href^="javascript" i], img[src^="javascript" i]'

    // The live preview runs the same sanitizer.
    await page.goto('/discussions/new')
    await fillNewThread(page, { category: 'AI in government', title, body: payloads })
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview).toContainText('Payload text after.')
    expect(await preview.locator(dangerous).count()).toBe(0)
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()

    await page.getByRole('button', { name: 'Post thread' }).click()
    await expect(page).toHaveURL(/\/discussions\/\d+\/[a-z0-9-]+$/)
    // The title is text, never markup.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)

    const body = post(page, 1).locator('.post-body')
    await expect(body).toContainText('Payload text before.')
    await expect(body).toContainText('Payload text after.')
    await expect(body).toContainText('After the svg.')
    await expect(body).toContainText('After the details.')
    await expect(body.getByText('x', { exact: true })).toBeVisible()
    await expect(body.getByText('spaced', { exact: true })).toBeVisible()
    await expect(body.getByText('raw link', { exact: true })).toBeVisible()
    expect(await body.locator(dangerous).count()).toBe(0)

    await body.getByText('x', { exact: true }).click()
    await body.getByText('raw link', { exact: true }).click()
    await expect(page).toHaveURL(/\/discussions\/\d+\/[a-z0-9-]+/)
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()

    // And in the list.
    await page.goto('/discussions')
    await expect(page.getByRole('link', { name: title, exact: true })).toBeVisible()
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()
    expect(dialogs).toEqual([])
  })
})

test.describe('discussions with JavaScript off', () => {
  test.use({ javaScriptEnabled: false })

  test('start a thread with a preview, reply, edit and mark helpful', async ({ page, anotherMember }) => {
    test.setTimeout(90_000)
    await join(page)
    const title = uniqueTitle('Caseworkers went back to spreadsheets')
    const body = 'Six weeks in, the **case notes** screen is too slow, so people keep notes elsewhere.'
    await page.goto('/discussions/new')
    await fillNewThread(page, {
      category: 'Adoption & change',
      title,
      body,
      tags: ['Adoption and change management', 'Stakeholders engaged too late'],
    })

    // Preview round-trips through the server and keeps everything typed.
    await page.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByRole('region', { name: 'Preview' })
    await expect(preview.locator('strong')).toHaveText('case notes')
    await expect(page.getByLabel('Title')).toHaveValue(title)
    await expect(page.getByLabel('Your post')).toHaveValue(body)
    await expect(page.getByLabel('Category')).toHaveValue('adoption-and-change')
    await expect(page.getByRole('checkbox', { name: 'Adoption and change management', exact: true })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: 'Stakeholders engaged too late', exact: true })).toBeChecked()
    await expect(page.getByRole('checkbox', { name: 'Big-bang scope', exact: true })).not.toBeChecked()

    await page.getByRole('button', { name: 'Post thread' }).click()
    await expect(page).toHaveURL(/\/discussions\/\d+\/[a-z0-9-]+$/)
    const path = new URL(page.url()).pathname
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
    await expect(post(page, 1).locator('strong')).toHaveText('case notes')
    await expect(page.getByRole('list', { name: 'Tags' }).getByRole('link')).toHaveText(
      inTagOrder(['Adoption and change management', 'Stakeholders engaged too late']),
    )

    // Another member replies.
    const member = await anotherMember()
    await member.page.goto(path)
    const replyText = 'We fixed the same problem by *timing* the screen with caseworkers.'
    await member.page.getByLabel('Your reply').fill(replyText)
    await member.page.getByRole('button', { name: 'Post reply' }).click()
    await expect(post(member.page, 2).locator('em')).toHaveText('timing')
    await expect(member.page.getByLabel('Your reply')).toHaveValue('')

    // The author edits the opening post.
    await page.goto(path)
    await post(page, 1).getByRole('link', { name: 'Edit post 1' }).click()
    await page.getByLabel('Your post').fill(`${body}\n\nUpdate: the screen now loads in two seconds.`)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(post(page, 1)).toContainText('the screen now loads in two seconds')
    await expect(post(page, 1).getByRole('link', { name: 'edited' })).toBeVisible()

    // The author marks the reply helpful, and undoes it.
    await post(page, 2).getByRole('button', { name: 'Mark helpful post 2' }).click()
    await expect(post(page, 2).locator('.helpful-count')).toHaveText('1 helpful')
    await expect(post(page, 2).getByRole('button', { name: 'Helpful (undo) post 2' })).toHaveAttribute('aria-pressed', 'true')
    await post(page, 2).getByRole('button', { name: 'Helpful (undo) post 2' }).click()
    await expect(post(page, 2).locator('.helpful-count')).toHaveText('0 helpful')
    await expect(post(page, 2).getByRole('button', { name: 'Mark helpful post 2' })).toHaveAttribute('aria-pressed', 'false')
  })

  test('Preview on the reply form previews the reply without posting it', async ({ page, anotherMember }) => {
    test.setTimeout(60_000)
    await previewReplyWithoutPosting(page, anotherMember)
  })
})

test('three flags hide a post; a moderator clears the flags, then agrees with new ones', async ({ page, anotherMember }) => {
  test.setTimeout(180_000)
  const author = await join(page)
  const title = uniqueTitle('Which status report should leaders trust')
  const path = await startThread(page, {
    category: 'IT-program alignment',
    title,
    body: 'IT says green, the program says red. Which report should leaders trust?',
  })
  const replier = await anotherMember()
  await replier.page.goto(path)
  const flaggedText = 'Buy our dashboard product today, it solves status reporting forever.'
  await reply(replier.page, flaggedText)

  const flagger2 = await anotherMember()
  const flagger3 = await anotherMember()
  // Only established members' flags hide a post by themselves.
  for (const flagger of [author.handle, replier.member.handle, flagger2.member.handle, flagger3.member.handle]) await makeEstablished(flagger)
  const flag = async (
    flagPage: typeof page,
    number: number,
    reason: 'Off-topic: it does not belong in this thread' | 'Spam: an advertisement or promotion' | 'Something else',
    note?: string,
  ) => {
    await flagPage.goto(path)
    await post(flagPage, number).getByRole('link', { name: `Flag post ${number}` }).click()
    await expect(flagPage.getByRole('heading', { level: 1 })).toHaveText(`Flag post #${number}`)
    await flagPage.getByRole('radio', { name: reason }).check()
    if (note) await flagPage.getByRole('textbox', { name: /Tell the moderators more/ }).fill(note)
    await flagPage.getByRole('button', { name: 'Send flag' }).click()
  }

  // Round one: three members flag the reply.
  await flag(page, 2, 'Off-topic: it does not belong in this thread')
  await expect(page.getByRole('status')).toContainText('A moderator will review the post')
  await expect(post(page, 2)).toContainText('You flagged this')
  await expect(post(page, 2)).toContainText(flaggedText)
  await flag(flagger2.page, 2, 'Spam: an advertisement or promotion')
  await expect(post(flagger2.page, 2)).toContainText(flaggedText)
  const note = 'It is an advertisement for a product.'
  await flag(flagger3.page, 2, 'Something else', note)
  await expect(flagger3.page.getByRole('status')).toContainText('hidden until a moderator reviews it')

  // Members now see a placeholder, not the text.
  await page.goto(path)
  await expect(post(page, 2)).toContainText('This post was hidden after members flagged it')
  await expect(post(page, 2)).not.toContainText(flaggedText)
  await replier.page.goto(path)
  await expect(post(replier.page, 2)).toContainText('hidden after members flagged it')
  await expect(post(replier.page, 2)).not.toContainText(flaggedText)

  // A moderator reviews the flags and disagrees.
  const moderator = await anotherMember()
  await setRole(moderator.member.handle, 'moderator')
  await moderator.page.goto('/moderation')
  await expect(moderator.page.getByRole('heading', { level: 1 })).toHaveText('Moderation queue')
  const card = moderator.page.locator('.flag-queue > li').filter({
    has: moderator.page.getByRole('link', { name: `Post #2 in “${title}”` }),
  })
  await expect(card).toContainText(flaggedText)
  await expect(card).toContainText('hidden until reviewed')
  await expect(card.getByRole('heading', { level: 3 })).toHaveText('3 flags')
  await expect(card.locator('ul li')).toHaveText([
    `Off-topic from @${author.handle}`,
    `Spam from @${flagger2.member.handle}`,
    `Something else from @${flagger3.member.handle}: “${note}”`,
  ])
  await expectNoAxeViolations(moderator.page)
  await card.getByLabel('Reason (logged)').fill('A member sharing a tool they use is fine here.')
  await card.getByRole('button', { name: 'Disagree and clear' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Flags cleared: the post is visible.')
  await expect(card).toHaveCount(0)

  await flagger2.page.goto(path)
  await expect(post(flagger2.page, 2)).toContainText(flaggedText)
  await expect(post(flagger2.page, 2)).not.toContainText('hidden')

  // Round two: the opening post is flagged until hidden, and the moderator agrees.
  await flag(replier.page, 1, 'Off-topic: it does not belong in this thread')
  await flag(flagger2.page, 1, 'Spam: an advertisement or promotion')
  await flag(flagger3.page, 1, 'Something else', 'Reads like a sales pitch.')
  await expect(flagger3.page.getByRole('status')).toContainText('hidden until a moderator reviews it')
  await moderator.page.goto('/moderation')
  const second = moderator.page.locator('.flag-queue > li').filter({
    has: moderator.page.getByRole('link', { name: `Post #1 in “${title}”` }),
  })
  await expect(second.getByRole('heading', { level: 3 })).toHaveText('3 flags')
  await second.getByLabel('Reason (logged)').fill('Agreed: not a genuine question.')
  await second.getByRole('button', { name: 'Agree and hide' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Flags agreed: the post is hidden.')
  await expect(second).toHaveCount(0)

  await flagger2.page.goto(path)
  await expect(post(flagger2.page, 1)).toContainText('This post was hidden by a moderator.')
  await expect(post(flagger2.page, 1)).not.toContainText('Which report should leaders trust?')
  await expect(post(flagger2.page, 2)).toContainText(flaggedText)
  // Moderators still see the text, marked as hidden from members, with the reason.
  await moderator.page.goto(path)
  await expect(post(moderator.page, 1)).toContainText('Only moderators see the text below.')
  await expect(post(moderator.page, 1)).toContainText('Reason: Agreed: not a genuine question.')
  await expect(post(moderator.page, 1)).toContainText('Which report should leaders trust?')
  await expectNoAxeViolations(moderator.page)

  // The log records every step.
  await moderator.page.goto('/moderation/log')
  const rows = moderator.page.locator('tbody tr').filter({ has: moderator.page.getByRole('link', { name: title }) })
  await expect(rows).toHaveCount(4)
  await expect(rows.nth(0)).toContainText('Agreed with flags')
  await expect(rows.nth(0)).toContainText(moderator.member.displayName)
  await expect(rows.nth(0)).toContainText(`${title}, post #1`)
  await expect(rows.nth(0)).toContainText('Agreed: not a genuine question.')
  await expect(rows.nth(1)).toContainText('Post hidden by member flags')
  await expect(rows.nth(1)).toContainText('Automatic')
  await expect(rows.nth(1)).toContainText(`${title}, post #1`)
  await expect(rows.nth(2)).toContainText('Cleared flags')
  await expect(rows.nth(2)).toContainText(moderator.member.displayName)
  await expect(rows.nth(2)).toContainText(`${title}, post #2`)
  await expect(rows.nth(2)).toContainText('A member sharing a tool they use is fine here.')
  await expect(rows.nth(3)).toContainText('Post hidden by member flags')
  await expect(rows.nth(3)).toContainText(`${title}, post #2`)
})

test('a moderator locks and unlocks a thread, and a pinned thread leads its category', async ({ page, anotherMember }) => {
  test.setTimeout(120_000)
  await join(page)
  const title = uniqueTitle('Keeping vendor knowledge after handover')
  const path = await startThread(page, {
    category: 'Workforce & talent',
    title,
    body: 'The vendor team leaves in 90 days. What did you do to keep what they know?',
  })
  const moderator = await anotherMember()
  await setRole(moderator.member.handle, 'moderator')
  // A newer thread in the same category, so the first one is not at the top by activity.
  const newerTitle = uniqueTitle('Pairing staff with vendor engineers')
  await startThread(moderator.page, {
    category: 'Workforce & talent',
    title: newerTitle,
    body: 'Has anyone paired their own staff with vendor engineers for the last months of a contract?',
  })

  // Lock.
  await moderator.page.goto(path)
  await moderator.page.getByRole('button', { name: 'Lock thread' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Thread locked.')
  await expect(moderator.page.locator('.thread-meta')).toContainText('Locked')

  await page.goto(path)
  await expect(page.getByRole('note')).toContainText('This thread is locked. You can read it, but no new replies can be added.')
  await expect(page.getByText('Replies are closed because the thread is locked.')).toBeVisible()
  await expect(page.getByLabel('Your reply')).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Post reply' })).toHaveCount(0)
  await expect(page.getByRole('link', { name: /^Quote/ })).toHaveCount(0)
  await expectNoAxeViolations(page)

  // Unlock.
  await moderator.page.getByRole('button', { name: 'Unlock thread' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Thread unlocked.')
  await page.goto(path)
  await expect(page.getByRole('note')).toHaveCount(0)
  await expect(page.getByLabel('Your reply')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Post reply' })).toBeVisible()

  // Pin: before, the newer thread is above it; after, it is first in the category.
  await page.goto('/discussions/c/workforce-and-talent')
  const titles = () => page.locator('li.thread-row h2 > a:not(.badge)').allTextContents()
  let order = await titles()
  expect(order.indexOf(newerTitle)).toBeGreaterThanOrEqual(0)
  expect(order.indexOf(title)).toBeGreaterThan(order.indexOf(newerTitle))

  await moderator.page.getByRole('button', { name: 'Pin thread' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Thread pinned.')
  await page.reload()
  const first = page.locator('li.thread-row').first()
  await expect(first.getByRole('link', { name: title, exact: true })).toBeVisible()
  await expect(first).toContainText('Pinned')
  order = await titles()
  expect(order[0]).toBe(title)

  // Unpin (leaves the category as it was), and the log has all four actions.
  await moderator.page.getByRole('button', { name: 'Unpin thread' }).click()
  await expect(moderator.page.getByRole('status')).toContainText('Thread unpinned.')
  await page.reload()
  order = await titles()
  expect(order.indexOf(title)).toBeGreaterThan(order.indexOf(newerTitle))
  await moderator.page.goto('/moderation/log')
  const rows = moderator.page.locator('tbody tr').filter({ has: moderator.page.getByRole('link', { name: title, exact: true }) })
  await expect(rows.locator('td:nth-child(3)')).toHaveText(['Unpinned thread', 'Pinned thread', 'Unlocked thread', 'Locked thread'])
})

test('the list shows each thread with its details; filters, sorting and unread markers work', async ({ page, anotherMember }) => {
  test.setTimeout(90_000)
  const demo = demoThreads()
  expect(demo).toHaveLength(12)

  // Anonymous: every demo thread with category, tags, author, counts and a machine-readable time.
  // Each run starts from a fresh database, so the 12 demo threads and the few this file creates
  // fit on the first page (30 threads).
  await page.goto('/discussions')
  for (const thread of demo) {
    const row = threadRow(page, thread.title)
    await expect(row, thread.title).toHaveCount(1)
    await expect(row.locator('.thread-row__meta').getByRole('link', { name: thread.categoryName, exact: true })).toBeVisible()
    await expect(row.locator('.thread-row__meta')).toContainText(`Started by ${thread.authorName}`)
    await expect(row.getByRole('list', { name: 'Tags' }).getByRole('link')).toHaveText(thread.tagNames)
    await expect(row.locator('dt')).toHaveText(['Replies', 'Helpful', 'Last activity'])
    await expect(row.locator('dd').nth(0)).toHaveText(String(thread.replyCount))
    await expect(row.locator('dd').nth(1)).toHaveText(String(thread.helpfulCount))
    await expect(row.locator('dd time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
    // Signed out, nothing is "new".
    await expect(row.locator('.badge')).toHaveCount(0)
  }

  // Filter by category.
  await page.getByLabel('Category').selectOption({ label: 'AI in government' })
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(/category=ai-in-government/)
  await expect(threadRow(page, AI_TRIAGE)).toHaveCount(1)
  await expect(threadRow(page, 'Hiring a product manager when no job classification fits')).toHaveCount(0)
  const categoriesShown = await page.locator('li.thread-row .thread-row__meta a:first-child').allTextContents()
  expect(new Set(categoriesShown)).toEqual(new Set(['AI in government']))

  // Filter by failure mode.
  await page.goto('/discussions')
  await page.getByLabel('Failure mode').selectOption({ label: 'Unclear ownership' })
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(/tag=unclear-ownership/)
  const withTag = demo.filter((thread) => thread.tagNames.includes('Unclear ownership')).map((thread) => thread.title)
  const withoutTag = demo.filter((thread) => !thread.tagNames.includes('Unclear ownership')).map((thread) => thread.title)
  for (const title of withTag) await expect(threadRow(page, title)).toHaveCount(1)
  for (const title of withoutTag) await expect(threadRow(page, title)).toHaveCount(0)
  const rows = page.locator('li.thread-row')
  for (const row of await rows.all()) await expect(row.getByRole('list', { name: 'Tags' })).toContainText('Unclear ownership')

  // Sort by most helpful.
  await page.goto('/discussions')
  const latestOrder = await page.locator('li.thread-row h2 > a:not(.badge)').allTextContents()
  await page.getByLabel('Sort by').selectOption({ label: 'Most helpful' })
  await page.getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(/sort=helpful/)
  // The address can change a moment before the re-sorted list renders.
  const titles = () => page.locator('li.thread-row h2 > a:not(.badge)').allTextContents()
  await expect.poll(titles).not.toEqual(latestOrder)
  const helpfulOrder = await titles()
  const helpfulCounts = await page.locator('li.thread-row .thread-row__stats > div:nth-child(2) dd').allTextContents()
  const helpful = helpfulCounts.map(Number)
  expect(helpful.length).toBeGreaterThan(0)
  expect(helpful).toEqual([...helpful].sort((a, b) => b - a))
  expect(helpful[0]).toBe(Math.max(...demo.map((thread) => thread.helpfulCount)))

  // Signed in: unopened threads are "New"; opening one clears it.
  await join(page)
  await page.goto('/discussions')
  await expect(threadRow(page, AI_TRIAGE).getByText('New', { exact: true })).toBeVisible()
  await threadRow(page, AI_TRIAGE).getByRole('link', { name: AI_TRIAGE, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(AI_TRIAGE)
  await page.goto('/discussions')
  await expect(threadRow(page, AI_TRIAGE).locator('.badge')).toHaveCount(0)

  // A thread the reader has read gets "1 unread" after someone else replies.
  const title = uniqueTitle('Did your go-live criteria include call volumes')
  const path = await startThread(page, {
    category: 'Testing & go-live',
    title,
    body: 'We are writing go-live criteria. Did yours include call-centre volumes?',
  })
  await page.goto('/discussions')
  await expect(threadRow(page, title).locator('.badge')).toHaveCount(0)
  const other = await anotherMember()
  await other.page.goto(path)
  await reply(other.page, 'Yes: we set a ceiling on calls per thousand payments.')
  await page.goto('/discussions')
  const unread = threadRow(page, title).getByRole('link', { name: '1 unread' })
  await expect(unread).toBeVisible()
  await expect(threadRow(page, title).getByText('New', { exact: true })).toHaveCount(0)
  await unread.click()
  await expect(page).toHaveURL(new RegExp(`${path}#post-2$`))
  await expect(post(page, 2)).toContainText('we set a ceiling on calls')
  await page.goto('/discussions')
  await expect(threadRow(page, title).locator('.badge')).toHaveCount(0)
})

test.describe('discussion pages are accessible', () => {
  test('thread pages, signed out and in, have no violations and reflow at 320 px', async ({ page }) => {
    test.setTimeout(90_000)
    const check = async (what: string) => {
      await page.setViewportSize({ width: 1280, height: 800 })
      await expectNoAxeViolations(page)
      await page.setViewportSize({ width: 320, height: 640 })
      expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${what}`).toBeLessThanOrEqual(0)
      await page.setViewportSize({ width: 1280, height: 800 })
    }

    await page.goto('/discussions')
    await check('the list, signed out')
    await page.getByRole('link', { name: AI_TRIAGE, exact: true }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(AI_TRIAGE)
    await expect(page.getByRole('region', { name: 'Accepted answer' })).toHaveCount(0)
    const threadPath = new URL(page.url()).pathname
    await check('a demo thread, signed out')

    await join(page)
    await page.goto('/discussions')
    await expect(page.locator('.badge--new').first()).toBeVisible()
    await check('the list, signed in')
    await page.goto('/discussions/c/procurement-and-vendors')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Procurement & vendors')
    await check('a category page, signed in')
    await page.goto(threadPath)
    await expect(page.getByLabel('Your reply')).toBeVisible()
    await check('a demo thread, signed in')
    // A demo thread with an accepted answer.
    await page.goto('/discussions')
    await page.getByRole('link', { name: 'How many full trial migrations before a mainframe cutover?', exact: true }).click()
    await expect(page.getByRole('region', { name: 'Accepted answer' })).toBeVisible()
    await check('a thread with an accepted answer')
    // Quoting fills the reply box.
    await page.getByRole('link', { name: 'Quote post 2' }).click()
    await expect(page.getByLabel('Your reply')).toHaveValue(/^> @\S+ wrote \(post #2\):/)
    await expectNoAxeViolations(page)
  })

  test('a thread title with a long unbroken word still reflows at 320 px in the list', async ({ page }) => {
    // Titles may hold a web address or a long identifier (up to 150 characters). Putting one in
    // the list here, in this browser only, keeps other tests' views of /discussions unaffected.
    await page.goto('/discussions')
    await page.setViewportSize({ width: 320, height: 640 })
    await page
      .locator('li.thread-row h2 > a:not(.badge)')
      .first()
      .evaluate((link) => {
        link.textContent = 'Lessons from https://benefits.example.gov/eligibility-rules-engine-release-two'
      })
    expect.soft(await horizontalOverflow(page), 'horizontal scrolling at 320 px on the list').toBeLessThanOrEqual(0)
    // The thread page itself wraps such a title.
    await page.goto('/discussions')
    const link = page.getByRole('link', { name: AI_TRIAGE, exact: true })
    await link.click()
    await page.locator('h1').evaluate((h1) => {
      h1.textContent = 'Lessons from https://benefits.example.gov/eligibility-rules-engine-release-two'
    })
    expect(await horizontalOverflow(page), 'horizontal scrolling at 320 px on the thread page').toBeLessThanOrEqual(0)
  })

  test('the new-thread, history and flag pages have no violations, with and without errors', async ({ page }) => {
    test.setTimeout(90_000)
    await join(page)
    await page.goto('/discussions/new')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Start a thread')
    await expectNoAxeViolations(page)

    await page.getByRole('button', { name: 'Post thread' }).click()
    const summary = page.getByRole('alert')
    await expect(summary).toContainText('There is a problem')
    await expect(summary).toContainText('Choose a category')
    await expect(summary).toContainText('Title must be at least 8 characters')
    await expect(summary).toContainText('Write your post')
    await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true')
    await expect(page.getByLabel('Your post')).toHaveAttribute('aria-invalid', 'true')
    await expectNoAxeViolations(page)

    // With a live preview showing.
    await page.getByLabel('Your post').fill('A **preview** for the checker.')
    await expect(page.getByRole('region', { name: 'Preview' }).locator('strong')).toHaveText('preview')
    await expectNoAxeViolations(page)

    const path = await startThread(page, {
      category: 'Data & integration',
      title: uniqueTitle('Trial migrations: how many is enough'),
      body: 'We have budget for two trial migrations. Is that enough?',
      tags: ['Data quality and migration'],
    })
    await expectNoAxeViolations(page)
    await post(page, 1).getByRole('link', { name: 'Edit post 1' }).click()
    await expectNoAxeViolations(page)
    await page.getByLabel('Your post').fill('We have budget for three trial migrations now. Is that enough?')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect(page).toHaveURL(new RegExp(`${path}#post-1$`))
    await post(page, 1).getByRole('link', { name: 'edited' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('History of post #1')
    await expect(page.locator('li.revision')).toHaveCount(2)
    await expectNoAxeViolations(page)

    // The flag page of someone else's post, empty and with an error (nothing is sent).
    await page.goto('/discussions')
    await page.getByRole('link', { name: AI_TRIAGE, exact: true }).click()
    await post(page, 2).getByRole('link', { name: 'Flag post 2' }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Flag post #2')
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Send flag' }).click()
    await expect(page.getByRole('alert')).toContainText('Choose why you are flagging this post')
    await expectNoAxeViolations(page)
    await page.getByRole('radio', { name: 'Something else' }).check()
    await page.getByRole('button', { name: 'Send flag' }).click()
    await expect(page.getByRole('alert')).toContainText('Tell the moderators what is wrong with this post')
    await expect(page.getByRole('textbox', { name: /Tell the moderators more/ })).toHaveAttribute('aria-invalid', 'true')
    await expectNoAxeViolations(page)
  })
})

test('moderator pages have no WCAG 2.1 AA violations and reflow at 320 px', async ({ page, anotherMember }) => {
  test.setTimeout(90_000)
  const moderator = await join(page)
  const title = uniqueTitle('A thread for the moderation queue')
  const path = await startThread(page, {
    category: 'Governance & sponsorship',
    title,
    body: 'Our oversight board acknowledges findings but nothing changes. What worked for you?',
  })
  // Someone flags the post, so the queue has an item; the moderator locks it, so the log has one.
  const member = await anotherMember()
  await member.page.goto(path)
  await post(member.page, 1).getByRole('link', { name: 'Flag post 1' }).click()
  await member.page.getByRole('radio', { name: 'Off-topic: it does not belong in this thread' }).check()
  await member.page.getByRole('button', { name: 'Send flag' }).click()
  await expect(member.page.getByRole('status')).toContainText('A moderator will review the post')

  await setRole(moderator.handle, 'moderator')
  await page.goto(path)
  await page.getByRole('button', { name: 'Lock thread' }).click()
  await expect(page.getByRole('status')).toContainText('Thread locked.')

  for (const { path: pagePath, heading } of MODERATOR_PAGES) {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.goto(pagePath)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading)
    if (pagePath === '/moderation') await expect(page.getByRole('link', { name: `Post #1 in “${title}”` })).toBeVisible()
    if (pagePath === '/moderation/log') await expect(page.getByRole('link', { name: title, exact: true }).first()).toBeVisible()
    await expectNoAxeViolations(page)
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await horizontalOverflow(page), `horizontal scrolling at 320 px on ${pagePath}`).toBeLessThanOrEqual(0)
  }

  // Members cannot open them.
  for (const { path: pagePath } of MODERATOR_PAGES) {
    const response = await member.page.goto(pagePath)
    expect(response?.status(), pagePath).toBe(403)
  }
})

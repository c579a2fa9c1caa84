// Request bodies are refused by their declared size, before they are read: a 10 MB post is
// answered at once with 413, while the biggest real form (a case at every field's limit) passes.
import { request as httpRequest } from 'node:http'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { type Fields, formBody, postFields } from './events-support'
import { caseForm, openServerDatabase, signedIn } from './support'

const baseUrl = inject('server').baseUrl
const db = openServerDatabase()
afterAll(() => db.close())

/** Sends headers and only `sent` bytes of a body that claims `declared`; resolves with the answer. */
function partialPost(path: string, declared: number, sent: number, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(baseUrl)
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        path,
        method: 'POST',
        headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(declared), ...headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body })
          req.destroy()
        })
      },
    )
    req.on('error', reject)
    req.write(`displayName=${'a'.repeat(sent)}`)
    // The rest is never sent: an answer can only come from refusing by the declared size.
  })
}

describe('request body limit', () => {
  it('a 10 MB post is refused with 413 and a plain message before its body arrives', async () => {
    const answer = await partialPost('/join', 10 * 1024 * 1024, 64 * 1024)
    expect(answer.status).toBe(413)
    expect(answer.body).toMatch(/too large/i)
  })

  it('a client still sending when it is refused gets its answer, never a broken connection', async () => {
    // Eight senders at once, as when a busy server answers before the upload is through: an
    // anonymous post within the limit is redirected to sign in before its body is read, a larger
    // one refused by size; either way the rest is read and dropped, and the answer arrives.
    const outcomes = new Map<string, number>()
    const send = async (size: number) => {
      const outcome = await fetch(`${baseUrl}/cases/new`, {
        method: 'POST',
        headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ intent: 'submit', title: 'x'.repeat(size) }),
        redirect: 'manual',
      }).then(
        async (response) => (await response.arrayBuffer(), String(response.status)),
        (error: Error) => (error.cause as { code?: string } | undefined)?.code ?? String(error),
      )
      outcomes.set(`${size} -> ${outcome}`, (outcomes.get(`${size} -> ${outcome}`) ?? 0) + 1)
    }
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 6; i++) for (const size of [900_000, 8_000_000]) await send(size)
      }),
    )
    expect(Object.fromEntries(outcomes)).toEqual({ '900000 -> 302': 48, '8000000 -> 413': 48 })
  })

  it('a member posting 2 MB to the preview gets 413', async () => {
    const member = await signedIn(db)
    const response = await member.client.post('/discussions/preview', { body: 'x'.repeat(2 * 1024 * 1024) })
    expect(response.status).toBe(413)
  })

  it('a body that declares no length is refused', async () => {
    const response = await fetch(`${baseUrl}/join`, {
      method: 'POST',
      headers: { Origin: baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('displayName=x'))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(411)
  })

  it('the biggest case submission, every field at its limit in 3-byte characters, is not refused for size', async () => {
    const author = await signedIn(db)
    const text = (n: number) => '€'.repeat(n)
    const lines = (count: number) => Array.from({ length: count }, () => text(600)).join('\n')
    const fields: Fields = caseForm({
      title: `Big ${text(146)}`,
      summary: text(400),
      jurisdiction: text(200),
      contractModel: text(300),
      years: text(40),
      outcomeDetail: text(1500),
      whatHappened: text(20_000),
      primaryHow: text(400),
      contributingMode: Array.from({ length: 8 }, () => 'untested-assumptions'),
      contributingHow: Array.from({ length: 8 }, () => text(400)),
      rootCauses: lines(10),
      lessons: lines(12),
      recommendations: lines(12),
      correctiveAction: Array.from({ length: 8 }, () => text(600)),
      correctiveWorked: Array.from({ length: 8 }, () => 'partly'),
      correctiveNote: Array.from({ length: 8 }, () => text(600)),
      sourceTitle: Array.from({ length: 10 }, () => text(300)),
      sourcePublisher: Array.from({ length: 10 }, () => text(200)),
      sourceNumber: Array.from({ length: 10 }, () => text(300)),
      sourceDate: Array.from({ length: 10 }, () => '2020'),
      intent: 'save',
    })
    expect(formBody(fields).toString().length).toBeGreaterThan(500_000)
    const response = await postFields(author.client, '/cases/new', fields)
    expect(response.status).not.toBe(413)
    expect(response.status).toBeLessThan(500)
  })
})

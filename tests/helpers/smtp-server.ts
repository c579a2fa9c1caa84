// A real SMTP server on a loopback port for the mail tests, with what it received parsed by
// mailparser. Each message's answer is up to the test: accept, refuse (451, 550), or hold.
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from './start-server'

export interface ReceivedMail {
  raw: string
  parsed: ParsedMail
  messageId: string
}

/** How the server answers the nth message (0-based) it was given: accept, refuse, or hold. */
export type Answer = { accept: true } | { code: number; message: string } | { hold: true }

export interface TestSmtpServer {
  port: number
  url: string
  /** Every message whose data arrived, whatever the answer. */
  transmitted: ReceivedMail[]
  /** The messages the server accepted (answered 250). */
  accepted: ReceivedMail[]
  /** Resolves once `n` messages have been transmitted. */
  waitForTransmitted(n: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startSmtpServer(
  answer: (index: number, mail: ReceivedMail) => Answer | Promise<Answer> = () => ({ accept: true }),
  port?: number,
): Promise<TestSmtpServer> {
  const transmitted: ReceivedMail[] = []
  const accepted: ReceivedMail[] = []
  const waiters: { n: number; resolve: () => void }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const parsed = await simpleParser(raw)
        const mail = { raw, parsed, messageId: parsed.messageId ?? '' }
        const index = transmitted.push(mail) - 1
        for (const waiter of waiters.filter((w) => transmitted.length >= w.n)) waiter.resolve()
        const reply = await answer(index, mail)
        if ('hold' in reply) return
        if ('code' in reply) {
          callback(Object.assign(new Error(reply.message), { responseCode: reply.code }))
          return
        }
        accepted.push(mail)
        callback()
      })
    },
  })
  const listenPort = port ?? (await freePort())
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve))
  return {
    port: listenPort,
    url: `smtp://127.0.0.1:${listenPort}`,
    transmitted,
    accepted,
    waitForTransmitted(n, timeoutMs = 15_000) {
      if (transmitted.length >= n) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${transmitted.length} of ${n} messages arrived`)), timeoutMs)
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

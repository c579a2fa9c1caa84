// What the writeTransaction tests share: rows to write, another connection, a gate.
import { afterEach } from 'vitest'
import { type db, openDatabase } from '../../db/client'

let n = 0
export function category(slug = `wt-${process.pid}-${++n}`) {
  return { slug, name: slug, description_md: '', description_html: '', position: n, source_hash: 'x' }
}

/** Another process's connection to the same database: a worker, or an app server elsewhere. Closed after each test. */
const opened: ReturnType<typeof openDatabase>[] = []
export function anotherServer() {
  const other = openDatabase()
  opened.push(other)
  return other
}
afterEach(async () => {
  for (const other of opened.splice(0)) await other.destroy()
})

export function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

export const countOf = async (database: typeof db, slugs: string[]) =>
  Number((await database.selectFrom('categories').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', 'in', slugs).executeTakeFirstOrThrow()).n)

// Sizes of the synthetic benchmark databases (issue #7). Small is exactly 1% of large, except
// the two fixture threads (20 posts, and an opening post with 5,000 replies), which both scales
// hold whole; the other threads of small share what is left of its 1% of posts.
export const SCALES = {
  large: { members: 50_000, threads: 100_000, posts: 1_000_000, cases: 10_000, events: 2_000, rsvps: 200_000, sessions: 400 },
  small: { members: 500, threads: 1_000, posts: 10_000, cases: 100, events: 20, rsvps: 2_000, sessions: 40 },
} as const
export type ScaleName = keyof typeof SCALES

/** Bumped when the generator changes what it writes, so `npm run bench` regenerates old files. */
export const GENERATOR_VERSION = 4

export const FIXTURE_THREAD_SIZES = { short: 20, long: 5_001 } as const

/** What `db/generate.ts` writes beside the database as `<path>.fixtures.json`. */
export interface Fixtures {
  generator: {
    version: number
    scale: ScaleName
    seed: number
    generatedAt: string
    seconds: number
    migrations: string[]
    counts: Record<string, number>
  }
  member: { id: number; handle: string; email: string; password: string; sessionToken: string; cookie: string }
  urls: {
    thread20: string
    thread5kLastPage: string
    caseLibraryTwoFacets: string
    casePage: string
    eventPage: string
    search: string
  }
  rsvp: { eventId: number; path: string; intents: string[] }
  searchQuery: string
}

// Sizes of the synthetic benchmark databases (issue #7). Small is exactly 1% of large, except
// the two fixture threads (20 posts, and an opening post with 5,000 replies), which both scales
// hold whole; the other threads of small share what is left of its 1% of posts. And except its
// members: the reply benchmark needs 5,000 distinct watchers of one thread and 8,000 distinct
// members posting (one reply per member per 10 s) at both scales, so small has 10,000.
export const SCALES = {
  large: { members: 50_000, threads: 100_000, posts: 1_000_000, cases: 10_000, events: 2_000, rsvps: 200_000, sessions: 400 },
  small: { members: 10_000, threads: 1_000, posts: 10_000, cases: 100, events: 20, rsvps: 2_000, sessions: 40 },
} as const
export type ScaleName = keyof typeof SCALES

/** Bumped when the generator changes what it writes, so `npm run bench` regenerates old files. */
export const GENERATOR_VERSION = 5

export const FIXTURE_THREAD_SIZES = { short: 20, long: 5_001 } as const

/** Members watching the reply benchmark's watched thread (issue #11: "a thread with 5,000 watchers"). */
export const FIXTURE_WATCHERS = 5_000

/**
 * Signed-in members the reply benchmark rotates through. A member may post one reply per 10 s,
 * so the pool must outlast 10 s of replies: 8,000 covers up to 800 replies a second, above what
 * one process committing each reply with synchronous=FULL reaches on these machines.
 */
export const REPLY_MEMBER_POOL = 8_000

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
  /** Two comparable threads (same category, similar length, both recent) for the reply benchmark. */
  replies: {
    watched: { threadId: number; path: string; watchers: number }
    unwatched: { threadId: number; path: string; watchers: number }
    /** `Cookie` header values of REPLY_MEMBER_POOL distinct signed-in members. */
    memberCookies: string[]
    /** Reply texts as members write them; the benchmark makes each one unique. */
    bodies: string[]
  }
  searchQuery: string
}

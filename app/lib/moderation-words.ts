import { INDEFINITELY } from './participation'
import { formatDateTime } from './dates'

/** How to appeal, in the words every decision notice uses. */
export const APPEAL_HOW =
  'If you think this decision was wrong, you can appeal it: write why, and a different moderator from the one who decided will review it.'

export type Measure = 'silence' | 'suspend'

export const MEASURE_NAMES: Record<Measure, { done: string; effect: string }> = {
  silence: { done: 'silenced', effect: 'You can read, but cannot post, flag, RSVP or submit cases.' },
  suspend: { done: 'suspended', effect: 'You cannot sign in.' },
}

export const untilText = (until: string | null) =>
  !until || until === INDEFINITELY ? 'indefinitely' : `until ${formatDateTime(until)}`

/** "silenced your account until 3 March 2027 at 10:00 UTC" */
export function describeMeasure(action: string, until: string | null): string {
  const measure = action === 'suspend' ? 'suspend' : 'silence'
  return `${MEASURE_NAMES[measure].done} your account ${untilText(until)}`
}

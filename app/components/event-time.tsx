import { formatRangeInZone } from '../lib/time-zones'

/** When an event happens in its own zone, and in the reader's zone when that differs. */
export function EventTime({ startsAt, endsAt, timeZone, viewerZone }: { startsAt: string; endsAt: string; timeZone: string; viewerZone: string | null }) {
  return (
    <span className="event-time">
      <time dateTime={startsAt}>{formatRangeInZone(startsAt, endsAt, timeZone)}</time>
      {viewerZone && viewerZone !== timeZone ? (
        <span className="event-time__yours">
          {' '}
          (your time: {formatRangeInZone(startsAt, endsAt, viewerZone)})
        </span>
      ) : null}
    </span>
  )
}

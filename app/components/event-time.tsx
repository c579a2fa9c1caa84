/**
 * When an event happens in its own zone, and in the reader's zone when that differs. The text is
 * formatted on the server (see `describeEventTime`): browsers' time-zone names differ from Node's.
 */
export function EventTime({ startsAt, when, yourTime }: { startsAt: string; when: string; yourTime: string | null }) {
  return (
    <span className="event-time">
      <time dateTime={startsAt}>{when}</time>
      {yourTime ? <span className="event-time__yours"> (your time: {yourTime})</span> : null}
    </span>
  )
}

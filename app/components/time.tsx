import { formatDateTime, formatRelative } from '../lib/dates'

/** A relative time ("2 days ago") whose exact date is in the markup and on hover. */
export function RelativeTime({ iso, now }: { iso: string; now: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  )
}

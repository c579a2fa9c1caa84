import { Link } from '@remix-run/react'
import { formatDateTime } from '../lib/dates'

/** A moderation decision as the member it affected reads it: what, who, why, and its appeal. */
export interface DecisionSummaryView {
  id: number
  summary: string
  decidedBy: string
  reason: string | null
  until: string | null
  createdAt: string
  subject: { label: string; href: string | null } | null
  appeal: { statusLabel: string; statement: string; outcomeReason: string | null; decidedBy: string | null; decidedAt: string | null } | null
}

export function DecisionSummary({ decision, headingLevel = 2 }: { decision: DecisionSummaryView; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <>
      <Heading>{decision.summary}</Heading>
      <dl className="decision">
        <dt>When</dt>
        <dd>
          <time dateTime={decision.createdAt}>{formatDateTime(decision.createdAt)}</time>
        </dd>
        <dt>Decided by</dt>
        <dd>{decision.decidedBy}</dd>
        <dt>Reason</dt>
        <dd>{decision.reason ?? 'No reason was recorded.'}</dd>
        {decision.until ? (
          <>
            <dt>Lasts</dt>
            <dd>{decision.until}</dd>
          </>
        ) : null}
        {decision.subject ? (
          <>
            <dt>About</dt>
            <dd>{decision.subject.href ? <Link to={decision.subject.href}>{decision.subject.label}</Link> : decision.subject.label}</dd>
          </>
        ) : null}
        {decision.appeal ? (
          <>
            <dt>Your appeal</dt>
            <dd>
              <strong>{decision.appeal.statusLabel}</strong>
              {decision.appeal.decidedBy ? ` by ${decision.appeal.decidedBy}` : ''}
              {decision.appeal.decidedAt ? (
                <>
                  {' '}
                  on <time dateTime={decision.appeal.decidedAt}>{formatDateTime(decision.appeal.decidedAt)}</time>
                </>
              ) : null}
              {decision.appeal.outcomeReason ? <p>Reason: {decision.appeal.outcomeReason}</p> : null}
              <blockquote className="appeal-statement">{decision.appeal.statement}</blockquote>
            </dd>
          </>
        ) : null}
      </dl>
    </>
  )
}

import { Form, Link, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import type { FieldErrors } from '../lib/forms'
import { ErrorSummary } from './forms'

export type LinkProblem = 'unknown' | 'used' | 'expired' | 'address-taken'

const EXPLANATIONS: Record<LinkProblem, string> = {
  unknown: 'This link does not work. Check you copied the whole address from the email, or use the newest email we sent: a new link replaces older ones.',
  used: 'This link has already been used. Each link works once.',
  expired: 'This link has run out.',
  'address-taken': 'That email address now belongs to another account, so we cannot use it for yours.',
}

/** The page a link from an email opens when it cannot be used, saying why and what to do next. */
export function EmailLinkProblem({ title, problem, next }: { title: string; problem: LinkProblem; next: ReactNode }) {
  return (
    <div className="form">
      <h1>{title}</h1>
      <div className="error-summary" role="alert">
        <h2>There is a problem with this link</h2>
        <p>{EXPLANATIONS[problem]}</p>
      </div>
      {next}
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  )
}

type LinkState = { ok: true } | { ok: false; problem: LinkProblem }

/**
 * The page a link from an email opens: why it cannot be used, or what it will do with a button
 * that does it (opening the link only reads, since mail scanners open links too), or what it did.
 */
export function EmailLinkPage({
  title,
  link,
  whenUnusable,
  lead,
  submitLabel,
  submittingLabel,
  errors,
  done,
  children,
}: {
  title: string
  link: LinkState
  whenUnusable: ReactNode
  lead: string
  submitLabel: string
  submittingLabel: string
  errors?: FieldErrors
  /** What the link did, when it did it without leaving the page. */
  done?: { title: string; body: ReactNode } | false
  /** Fields the member fills in before the button. */
  children?: ReactNode
}) {
  const submitting = useNavigation().state === 'submitting'
  if (!link.ok) return <EmailLinkProblem title={title} problem={link.problem} next={whenUnusable} />
  if (done) {
    return (
      <div className="form">
        <h1>{done.title}</h1>
        {done.body}
      </div>
    )
  }
  return (
    <div className="form">
      <h1>{title}</h1>
      <p className="lead">{lead}</p>
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate>
        {children}
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? submittingLabel : submitLabel}
        </button>
      </Form>
    </div>
  )
}

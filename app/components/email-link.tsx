import { Link } from '@remix-run/react'
import type { ReactNode } from 'react'

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

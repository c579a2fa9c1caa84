import { Form, useLocation } from '@remix-run/react'
import type { FollowLevel } from '../../db/schema'
import { THREAD_LEVEL_LABELS } from '../lib/notification-kinds'

function useReturnPath() {
  const { pathname, search } = useLocation()
  return `${pathname}${search}`
}

/** Follow or unfollow a category, theme or event; a plain form, so it works without JavaScript. */
export function FollowButton({
  targetType,
  targetId,
  following,
  name,
}: {
  targetType: 'category' | 'theme' | 'event'
  targetId: number
  following: boolean
  name: string
}) {
  const back = useReturnPath()
  return (
    <Form method="post" action="/follow" className="follow-form">
      <input type="hidden" name="targetType" value={targetType} />
      <input type="hidden" name="targetId" value={targetId} />
      <input type="hidden" name="level" value={following ? 'unfollow' : 'watching'} />
      <input type="hidden" name="redirectTo" value={back} />
      <button type="submit" className="button button--secondary button--small" aria-pressed={following}>
        {following ? 'Following' : 'Follow'}
        <span className="visually-hidden"> {name}</span>
      </button>
      <span className="hint">{following ? 'Press to stop following.' : 'Hear about what is new here.'}</span>
    </Form>
  )
}

/** A thread's notification level: watching, tracking, normal or muted. */
export function ThreadLevelForm({ threadId, level }: { threadId: number; level: FollowLevel }) {
  const back = useReturnPath()
  return (
    <Form method="post" action="/follow" className="thread-level">
      <input type="hidden" name="targetType" value="thread" />
      <input type="hidden" name="targetId" value={threadId} />
      <input type="hidden" name="redirectTo" value={back} />
      <fieldset>
        <legend>Notifications for this thread</legend>
        {(Object.keys(THREAD_LEVEL_LABELS) as FollowLevel[]).map((option) => (
          <div className="radio" key={option}>
            <input type="radio" id={`thread-level-${option}`} name="level" value={option} defaultChecked={option === level} aria-describedby={`thread-level-${option}-hint`} />
            <label htmlFor={`thread-level-${option}`}>{THREAD_LEVEL_LABELS[option].label}</label>
            <span className="hint" id={`thread-level-${option}-hint`}>
              {THREAD_LEVEL_LABELS[option].help}
            </span>
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button button--secondary button--small">
        Save notification level
      </button>
    </Form>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import type { FollowTarget } from '../../db/schema'
import { requireUser } from '../lib/auth.server'
import { THREAD_LEVEL_LABELS } from '../lib/notification-kinds'
import { listFollows } from '../models/follow.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Following', 'Settings') }]

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return json({ follows: await listFollows(user.id) })
}

const GROUPS: { type: FollowTarget; heading: string; empty: string }[] = [
  { type: 'category', heading: 'Discussion categories', empty: 'Follow a category from its page to hear about new threads in it.' },
  { type: 'theme', heading: 'Failure-mode themes', empty: 'Follow a theme from its page to hear about its new cases, threads and events.' },
  { type: 'event', heading: 'Events', empty: 'Events you are going to or interested in keep you posted on their own; follow one to hear about changes without an RSVP.' },
  { type: 'thread', heading: 'Threads', empty: 'Threads you start or reply to are tracked for you; watch or mute one from its page.' },
]

export default function Following() {
  const { follows } = useLoaderData<typeof loader>()
  return (
    <div className="prose">
      <p className="breadcrumbs">
        <Link to="/settings">Settings</Link>
      </p>
      <h1>What you follow</h1>
      <p>
        What you follow decides what reaches your <Link to="/notifications">notifications</Link>;{' '}
        <Link to="/settings/notifications">email preferences</Link> decide which of them also come by email.
      </p>
      {GROUPS.map((group) => {
        const items = follows.filter((f) => f.targetType === group.type)
        return (
          <section key={group.type} aria-labelledby={`following-${group.type}`}>
            <h2 id={`following-${group.type}`}>{group.heading}</h2>
            {items.length ? (
              <ul className="follow-list">
                {items.map((item) => (
                  <li key={`${item.targetType}-${item.targetId}`}>
                    <Link to={item.href}>{item.title}</Link>
                    {item.targetType === 'thread' ? <span className="follow-list__level"> · {THREAD_LEVEL_LABELS[item.level].label}</span> : null}
                    <Form method="post" action="/follow" className="follow-list__action">
                      <input type="hidden" name="targetType" value={item.targetType} />
                      <input type="hidden" name="targetId" value={item.targetId} />
                      <input type="hidden" name="level" value="unfollow" />
                      <input type="hidden" name="redirectTo" value="/settings/following" />
                      <button type="submit" className="link-button">
                        {item.targetType === 'thread' ? 'Back to normal' : 'Unfollow'}
                        <span className="visually-hidden"> {item.title}</span>
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="hint">{group.empty}</p>
            )}
          </section>
        )
      })}
    </div>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { formatLongDate } from '../lib/dates'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { getPublicProfile } from '../models/user.server'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.display_name} (@${data.profile.handle}) · SectorPulse` : 'Member not found · SectorPulse' },
]

export async function loader({ params }: LoaderFunctionArgs) {
  const profile = await getPublicProfile(params.handle ?? '')
  if (!profile) throw new Response('No member has that handle.', { status: 404 })
  return json({ profile })
}

const ROLE_LABELS = { admin: 'Administrator', moderator: 'Moderator', member: null } as const

export default function MemberProfile() {
  const { profile } = useLoaderData<typeof loader>()
  const roleLabel = ROLE_LABELS[profile.role]
  return (
    <article className="prose">
      <h1>{profile.display_name}</h1>
      <p className="lead">
        @{profile.handle}
        {roleLabel ? (
          <>
            {' '}
            <span className="status-tag">{roleLabel}</span>
          </>
        ) : null}
      </p>
      <dl className="summary-list">
        <dt>Member type</dt>
        <dd>{MEMBER_TYPE_LABELS[profile.member_type]}</dd>
        <dt>Organization</dt>
        <dd>{profile.organization ?? <span className="muted">Not given</span>}</dd>
        <dt>Level of government</dt>
        <dd>{GOVERNMENT_LEVEL_LABELS[profile.government_level]}</dd>
        <dt>Joined</dt>
        <dd>
          <time dateTime={profile.created_at}>{formatLongDate(profile.created_at)}</time>
        </dd>
      </dl>
    </article>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { ROLES } from '../../db/schema'
import { SelectField, TextField } from '../components/forms'
import { MemberKindFilters } from '../components/member-filters'
import { TableRegion } from '../components/table-region'
import { hasRole, requireRole } from '../lib/auth.server'
import { formatDateTime } from '../lib/dates'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { memberSearchSchema, STANDINGS } from '../lib/member-moderation-validation'
import { searchMembers } from '../models/member-admin.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Members', 'Administration') }]

const STANDING_LABELS = { good: 'In good standing', silenced: 'Silenced', suspended: 'Suspended' } as const

export async function loader({ request }: LoaderFunctionArgs) {
  const moderator = await requireRole(request, 'moderator')
  const search = memberSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams))
  return json({ search, isAdmin: hasRole(moderator, 'admin'), ...(await searchMembers(search)) })
}

export default function AdminMembers() {
  const { search, isAdmin, members, nextAfter } = useLoaderData<typeof loader>()
  const location = useLocation()
  const next = new URLSearchParams(location.search)
  if (nextAfter) next.set('after', String(nextAfter))
  return (
    <>
      <h1>Members</h1>
      <p>
        Find a member to silence, suspend or lift a measure{' '}
        (admins also change roles). Every action is logged with its reason in the <Link to="/moderation/log">moderation log</Link>.
      </p>
      {isAdmin ? (
        <p>
          Administrators also add, rename and reorder <Link to="/admin/categories">discussion categories</Link>.
        </p>
      ) : null}
      <Form method="get" className="filters" aria-label="Find members" key={location.search}>
        <TextField name="q" label="Name, handle or email" defaultValue={search.q ?? ''} maxLength={100} />
        <SelectField name="role" label="Role" placeholder="Any role" defaultValue={search.role ?? ''} options={ROLES.map((role) => ({ value: role, label: role }))} />
        <MemberKindFilters typeName="memberType" memberType={search.memberType} level={search.level} />
        <SelectField
          name="verified"
          label="Verified public servant"
          placeholder="Either"
          defaultValue={search.verified ?? ''}
          options={[
            { value: 'yes', label: 'Verified' },
            { value: 'no', label: 'Not verified' },
          ]}
        />
        <SelectField
          name="standing"
          label="Standing"
          placeholder="Any standing"
          defaultValue={search.standing ?? ''}
          options={STANDINGS.map((standing) => ({ value: standing, label: STANDING_LABELS[standing] }))}
        />
        <div className="filters__actions">
          <button type="submit" className="button button--secondary">
            Find members
          </button>
        </div>
      </Form>
      {members.length === 0 ? (
        <p className="empty">No members match.</p>
      ) : (
        <TableRegion captionId="members-caption">
          <table>
            <caption id="members-caption" className="visually-hidden">
              Members found
            </caption>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Type and level</th>
                <th scope="col">Standing</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id}>
                  <td>
                    <Link to={`/admin/members/${member.id}`}>{member.displayName}</Link> @{member.handle}
                    {member.verified ? ' (verified public servant)' : ''}
                  </td>
                  <td>{member.email}</td>
                  <td>{member.role}</td>
                  <td>
                    {MEMBER_TYPE_LABELS[member.memberType]}, {GOVERNMENT_LEVEL_LABELS[member.governmentLevel]}
                  </td>
                  <td>
                    {STANDING_LABELS[member.standing]}
                    {member.standingUntil ? ` ${member.standingUntil}` : ''}
                  </td>
                  <td>
                    <time dateTime={member.createdAt}>{formatDateTime(member.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {nextAfter ? (
        <p>
          <Link to={`/admin/members?${next}`} rel="next">
            Next page of members
          </Link>
        </p>
      ) : null}
    </>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { SelectField } from '../components/forms'
import { MemberKindFilters } from '../components/member-filters'
import { Pager } from '../components/pager'
import { directoryPath, readDirectoryQuery } from '../lib/directory-query'
import { GOVERNMENT_LEVEL_LABELS, MEMBER_TYPE_LABELS } from '../lib/member-labels'
import { listDirectory } from '../models/member-directory.server'
import { listExperienceChoices } from '../models/member-profile.server'
import { narrowedList, pageTitle, quoted } from '../lib/page-title'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? pageTitle('Members') },
  { name: 'description', content: 'Find peers who have lived through the same kind of project: search members by name and organization, and filter by experience.' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const filters = readDirectoryQuery(new URL(request.url))
  const [result, experience] = await Promise.all([listDirectory(filters), listExperienceChoices()])
  const nameOf = (terms: { slug: string; name: string }[], slug: string | null) => terms.find((term) => term.slug === slug)?.name
  const title = pageTitle(
    narrowedList(
      'Members',
      [
        filters.q ? quoted(filters.q) : null,
        filters.memberType ? MEMBER_TYPE_LABELS[filters.memberType] : null,
        filters.level ? GOVERNMENT_LEVEL_LABELS[filters.level] : null,
        filters.verified ? 'verified' : null,
        nameOf(experience['failure-mode'], filters.mode),
        nameOf(experience.domain, filters.domain),
      ],
      result.page,
    ),
  )
  return json({ title, filters, result, experience })
}

export default function MemberDirectory() {
  const { filters, result, experience } = useLoaderData<typeof loader>()
  // The form starts afresh on every navigation, so it always shows the address's view.
  const { search } = useLocation()
  const filtered = !!(filters.q || filters.memberType || filters.level || filters.verified || filters.mode || filters.domain)
  return (
    <>
      <h1>Members</h1>
      <p className="lead">
        Find peers who have been there: members who chose to be listed, with the failure modes and domains they have
        experience in. Members can leave the directory in their <Link to="/settings">settings</Link>.
      </p>
      <Form method="get" className="filters" aria-label="Search and filter members" key={search}>
        <div className="field">
          <label htmlFor="members-q">Name or organization</label>
          <input id="members-q" name="q" type="search" defaultValue={filters.q} maxLength={100} />
        </div>
        <MemberKindFilters typeName="type" memberType={filters.memberType} level={filters.level} />
        <SelectField
          name="mode"
          label="Experience with failure mode"
          placeholder="Any failure mode"
          defaultValue={filters.mode ?? ''}
          options={experience['failure-mode'].map((term) => ({ value: term.slug, label: term.name }))}
        />
        <SelectField
          name="domain"
          label="Experience in domain"
          placeholder="Any domain"
          defaultValue={filters.domain ?? ''}
          options={experience.domain.map((term) => ({ value: term.slug, label: term.name }))}
        />
        <div className="checkbox-field">
          <input type="checkbox" id="members-verified" name="verified" value="yes" defaultChecked={filters.verified} />
          <label htmlFor="members-verified">Verified public servants only</label>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button">
            Find members
          </button>
        </div>
      </Form>

      <p role="status">
        {result.total === 1 ? '1 member' : `${result.total.toLocaleString('en-US')} members`}
        {filtered ? (
          <>
            {' '}
            match. <Link to="/members">Clear the search</Link>
          </>
        ) : null}
      </p>
      {result.members.length ? (
        <ul className="thread-list">
          {result.members.map((member) => (
            <li key={member.handle} className="thread-row">
              <h2 className="thread-row__title">
                <Link to={`/members/${member.handle}`}>{member.displayName}</Link>
              </h2>
              <p className="thread-meta">
                @{member.handle}
                {member.verified ? (
                  <>
                    {' '}
                    <span className="status-tag">Verified public servant</span>
                  </>
                ) : null}
              </p>
              <p>
                {[member.jobTitle, member.organization, MEMBER_TYPE_LABELS[member.memberType], GOVERNMENT_LEVEL_LABELS[member.governmentLevel]]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {member.experience.length ? (
                <p className="muted">Experience: {member.experience.map((term) => term.name).join(', ')}</p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>No members match. Try fewer filters or other words.</p>
      )}
      <Pager page={result.page} pageCount={result.pageCount} href={(page) => directoryPath(filters, page)} label="Member pages" />
    </>
  )
}

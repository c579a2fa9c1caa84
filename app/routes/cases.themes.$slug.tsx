import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { ThreadList } from '../components/thread-list'
import { getOptionalUser } from '../lib/auth.server'
import { FollowButton } from '../components/follow-controls'
import { isFollowing } from '../models/follow.server'
import { getTheme } from '../models/case-themes.server'
import { listFacetTerms } from '../models/taxonomy.server'
import { listThreads } from '../models/thread.server'
import { membersWhoHaveBeenThere } from '../models/member-directory.server'
import { PeersWhoHaveBeenThere } from '../components/peers'
import { directoryPath } from '../lib/directory-query'
import { pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? pageTitle(data.theme.name, 'Themes', 'Case library') : pageTitle('Theme not found') },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.cases, pageTags.threads])
  const theme = await getTheme(params.slug ?? '')
  if (!theme) throw new Response('No theme has that name.', { status: 404 })
  const user = await getOptionalUser(request)
  const [discussions, terms, following, peers] = await Promise.all([
    listThreads({ tagSlug: theme.slug, viewerId: user?.id }),
    listFacetTerms(),
    user ? isFollowing(user.id, 'theme', theme.id) : null,
    membersWhoHaveBeenThere([theme.slug], 8),
  ])
  return json({
    theme,
    following,
    peers,
    discussions: discussions.threads.slice(0, 10),
    outcomes: Object.fromEntries(terms.outcome.map((t) => [t.slug, t.name])) as Record<string, string>,
    now: new Date().toISOString(),
  })
}

export default function ThemePage() {
  const { theme, discussions, outcomes, following, peers, now } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/cases">Case library</Link> › <Link to="/cases/themes">Themes</Link>
      </p>
      <div className="page-heading">
        <h1>{theme.name}</h1>
        {following !== null ? <FollowButton targetType="theme" targetId={theme.id} following={following} name={theme.name} /> : null}
      </div>
      {following ? <p className="hint">You hear about new cases, threads and events in this theme.</p> : null}
      <div className="lead prose" dangerouslySetInnerHTML={{ __html: theme.descriptionHtml }} />
      <div className="theme-guidance">
        <section aria-labelledby="signs-heading">
          <h2 id="signs-heading">Warning signs</h2>
          <ul>
            {theme.warningSigns.map((sign) => (
              <li key={sign}>{sign}</li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="prevention-heading">
          <h2 id="prevention-heading">How to prevent it</h2>
          <ul>
            {theme.prevention.map((practice) => (
              <li key={practice}>{practice}</li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">
          Cases it hurt ({theme.cases.length}){' '}
          <Link className="heading-link" to={`/cases?mode=${theme.slug}`}>
            Filter the library
          </Link>
        </h2>
        {theme.cases.length ? (
          <ol className="case-list">
            {theme.cases.map((item) => (
              <li key={item.slug} className="case-card">
                <h3>
                  <Link to={`/cases/${item.slug}`}>{item.title}</Link>
                </h3>
                <p className="case-card__meta">
                  {item.isPrimary ? <strong>Main cause</strong> : 'Contributing cause'} · {outcomes[item.outcome] ?? item.outcome}
                </p>
                <p>{item.how}</p>
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">No published case shows this failure mode yet.</p>
        )}
      </section>
      {theme.avoidedBy.length ? (
        <section aria-labelledby="avoided-heading">
          <h2 id="avoided-heading">Cases that avoided or overcame it ({theme.avoidedBy.length})</h2>
          <ol className="case-list">
            {theme.avoidedBy.map((item) => (
              <li key={item.slug} className="case-card">
                <h3>
                  <Link to={`/cases/${item.slug}`}>{item.title}</Link>
                </h3>
                <p className="case-card__meta">Avoided · {outcomes[item.outcome] ?? item.outcome}</p>
                <p>{item.how}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-labelledby="discussions-heading">
        <h2 id="discussions-heading">Discussions about {theme.name.toLowerCase()}</h2>
        <ThreadList threads={discussions} now={now} />
        <p>
          <Link to={`/discussions?tag=${theme.slug}`}>All discussions tagged {theme.name}</Link>
        </p>
      </section>
      <section aria-labelledby="peers-heading">
        <PeersWhoHaveBeenThere members={peers} Heading="h2" headingId="peers-heading" directoryHref={directoryPath({ mode: theme.slug })} />
      </section>
    </>
  )
}

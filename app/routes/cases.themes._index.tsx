import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { listThemes } from '../models/case-themes.server'
import { pageTitle } from '../lib/page-title'
import { pageShows, pageTags } from '../../db/page-tags'

export const meta: MetaFunction = () => [{ title: pageTitle('Themes', 'Case library') }]

export async function loader({ context }: LoaderFunctionArgs) {
  pageShows(context, [pageTags.cases, pageTags.threads])
  return json({ themes: await listThemes() })
}

export default function Themes() {
  const { themes } = useLoaderData<typeof loader>()
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/cases">Case library</Link>
      </p>
      <h1>Browse cases by theme</h1>
      <p className="lead">
        Projects fail in a small number of recurring ways. Each theme explains one of them, how to spot it early and how
        to prevent it, with the cases that show it.
      </p>
      <ul className="card-grid">
        {themes.map((theme) => (
          <li key={theme.slug} className="card">
            <h2>
              <Link to={`/cases/themes/${theme.slug}`}>{theme.name}</Link>
            </h2>
            <p className="muted">
              Hurt {theme.caseCount} {theme.caseCount === 1 ? 'case' : 'cases'}
              {theme.primaryCount ? `, ${theme.primaryCount} as the main cause` : ''}
              {theme.avoidedCount ? ` · avoided or overcome in ${theme.avoidedCount}` : ''}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { SelectField } from '../components/forms'
import { Heatmap } from '../components/heatmap'
import { getInsights, type InsightFilters } from '../models/insights.server'
import { listFacetTerms } from '../models/taxonomy.server'
import { TableRegion } from '../components/table-region'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [
  { title: pageTitle('Insights: where public-sector projects fail') },
  {
    name: 'description',
    content:
      'Patterns across the published case library: failure modes by project phase, by outcome, and by how often members have seen them too.',
  },
]

const FILTER_FACETS = ['level', 'domain', 'outcome'] as const
const FILTER_LABELS = {
  level: { label: 'Level of government', any: 'Any level' },
  domain: { label: 'Domain', any: 'Any domain' },
  outcome: { label: 'Outcome', any: 'Any outcome' },
} as const

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const terms = await listFacetTerms()
  // Only a known term filters; anything else in the address is ignored, not an error.
  const pick = (facet: (typeof FILTER_FACETS)[number]) => {
    const value = url.searchParams.get(facet)
    return terms[facet].some((t) => t.slug === value) ? value : null
  }
  const filters: InsightFilters = { level: pick('level'), domain: pick('domain'), outcome: pick('outcome') }
  const insights = await getInsights(filters)
  return json({
    filters,
    options: { level: terms.level, domain: terms.domain, outcome: terms.outcome },
    ...insights,
  })
}

export default function InsightsPage() {
  const { filters, options, caseCount, modes, phases, cells, modeTotals, avoidedTotals, phaseTotals, byOutcome, seen, seenByLevel } =
    useLoaderData<typeof loader>()
  const { search } = useLocation()
  const casesHref = (extra: Record<string, string>) => {
    const params = new URLSearchParams(extra)
    for (const facet of FILTER_FACETS) if (filters[facet]) params.append(facet, filters[facet]!)
    return `/cases?${params}`
  }
  const cellHref = (mode: string, phase: string) => casesHref({ mode, phase })
  const maxSeen = Math.max(1, ...seen.map((s) => s.seen))
  const levelNames = Object.fromEntries(options.level.map((t) => [t.slug, t.name])) as Record<string, string>
  const nameOf = (facet: (typeof FILTER_FACETS)[number]) => options[facet].find((t) => t.slug === filters[facet])?.name
  const narrowedBy = FILTER_FACETS.map(nameOf).filter(Boolean)

  return (
    <>
      <h1>Insights</h1>
      <p className="lead">
        Where public-sector technology projects go wrong, drawn from every published case in the library. Each number links to the cases
        behind it.
      </p>

      <Form method="get" className="filters" aria-label="Narrow the insights" key={search}>
        {FILTER_FACETS.map((facet) => (
          <SelectField
            key={facet}
            name={facet}
            label={FILTER_LABELS[facet].label}
            placeholder={FILTER_LABELS[facet].any}
            defaultValue={filters[facet] ?? ''}
            options={options[facet].map((t) => ({ value: t.slug, label: t.name }))}
          />
        ))}
        <div className="filters__actions">
          <button type="submit" className="button">
            Apply
          </button>
          {narrowedBy.length ? <Link to="/insights">Clear</Link> : null}
        </div>
      </Form>

      <p role="status">
        {caseCount} published {caseCount === 1 ? 'case' : 'cases'}
        {narrowedBy.length ? ` (${narrowedBy.join(', ')})` : ''}. <Link to={casesHref({})}>Browse {caseCount === 1 ? 'it' : 'them'}</Link>
      </p>

      <section aria-labelledby="heatmap-heading">
        <h2 id="heatmap-heading">Failure modes by project phase</h2>
        <p>
          How many cases each failure mode hurt in each phase. A case counts once in every cell its failure modes and phases meet. Darker
          cells hold more cases. A project that avoided or overcame a failure mode is not counted as hurt by it: the last column counts
          those apart.
        </p>
        <div className="heatmap-frame">
          <Heatmap rows={modes} columns={phases} cells={cells} href={cellHref} />
        </div>
        <TableRegion captionId="heatmap-table-caption">
          <table className="heatmap-table">
            <caption id="heatmap-table-caption">Cases hurt by each failure mode (rows) in each project phase (columns), and cases that avoided it</caption>
            <thead>
              <tr>
                <th scope="col">Failure mode</th>
                {phases.map((phase) => (
                  <th scope="col" key={phase.slug}>
                    {phase.name}
                  </th>
                ))}
                <th scope="col">All phases</th>
                <th scope="col">Avoided or overcome</th>
              </tr>
            </thead>
            <tbody>
              {modes.map((mode) => (
                <tr key={mode.slug}>
                  <th scope="row">{mode.name}</th>
                  {phases.map((phase) => {
                    const count = cells[mode.slug][phase.slug]
                    return (
                      <td key={phase.slug}>
                        {count ? (
                          <Link
                            to={cellHref(mode.slug, phase.slug)}
                            aria-label={`${count} ${count === 1 ? 'case' : 'cases'}: ${mode.name} in ${phase.name}`}
                          >
                            {count}
                          </Link>
                        ) : (
                          0
                        )}
                      </td>
                    )
                  })}
                  <td>{modeTotals[mode.slug] ? <Link to={casesHref({ mode: mode.slug })}>{modeTotals[mode.slug]}</Link> : 0}</td>
                  <td>
                    {avoidedTotals[mode.slug] ? (
                      <Link
                        to={casesHref({ avoided: mode.slug })}
                        aria-label={`${avoidedTotals[mode.slug]} ${avoidedTotals[mode.slug] === 1 ? 'case' : 'cases'} avoided or overcame ${mode.name}`}
                      >
                        {avoidedTotals[mode.slug]}
                      </Link>
                    ) : (
                      0
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All failure modes</th>
                {phases.map((phase) => (
                  <td key={phase.slug}>
                    {phaseTotals[phase.slug] ? <Link to={casesHref({ phase: phase.slug })}>{phaseTotals[phase.slug]}</Link> : 0}
                  </td>
                ))}
                <td>{caseCount}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </TableRegion>
      </section>

      <section aria-labelledby="outcomes-heading">
        <h2 id="outcomes-heading">Failure modes by outcome</h2>
        <p>The failure modes that projects with the same outcome share, most shared first.</p>
        {byOutcome.length ? (
          <div className="card-grid">
            {byOutcome.map(({ outcome, caseCount: outcomeCases, modes: shared }) => (
              <section key={outcome.slug} className="card" aria-labelledby={`outcome-${outcome.slug}`}>
                <h3 id={`outcome-${outcome.slug}`}>
                  <Link to={casesHref({ outcome: outcome.slug })}>{outcome.name}</Link>{' '}
                  <span className="muted">
                    ({outcomeCases} {outcomeCases === 1 ? 'case' : 'cases'})
                  </span>
                </h3>
                <ol>
                  {shared.slice(0, 5).map((mode) => (
                    <li key={mode.slug}>
                      <Link to={casesHref({ outcome: outcome.slug, mode: mode.slug })}>{mode.name}</Link>: {mode.cases} of {outcomeCases}
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </div>
        ) : (
          <p>No published case matches these filters.</p>
        )}
      </section>

      <section aria-labelledby="seen-heading">
        <h2 id="seen-heading">“We've seen this too”</h2>
        <p>How often members have said they saw the same thing in their own work, on cases showing each failure mode.</p>
        {seen.length ? (
          <TableRegion captionId="seen-table-caption">
            <table className="bar-table">
              <caption id="seen-table-caption">Members who have seen it too, by failure mode</caption>
              <thead>
                <tr>
                  <th scope="col">Failure mode</th>
                  <th scope="col">Members</th>
                  <th scope="col">Cases</th>
                </tr>
              </thead>
              <tbody>
                {seen.map((row) => (
                  <tr key={row.slug}>
                    <th scope="row">
                      <Link to={`/cases/themes/${row.slug}`}>{row.name}</Link>
                    </th>
                    <td>
                      {/* An SVG bar: the CSP allows no inline styles, and attributes are not styles. */}
                      <svg className="bar" width="128" height="14" aria-hidden="true" focusable="false">
                        <rect width={Math.max(row.seen ? 2 : 0, (row.seen / maxSeen) * 128)} height="14" fill="#2f6fb0" />
                      </svg>
                      {row.seen}
                    </td>
                    <td>{row.cases}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : (
          <p>No published case matches these filters.</p>
        )}
        <h3 id="seen-level-heading">Where members have seen it, by level of government</h3>
        {seenByLevel.length ? (
          <TableRegion captionId="seen-level-caption">
            <table>
              <caption id="seen-level-caption">“We've seen this too” by the level of government members saw it at</caption>
              <thead>
                <tr>
                  <th scope="col">Level of government</th>
                  <th scope="col">Members</th>
                </tr>
              </thead>
              <tbody>
                {seenByLevel.map((row) => (
                  <tr key={row.level ?? 'unsaid'}>
                    <th scope="row">{row.level ? (levelNames[row.level] ?? row.level) : 'Not said'}</th>
                    <td>{row.seen}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : (
          <p>No member has said they have seen these cases too yet.</p>
        )}
      </section>
    </>
  )
}

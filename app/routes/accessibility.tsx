import { json, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { TableRegion } from '../components/table-region'
import { loadConformance } from '../lib/conformance'
import { formatLongDate } from '../lib/dates'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Accessibility statement and conformance report') }]

export async function loader() {
  return json(loadConformance())
}

export default function AccessibilityStatement() {
  const { generatedAt, command, rows } = useLoaderData<typeof loader>()
  const tested = rows.filter((row) => row.tests.length).length
  return (
    <article className="prose">
      <h1>Accessibility statement</h1>
      <p className="lead">
        SectorPulse serves public servants, so it is built to meet the Web Content Accessibility Guidelines (WCAG) 2.1
        at level AA, the standard behind Section 508 and ADA Title II.
      </p>
      <h2>What you can expect</h2>
      <ul>
        <li>Every page works with a keyboard alone, with a visible focus indicator and a link to skip to the content.</li>
        <li>Every page works without JavaScript: forms submit and pages render on the server.</li>
        <li>Text keeps at least AA contrast, and pages reflow to 320 pixels wide and zoom to 200% without loss.</li>
        <li>Form errors are listed at the top of the form, which takes focus and names the error in the page title, and are shown next to each field they concern.</li>
      </ul>
      <h2>How we test it</h2>
      <p>
        Each page is scanned automatically for WCAG 2.1 A and AA failures on every change, and the main journeys are
        tested with a real browser, including with JavaScript turned off. Tests that check a success criterion
        record it; the report below is generated from their results.
      </p>
      <h2 id="conformance-report">Conformance report (VPAT 2.5, WCAG 2.1 A and AA)</h2>
      <p>
        Generated on <time dateTime={generatedAt}>{formatLongDate(generatedAt)}</time> by <code>{command}</code> from the
        end-to-end accessibility tests. {tested} of {rows.length} criteria are checked by tests; the remarks of the
        others say that they are not, and what review found.
      </p>
      <TableRegion captionId="conformance-caption">
        <table className="conformance-table">
          <caption id="conformance-caption">WCAG 2.1 success criteria, levels A and AA</caption>
          <thead>
            <tr>
              <th scope="col">Criteria</th>
              <th scope="col">Conformance level</th>
              <th scope="col">Remarks and explanations</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  {row.id} {row.name} (Level {row.level})
                </th>
                <td>{row.conformance}</td>
                <td>
                  {row.remarks}
                  {row.tests.length ? (
                    <ul className="conformance-tests">
                      {row.tests.map((test) => (
                        <li key={`${test.file}:${test.title}`}>
                          {test.title} <span className="muted">({test.file}, {test.outcome})</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableRegion>
      <h2>Reporting a problem</h2>
      <p>
        If something on SectorPulse is hard to use, tell a moderator in the discussions or write to the site
        administrators. We treat accessibility problems as defects and fix them first.
      </p>
    </article>
  )
}

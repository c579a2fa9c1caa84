import { json, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listTerms } from '../models/taxonomy.server'

export const meta: MetaFunction = () => [{ title: 'Case library · SectorPulse' }]

export async function loader() {
  return json({ failureModes: await listTerms('failure-mode') })
}

export default function CaseLibrary() {
  const { failureModes } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Case library</h1>
      <p className="lead">
        Structured lessons learned from public-sector modernization projects, browsed by the way projects fail. The
        library opens soon; the failure modes it is organized by are below.
      </p>
      <p>
        <span className="status-tag">Coming soon</span>
      </p>
      <h2>Failure modes</h2>
      <ul className="card-grid">
        {failureModes.map((mode) => (
          <li key={mode.slug} className="card">
            <h3>{mode.name}</h3>
            <div dangerouslySetInnerHTML={{ __html: mode.descriptionHtml }} />
          </li>
        ))}
      </ul>
    </>
  )
}

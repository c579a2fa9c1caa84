import { json, type MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { listCategories } from '../models/category.server'

export const meta: MetaFunction = () => [{ title: 'Discussions · SectorPulse' }]

export async function loader() {
  return json({ categories: await listCategories() })
}

export default function Discussions() {
  const { categories } = useLoaderData<typeof loader>()
  return (
    <>
      <h1>Discussions</h1>
      <p className="lead">
        Threads open soon. These are the categories members will discuss, from governance and sponsorship to AI in
        government.
      </p>
      <p>
        <span className="status-tag">Coming soon</span>
      </p>
      <ul className="card-grid">
        {categories.map((category) => (
          <li key={category.slug} className="card">
            <h2>{category.name}</h2>
            <div dangerouslySetInnerHTML={{ __html: category.descriptionHtml }} />
          </li>
        ))}
      </ul>
    </>
  )
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { requireUser } from '../lib/auth.server'
import { pageTitle } from '../lib/page-title'

export const meta: MetaFunction = () => [{ title: pageTitle('Download your data', 'Settings') }]

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request)
  return json({})
}

export default function ExportData() {
  return (
    <div className="prose">
      <p className="breadcrumbs">
        <Link to="/settings">Settings</Link>
      </p>
      <h1>Download your data</h1>
      <p>One file (JSON, readable by people and programs) with everything you wrote or saved here:</p>
      <ul>
        <li>your profile, your email address, your time zone and the handles you used before;</li>
        <li>your threads and posts, as the Markdown you wrote, including ones you deleted;</li>
        <li>your cases in every state, drafts and anonymous ones included, and the case versions you made;</li>
        <li>your &ldquo;helpful&rdquo; and &ldquo;we&rsquo;ve seen this too&rdquo; marks and the flags you raised;</li>
        <li>your RSVPs, readiness assessments with their answers, what you follow and your email preferences.</li>
      </ul>
      <p>It holds nothing private about other members, and never your password.</p>
      {/* A plain link: the browser downloads the file, with or without JavaScript. */}
      <p>
        <a className="button" href="/settings/export.json" download>
          Download my data
        </a>
      </p>
    </div>
  )
}

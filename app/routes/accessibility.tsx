import type { MetaFunction } from '@remix-run/node'

export const meta: MetaFunction = () => [{ title: 'Accessibility statement · SectorPulse' }]

export default function AccessibilityStatement() {
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
        <li>Form errors are listed at the top of the form and shown next to each field they concern.</li>
      </ul>
      <h2>How we test it</h2>
      <p>
        Each page is scanned automatically for WCAG 2.1 A and AA failures on every change, and the main journeys are
        tested with a real browser, including with JavaScript turned off.
      </p>
      <h2>Reporting a problem</h2>
      <p>
        If something on SectorPulse is hard to use, tell a moderator in the discussions or write to the site
        administrators. We treat accessibility problems as defects and fix them first.
      </p>
    </article>
  )
}

import { type AppLoadContext, redirect } from '@remix-run/node'

/**
 * Sends a visit to another address of a resource (a thread without its slug, an event under
 * an old title) to the canonical one, with a 301. Only a GET: after a form post the loaders run
 * again to show the action's answer, and a redirect there would drop the refusal message and
 * what the member typed. Actions answer at every address of their resource.
 */
export function redirectToCanonical(context: AppLoadContext, canonicalPath: string): void {
  if (context.requestMethod === 'GET' || context.requestMethod === 'HEAD') throw redirect(canonicalPath, { status: 301 })
}

import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { endSession } from '../lib/auth.server'
import { redirectWithFlash } from '../lib/flash.server'

export async function action({ request }: ActionFunctionArgs) {
  return redirectWithFlash('/', 'You have signed out.', { 'Set-Cookie': await endSession(request) })
}

// Signing out changes state, so it is never done by a GET (a link or an <img> could trigger it).
export async function loader() {
  return redirect('/')
}

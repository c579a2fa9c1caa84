import { json } from '@remix-run/node'
import { isDatabaseHealthy } from '../models/health.server'

export async function loader() {
  const ok = await isDatabaseHealthy()
  return json({ ok }, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}

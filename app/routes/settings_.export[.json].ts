import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '../lib/auth.server'
import { exportAccount, exportFileName } from '../models/account-export.server'

// A download, read only: a GET never writes, and the file holds only the signed-in member's data.
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const now = new Date()
  const data = await exportAccount(user.id, now)
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(user.handle, now)}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}

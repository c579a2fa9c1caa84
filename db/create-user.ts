import { parseArgs } from 'node:util'
import { z } from 'zod'
import { createOrPromoteAccount } from '../app/models/user.server'
import { emailSchema, passwordSchema } from '../app/lib/user-validation'
import { db, migrateToLatest } from './client'
import { ROLES } from './schema'

const usage = 'Usage: npm run user:create -- --email someone@agency.gov [--role member|moderator|admin] [--password ...]'

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    role: { type: 'string', default: 'member' },
    password: { type: 'string' },
  },
})

const args = z
  .object({ email: emailSchema, role: z.enum(ROLES), password: passwordSchema.optional() })
  .safeParse(values)
if (!args.success) {
  console.error(args.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'))
  console.error(usage)
  process.exit(1)
}

await migrateToLatest()
const result = await createOrPromoteAccount(args.data)
if (result.created) {
  console.log(`Created ${args.data.email} as ${args.data.role}.`)
  if (result.generatedPassword) console.log(`One-time password (shown once): ${result.generatedPassword}`)
} else {
  console.log(`${args.data.email} is now ${args.data.role}${args.data.password ? '; password set, sessions ended' : ''}.`)
}
await db.destroy()

// `npm run mailer`: the background jobs in a process of their own, beside servers started
// with JOBS_IN_SERVER=false (or beside one that runs them too: leases keep them apart).
import { db, migrateToLatest } from '../../db/client'
import { jobTasks, startJobs } from './scheduler.server'

await migrateToLatest()
const tasks = jobTasks()
const jobs = startJobs(tasks)
console.log(`[jobs] running ${tasks.map((task) => task.name).join(', ')} (pid ${process.pid})`)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  console.log(`[jobs] ${signal}: finishing the current run, then stopping`)
  await jobs.stop()
  await db.destroy()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { createMailTransport } from '../lib/mail-transport.server'
import { MAIL_BATCH_SIZE, sendDueMail } from './mail-sender.server'
import { notificationTasks } from './notification-tasks.server'

export interface JobTask {
  name: string
  everyMs: number
  /** One run; `signal` aborts when the jobs are stopping, so a long run can end early. */
  run: (signal: AbortSignal) => Promise<unknown>
}

export interface RunningJobs {
  /** Resolves once no task is running; nothing starts after it is called. */
  stop(): Promise<void>
}

interface TaskState {
  task: JobTask
  timer: NodeJS.Timeout | null
  running: Promise<void> | null
  wokenWhileRunning: boolean
}

// The schedulers of this process, so a write can wake a task wherever it is scheduled.
const schedulers = new Set<(name: string) => void>()

/**
 * Runs each task every `everyMs`, counted from the end of its previous run, so a task never
 * overlaps itself. A failing run is logged and the task runs again at its next turn.
 */
export function startJobs(tasks: JobTask[]): RunningJobs {
  const controller = new AbortController()
  const states = tasks.map((task): TaskState => ({ task, timer: null, running: null, wokenWhileRunning: false }))

  const schedule = (state: TaskState, delayMs: number) => {
    if (controller.signal.aborted) return
    if (state.timer) clearTimeout(state.timer)
    state.timer = setTimeout(() => runNow(state), delayMs)
  }

  const runNow = (state: TaskState) => {
    state.timer = null
    if (state.running || controller.signal.aborted) return
    state.running = (async () => {
      try {
        await state.task.run(controller.signal)
      } catch (error) {
        console.error(`[jobs] ${state.task.name} failed; it runs again in ${state.task.everyMs} ms`, error)
      }
    })().finally(() => {
      state.running = null
      const again = state.wokenWhileRunning
      state.wokenWhileRunning = false
      schedule(state, again ? 0 : state.task.everyMs)
    })
  }

  const wake = (name: string) => {
    for (const state of states) {
      if (state.task.name !== name) continue
      if (state.running) state.wokenWhileRunning = true
      else schedule(state, 0)
    }
  }

  schedulers.add(wake)
  for (const state of states) schedule(state, 0)

  return {
    async stop() {
      schedulers.delete(wake)
      controller.abort()
      for (const state of states) if (state.timer) clearTimeout(state.timer)
      await Promise.all(states.map((state) => state.running))
    },
  }
}

/** Runs the named task soon (after a write that queued work for it) instead of at its next turn. */
export function wakeJobs(name: string): void {
  for (const wake of schedulers) wake(name)
}

/** Every background task of the app; the server and `npm run mailer` run the same list. */
export function jobTasks(): JobTask[] {
  const transport = createMailTransport()
  // Unique per process start, so a restarted process never mistakes an old lease for its own.
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  return [
    {
      name: 'mail',
      everyMs: positiveNumber(process.env.MAIL_POLL_MS, 2000),
      run: async (signal) => {
        // A backlog drains batch after batch, not one batch per turn.
        while (!signal.aborted) {
          const { claimed } = await sendDueMail({ owner, transport, signal })
          if (claimed < MAIL_BATCH_SIZE) break
        }
      },
    },
    ...notificationTasks(wakeJobs, positiveNumber(process.env.FANOUT_POLL_MS, 1000)),
  ]
}

function positiveNumber(value: string | undefined, fallback: number): number {
  const parsed = Number(value)
  return value && Number.isFinite(parsed) && parsed > 0 ? parsed : fallback
}

import { queueEventReminders } from '../models/event-reminder.server'
import { queueDueSummaries } from '../models/mail-summary.server'
import { fanOutPendingActivities } from '../models/notification-fanout.server'
import type { JobTask } from './scheduler.server'

/**
 * The background work behind notifications, run by the one scheduler beside the mail sender.
 * Whatever queued mail wakes the sender, so MAIL_HOLD_MINUTES=0 sends at once.
 */
export function notificationTasks(wake: (name: string) => void, pollMs: number): JobTask[] {
  const thenWakeMail = (queued: number) => {
    if (queued > 0) wake('mail')
  }
  return [
    {
      name: 'fan-out',
      everyMs: pollMs,
      run: async (signal) => {
        // A burst of activity drains batch after batch, not one batch per turn.
        while (!signal.aborted) {
          const processed = await fanOutPendingActivities({ limit: 50 })
          thenWakeMail(processed)
          if (processed < 50) break
        }
      },
    },
    { name: 'event-reminders', everyMs: 60_000, run: async () => thenWakeMail(await queueEventReminders()) },
    { name: 'summaries', everyMs: 60_000, run: async () => thenWakeMail(await queueDueSummaries()) },
  ]
}

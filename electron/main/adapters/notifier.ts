// Desktop notifications when a job ends, so an operator who switched away learns that a VM is up or
// that provisioning failed. Wraps an EventSink: every event still goes on to the renderer unchanged.
import { Notification as ElectronNotification } from 'electron';
import type { EventName, EventPayload } from '../../../shared/contract';
import { isTerminal, type Job } from '../../../shared/domain';
import type { EventSink } from '../../core/ports';

export interface Notice {
  title: string;
  body: string;
}

/** The notice for a job-progress event, or null when the job has not ended. */
export function jobEndedNotice(job: Job): Notice | null {
  if (!isTerminal(job)) return null;
  const what = job.kind === 'provision' ? 'Provisioning' : 'Destroy';
  const title = `${what} ${job.status === 'succeeded' ? 'finished' : job.status}`;
  // Code and step only: an error message may quote a cloud response, which has no place on a lock screen.
  const detail = job.error ? ` — ${job.error.code} at ${job.error.step}` : '';
  return { title, body: `Job ${job.id}${detail}` };
}

export interface NotifierOptions {
  /** No notification while the operator is looking at the window anyway. */
  isWindowFocused?: () => boolean;
  /** Shows one notice; defaults to Electron's Notification. */
  show?: (notice: Notice) => void;
}

export function showElectronNotice(notice: Notice): void {
  if (!ElectronNotification.isSupported()) return;
  new ElectronNotification({ title: notice.title, body: notice.body, silent: false }).show();
}

/** An EventSink that forwards everything to `inner` and notifies once per ended job. */
export function withJobNotifications(inner: EventSink, opts: NotifierOptions = {}): EventSink {
  const show = opts.show ?? showElectronNotice;
  const notified = new Set<string>();
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      inner.emit(event, payload);
      if (event !== 'job:progress') return;
      const { job } = payload as EventPayload<'job:progress'>;
      const notice = jobEndedNotice(job);
      if (!notice || notified.has(job.id)) return;
      notified.add(job.id);
      if (notified.size > 10_000) notified.clear(); // a long-running app must not grow without bound
      if (opts.isWindowFocused?.()) return;
      try {
        show(notice);
      } catch {
        // A notification is a courtesy; failing to show one must never break event delivery.
      }
    },
  };
}

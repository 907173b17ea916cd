// In-app notifications on Radix UI's Toast: announced to screen readers (failures assertively), F8
// jumps to them, hovering or focusing one pauses its timer. They stack bottom-left, away from the
// primary actions (page header top-right, dialog and drawer buttons on the right).
import { Toast } from 'radix-ui';
import { useToasts } from '../stores/toasts';
import { closeInnermostDialog } from './Dialog';

/** How long a toast stays: a failure long enough to be read and acted on. */
const LIFETIME_MS = { ok: 8_000, info: 8_000, bad: 20_000 } as const;

export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <Toast.Provider swipeDirection="left" label="Notification">
      {toasts.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast-${t.tone}`}
          type={t.tone === 'bad' ? 'foreground' : 'background'}
          duration={LIFETIME_MS[t.tone]}
          onOpenChange={(open) => (open ? undefined : dismiss(t.id))}
          // Escape belongs to the dialog the operator is in; with none open it dismisses the toast.
          onEscapeKeyDown={(e) => (closeInnermostDialog() ? e.preventDefault() : undefined)}
          data-group={t.group}
        >
          <div className="toast-text">
            <Toast.Title asChild>
              <strong>{t.title}</strong>
            </Toast.Title>
            {t.body ? (
              <Toast.Description asChild>
                <p>{t.body}</p>
              </Toast.Description>
            ) : null}
          </div>
          <Toast.Close className="btn btn-ghost btn-small" aria-label="Dismiss notification">
            ✕
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toaster" label="Notifications ({hotkey})" />
    </Toast.Provider>
  );
}

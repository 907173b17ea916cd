import { useToasts } from '../stores/toasts';

/** In-app notifications, announced politely to screen readers. */
export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <section className="toaster" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'bad' ? 'alert' : 'status'}>
          <div className="toast-text">
            <strong>{t.title}</strong>
            {t.body ? <p>{t.body}</p> : null}
          </div>
          <button type="button" className="btn btn-ghost btn-small" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </section>
  );
}

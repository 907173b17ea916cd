import type { ReactNode } from 'react';

/** What a page shows when there is nothing yet: what this is, and the next step. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-state-body">{children}</div>
      {action ? <div className="empty-state-action">{action}</div> : null}
    </section>
  );
}

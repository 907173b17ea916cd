import type { OutpostError } from '../../../shared/errors';

/** An error as the operator should see it: what happened, and what to do about it. */
export function ErrorNotice({ error, title }: { error: OutpostError; title: string }) {
  return (
    <div role="alert" className="error-notice">
      <strong>{title}</strong>
      <p>{error.message}</p>
      {error.hint ? <p className="hint">{error.hint}</p> : null}
    </div>
  );
}

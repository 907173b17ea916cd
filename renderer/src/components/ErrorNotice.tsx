// An error as the operator should see it: what happened, where (step, code) and what to do.
import { hintFor, isResourceUnavailable, type ErrorLike } from './hints';
import { SameZoneAlternatives } from './SameZoneAlternatives';

export interface ErrorNoticeProps {
  error: ErrorLike;
  title: string;
  /** For resource_unavailable: list where the type is available in the same network zone. */
  context?: { serverType: string; region: string } | undefined;
}

export function ErrorNotice({ error, title, context }: ErrorNoticeProps) {
  const hint = hintFor(error);
  return (
    <div role="alert" className="error-notice">
      <strong>{title}</strong>
      <p>{error.message}</p>
      <p className="error-meta">
        {error.step ? (
          <span>
            Step <code>{error.step}</code>
          </span>
        ) : null}
        <span>
          Code <code>{error.apiCode ?? error.code}</code>
        </span>
      </p>
      {hint ? <p className="hint">{hint}</p> : null}
      {context && isResourceUnavailable(error) ? <SameZoneAlternatives {...context} /> : null}
    </div>
  );
}

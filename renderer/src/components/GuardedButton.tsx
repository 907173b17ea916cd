// A button for a mutating channel: disabled, with the reason shown, when the role forbids it.
import { useId, type ButtonHTMLAttributes } from 'react';
import type { Channel } from '../../../shared/contract';
import { usePermission } from '../queries/permissions';

export interface GuardedButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  channel: Channel;
  /** What the button will send, when the permission depends on it (settings:update in the support role). */
  request?: unknown;
  /** Show the reason as text under the button (default) or only as its description. */
  inlineReason?: boolean;
}

export function GuardedButton({ channel, request, inlineReason = true, disabled, className, children, ...rest }: GuardedButtonProps) {
  const permission = usePermission(channel, request);
  const reasonId = useId();
  const blocked = !permission.allowed;
  const button = (
    <button
      type="button"
      {...rest}
      className={className ?? 'btn btn-primary'}
      disabled={disabled || blocked}
      aria-describedby={blocked ? reasonId : rest['aria-describedby']}
      title={blocked ? (permission.reason ?? undefined) : rest.title}
    >
      {children}
    </button>
  );
  if (!blocked) return button;
  return (
    <span className="guarded">
      {button}
      <span id={reasonId} className={inlineReason ? 'guard-reason' : 'offscreen'}>
        {permission.reason}
      </span>
    </span>
  );
}

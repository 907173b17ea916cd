// An accessible modal dialog: role="dialog", aria-modal, labelled by its title, focus kept inside
// (Tab cycles), Escape closes, focus returns to what opened it. `variant="drawer"` slides in from
// the right for detail panels.
import { useEffect, useId, useRef, type ReactNode } from 'react';

/** Open dialogs, innermost last: Escape closes only the innermost, wherever the focus is. */
const stack: symbol[] = [];

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  description?: string;
  variant?: 'modal' | 'drawer';
  wide?: boolean;
  /** Extra controls in the header, next to Close. */
  actions?: ReactNode;
}

export function Dialog({ title, onClose, children, description, variant = 'modal', wide, actions }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });

  useEffect(() => {
    const me = Symbol('dialog');
    stack.push(me);
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || stack.at(-1) !== me) return;
      e.preventDefault();
      closeRef.current();
    };
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('keydown', onEscape);
      stack.splice(stack.indexOf(me), 1);
    };
  }, []);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? ref.current)?.focus();
    return () => opener?.focus?.();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
    e.stopPropagation();
  };

  return (
    <div className={`overlay overlay-${variant}`} onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        className={`dialog dialog-${variant}${wide ? ' dialog-wide' : ''}`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <header className="dialog-header">
          <div>
            <h2 id={titleId}>{title}</h2>
            {description ? (
              <p id={descId} className="muted">
                {description}
              </p>
            ) : null}
          </div>
          <div className="dialog-actions">
            {actions}
            <button type="button" className="btn btn-ghost" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          </div>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}

// A modal dialog built on Radix UI's Dialog, so what a hand-built one got wrong cannot recur: the
// page behind is hidden from screen readers (aria-hidden on everything outside, pointer events off),
// focus is trapped inside and returns to what opened it, Escape closes only the innermost dialog.
// `variant="drawer"` slides in from the right for detail panels.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Dialog as Radix } from 'radix-ui';

/** Open dialogs, innermost last. */
const openDialogs: { close(): void }[] = [];

/**
 * Closes the innermost open dialog; false when none is open. A Radix toast is a dismissable layer
 * too, above a dialog opened before it, so it would take Escape first: the Toaster hands Escape on
 * here instead, and the operator's Escape closes the dialog they are in.
 */
export function closeInnermostDialog(): boolean {
  const top = openDialogs.at(-1);
  top?.close();
  return top !== undefined;
}

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
  // What had the focus when the dialog was mounted gets it back on close (Radix would give it to a
  // Dialog.Trigger, which these dialogs, opened from anywhere, do not have).
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });
  useEffect(() => {
    const entry = { close: () => closeRef.current() };
    openDialogs.push(entry);
    return () => {
      openDialogs.splice(openDialogs.indexOf(entry), 1);
    };
  }, []);
  // A dialog is shown by mounting it: it is always open, and any request to close goes to the owner.
  const onOpenChange = (open: boolean) => {
    if (!open) onClose();
  };
  // A form may name its first field (data-autofocus). A drawer takes the focus itself: its first
  // control is a Copy button whose tooltip would open on focus (and take the first Escape). Otherwise
  // Radix focuses the first control.
  const onOpenAutoFocus = (e: Event) => {
    const target = ref.current?.querySelector<HTMLElement>('[data-autofocus]') ?? (variant === 'drawer' ? ref.current : null);
    if (!target) return;
    e.preventDefault();
    target.focus();
  };
  return (
    <Radix.Root open onOpenChange={onOpenChange}>
      <Radix.Portal>
        <Radix.Overlay className={`overlay overlay-${variant}`}>
          <Radix.Content
            ref={ref}
            aria-modal="true"
            className={`dialog dialog-${variant}${wide ? ' dialog-wide' : ''}`}
            onOpenAutoFocus={onOpenAutoFocus}
            onCloseAutoFocus={(e) => {
              e.preventDefault();
              if (opener?.isConnected) opener.focus();
            }}
            // Without a description there is nothing to point at (and Radix would warn).
            {...(description ? {} : { 'aria-describedby': undefined })}
          >
            <header className="dialog-header">
              <div>
                <Radix.Title>{title}</Radix.Title>
                {description ? <Radix.Description className="muted">{description}</Radix.Description> : null}
              </div>
              <div className="dialog-actions">
                {actions}
                <Radix.Close className="btn btn-ghost" aria-label="Close">
                  ✕
                </Radix.Close>
              </div>
            </header>
            <div className="dialog-body">{children}</div>
          </Radix.Content>
        </Radix.Overlay>
      </Radix.Portal>
    </Radix.Root>
  );
}

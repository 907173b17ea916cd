// "Show me this one": the palette opens the Jobs or Payments page on a job or payment. The page
// marks that element (data-revealed, styled in styles.css), scrolls it into view and focuses it,
// so a keyboard user continues from there.
import { useEffect } from 'react';
import { create } from 'zustand';
import { useUi } from '../../stores/ui';

export type RevealKind = 'job' | 'payment';

const PAGE = { job: 'jobs', payment: 'payments' } as const;

/** The DOM id of a revealable element (JobCard already uses job-<id>). */
export const revealId = (kind: RevealKind, id: string): string => `${kind}-${id}`;

interface RevealState {
  target: { kind: RevealKind; id: string } | null;
}

export const useReveal = create<RevealState>(() => ({ target: null }));

export function reveal(kind: RevealKind, id: string): void {
  useUi.getState().go(PAGE[kind]);
  useReveal.setState({ target: { kind, id } });
}

// Leaving the page forgets the target (coming back later shows the page as it is).
useUi.subscribe((ui) => {
  const target = useReveal.getState().target;
  if (target && PAGE[target.kind] !== ui.page) useReveal.setState({ target: null });
});

/**
 * On the page of `kind`: the id to reveal (or null). Once its element is in the page (a job card
 * renders after its own read, so it may come later than `ready`, the page's list), the element is
 * scrolled to, marked and focused.
 */
export function useRevealTarget(kind: RevealKind, ready: unknown): string | null {
  const target = useReveal((s) => (s.target?.kind === kind ? s.target.id : null));
  useEffect(() => {
    if (!target) return;
    let shown: HTMLElement | null = null;
    const show = (): boolean => {
      const el = document.getElementById(revealId(kind, target));
      if (!el) return false;
      // Rows and cards are not tab stops; -1 lets the focus land on them without adding one.
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.dataset.revealed = 'true';
      el.scrollIntoView?.({ block: 'nearest' });
      el.focus();
      shown = el;
      return true;
    };
    const observer = show() ? null : new MutationObserver(() => show() && observer?.disconnect());
    observer?.observe(document.body, { childList: true, subtree: true });
    return () => {
      observer?.disconnect();
      if (shown) delete shown.dataset.revealed;
    };
  }, [kind, target, ready]);
  return target;
}

// Keyboard: Ctrl/⌘+K opens (or closes) the command palette, "/" jumps to the fleet search; Alt+1…6
// switch pages. Typing in a field is never hijacked (Alt+digit types characters on some layouts), and
// nothing switches the page behind an open dialog or menu. Ctrl/⌘+K types no character, so it opens
// the palette from a field too, but never over another dialog or menu.
import { useEffect } from 'react';
import { PAGES, useUi } from '../stores/ui';

export const SEARCH_ID = 'fleet-search';

const typing = (el: Element | null): boolean =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el as HTMLElement | null)?.isContentEditable === true;

/** A modal dialog, drawer or menu is open: the page is not the operator's context. */
const overlayOpen = (): boolean => {
  const ui = useUi.getState();
  return ui.dialog !== null || ui.selectedInstanceId !== null || document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]') !== null;
};

export function togglePalette(): void {
  const ui = useUi.getState();
  if (ui.dialog === 'palette') ui.open(null);
  else if (!overlayOpen()) ui.open('palette');
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        togglePalette();
        return;
      }
      if (e.key === '/' && !typing(document.activeElement)) {
        e.preventDefault();
        const ui = useUi.getState();
        if (ui.dialog || ui.selectedInstanceId) return;
        ui.go('fleet');
        requestAnimationFrame(() => document.getElementById(SEARCH_ID)?.focus());
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^[1-6]$/.test(e.key)) {
        if (typing(document.activeElement) || overlayOpen()) return;
        e.preventDefault();
        useUi.getState().go(PAGES[Number(e.key) - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// Keyboard: "/" or Ctrl/⌘+K jumps to the fleet search; Alt+1…6 switch pages. Typing in a field
// is never hijacked.
import { useEffect } from 'react';
import { PAGES, useUi } from '../stores/ui';

export const SEARCH_ID = 'fleet-search';

const typing = (el: Element | null): boolean =>
  el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el as HTMLElement | null)?.isContentEditable === true;

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const search = (e.key === '/' && !typing(document.activeElement)) || (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey));
      if (search) {
        e.preventDefault();
        const ui = useUi.getState();
        if (ui.dialog || ui.selectedInstanceId) return;
        ui.go('fleet');
        requestAnimationFrame(() => document.getElementById(SEARCH_ID)?.focus());
        return;
      }
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^[1-6]$/.test(e.key)) {
        e.preventDefault();
        useUi.getState().go(PAGES[Number(e.key) - 1]!);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// UI state only (DESIGN §1): which page, which filters. Never a copy of data from the main process.
import { create } from 'zustand';

export const PAGES = ['fleet', 'jobs', 'payments', 'regions', 'audit', 'settings'] as const;
export type Page = (typeof PAGES)[number];

const pageFromHash = (): Page => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'fleet';
};

interface UiState {
  page: Page;
  fleetSearch: string;
  go(page: Page): void;
  setFleetSearch(text: string): void;
}

export const useUi = create<UiState>((set) => ({
  page: pageFromHash(),
  fleetSearch: '',
  go: (page) => {
    // The hash keeps the page across a reload without a router.
    window.history.replaceState(null, '', `#/${page}`);
    set({ page });
  },
  setFleetSearch: (fleetSearch) => set({ fleetSearch }),
}));

// UI state only (DESIGN §1): which page, which filters, which panel or dialog is open. Never a copy
// of data from the main process — that lives in react-query.
import { create } from 'zustand';

export const PAGES = ['fleet', 'jobs', 'payments', 'regions', 'audit', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export type SortKey = 'name' | 'agent' | 'region' | 'type' | 'status' | 'ipv4' | 'tailnet' | 'enrollment' | 'age' | 'price';
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

export interface FleetFilters {
  search: string;
  /** '' = every status, ended ones (ENDED_INSTANCE_STATUSES) only with showEnded. */
  status: string;
  region: string;
  enrollment: string;
  /** Failed, cancelled and destroyed VMs are hidden by default, one click away. */
  showEnded: boolean;
}

export type DialogName = 'provision' | 'payment' | 'palette' | null;

const pageFromHash = (): Page => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'fleet';
};

interface UiState {
  page: Page;
  filters: FleetFilters;
  sort: Sort;
  selectedInstanceId: string | null;
  dialog: DialogName;
  go(page: Page): void;
  setFilter<K extends keyof FleetFilters>(key: K, value: FleetFilters[K]): void;
  resetFilters(): void;
  sortBy(key: SortKey): void;
  select(instanceId: string | null): void;
  open(dialog: DialogName): void;
}

export const EMPTY_FILTERS: FleetFilters = { search: '', status: '', region: '', enrollment: '', showEnded: false };

export const useUi = create<UiState>((set) => ({
  page: pageFromHash(),
  filters: EMPTY_FILTERS,
  sort: { key: 'age', dir: 'asc' },
  selectedInstanceId: null,
  dialog: null,
  go: (page) => {
    // The hash keeps the page across a reload without a router.
    window.history.replaceState(null, '', `#/${page}`);
    set({ page });
  },
  setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value } })),
  resetFilters: () => set({ filters: EMPTY_FILTERS }),
  sortBy: (key) => set((s) => ({ sort: { key, dir: s.sort.key === key && s.sort.dir === 'asc' ? 'desc' : 'asc' } })),
  // Opening a VM's drawer closes a modal form first (its result links to the VM): the drawer must be
  // the dialog in front, not one opened behind the modal.
  select: (selectedInstanceId) => set(selectedInstanceId === null ? { selectedInstanceId } : { selectedInstanceId, dialog: null }),
  open: (dialog) => set({ dialog }),
}));

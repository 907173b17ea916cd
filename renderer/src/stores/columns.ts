// Which fleet columns the operator has hidden, kept in localStorage so the choice survives a reload.
// Only ids the table knows are read back: a stale or hand-edited entry cannot hide Name or break it.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { HIDEABLE, type ColumnId } from '../features/fleet/columns';

export const COLUMNS_STORAGE_KEY = 'outpost.fleet.columns';

interface ColumnsState {
  hidden: ColumnId[];
  toggle(id: ColumnId): void;
  showAll(): void;
}

export const useColumns = create<ColumnsState>()(
  persist(
    (set) => ({
      hidden: [],
      toggle: (id) => set((s) => (!HIDEABLE.has(id) ? s : { hidden: s.hidden.includes(id) ? s.hidden.filter((h) => h !== id) : [...s.hidden, id] })),
      showAll: () => set({ hidden: [] }),
    }),
    {
      name: COLUMNS_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ hidden: s.hidden }),
      merge: (persisted, current) => {
        const hidden = (persisted as { hidden?: unknown } | undefined)?.hidden;
        return { ...current, hidden: Array.isArray(hidden) ? hidden.filter((h): h is ColumnId => HIDEABLE.has(h as ColumnId)) : [] };
      },
    },
  ),
);

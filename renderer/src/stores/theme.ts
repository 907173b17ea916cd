// The colour theme the operator chose: follow the system, or force light or dark. Kept in
// localStorage (a preference of this browser or desktop, like the fleet's columns), and applied as
// data-theme on <html>: styles.css sets color-scheme from it, and every colour is a light-dark() pair.
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_STORAGE_KEY = 'outpost.theme';

export const THEME_LABELS: Record<Theme, string> = { system: 'Use the system theme', light: 'Light', dark: 'Dark' };

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
}

/** "system" removes the attribute: color-scheme: light dark then follows prefers-color-scheme. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export const useTheme = create<ThemeState>()(
  persist(
    (set) => ({
      theme: 'system',
      setTheme: (theme) => set({ theme }),
    }),
    {
      name: THEME_STORAGE_KEY,
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ theme: s.theme }),
      // A hand-edited or stale entry falls back to the system theme.
      merge: (persisted, current) => {
        const theme = (persisted as { theme?: unknown } | undefined)?.theme;
        return { ...current, theme: (THEMES as readonly unknown[]).includes(theme) ? (theme as Theme) : 'system' };
      },
    },
  ),
);

// Applied at import (before the first paint of the app) and on every change.
applyTheme(useTheme.getState().theme);
useTheme.subscribe((s) => applyTheme(s.theme));

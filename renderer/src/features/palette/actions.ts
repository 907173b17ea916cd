// What the palette can run besides jumping to an item: provision, sync, the theme, each page. An
// action the role may not run carries the permission's reason and is shown disabled, never run.
import { usePermission, type Permission } from '../../queries/permissions';
import { useTheme, THEMES, THEME_LABELS } from '../../stores/theme';
import { LABELS as PAGE_LABELS } from '../../components/Layout';
import { PAGES, useUi } from '../../stores/ui';
import { haystack } from './match';
import { useSyncNow } from './use-sync-now';

export interface Action {
  id: string;
  group: 'Actions' | 'Go to';
  label: string;
  /** Shown after the label: a shortcut, or ✓ for the current theme. */
  hint?: string;
  permission: Permission;
  run(): void;
  hay: string;
}

const ALLOWED: Permission = { allowed: true, reason: null };

export function useActions(): Action[] {
  const provision = usePermission('provision:start');
  const sync = usePermission('fleet:sync');
  const syncNow = useSyncNow();
  const theme = useTheme((s) => s.theme);
  const action = (a: Omit<Action, 'hay'>, keywords: string[] = []): Action => ({ ...a, hay: haystack([a.label, ...keywords]) });
  return [
    action({ id: 'provision', group: 'Actions', label: 'Provision…', permission: provision, run: () => useUi.getState().open('provision') }, ['new vm', 'create']),
    action({ id: 'sync', group: 'Actions', label: 'Sync fleet now', permission: sync, run: syncNow }, ['refresh', 'drift', 'hetzner', 'tailscale']),
    ...THEMES.map((t) =>
      action(
        { id: `theme-${t}`, group: 'Actions', label: `Theme: ${THEME_LABELS[t]}`, ...(t === theme ? { hint: '✓ current' } : {}), permission: ALLOWED, run: () => useTheme.getState().setTheme(t) },
        ['switch theme', 'appearance', 'colour', 'color', 'mode'],
      ),
    ),
    ...PAGES.map((p, i) => action({ id: `go-${p}`, group: 'Go to', label: `Go to ${PAGE_LABELS[p]}`, hint: `Alt+${i + 1}`, permission: ALLOWED, run: () => useUi.getState().go(p) }, ['page'])),
  ];
}

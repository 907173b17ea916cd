// The fleet's bulk selection: checked ids, counted only where the row is shown and still has a VM to
// act on (a filter or an ended VM drops out of what a bulk action would touch).
import { useCallback, useMemo, useState } from 'react';
import type { Instance } from '../../../../shared/domain';
import { isEnded } from '../../../../shared/instance-status';
import type { RowSelection } from './FleetTable';

export function useFleetSelection(visible: readonly Instance[], enabled: boolean) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(() => new Set());
  const selectable = useMemo(() => visible.filter((i) => !isEnded(i)), [visible]);
  const chosen = useMemo(() => selectable.filter((i) => checked.has(i.id)), [selectable, checked]);
  const toggle = useCallback(
    (i: Instance) =>
      setChecked((prev) => {
        const next = new Set(prev);
        if (!next.delete(i.id)) next.add(i.id);
        return next;
      }),
    [],
  );
  const setAll = useCallback((on: boolean) => setChecked(on ? new Set(selectable.map((i) => i.id)) : new Set()), [selectable]);
  const clear = useCallback(() => setChecked(new Set()), []);
  const selection: RowSelection | undefined = enabled
    ? {
        isChecked: (id) => checked.has(id),
        toggle,
        setAll,
        state: chosen.length === 0 ? 'none' : chosen.length === selectable.length ? 'all' : 'some',
        selectable: selectable.length,
      }
    : undefined;
  return { selection, chosen: enabled ? chosen : [], clear };
}

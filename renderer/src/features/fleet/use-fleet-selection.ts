// The fleet's bulk selection: checked VMs, counted only while they are still shown and still have a
// VM to act on (a filter or an ended VM drops out of what a bulk action would touch). The rows are
// read in windows, so the selection keeps the VMs themselves, refreshed from any window that holds
// them, and decides "still shown" with the store's own filter rules (shared/fleet-query.ts).
// "Select all" takes every VM the filters show, read in one request, up to FLEET_WINDOW_MAX.
import { useCallback, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Instance } from '../../../../shared/domain';
import { FLEET_WINDOW_MAX, matchesFleetFilter } from '../../../../shared/fleet-query';
import { isEnded } from '../../../../shared/instance-status';
import { getApi } from '../../api';
import { channelKey } from '../../queries/use-channel';
import type { RowSelection } from './FleetTable';
import type { FleetRequest } from './use-fleet-page';

/** Why "select all" is off when the filters show more VMs than one request reads. */
export const SELECT_ALL_LIMIT_REASON = `Select all takes up to ${FLEET_WINDOW_MAX} VMs: narrow the filters first.`;

export function useFleetSelection(request: FleetRequest, loaded: ReadonlyMap<string, Instance>, selectable: number, enabled: boolean) {
  const client = useQueryClient();
  const [checked, setChecked] = useState<ReadonlyMap<string, Instance>>(() => new Map());
  const chosen = useMemo(
    () => [...checked.values()].map((i) => loaded.get(i.id) ?? i).filter((i) => !isEnded(i) && matchesFleetFilter(i, request)),
    [checked, loaded, request],
  );
  const toggle = useCallback(
    (i: Instance) =>
      setChecked((prev) => {
        const next = new Map(prev);
        if (!next.delete(i.id)) next.set(i.id, i);
        return next;
      }),
    [],
  );
  const setAll = useCallback(
    async (on: boolean) => {
      if (!on) return setChecked(new Map());
      const all = { ...request, offset: 0, limit: FLEET_WINDOW_MAX };
      const page = await client.fetchQuery({ queryKey: channelKey('instances:page', all), queryFn: () => getApi().call('instances:page', all) });
      if (page.selectable > FLEET_WINDOW_MAX) return;
      setChecked(new Map(page.rows.filter((i) => !isEnded(i)).map((i) => [i.id, i])));
    },
    [client, request],
  );
  const clear = useCallback(() => setChecked(new Map()), []);
  const selection: RowSelection | undefined = enabled
    ? {
        isChecked: (id) => checked.has(id),
        toggle,
        setAll,
        state: chosen.length === 0 ? 'none' : chosen.length >= selectable ? 'all' : 'some',
        selectable,
        allDisabledReason: selectable > FLEET_WINDOW_MAX ? SELECT_ALL_LIMIT_REASON : null,
      }
    : undefined;
  return { selection, chosen: enabled ? chosen : [], clear };
}

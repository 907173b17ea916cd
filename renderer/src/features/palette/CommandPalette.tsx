// The command palette (Ctrl/⌘+K): jump to a VM, job or payment by name, address or reference, or
// run an action. cmdk gives the listbox and its keyboard (arrows, Enter, Home/End); a Radix Dialog
// around it gives the modal (focus trapped, page hidden from screen readers, Escape). Matching is
// ours, not cmdk's fuzzy score: a partial IP must match as typed, not as scattered digits. VMs are
// found by the store (instances:page, a few rows per keystroke: the fleet may hold 100,000), with the
// same folded words as the jobs and payments matched here (match.ts).
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { Command } from 'cmdk';
import { Dialog as Radix } from 'radix-ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Req } from '../../../../shared/contract';
import { FLEET_IDS_MAX } from '../../../../shared/fleet-query';
import { getApi } from '../../api';
import { channelKey, useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { useActions, type Action } from './actions';
import { jobEntries, paymentEntries, PER_GROUP, search, vmEntries, type Entry } from './entries';
import { matches, queryParts } from './match';
import { reveal } from './reveal';

/** The jobs the Jobs page reads (same request, so one cache entry). */
export const PALETTE_JOBS_REQUEST = { limit: 200 } as const;

const GROUPS: { kind: Entry['kind']; heading: string }[] = [
  { kind: 'vm', heading: 'Virtual machines' },
  { kind: 'job', heading: 'Jobs' },
  { kind: 'payment', heading: 'Payments' },
];

function open(entry: Entry): void {
  if (entry.kind === 'vm') useUi.getState().select(entry.id);
  else reveal(entry.kind, entry.id);
}

export function CommandPalette() {
  // What had the focus before gets it back on close, then the chosen action runs: a dialog it opens
  // (drawer, Provision) then returns the focus there too, not to the palette's input, which is gone.
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const after = useRef<(() => void) | null>(null);
  const [query, setQuery] = useState('');
  const parts = queryParts(useDeferredValue(query));

  const jobs = useChannel('jobs:list', PALETTE_JOBS_REQUEST);
  const payments = useChannel('payments:list', {});
  const actions = useActions();
  // VMs: the store's first matches by name, ended ones too (a destroyed VM's history is worth jumping to).
  const vmRequest: Req<'instances:page'> = { search: parts.join(' '), showEnded: true, sort: 'name', limit: PER_GROUP };
  const fleet = useQuery({
    queryKey: channelKey('instances:page', vmRequest),
    queryFn: () => getApi().call('instances:page', vmRequest),
    enabled: parts.length > 0,
    placeholderData: keepPreviousData,
  });
  // The names of the jobs' VMs, by id (a job is found by its VM's name too).
  const jobVmIds = useMemo(() => [...new Set((jobs.data ?? []).flatMap((j) => (j.instanceId ? [j.instanceId] : [])))].slice(0, FLEET_IDS_MAX), [jobs.data]);
  const namesRequest: Req<'instances:page'> = { ids: jobVmIds, showEnded: true, limit: jobVmIds.length };
  const jobVms = useChannel('instances:page', namesRequest, { enabled: jobVmIds.length > 0 });

  const vms = useMemo(() => (parts.length ? vmEntries(fleet.data?.rows ?? []) : []), [fleet.data, parts.length]);
  const names = useMemo(() => new Map((jobVms.data?.rows ?? []).map((i) => [i.id, i.name])), [jobVms.data]);
  const jobList = useMemo(() => jobEntries(jobs.data ?? [], names), [jobs.data, names]);
  const paymentList = useMemo(() => paymentEntries(payments.data ?? []), [payments.data]);
  const found: Record<Entry['kind'], Entry[]> = { vm: vms, job: search(jobList, parts), payment: search(paymentList, parts) };
  const shownActions = parts.length === 0 ? actions : actions.filter((a) => matches(parts, a.hay));
  const loading = (parts.length > 0 && fleet.isPending) || jobs.isPending || payments.isPending;
  // The highlighted row is ours: results arrive after the query (deferred), and cmdk would keep
  // pointing at a row that is gone. The first row is highlighted whenever the highlighted one is gone.
  const [highlighted, setHighlighted] = useState('');
  const values = [...GROUPS.flatMap(({ kind }) => found[kind].map((e) => `${kind}:${e.id}`)), ...shownActions.filter((a) => a.permission.allowed).map((a) => a.id)];
  const current = values.includes(highlighted) ? highlighted : (values[0] ?? '');

  const close = () => useUi.getState().open(null);
  const choose = (run: () => void) => {
    after.current = run;
    close();
  };
  const runAction = (a: Action) => {
    if (!a.permission.allowed) return;
    choose(() => a.run());
  };

  return (
    <Radix.Root open onOpenChange={(isOpen) => (isOpen ? undefined : close())}>
      <Radix.Portal>
        <Radix.Overlay className="overlay overlay-palette">
          <Radix.Content
            className="palette"
            aria-modal="true"
            aria-describedby={undefined}
            onCloseAutoFocus={(e) => {
              e.preventDefault();
              if (opener?.isConnected) opener.focus();
              const run = after.current;
              after.current = null;
              run?.();
            }}
          >
            <Radix.Title className="offscreen">Command palette</Radix.Title>
            {/* cmdk names its input with this label (a hidden <label>). */}
            <Command label="Find or run" shouldFilter={false} loop value={current} onValueChange={setHighlighted}>
              <Command.Input
                className="palette-input"
                value={query}
                onValueChange={setQuery}
                placeholder="Find a VM, job or payment by name, IP or reference — or run an action"
              />
              <Command.List className="palette-list">
                {loading && parts.length > 0 ? <Command.Loading>Reading the fleet, jobs and payments…</Command.Loading> : null}
                <Command.Empty className="palette-empty">
                  Nothing matches “{query.trim()}”. VMs are found by name, IP address, agent or payment reference; jobs by id, VM or status; payments by reference or customer.
                </Command.Empty>
                {GROUPS.map(({ kind, heading }) =>
                  found[kind].length > 0 ? (
                    <Command.Group key={kind} heading={heading}>
                      {found[kind].map((e) => (
                        <Command.Item key={e.id} value={`${kind}:${e.id}`} onSelect={() => choose(() => open(e))} className="palette-item">
                          <span className="palette-label">{e.label}</span>
                          <span className="palette-detail">{e.detail}</span>
                        </Command.Item>
                      ))}
                    </Command.Group>
                  ) : null,
                )}
                {(['Actions', 'Go to'] as const).map((group) => {
                  const list = shownActions.filter((a) => a.group === group);
                  return list.length > 0 ? (
                    <Command.Group key={group} heading={group}>
                      {list.map((a) => (
                        <Command.Item key={a.id} value={a.id} disabled={!a.permission.allowed} onSelect={() => runAction(a)} className="palette-item">
                          <span className="palette-label">{a.label}</span>
                          {a.hint ? <span className="palette-detail">{a.hint}</span> : null}
                          {a.permission.reason ? <span className="palette-reason">{a.permission.reason}</span> : null}
                        </Command.Item>
                      ))}
                    </Command.Group>
                  ) : null;
                })}
              </Command.List>
            </Command>
          </Radix.Content>
        </Radix.Overlay>
      </Radix.Portal>
    </Radix.Root>
  );
}

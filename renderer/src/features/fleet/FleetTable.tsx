// Only the rows in view are in the DOM, and only the windows around them are read from the store
// (use-fleet-page.ts): 100,000 instances scroll like 20. A row whose window is still on its way shows
// as loading and fills in when it arrives. One scroll container
// holds the header and the rows, so they scroll sideways together (columns stay aligned); the header
// sticks to the top and the Name column to the left; columns beyond the right edge are announced by
// a cue that scrolls to them. Headers sort; each row's name is a button that opens the instance.
// ↑/↓/Home/End move between rows: the grid keeps the active row itself, so a held key never loses
// presses to focus that has not moved yet.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Tooltip } from 'radix-ui';
import type { Instance } from '../../../../shared/domain';
import { isEnded } from '../../../../shared/instance-status';
import { useNow } from '../../lib/use-now';
import { useColumns } from '../../stores/columns';
import { useUi, type Sort } from '../../stores/ui';
import { COLUMNS, gridTemplate, minWidth, type Column } from './columns';

const ROW_HEIGHT = 42;
const HEADER_HEIGHT = 40;

interface RowProps {
  instance: Instance;
  index: number;
  start: number;
  now: number;
  cities: ReadonlyMap<string, string>;
  columns: readonly Column[];
  template: string;
  selected: boolean;
  /** Bulk selection: whether the row is checked; undefined when selection is not offered (support). */
  checked?: boolean | undefined;
  onOpen(id: string): void;
  onFocusRow(index: number): void;
  onToggle?: ((instance: Instance) => void) | undefined;
}

const Row = memo(function Row({ instance, index, start, now, cities, columns, template, selected, checked, onOpen, onFocusRow, onToggle }: RowProps) {
  const ended = isEnded(instance);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-index={index}
      className={`table-row${selected ? ' selected' : ''}${instance.drift && !ended ? ' drifted' : ''}${ended ? ' ended' : ''}`}
      style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onOpen(instance.id)}
    >
      {columns.map((c) => (
        <div key={c.id} role="cell" className={`cell cell-${c.id}`}>
          {c.id === 'name' ? (
            <>
              {checked !== undefined ? (
                // An ended VM has nothing left to destroy: its box is shown but cannot be checked.
                <input
                  type="checkbox"
                  className="row-check"
                  aria-label={`Select ${instance.name}`}
                  checked={checked}
                  disabled={ended}
                  onClick={(e) => e.stopPropagation()}
                  onChange={() => onToggle?.(instance)}
                />
              ) : null}
              <Tooltip.Root>
                <Tooltip.Trigger asChild>
                  <button type="button" className="row-open" aria-label={instance.name} data-row={index} onFocus={() => onFocusRow(index)} onClick={(e) => (e.stopPropagation(), onOpen(instance.id))}>
                    {c.render(instance, { now, cities })}
                  </button>
                </Tooltip.Trigger>
                <Tooltip.Portal>
                  <Tooltip.Content className="tooltip" side="top" align="start" sideOffset={2}>
                    {instance.name}
                  </Tooltip.Content>
                </Tooltip.Portal>
              </Tooltip.Root>
              {c.after?.(instance)}
            </>
          ) : (
            c.render(instance, { now, cities })
          )}
        </div>
      ))}
    </div>
  );
});

/** A row whose window has not arrived yet: its place, and that it is loading. */
const PendingRow = memo(function PendingRow({ index, start, template }: { index: number; start: number; template: string }) {
  return (
    <div role="row" aria-rowindex={index + 2} aria-busy="true" data-index={index} className="table-row loading" style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}>
      <div role="cell" className="cell muted">
        Loading…
      </div>
    </div>
  );
});

/** The fleet table's bulk selection, offered only to a role that may destroy. */
export interface RowSelection {
  isChecked(id: string): boolean;
  toggle(instance: Instance): void;
  /** Checks every selectable row shown (or unchecks them all). */
  setAll(on: boolean): void | Promise<void>;
  /** How many of the selectable rows shown are checked. */
  state: 'none' | 'some' | 'all';
  /** Rows shown that may be selected (not ended). */
  selectable: number;
  /** Why "select all" cannot be used now (too many rows shown); null when it can. */
  allDisabledReason: string | null;
}

function SelectAll({ selection }: { selection: RowSelection }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = selection.state === 'some';
  });
  return (
    <input
      ref={ref}
      type="checkbox"
      className="row-check"
      aria-label="Select all VMs shown"
      title={selection.allDisabledReason ?? undefined}
      checked={selection.state === 'all'}
      disabled={selection.selectable === 0 || selection.allDisabledReason !== null}
      onChange={() => void selection.setAll(selection.state !== 'all')}
    />
  );
}

function SortHeader({ sort, columns, template, selection }: { sort: Sort; columns: readonly Column[]; template: string; selection?: RowSelection | undefined }) {
  const sortBy = useUi((s) => s.sortBy);
  return (
    <div className="table-row header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minHeight: HEADER_HEIGHT }}>
      {columns.map((c) => {
        const active = sort.key === c.id;
        return (
          <div key={c.id} role="columnheader" className={`cell cell-${c.id}`} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            {c.id === 'name' && selection ? <SelectAll selection={selection} /> : null}
            <button type="button" className="sort" onClick={() => sortBy(c.id)}>
              {c.label}
              <span aria-hidden="true" className="sort-mark">
                {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </div>
        );
      })}
    </div>
  );
}

/** Columns whose right edge is beyond the visible area (to announce them). */
function columnsOffRight(el: HTMLElement | null, columns: readonly Column[]): string[] {
  if (!el) return [];
  const edge = el.getBoundingClientRect().right;
  const cells = el.querySelectorAll<HTMLElement>('.table-row.header [role="columnheader"]');
  const off: string[] = [];
  cells.forEach((cell, i) => {
    if (cell.getBoundingClientRect().right > edge + 1) off.push(columns[i]?.label ?? '');
  });
  return off;
}

export interface FleetTableProps {
  /** Rows in the list (loaded or not). */
  count: number;
  /** The row at an index, undefined while its window loads. */
  rowAt(index: number): Instance | undefined;
  /** Told which rows are in view (with the virtualizer's overscan), so their windows are read. */
  onRange(first: number, last: number): void;
  cities: ReadonlyMap<string, string>;
  selection?: RowSelection | undefined;
  /** Changes with the filters and sort: the list then starts again from its top. */
  resetKey: string;
}

export function FleetTable({ count, rowAt, onRange, cities, selection, resetKey }: FleetTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const sort = useUi((s) => s.sort);
  const selected = useUi((s) => s.selectedInstanceId);
  const select = useUi((s) => s.select);
  const hidden = useColumns((s) => s.hidden);
  const columns = useMemo(() => COLUMNS.filter((c) => !hidden.includes(c.id)), [hidden]);
  const template = useMemo(() => gridTemplate(columns), [columns]);
  const now = useNow(30_000);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    // The rows start below the header, inside the same scroll container.
    scrollMargin: HEADER_HEIGHT,
    // The sticky header covers the top of the viewport: a row scrolled to lands below it.
    scrollPaddingStart: HEADER_HEIGHT,
  });

  // The active row is kept here, not read back from the focus: presses faster than a frame each move it.
  const active = useRef(-1);
  const pendingFocus = useRef<number | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const onFocusRow = useCallback((index: number) => {
    active.current = index;
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (count === 0 || !(e.target instanceof HTMLElement) || !e.target.matches('.row-open')) return;
    const last = count - 1;
    const from = active.current;
    // Space toggles the focused row's selection (Enter still opens it), as in a file manager's list.
    if (e.key === ' ' && selection) {
      e.preventDefault();
      const row = rowAt(Number(e.target.dataset.row));
      if (row && !isEnded(row)) selection.toggle(row);
      return;
    }
    const next = e.key === 'ArrowDown' ? from + 1 : e.key === 'ArrowUp' ? from - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    active.current = Math.min(last, Math.max(0, next));
    pendingFocus.current = active.current;
    virtualizer.scrollToIndex(active.current, { align: 'auto' });
    rerender();
  };

  // A new question starts at the top of its answer.
  const lastReset = useRef(resetKey);
  useLayoutEffect(() => {
    if (lastReset.current === resetKey) return;
    lastReset.current = resetKey;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);

  // The rows in view decide which windows are read.
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const lastShown = items.at(-1)?.index ?? 0;
  useEffect(() => onRange(first, lastShown), [onRange, first, lastShown]);

  // The row asked for may render only after the virtualizer has scrolled and its window has arrived:
  // try on every render until it is there.
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${index}"]`);
    if (!el) return;
    pendingFocus.current = null;
    el.focus({ preventScroll: true });
  });

  // Columns off to the right are named in a cue; it follows scrolling and resizing.
  const [offRight, setOffRight] = useState<string[]>([]);
  const measure = useCallback(() => {
    const next = columnsOffRight(scrollRef.current, columns);
    setOffRight((prev) => (prev.join('\u0000') === next.join('\u0000') ? prev : next));
  }, [columns]);
  useEffect(() => {
    measure();
    const el = scrollRef.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);

  return (
    <Tooltip.Provider delayDuration={400}>
      <div className="fleet-table-frame">
        <div
          className="table fleet-table table-body"
          role="table"
          aria-label="Instances"
          aria-rowcount={count + 1}
          ref={scrollRef}
          onKeyDown={onKeyDown}
          onScroll={measure}
        >
          <div className="table-inner" style={{ minWidth: minWidth(columns) }}>
            <div className="table-head" role="rowgroup" style={{ height: HEADER_HEIGHT }}>
              <SortHeader sort={sort} columns={columns} template={template} selection={selection} />
            </div>
            <div className="table-spacer" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
              {items.map((item) => {
                const instance = rowAt(item.index);
                // Keyed by place, not by VM: a keystroke's answer puts other VMs in the same places,
                // and updating a row's text is cheaper than replacing its elements (a third less
                // React work per keystroke at 100,000 VMs). Focus moves by place too (active above).
                if (!instance) return <PendingRow key={item.key} index={item.index} start={item.start - HEADER_HEIGHT} template={template} />;
                return (
                  <Row
                    key={item.key}
                    instance={instance}
                    index={item.index}
                    start={item.start - HEADER_HEIGHT}
                    now={now}
                    cities={cities}
                    columns={columns}
                    template={template}
                    selected={instance.id === selected}
                    checked={selection ? selection.isChecked(instance.id) : undefined}
                    onOpen={select}
                    onFocusRow={onFocusRow}
                    onToggle={selection?.toggle}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {offRight.length > 0 ? (
          <Tooltip.Root>
            <Tooltip.Trigger asChild>
              <button
                type="button"
                className="scroll-cue"
                aria-label={`${offRight.length === 1 ? '1 more column' : `${offRight.length} more columns`} to the right: ${offRight.join(', ')}`}
                onClick={() => scrollRef.current?.scrollBy({ left: scrollRef.current.clientWidth * 0.8, behavior: 'smooth' })}
              >
                {offRight.length === 1 ? '1 more column' : `${offRight.length} more columns`} →
              </button>
            </Tooltip.Trigger>
            <Tooltip.Portal>
              <Tooltip.Content className="tooltip" side="bottom" align="end" sideOffset={4}>
                {offRight.join(', ')}
              </Tooltip.Content>
            </Tooltip.Portal>
          </Tooltip.Root>
        ) : null}
      </div>
    </Tooltip.Provider>
  );
}

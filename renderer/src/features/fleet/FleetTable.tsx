// Only the rows in view are in the DOM, so 10,000 instances scroll like 20. Headers sort; the
// name of each row is a button that opens the instance; ↑/↓ move between rows, Enter opens.
import { memo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Instance } from '../../../../shared/domain';
import { useNow } from '../../lib/use-now';
import { useUi, type Sort } from '../../stores/ui';
import { COLUMNS, GRID_TEMPLATE } from './columns';

const ROW_HEIGHT = 42;

interface RowProps {
  instance: Instance;
  index: number;
  start: number;
  now: number;
  cities: ReadonlyMap<string, string>;
  selected: boolean;
  onOpen(id: string): void;
}

const Row = memo(function Row({ instance, index, start, now, cities, selected, onOpen }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-index={index}
      className={`table-row${selected ? ' selected' : ''}${instance.drift ? ' drifted' : ''}`}
      style={{ gridTemplateColumns: GRID_TEMPLATE, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onOpen(instance.id)}
    >
      {COLUMNS.map((c) => (
        <div key={c.id} role="cell" className={`cell cell-${c.id}`}>
          {c.id === 'name' ? (
            <button type="button" className="row-open" data-row={index} onClick={(e) => (e.stopPropagation(), onOpen(instance.id))}>
              {c.render(instance, { now, cities })}
            </button>
          ) : (
            c.render(instance, { now, cities })
          )}
        </div>
      ))}
    </div>
  );
});

function SortHeader({ sort }: { sort: Sort }) {
  const sortBy = useUi((s) => s.sortBy);
  return (
    <div className="table-row header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID_TEMPLATE }}>
      {COLUMNS.map((c) => {
        const active = sort.key === c.id;
        return (
          <div key={c.id} role="columnheader" className="cell" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
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

export function FleetTable({ instances, cities }: { instances: Instance[]; cities: ReadonlyMap<string, string> }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const sort = useUi((s) => s.sort);
  const selected = useUi((s) => s.selectedInstanceId);
  const select = useUi((s) => s.select);
  const now = useNow(30_000);
  const virtualizer = useVirtualizer({
    count: instances.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const current = Number((document.activeElement as HTMLElement | null)?.dataset.row ?? -1);
    const next = Math.min(instances.length - 1, Math.max(0, current + (e.key === 'ArrowDown' ? 1 : -1)));
    e.preventDefault();
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-row="${next}"]`)?.focus());
  };

  return (
    <div className="table fleet-table" role="table" aria-label="Instances" aria-rowcount={instances.length + 1}>
      <div className="table-head" role="rowgroup">
        <SortHeader sort={sort} />
      </div>
      <div className="table-body" role="rowgroup" ref={scrollRef} onKeyDown={onKeyDown}>
        <div className="table-spacer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const instance = instances[item.index]!;
            return (
              <Row
                key={instance.id}
                instance={instance}
                index={item.index}
                start={item.start}
                now={now}
                cities={cities}
                selected={instance.id === selected}
                onOpen={select}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

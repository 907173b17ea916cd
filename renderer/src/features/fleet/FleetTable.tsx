import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Instance } from '../../../../shared/domain';
import { COLUMNS, GRID_TEMPLATE } from './columns';

const ROW_HEIGHT = 40;

/** Only the rows in view are in the DOM, so 10,000 instances scroll like 20. */
export function FleetTable({ instances }: { instances: Instance[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: instances.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const now = Date.now();
  return (
    <div className="table" role="table" aria-label="Instances" aria-rowcount={instances.length + 1}>
      <div className="table-head" role="rowgroup">
        <div className="table-row header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID_TEMPLATE }}>
          {COLUMNS.map((c) => (
            <div key={c.id} role="columnheader" className="cell">
              {c.label}
            </div>
          ))}
        </div>
      </div>
      <div className="table-body" role="rowgroup" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const instance = instances[item.index]!;
            return (
              <div
                key={instance.id}
                role="row"
                aria-rowindex={item.index + 2}
                className={`table-row status-${instance.status}`}
                style={{ gridTemplateColumns: GRID_TEMPLATE, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {COLUMNS.map((c) => (
                  <div key={c.id} role="cell" className={`cell cell-${c.id}`}>
                    {c.id === 'status' || c.id === 'enrollment' ? (
                      <span className={`badge badge-${c.value(instance, now)}`}>{c.value(instance, now)}</span>
                    ) : (
                      c.value(instance, now)
                    )}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

// Which columns the fleet shows: a Radix menu of checkboxes, kept across reloads (stores/columns.ts).
import { DropdownMenu } from 'radix-ui';
import { useColumns } from '../../stores/columns';
import { COLUMNS, HIDEABLE } from './columns';

export function ColumnChooser() {
  const hidden = useColumns((s) => s.hidden);
  const toggle = useColumns((s) => s.toggle);
  const showAll = useColumns((s) => s.showAll);
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="btn btn-small" aria-label={`Columns: ${COLUMNS.length - hidden.length} of ${COLUMNS.length} shown`}>
        Columns{hidden.length > 0 ? ` (${COLUMNS.length - hidden.length}/${COLUMNS.length})` : ''} ▾
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Label className="menu-label">Show columns</DropdownMenu.Label>
          {COLUMNS.map((c) => (
            <DropdownMenu.CheckboxItem
              key={c.id}
              className="menu-item"
              checked={!hidden.includes(c.id)}
              disabled={!HIDEABLE.has(c.id)}
              // Keep the menu open: several columns are usually toggled at once.
              onSelect={(e) => e.preventDefault()}
              onCheckedChange={() => toggle(c.id)}
            >
              <DropdownMenu.ItemIndicator className="menu-check">✓</DropdownMenu.ItemIndicator>
              {c.label}
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item" disabled={hidden.length === 0} onSelect={showAll}>
            Show all
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

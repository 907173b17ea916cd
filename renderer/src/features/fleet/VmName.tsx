// A VM name in a narrow cell: the start gives way (ellipsis) while the last characters, where names
// differ (vm-build-runner-acme-7f3a vs …-9c21), stay visible. The row's name button carries the
// full name in a tooltip and as its accessible name (FleetTable). The two parts are inline blocks
// (styles.css), so the name still reads and copies as one word.

/** How many trailing characters never give way. */
const TAIL = 6;

export function VmName({ name }: { name: string }) {
  const cut = name.length > TAIL + 4 ? name.length - TAIL : name.length;
  return (
    <span className="vm-name">
      <span className="vm-name-head">{name.slice(0, cut)}</span>
      {cut < name.length ? <span className="vm-name-tail">{name.slice(cut)}</span> : null}
    </span>
  );
}

// The palette for mouse users, and a visible reminder of its shortcut.
import { useUi } from '../../stores/ui';

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function PaletteButton() {
  return (
    <button type="button" className="palette-button" aria-keyshortcuts="Control+K Meta+K" onClick={() => useUi.getState().open('palette')}>
      <span>Find or run…</span>
      <kbd>{mac ? '⌘K' : 'Ctrl K'}</kbd>
    </button>
  );
}

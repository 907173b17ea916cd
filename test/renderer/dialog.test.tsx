// @vitest-environment happy-dom
// The dialog every modal and drawer uses (components/Dialog.tsx): while it is open the page behind
// it is out of reach of a screen reader, Tab stays inside, Escape closes the innermost only, and
// closing gives the focus back to what opened it.
import { afterEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CopyButton } from '../../renderer/src/components/CopyButton';
import { Dialog } from '../../renderer/src/components/Dialog';

afterEach(cleanup);

/** True when the element or an ancestor is hidden from assistive technology. */
const hiddenFromScreenReaders = (el: Element): boolean => el.closest('[aria-hidden="true"]') !== null || el.closest('[inert]') !== null;

function Page({ nested = false }: { nested?: boolean }) {
  const [open, setOpen] = useState(false);
  const [inner, setInner] = useState(false);
  return (
    <main>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      <a href="#elsewhere">A link on the page</a>
      {open ? (
        <Dialog title="Outer" onClose={() => setOpen(false)}>
          <input aria-label="First field" data-autofocus />
          <button type="button" onClick={() => setInner(true)}>
            Last button
          </button>
          {nested && inner ? (
            <Dialog title="Inner" onClose={() => setInner(false)}>
              <button type="button">Inner button</button>
            </Dialog>
          ) : null}
        </Dialog>
      ) : null}
    </main>
  );
}

describe('Dialog', () => {
  it('hides the page behind it from screen readers while open, and gives it back on close', async () => {
    render(<Page />);
    const opener = screen.getByRole('button', { name: 'Open' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Outer' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(hiddenFromScreenReaders(dialog)).toBe(false);
    await waitFor(() => expect(hiddenFromScreenReaders(screen.getByText('A link on the page'))).toBe(true));
    // The accessible tree seen by testing-library no longer offers the page's controls.
    expect(screen.queryByRole('link', { name: 'A link on the page' })).toBeNull();

    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(hiddenFromScreenReaders(screen.getByText('A link on the page'))).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it('starts on the named field and keeps Tab inside', async () => {
    render(<Page />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    const field = await screen.findByRole('textbox', { name: 'First field' });
    await waitFor(() => expect(document.activeElement).toBe(field));
    // The last control is the last button in the body; Tab from it wraps to the first (Close is in the header, before the body).
    const last = screen.getByRole('button', { name: 'Last button' });
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
  });

  it('closes the innermost dialog on Escape, and the outer one stays', async () => {
    render(<Page nested />);
    fireEvent.click(screen.getByRole('button', { name: 'Open' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Last button' }));
    await screen.findByRole('dialog', { name: 'Inner' });
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Inner' })).toBeNull());
    expect(screen.getByRole('dialog', { name: 'Outer' })).toBeTruthy();
  });
});

describe('Escape in a drawer', () => {
  it('starts on the drawer itself (no tooltip opened by focus), and one Escape closes it even with a tooltip up', async () => {
    function Drawer() {
      const [open, setOpen] = useState(true);
      return open ? (
        <Dialog title="vm-one" variant="drawer" onClose={() => setOpen(false)} actions={<CopyButton text="{}" label="Copy diagnostics" />}>
          <CopyButton text="100.64.0.1" label="Copy tailnet ip" />
        </Dialog>
      ) : null;
    }
    render(<Drawer />);
    const drawer = await screen.findByRole('dialog', { name: 'vm-one' });
    await waitFor(() => expect(document.activeElement).toBe(drawer));
    expect(screen.queryByRole('tooltip')).toBeNull();
    // Keyboard focus on a Copy button opens its tooltip; Escape then closes the tooltip and the drawer.
    screen.getByRole('button', { name: 'Copy tailnet ip' }).focus();
    await screen.findByRole('tooltip');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'vm-one' })).toBeNull());
  });
});

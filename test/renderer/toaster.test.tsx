// @vitest-environment happy-dom
// Toasts (components/Toaster.tsx on Radix Toast, stores/toasts.ts): one per job (a newer toast of the
// group replaces the older), never more than MAX_VISIBLE_TOASTS at once, in a labelled region that
// F8 reaches, and each one dismissible.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useState } from 'react';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Dialog } from '../../renderer/src/components/Dialog';
import { Toaster } from '../../renderer/src/components/Toaster';
import { MAX_VISIBLE_TOASTS, useToasts } from '../../renderer/src/stores/toasts';

beforeEach(() => useToasts.setState({ toasts: [] }));
afterEach(cleanup);

// hidden: true — behind an open dialog the region is (rightly) out of the accessible tree.
const region = () => screen.getByRole('region', { name: /Notifications/, hidden: true });
const shown = () => within(region()).queryAllByRole('listitem', { hidden: true }).map((li) => li.textContent);

describe('Toaster', () => {
  it('shows one toast per job: the newer outcome replaces the older', async () => {
    render(<Toaster />);
    act(() => useToasts.getState().push({ group: 'job_a', tone: 'bad', title: 'Provision of vm-a failed' }));
    act(() => useToasts.getState().push({ group: 'job_b', tone: 'ok', title: 'Provision of vm-b finished' }));
    act(() => useToasts.getState().push({ group: 'job_a', tone: 'ok', title: 'Provision of vm-a finished' }));
    await waitFor(() => expect(shown()).toHaveLength(2));
    expect(shown().join(' ')).not.toContain('vm-a failed');
    expect(shown().join(' ')).toContain('vm-a finished');
  });

  it(`never shows more than ${MAX_VISIBLE_TOASTS}, the newest kept`, async () => {
    render(<Toaster />);
    for (let n = 1; n <= 7; n += 1) act(() => useToasts.getState().push({ group: `job_${n}`, tone: 'ok', title: `Provision of vm-${n} finished` }));
    await waitFor(() => expect(shown()).toHaveLength(MAX_VISIBLE_TOASTS));
    expect(shown().join(' ')).toContain('vm-7');
    expect(shown().join(' ')).not.toContain('vm-4');
  });

  it('lets the operator dismiss a toast', async () => {
    render(<Toaster />);
    act(() => useToasts.getState().push({ tone: 'bad', title: 'Destroy of vm-x failed', body: 'delete_server: refused' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Dismiss notification' }));
    await waitFor(() => expect(useToasts.getState().toasts).toEqual([]));
  });
});

describe('Escape with a toast over an open dialog', () => {
  it('closes the dialog, not the toast (a toast is a layer above the dialog opened before it)', async () => {
    function Host() {
      const [open, setOpen] = useState(true);
      return (
        <>
          {open ? (
            <Dialog title="A drawer" onClose={() => setOpen(false)}>
              <button type="button">Inside</button>
            </Dialog>
          ) : null}
          <Toaster />
        </>
      );
    }
    render(<Host />);
    await screen.findByRole('dialog', { name: 'A drawer' });
    act(() => useToasts.getState().push({ group: 'job_a', tone: 'ok', title: 'Destroy of vm-a finished' }));
    await waitFor(() => expect(shown()).toHaveLength(1));
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'A drawer' })).toBeNull());
    expect(useToasts.getState().toasts).toHaveLength(1);
    // With no dialog open, Escape is the toast's.
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(useToasts.getState().toasts).toHaveLength(0));
  });
});

// @vitest-environment happy-dom
// Alt+1…6 switch pages (lib/use-shortcuts.ts), but never while the operator types in a field (Alt+digit
// is how some keyboards type characters) and never while a dialog is open (the page behind it is
// not the operator's context; switching it would be invisible and surprising).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, renderHook } from '@testing-library/react';
import { Dialog } from '../../renderer/src/components/Dialog';
import { useShortcuts } from '../../renderer/src/lib/use-shortcuts';
import { useUi } from '../../renderer/src/stores/ui';

beforeEach(() => useUi.setState({ page: 'fleet', dialog: null, selectedInstanceId: null }));
afterEach(cleanup);

const altDigit = (target: Element, digit: number) => fireEvent.keyDown(target, { key: String(digit), altKey: true });

describe('Alt+1…6', () => {
  it('switches pages from the page itself', () => {
    renderHook(() => useShortcuts());
    altDigit(document.body, 3);
    expect(useUi.getState().page).toBe('payments');
    altDigit(document.body, 1);
    expect(useUi.getState().page).toBe('fleet');
  });

  it.each([
    ['an input', <input key="i" aria-label="field" />],
    ['a textarea', <textarea key="t" aria-label="field" />],
  ])('does nothing while typing in %s', (_what, field) => {
    renderHook(() => useShortcuts());
    const { getByLabelText } = render(<>{field}</>);
    const el = getByLabelText('field');
    el.focus();
    altDigit(el, 2);
    expect(useUi.getState().page).toBe('fleet');
  });

  it('does nothing while a dialog is open, even with the focus on a button in it', async () => {
    renderHook(() => useShortcuts());
    const { findByRole } = render(
      <Dialog title="Some dialog" onClose={() => undefined}>
        <button type="button">Inside</button>
      </Dialog>,
    );
    const inside = await findByRole('button', { name: 'Inside' });
    inside.focus();
    altDigit(inside, 2);
    expect(useUi.getState().page).toBe('fleet');
  });

  it('does nothing while the provision dialog is open (its state, before it renders)', () => {
    renderHook(() => useShortcuts());
    useUi.setState({ dialog: 'provision' });
    altDigit(document.body, 4);
    expect(useUi.getState().page).toBe('fleet');
  });
});

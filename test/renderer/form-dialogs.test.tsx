// @vitest-environment happy-dom
// The frame the Provision and Record-payment dialogs share (components/FormDialog.tsx, with
// lib/use-form-fields.ts): loading until the defaults are known, errors shown once a submit was
// tried, the role-guarded submit, the result with Done. Each promise is checked on both dialogs.
import { afterEach, describe, expect, it } from 'vitest';
import type { FormEvent } from 'react';
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { DEFAULT_SETTINGS, type Payment } from '../../shared/domain';
import { PaymentDialog } from '../../renderer/src/features/payments/PaymentDialog';
import { ProvisionDialog } from '../../renderer/src/features/provision/ProvisionDialog';
import { useFormFields } from '../../renderer/src/lib/use-form-fields';
import { useUi } from '../../renderer/src/stores/ui';
import { baseApi, withApi } from './fake-api';

afterEach(cleanup);

/**
 * The submit, once the role is known: until then every mutating button is disabled, and inside
 * another element (with the reason), so the enabled one is a new element: look it up again.
 */
async function ready(name: string): Promise<HTMLButtonElement> {
  return waitFor(() => {
    const button = screen.getByRole('button', { name }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    return button;
  });
}

const dialogs = [
  { name: 'ProvisionDialog', Dialog: ProvisionDialog, submit: 'Provision', channel: 'provision:start' as const },
  { name: 'PaymentDialog', Dialog: PaymentDialog, submit: 'Record and provision', channel: 'payments:record' as const },
];

const payment = (over: Partial<Payment> = {}): Payment => ({
  id: 'pay_1',
  reference: 'INV-7',
  customer: 'ACME',
  contact: null,
  amountCents: 990,
  currency: 'EUR',
  plan: 'cx22',
  region: 'nbg1',
  note: null,
  status: 'provisioning',
  jobId: null,
  instanceId: null,
  recordedAt: new Date().toISOString(),
  enrolledAt: null,
  timeToEnrolledMs: null,
  withinTarget: null,
  ...over,
});

describe.each(dialogs)('$name in the shared frame', ({ Dialog, submit, channel }) => {
  it('shows Loading… until the settings answer, then the form', async () => {
    let answer!: () => void;
    const api = baseApi().handle('settings:get', () => new Promise((resolve) => (answer = () => resolve({ ...DEFAULT_SETTINGS, role: 'operator' }))));
    render(<Dialog />, { wrapper: withApi(api) });
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: submit })).toBeNull();
    await waitFor(() => expect(answer).toBeTypeOf('function'));
    act(() => answer());
    await screen.findByRole('button', { name: submit });
    expect(screen.queryByText('Loading…')).toBeNull();
  });

  it('shows no error before a submit is tried, then every error, and sends nothing', async () => {
    const api = baseApi();
    render(<Dialog />, { wrapper: withApi(api) });
    const button = await ready(submit);
    expect(screen.queryByText('choose a region')).toBeNull();
    fireEvent.click(button);
    await screen.findByText('choose a region');
    expect(api.callsTo(channel)).toEqual([]);
  });

  it('the support role sees the submit disabled, with the reason', async () => {
    render(<Dialog />, { wrapper: withApi(baseApi('support')) });
    await screen.findByText(/support role/);
    expect((screen.getByRole('button', { name: submit }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('Cancel closes the dialog', async () => {
    act(() => useUi.getState().open('provision'));
    render(<Dialog />, { wrapper: withApi(baseApi()) });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(useUi.getState().dialog).toBeNull();
  });
});

describe('PaymentDialog', () => {
  const fill = async () => {
    fireEvent.change(await screen.findByRole('textbox', { name: 'Reference' }), { target: { value: 'INV-7' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Customer' }), { target: { value: 'ACME' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount' }), { target: { value: '9,90' } });
    fireEvent.click(screen.getByRole('radio', { name: /^cx22:/ }));
    // The regions are asked again for the chosen plan.
    fireEvent.click(await screen.findByRole('radio', { name: /Nuremberg/ }));
  };

  it('names each missing field, and the amount, after a submit', async () => {
    render(<PaymentDialog />, { wrapper: withApi(baseApi()) });
    fireEvent.click(await ready('Record and provision'));
    await screen.findByText('enter the payment reference');
    expect(screen.getByText('enter the customer')).toBeTruthy();
    expect(screen.getByText('enter the amount, e.g. 9.90')).toBeTruthy();
    expect(screen.getByText('choose a plan (server type)')).toBeTruthy();
  });

  it('shows why a region cannot take the plan', async () => {
    render(<PaymentDialog />, { wrapper: withApi(baseApi()) });
    fireEvent.click(await screen.findByRole('radio', { name: /^cx22:/ }));
    await screen.findByText('cx22 is out of stock in fsn1 right now.');
  });

  it('records a valid payment, then says so and Done closes', async () => {
    const api = baseApi().handle('payments:record', () => ({ payment: payment(), created: true }));
    act(() => useUi.getState().open('payment'));
    render(<PaymentDialog />, { wrapper: withApi(api) });
    await fill();
    fireEvent.click(await ready('Record and provision'));
    await screen.findByText('Payment INV-7 recorded: its VM is being provisioned.');
    expect(api.callsTo('payments:record')).toEqual([{ reference: 'INV-7', customer: 'ACME', amount: 9.9, currency: 'EUR', plan: 'cx22', region: 'nbg1' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(useUi.getState().dialog).toBeNull();
  });

  it('says so when the reference was already recorded (no second VM)', async () => {
    const api = baseApi().handle('payments:record', () => ({ payment: payment(), created: false }));
    render(<PaymentDialog />, { wrapper: withApi(api) });
    await fill();
    fireEvent.click(await ready('Record and provision'));
    await screen.findByText('Payment INV-7 was already recorded: no second VM was started.');
  });
});

describe('useFormFields', () => {
  const submitEvent = () => ({ preventDefault: () => undefined }) as FormEvent;

  it('sends only without errors; a tried submit shows every error', () => {
    const { result } = renderHook(() => useFormFields({ a: '', b: '' }));
    const sent: string[] = [];
    const errors = { a: 'enter a', b: 'enter b' };
    expect(result.current.shown(errors)('a')).toBeUndefined();
    act(() => result.current.onSubmit(errors, () => sent.push('bad'))(submitEvent()));
    expect(sent).toEqual([]);
    expect([result.current.shown(errors)('a'), result.current.shown(errors)('b')]).toEqual(['enter a', 'enter b']);
    act(() => result.current.onSubmit({}, () => sent.push('good'))(submitEvent()));
    expect(sent).toEqual(['good']);
  });

  it("shows a field's error once it was left, and keeps the values", () => {
    const { result } = renderHook(() => useFormFields({ a: '', b: '' }));
    const errors = { a: 'enter a', b: 'enter b' };
    act(() => result.current.set('a', 'x'));
    act(() => result.current.blur('a')());
    expect(result.current.values).toEqual({ a: 'x', b: '' });
    expect(result.current.shown(errors)('a')).toBe('enter a');
    expect(result.current.shown(errors)('b')).toBeUndefined();
  });
});

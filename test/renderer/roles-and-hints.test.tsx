// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { OutpostError } from '../../shared/errors';
import { ErrorNotice } from '../../renderer/src/components/ErrorNotice';
import { GuardedButton } from '../../renderer/src/components/GuardedButton';
import { FleetPage } from '../../renderer/src/features/fleet/FleetPage';
import { InstancePanel } from '../../renderer/src/features/instance/InstancePanel';
import { ROLE_LOADING_REASON } from '../../renderer/src/queries/permissions';
import { baseApi, instance, withApi } from './fake-api';

afterEach(cleanup);

describe('the support role', () => {
  it('disables mutating controls and says why', async () => {
    render(<GuardedButton channel="instances:destroy">Destroy…</GuardedButton>, { wrapper: withApi(baseApi('support')) });
    await screen.findByText(/Read-only: the support role cannot change anything/);
    const button = screen.getByRole('button', { name: 'Destroy…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
  });

  it('leaves them enabled for an operator', async () => {
    const api = baseApi('operator');
    render(<GuardedButton channel="instances:destroy">Destroy…</GuardedButton>, { wrapper: withApi(api) });
    // Until the role is known the button fails closed; wait for the role, not for a fixed time.
    expect((screen.getByRole('button', { name: 'Destroy…' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(api.callsTo('app:info')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText(ROLE_LOADING_REASON)).toBeNull());
    const button = screen.getByRole('button', { name: 'Destroy…' }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.getAttribute('aria-describedby')).toBeNull();
  });

  it('cannot destroy from the instance panel or provision from the fleet', async () => {
    const api = baseApi('support').handle('instances:get', () => ({ instance: instance(), jobs: [] }));
    render(
      <>
        <FleetPage />
        <InstancePanel instanceId="ins_1" />
      </>,
      { wrapper: withApi(api) },
    );
    const destroy = (await screen.findByRole('button', { name: 'Destroy…' })) as HTMLButtonElement;
    await screen.findAllByText(/Read-only/);
    expect(destroy.disabled).toBe(true);
    // The fleet is behind the open drawer, so out of the accessible tree (hidden: true finds it).
    expect((screen.getByRole('button', { name: 'Provision VM', hidden: true }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('ErrorNotice', () => {
  it('prefers the backend hint', () => {
    render(<ErrorNotice title="Refused" error={new OutpostError('conflict', 'Name taken.', { hint: 'Pick another name.' })} />, { wrapper: withApi(baseApi()) });
    expect(screen.getByRole('alert').textContent).toContain('Pick another name.');
  });

  it('explains read_only and unauthorized by code', () => {
    render(
      <>
        <ErrorNotice title="A" error={{ code: 'read_only', message: 'no' }} />
        <ErrorNotice title="B" error={{ code: 'unauthorized', message: 'no' }} />
      </>,
      { wrapper: withApi(baseApi()) },
    );
    const [a, b] = screen.getAllByRole('alert');
    expect(a!.textContent).toMatch(/support role/);
    expect(b!.textContent).toMatch(/Settings → Tokens/);
  });

  it('lists the same-zone locations where the type is available for resource_unavailable', async () => {
    render(<ErrorNotice title="Failed" error={{ code: 'resource_unavailable', message: 'out of stock', step: 'create_server' }} context={{ serverType: 'cx22', region: 'fsn1' }} />, {
      wrapper: withApi(baseApi()),
    });
    const list = await screen.findByRole('list', { name: 'Same-zone alternatives' });
    expect(list.textContent).toMatch(/nbg1[\s\S]*hel1/);
    expect(list.textContent).not.toMatch(/fsn1/);
    expect(screen.getByRole('alert').textContent).toMatch(/Step create_server/);
  });
});

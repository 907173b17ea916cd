// @vitest-environment happy-dom
// The Fleet reads the store in windows (issue 14 item 6): the first render asks for one window, a
// scroll asks for the windows it reaches, End reaches the last row through its window, a keystroke
// is one request (no debounce) while the previous rows stay on screen, and a burst of instance events
// patches rows in place and re-reads the windows once, not once per event.
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Req } from '../../shared/contract';
import { FleetPage } from '../../renderer/src/features/fleet/FleetPage';
import { WINDOW } from '../../renderer/src/features/fleet/use-fleet-page';
import { useLiveUpdates } from '../../renderer/src/queries/live-updates';
import { EMPTY_FILTERS, useUi } from '../../renderer/src/stores/ui';
import { referencePage } from '../fixtures/fleet-reference';
import { baseApi, instance, withApi, type FakeApi } from './fake-api';
import { giveLayout } from './layout';

beforeAll(() => {
  giveLayout();
  // happy-dom does not scroll: a list is as tall as its rows, and scrollTo moves scrollTop and tells
  // the listeners, as a browser does.
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', { configurable: true, get: () => 42 * (COUNT + 1) });
  HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, options?: ScrollToOptions | number) {
    if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
    this.dispatchEvent(new Event('scroll'));
  } as typeof HTMLElement.prototype.scrollTo;
});
beforeEach(() => useUi.setState({ filters: EMPTY_FILTERS, sort: { key: 'name', dir: 'asc' }, selectedInstanceId: null, dialog: null }));
afterEach(cleanup);

const COUNT = 1000;
const name = (n: number) => `vm-${String(n).padStart(4, '0')}`;
const created = new Date('2026-01-01T00:00:00Z').toISOString();
const FLEET = Array.from({ length: COUNT }, (_, n) => instance({ id: `ins_${n}`, name: name(n), createdAt: created, customer: n % 2 ? 'ACME' : 'Globex' }));

const pages = (api: FakeApi) => api.callsTo('instances:page') as Req<'instances:page'>[];
const table = () => screen.getByRole('table', { name: 'Instances' });
const shownNames = () => within(table()).queryAllByRole('button').map((b) => b.getAttribute('aria-label')).filter((n) => n?.startsWith('vm-'));

function Live() {
  useLiveUpdates();
  return <FleetPage />;
}

describe('the fleet in windows', () => {
  it('asks for the first window only, and for the windows a scroll reaches', async () => {
    const api = baseApi().handle('instances:list', () => FLEET);
    render(<FleetPage />, { wrapper: withApi(api) });
    await screen.findByRole('button', { name: name(0) });
    expect(screen.getByText('1,000 VMs')).toBeTruthy();
    expect(pages(api).map((r) => [r.offset, r.limit])).toEqual([[0, WINDOW]]);
    expect(within(table()).getAllByRole('row').length).toBeLessThan(60);

    const body = document.querySelector<HTMLElement>('.table-body')!;
    body.scrollTop = 42 * 540;
    fireEvent.scroll(body);
    await screen.findByRole('button', { name: name(545) });
    // The windows around rows 540–560 only (one screen and the overscan), not the ones scrolled past.
    const later = pages(api).slice(1).map((r) => r.offset!);
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThanOrEqual(3);
    for (const offset of later) expect(offset >= 540 - 2 * WINDOW && offset <= 560 + WINDOW, String(offset)).toBe(true);
    // Only the rows in view are in the DOM, wherever the list is scrolled.
    expect(within(table()).getAllByRole('row').length).toBeLessThan(60);
    expect(shownNames()).not.toContain(name(0));
  });

  it('goes to the last row with End, through the window that holds it', async () => {
    const api = baseApi().handle('instances:list', () => FLEET);
    render(<FleetPage />, { wrapper: withApi(api) });
    const first = await screen.findByRole('button', { name: name(0) });
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(name(1)));
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(name(COUNT - 1)));
    expect(pages(api).some((r) => r.offset === COUNT - WINDOW)).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe(name(COUNT - 2)));
  });

  it('sends each keystroke to the store at once and keeps the previous rows until the answer', async () => {
    let release: (() => void) | null = null;
    const api = baseApi()
      .handle('instances:list', () => FLEET)
      .handle('instances:page', async (req) => {
        // Searches wait for the test; everything else answers at once.
        if (req.search) await new Promise<void>((resolve) => (release = resolve));
        return referencePage(FLEET, req);
      });
    render(<FleetPage />, { wrapper: withApi(api) });
    await screen.findByRole('button', { name: name(0) });
    const search = screen.getByRole('searchbox', { name: 'Search instances' });
    fireEvent.change(search, { target: { value: 'vm-09' } });
    await waitFor(() => expect(pages(api).at(-1)?.search).toBe('vm-09'));
    // Still the previous list, its count marked busy, until the store answers.
    const count = () => document.querySelector('p.count')!;
    expect(screen.getByRole('button', { name: name(0) })).toBeTruthy();
    expect(count().getAttribute('aria-busy')).toBe('true');
    act(() => release!());
    await screen.findByRole('button', { name: name(900) });
    expect(screen.queryByRole('button', { name: name(0) })).toBeNull();
    expect(count().textContent).toBe('100 VMs of 1,000');
    expect(count().getAttribute('aria-busy')).toBe('false');
    expect(pages(api).filter((r) => r.search).map((r) => r.search)).toEqual(['vm-09']);
  });

  it('patches rows from events in place and re-reads the windows once per burst, not per event', async () => {
    // "Nothing more was read" needs the re-read window (1 s) to pass: the clock is moved past it
    // instead of waiting it out (it still runs on its own for everything else the test waits for).
    vi.useFakeTimers({ shouldAdvanceTime: true });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const fleet = [...FLEET];
    const api = baseApi().handle('instances:list', () => fleet);
    render(<Live />, { wrapper: withApi(api) });
    await screen.findByRole('button', { name: name(0) });
    const before = pages(api).length;

    // A last-seen time changes nothing the store sorts, filters or counts by: patched, not re-read.
    act(() => api.emit('instance:changed', { instance: { ...fleet[0]!, enrollment: 'online', lastSeen: '2026-01-02T00:00:00.000Z' } }));
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(pages(api).length).toBe(before);

    // 100 status changes at once (100 jobs running): one re-read of the windows in view.
    act(() => {
      for (let n = 0; n < 100; n++) {
        fleet[n] = { ...fleet[n]!, status: 'destroying' };
        api.emit('instance:changed', { instance: fleet[n]! });
      }
    });
    await waitFor(() => expect(within(screen.getAllByRole('row').find((r) => r.textContent?.includes(name(3)))!).getByText('destroying')).toBeTruthy());
    await waitFor(() => expect(pages(api).length).toBe(before + 1));
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(pages(api).length).toBe(before + 1);
  });
});

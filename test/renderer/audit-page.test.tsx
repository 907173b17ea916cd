// @vitest-environment happy-dom
// The audit page: the action in words, target by name, what changed; filters (actor, action, target,
// outcome, days) sent to core; Export CSV of the rows shown, with formula cells neutralised.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AuditEntry } from '../../shared/domain';
import { AuditPage } from '../../renderer/src/features/audit/AuditPage';
import { auditCsv, csvCell } from '../../renderer/src/features/audit/csv';
import { baseApi, withApi } from './fake-api';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const at = '2026-05-04T09:30:00.000Z';
const entries: AuditEntry[] = [
  { id: 3, at, actor: '=HYPERLINK("http://evil.example","x")', role: 'operator', action: 'instances:destroy', target: 'ins_1', targetName: '+vm-one', outcome: 'ok', detail: { transport: 'ipc' } },
  { id: 2, at, actor: 'Ada', role: 'operator', action: 'settings:update', target: 'settings', targetName: 'operatorName', outcome: 'ok', detail: { transport: 'ipc', changes: [{ field: 'operatorName', from: 'Ada', to: '@Grace' }] } },
  { id: 1, at, actor: 'Sam', role: 'support', action: 'provision:start', target: null, targetName: null, outcome: 'refused', detail: { transport: 'http', code: 'read_only', message: 'Read-only: the support role cannot change anything.' } },
];

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['=a,"b"', `"'=a,""b"""`],
  ])('%j → %j', (raw, cell) => {
    expect(csvCell(raw)).toBe(cell);
  });

  it('the export has one header and one CRLF line per entry, names and changes in words, nothing left executable', () => {
    const csv = auditCsv(entries);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('When (UTC),Actor,Role,Action,Channel,Target,Target id,Outcome,What changed,Detail');
    expect(lines).toHaveLength(entries.length + 2); // and a final CRLF
    expect(lines[1]).toBe(`${at},"'=HYPERLINK(""http://evil.example"",""x"")",operator,Destroy VM,instances:destroy,'+vm-one,ins_1,ok,,`);
    expect(lines[2]).toContain('Change settings,settings:update,operatorName,settings,ok,operatorName: Ada → @Grace');
    expect(lines[3]).toContain('Provision VM,provision:start,,,refused,,code: read_only · message: Read-only');
    for (const line of lines.slice(1, -1)) for (const cell of line.split(',')) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('the audit page', () => {
  it('shows the action in words, the target by name and what changed', async () => {
    render(<AuditPage />, { wrapper: withApi(baseApi().handle('audit:list', () => entries)) });
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]!.textContent).toMatch(/Destroy VM.*\+vm-one.*ins_1/);
    expect(rows[2]!.textContent).toMatch(/Change settings.*operatorName: Ada → @Grace/);
    expect(rows[3]!.textContent).toMatch(/Provision VM.*refused/);
  });

  it('sends every filter to core: actor, action, target, outcome and a day range', async () => {
    const api = baseApi().handle('audit:list', () => entries);
    render(<AuditPage />, { wrapper: withApi(api) });
    await screen.findByRole('table', { name: 'Audit log' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), { target: { value: 'instances:destroy' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Outcome' }), { target: { value: 'refused' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Actor' }), { target: { value: 'ada' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Target' }), { target: { value: 'vm-one' } });
    fireEvent.change(screen.getByLabelText('From day'), { target: { value: '2026-05-01' } });
    fireEvent.change(screen.getByLabelText('To day'), { target: { value: '2026-05-04' } });
    await waitFor(() =>
      expect(api.callsTo('audit:list').at(-1)).toEqual({
        limit: 5000,
        action: 'instances:destroy',
        outcome: 'refused',
        actor: 'ada',
        target: 'vm-one',
        from: new Date('2026-05-01T00:00:00').toISOString(),
        to: new Date('2026-05-04T23:59:59.999').toISOString(),
      }),
    );
  });

  it('exports the rows shown as CSV', async () => {
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:audit';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    render(<AuditPage />, { wrapper: withApi(baseApi().handle('audit:list', () => entries)) });
    await screen.findByRole('table', { name: 'Audit log' });
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(clicked).toHaveBeenCalledTimes(1);
    expect((clicked.mock.instances[0] as unknown as HTMLAnchorElement).download).toMatch(/^outpost-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await blobs[0]!.text();
    expect(text.replace(/^\ufeff/, '')).toBe(auditCsv(entries));
  });
});

import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { PageHeader } from '../../components/PageHeader';
import { dateTime, formatDuration, money } from '../../lib/format';
import { useChannel } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { revealId, useRevealTarget } from '../palette/reveal';
import { PaymentChart, TARGET_MS } from './PaymentChart';

export function PaymentsPage() {
  const payments = useChannel('payments:list', {});
  const open = useUi((s) => s.open);
  const select = useUi((s) => s.select);
  const list = payments.data ?? [];
  useRevealTarget('payment', payments.data);
  return (
    <>
      <PageHeader title="Payments" subtitle="Each recorded payment provisions exactly one VM.">
        <GuardedButton channel="payments:record" onClick={() => open('payment')} inlineReason={false}>
          Record payment
        </GuardedButton>
      </PageHeader>
      {payments.error ? <ErrorNotice title="Could not load the payments" error={payments.error} /> : null}
      {payments.data && list.length === 0 ? (
        <EmptyState title="No payments recorded" action={<GuardedButton channel="payments:record" onClick={() => open('payment')}>Record the first payment</GuardedButton>}>
          <p>When a customer pays, record the payment here: Outpost provisions their VM and tracks the time from payment to enrolled against the 5-minute target.</p>
        </EmptyState>
      ) : null}
      {list.length > 0 ? (
        <>
          <PaymentChart payments={list} />
          <div className="table-wrap">
            <table className="simple-table" aria-label="Payments">
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Customer</th>
                  <th scope="col" className="num">Amount</th>
                  <th scope="col">Plan</th>
                  <th scope="col">Status</th>
                  <th scope="col">Recorded</th>
                  <th scope="col" className="num">Time to enrolled</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr key={p.id} id={revealId('payment', p.id)}>
                    <td className="mono">
                      {p.instanceId ? (
                        <button type="button" className="link" onClick={() => select(p.instanceId)}>
                          {p.reference}
                        </button>
                      ) : (
                        p.reference
                      )}
                    </td>
                    <td>{p.customer}</td>
                    <td className="num">{money(p.amountCents, p.currency)}</td>
                    <td>
                      {p.plan} · {p.region}
                    </td>
                    <td>
                      <Badge>{p.status}</Badge>
                    </td>
                    <td>{dateTime(p.recordedAt)}</td>
                    <td className={`num${p.timeToEnrolledMs !== null && p.timeToEnrolledMs > TARGET_MS ? ' late' : ''}`}>{formatDuration(p.timeToEnrolledMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}

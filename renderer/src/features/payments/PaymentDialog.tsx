// Record a customer payment: it provisions exactly one VM (the reference is unique). Validated with
// the contract's PaymentRequest schema; after submit the dialog follows the job live.
import { PaymentRequest } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { FormDialog, FormResult, SubmitActions } from '../../components/FormDialog';
import { useFormFields } from '../../lib/use-form-fields';
import { fieldErrors, withoutEmpty } from '../../lib/zod-errors';
import { useChannelMutation } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { JobCard } from '../jobs/JobCard';
import { RegionCards } from '../provision/RegionCards';
import { ServerTypeCards } from '../provision/ServerTypeCards';
import { unavailableReason, useCatalogChoices } from '../provision/use-catalog-choices';

type Values = { reference: string; customer: string; contact: string; amount: string; currency: string; plan: string; region: string; note: string };

function PaymentForm({ initial }: { initial: Values }) {
  const { values, set, blur, shown, onSubmit } = useFormFields(initial);
  const { regions, types, error: loadError } = useCatalogChoices(values.plan);
  const record = useChannelMutation('payments:record', ['payments:list', 'jobs:list', 'instances:page']);
  const close = useUi((s) => s.open);

  const amount = values.amount.trim() === '' ? Number.NaN : Number(values.amount.replace(',', '.'));
  const request = { ...withoutEmpty(values, ['contact', 'note']), amount };
  const errors = fieldErrors(PaymentRequest, request);
  if (Number.isNaN(amount)) errors.amount = 'enter the amount, e.g. 9.90';
  const regionProblem = unavailableReason(regions.data, values.region);
  if (regionProblem) errors.region ??= regionProblem;
  const show = shown(errors);

  if (record.data) {
    const { payment, created } = record.data;
    return (
      <FormResult
        status={created ? `Payment ${payment.reference} recorded: its VM is being provisioned.` : `Payment ${payment.reference} was already recorded: no second VM was started.`}
        onDone={() => close(null)}
      >
        {payment.jobId ? <JobCard jobId={payment.jobId} request={{ serverType: values.plan, region: values.region }} /> : null}
      </FormResult>
    );
  }

  return (
    <form className="form" onSubmit={onSubmit(errors, () => record.mutate(PaymentRequest.parse(request)))} noValidate aria-label="Record a payment">
      {loadError ? <ErrorNotice title="Could not load the catalog" error={loadError} /> : null}
      <div className="form-grid">
        <Field label="Reference" error={show('reference')} help="The payment's id at your provider; one VM per reference.">
          <input data-autofocus value={values.reference} onChange={(e) => set('reference', e.target.value)} onBlur={blur('reference')} autoComplete="off" />
        </Field>
        <Field label="Customer" error={show('customer')}>
          <input value={values.customer} onChange={(e) => set('customer', e.target.value)} onBlur={blur('customer')} autoComplete="off" />
        </Field>
        <Field label="Amount" error={show('amount')}>
          <input inputMode="decimal" value={values.amount} onChange={(e) => set('amount', e.target.value)} onBlur={blur('amount')} autoComplete="off" />
        </Field>
        <Field label="Currency" error={show('currency')}>
          <input value={values.currency} maxLength={3} onChange={(e) => set('currency', e.target.value.toUpperCase())} onBlur={blur('currency')} />
        </Field>
        <Field label="Contact (optional)" error={show('contact')}>
          <input value={values.contact} onChange={(e) => set('contact', e.target.value)} onBlur={blur('contact')} autoComplete="off" />
        </Field>
        <Field label="Note (optional)" error={show('note')}>
          <input value={values.note} onChange={(e) => set('note', e.target.value)} onBlur={blur('note')} autoComplete="off" />
        </Field>
      </div>
      <ServerTypeCards types={types} region={values.region} value={values.plan} onChange={(t) => set('plan', t)} error={show('plan')} />
      <RegionCards regions={regions.data ?? []} value={values.region} onChange={(r) => set('region', r)} error={show('region')} />
      {record.error ? <ErrorNotice title="Payment not recorded" error={record.error} context={{ serverType: values.plan, region: values.region }} /> : null}
      <SubmitActions channel="payments:record" pending={record.isPending} label="Record and provision" pendingLabel="Recording…" onCancel={() => close(null)} />
    </form>
  );
}

export function PaymentDialog() {
  const close = useUi((s) => s.open);
  return (
    <FormDialog title="Record payment" description="A recorded payment provisions exactly one VM for the customer." onClose={() => close(null)}>
      {(settings) => (
        <PaymentForm
          initial={{ reference: '', customer: '', contact: '', amount: '', currency: 'EUR', plan: settings?.defaultServerType ?? '', region: settings?.defaultRegion ?? '', note: '' }}
        />
      )}
    </FormDialog>
  );
}

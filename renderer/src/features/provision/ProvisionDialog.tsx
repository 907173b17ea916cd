// Provision a VM: region cards, server types, image, agent and customer. Validated inline with the
// contract's ProvisionRequest schema; on submit the dialog follows the new job live.
import { ProvisionRequest } from '../../../../shared/contract';
import { PROVISION_QUANTITY_MAX } from '../../../../shared/domain';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { FormDialog, FormResult, SubmitActions } from '../../components/FormDialog';
import { useFormFields } from '../../lib/use-form-fields';
import { fieldErrors, withoutEmpty } from '../../lib/zod-errors';
import { useChannel, useChannelMutation } from '../../queries/use-channel';
import { useUi } from '../../stores/ui';
import { GroupCard } from '../jobs/GroupCard';
import { JobCard } from '../jobs/JobCard';
import { instanceIdsOf, useInstancesById } from '../jobs/use-job-instances';
import { RegionCards } from './RegionCards';
import { ServerTypeCards } from './ServerTypeCards';
import { unavailableReason, useCatalogChoices } from './use-catalog-choices';

type Values = { region: string; serverType: string; image: string; agentName: string; customer: string; name: string; quantity: string };

/** The request the form stands for: empty optionals dropped, quantity sent only when it is not 1. */
function requestOf(values: Values) {
  const { quantity: typed, ...rest } = values;
  const quantity = typed.trim() === '' ? Number.NaN : Number(typed);
  return { ...withoutEmpty(rest, ['customer', 'name']), ...(quantity === 1 ? {} : { quantity }) };
}

function ProvisionForm({ initial }: { initial: Values }) {
  const { values, set, blur, shown, onSubmit } = useFormFields(initial);
  const { regions, types, images, error: loadError } = useCatalogChoices(values.serverType);
  const start = useChannelMutation('provision:start', ['jobs:list', 'instances:page', 'regions:list']);
  const go = useUi((s) => s.go);
  const close = useUi((s) => s.open);

  const request = requestOf(values);
  const errors = fieldErrors(ProvisionRequest, request);
  const batch = request.quantity !== undefined && request.quantity > 1;
  if (batch && request.name) errors.name ??= 'leave the VM name empty for more than one VM: each gets the agent name and a unique suffix';
  const regionProblem = unavailableReason(regions.data, values.region);
  if (regionProblem) errors.region ??= regionProblem;
  const show = shown(errors);

  if (start.data?.groupId) {
    const groupId = start.data.groupId;
    return (
      <FormResult
        status={`Provisioning ${start.data.jobs.length} VMs started as one group. Follow it here or in Jobs; you can close this dialog.`}
        onDone={() => close(null)}
        actions={
          <button type="button" className="btn" onClick={() => (close(null), go('jobs'))}>
            Open Jobs
          </button>
        }
      >
        <BatchResult groupId={groupId} />
      </FormResult>
    );
  }

  if (start.data) {
    return (
      <FormResult
        status="Provisioning started. Follow it here or in Jobs; you can close this dialog."
        onDone={() => close(null)}
        actions={
          <button type="button" className="btn" onClick={() => (close(null), go('jobs'))}>
            Open Jobs
          </button>
        }
      >
        <JobCard jobId={start.data.jobId} request={{ serverType: values.serverType, region: values.region }} />
      </FormResult>
    );
  }

  return (
    <form className="form" onSubmit={onSubmit(errors, () => start.mutate(ProvisionRequest.parse(request)))} noValidate aria-label="Provision a VM">
      {loadError ? <ErrorNotice title="Could not load the catalog" error={loadError} /> : null}
      <ServerTypeCards types={types} region={values.region} value={values.serverType} onChange={(t) => set('serverType', t)} error={show('serverType')} />
      <RegionCards regions={regions.data ?? []} value={values.region} onChange={(r) => set('region', r)} error={show('region')} />
      <div className="form-grid">
        <Field label="Image" error={show('image')}>
          <select value={values.image} onChange={(e) => set('image', e.target.value)} onBlur={blur('image')}>
            <option value="">Choose an image</option>
            {images.map((i) => (
              <option key={i.name} value={i.name}>
                {i.description || i.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Agent" error={show('agentName')} help="What runs on the VM, e.g. build-runner.">
          <input value={values.agentName} onChange={(e) => set('agentName', e.target.value)} onBlur={blur('agentName')} autoComplete="off" />
        </Field>
        <Field label="Customer (optional)" error={show('customer')}>
          <input value={values.customer} onChange={(e) => set('customer', e.target.value)} onBlur={blur('customer')} autoComplete="off" />
        </Field>
        <Field label="VM name (optional)" error={show('name')} help="Also its tailnet hostname. Generated from the agent when empty.">
          <input value={values.name} onChange={(e) => set('name', e.target.value)} onBlur={blur('name')} autoComplete="off" spellCheck={false} />
        </Field>
        <Field label="Quantity" error={show('quantity')} help={`VMs of this plan, 1–${PROVISION_QUANTITY_MAX}; more than one are followed as one group.`}>
          <input type="number" inputMode="numeric" min={1} max={PROVISION_QUANTITY_MAX} step={1} value={values.quantity} onChange={(e) => set('quantity', e.target.value)} onBlur={blur('quantity')} />
        </Field>
      </div>
      {start.error ? <ErrorNotice title="Provisioning refused" error={start.error} context={{ serverType: values.serverType, region: values.region }} /> : null}
      <SubmitActions channel="provision:start" pending={start.isPending} label={batch ? `Provision ${request.quantity} VMs` : 'Provision'} pendingLabel="Starting…" onCancel={() => close(null)} />
    </form>
  );
}

/** The batch just started, read from the jobs list (kept live by job events) like the Jobs page. */
function BatchResult({ groupId }: { groupId: string }) {
  const jobs = useChannel('jobs:list', { limit: 200 });
  const group = (jobs.data ?? []).filter((j) => j.groupId === groupId).reverse();
  const byId = useInstancesById(instanceIdsOf(group));
  if (group.length === 0) return <div className="job-card loading" aria-busy="true">Loading the group…</div>;
  return <GroupCard groupId={groupId} jobs={group} byId={byId} />;
}

export function ProvisionDialog() {
  const close = useUi((s) => s.open);
  return (
    <FormDialog title="Provision a VM" description="A Hetzner server that boots, installs Tailscale and joins your tailnet with a single-use key." onClose={() => close(null)}>
      {(settings) => (
        <ProvisionForm
          initial={{
            region: settings?.defaultRegion ?? '',
            serverType: settings?.defaultServerType ?? '',
            image: settings?.defaultImage ?? 'ubuntu-24.04',
            agentName: '',
            customer: '',
            name: '',
            quantity: '1',
          }}
        />
      )}
    </FormDialog>
  );
}

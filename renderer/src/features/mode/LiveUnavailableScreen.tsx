// Live mode was asked for and cannot be used: the whole window says why and what to do, and nothing
// else is reachable — core refuses every other channel anyway, and a half-working panel would invite
// the question "is this live?". Switching to sandbox is a deliberate click that saves the setting;
// it takes effect at the next start (the only path that builds a runtime), and the screen says so.
import type { AppInfo, LiveUnavailable } from '../../../../shared/domain';
import { ErrorNotice } from '../../components/ErrorNotice';
import { GuardedButton } from '../../components/GuardedButton';
import { useChannelMutation } from '../../queries/use-channel';

/** After saving sandbox, what the operator still has to do, per who asked for live. */
const AFTER_SWITCH: Record<LiveUnavailable['requestedBy'], string> = {
  option: 'Saved. Start Outpost again without --mode live (the option overrides the saved setting): it will open in sandbox.',
  setting: 'Saved. Restart Outpost: it will open in sandbox.',
  environment: 'Saved. Restart Outpost: it will open in sandbox (the saved setting wins over the OUTPOST_* credentials in the environment).',
};

const SWITCH = { mode: 'sandbox' } as const;

export function LiveUnavailableScreen({ info, blocked }: { info: AppInfo; blocked: LiveUnavailable }) {
  const save = useChannelMutation('settings:update', ['settings:get']);
  const restart = useChannelMutation('app:restart');
  // A relaunch keeps the command line, so one started with --mode live would open blocked again.
  const canRestartInto = info.canRestart && blocked.requestedBy !== 'option';
  return (
    <main className="content" aria-labelledby="live-unavailable-title">
      <section className="settings-section" role="alert">
        <h1 id="live-unavailable-title">Live mode unavailable</h1>
        <p>{blocked.reason}</p>
        <p className="hint">{blocked.hint}</p>
        <p className="muted">
          Outpost is stopped: it will not use the simulated clouds in place of live ones, and shows no fleet until live mode works or you
          switch to sandbox on purpose.
        </p>
        {info.notices.map((n) => (
          <p key={n} className="notices-banner" role="note">
            {n}
          </p>
        ))}
        <div className="form-actions">
          <GuardedButton channel="settings:update" request={SWITCH} className="btn" disabled={save.isPending || save.isSuccess} onClick={() => save.mutate(SWITCH)}>
            Switch to sandbox
          </GuardedButton>
        </div>
        {save.isSuccess ? <p role="status">{AFTER_SWITCH[blocked.requestedBy]}</p> : null}
        {save.isSuccess && canRestartInto ? (
          <div className="form-actions">
            <GuardedButton channel="app:restart" request={{}} className="btn btn-primary" disabled={restart.isPending || restart.isSuccess} onClick={() => restart.mutate({})}>
              {restart.isSuccess ? 'Restarting…' : 'Restart now'}
            </GuardedButton>
          </div>
        ) : null}
        {restart.error ? <ErrorNotice title="Outpost did not restart" error={restart.error} /> : null}
        {save.error ? <ErrorNotice title="The setting was not saved" error={save.error} /> : null}
        <p className="small muted">Data directory: {info.dataDir}</p>
      </section>
    </main>
  );
}

import type { ReactNode } from 'react';
import { SERVER_GONE } from '../../../shared/instance-status';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';

const TONES: Record<string, Tone> = {
  running: 'ok',
  online: 'ok',
  succeeded: 'ok',
  fulfilled: 'ok',
  provisioning: 'warn',
  pending: 'warn',
  destroying: 'warn',
  queued: 'info',
  recorded: 'info',
  compensating: 'warn',
  failed: 'bad',
  offline: 'bad',
  gone: 'neutral',
  cancelled: 'neutral',
  destroyed: 'neutral',
  [SERVER_GONE]: 'bad',
  refused: 'warn',
  error: 'bad',
  ok: 'ok',
};

export const toneOf = (value: string): Tone => TONES[value] ?? 'neutral';

export function Badge({ tone, children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  const t = tone ?? (typeof children === 'string' ? toneOf(children) : 'neutral');
  return (
    <span className={`badge badge-${t}`} title={title}>
      {children}
    </span>
  );
}

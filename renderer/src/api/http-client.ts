// Browser mode's OutpostApi: POST <base>rpc/<channel> for calls, one EventSource for events.
// The page is served at http://127.0.0.1:<port>/<secret>/, so relative URLs carry the secret.
import type { Channel, EventName, EventPayload, OutpostApi, Req, Res } from '../../../shared/contract';
import { OutpostError, type Result } from '../../../shared/errors';

export function createHttpApi(base: URL): OutpostApi {
  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  const ensureSource = (): EventSource => {
    if (source) return source;
    source = new EventSource(new URL('events', base));
    return source;
  };

  return {
    async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
      let response: Response;
      try {
        response = await fetch(new URL(`rpc/${encodeURIComponent(channel)}`, base), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
        });
      } catch {
        throw new OutpostError('unavailable', 'Outpost is not answering.', {
          hint: 'Check that `npm run web` (or `outpost web`) is still running, then reload.',
        });
      }
      const result = (await response.json().catch(() => null)) as Result<Res<C>> | null;
      if (!result) throw new OutpostError('internal', `Unexpected answer (HTTP ${response.status}).`);
      if (!result.ok) throw OutpostError.fromBody(result.error);
      return result.data;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const es = ensureSource();
      let set = listeners.get(event);
      if (!set) {
        const fresh = new Set<(payload: unknown) => void>();
        listeners.set(event, fresh);
        es.addEventListener(event, (message) => {
          const payload = JSON.parse((message as unknown as { data: string }).data) as unknown;
          for (const l of fresh) l(payload);
        });
        set = fresh;
      }
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}

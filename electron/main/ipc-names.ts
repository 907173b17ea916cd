// The two IPC names outside the contract. Main and preload both import them from here, so the
// event channel and the ready signal cannot drift apart. No `electron` import: the preload bundles it.

/** main -> renderer: every contract event, as `{ event, payload }`. */
export const EVENT_CHANNEL = 'outpost:event';

/** renderer -> main: the preload has exposed window.outpost; queued events may flow. */
export const RENDERER_READY_CHANNEL = 'app:renderer-ready';

// The two IPC names outside the contract live in shared/channel-names.ts, so the sandboxed preload
// (which may import only shared/) and main cannot drift apart.
export { EVENT_CHANNEL, RENDERER_READY_CHANNEL } from '../../shared/channel-names';

// The renderer's only door to the main process: window.outpost in Electron, HTTP + SSE in browser
// mode and on a team server, or whatever a test injects. Everything else in the renderer calls getApi().
import type { OutpostApi } from '../../../shared/contract';
import { electronApi } from './electron-api';
import { createHttpApi, servedByTeamServer } from './http-client';

declare global {
  interface Window {
    outpost?: OutpostApi;
  }
}

let api: OutpostApi | undefined;

export function getApi(): OutpostApi {
  api ??= window.outpost
    ? electronApi(window.outpost)
    : createHttpApi(new URL('.', window.location.href), { team: servedByTeamServer(document), onSignedOut: (signIn) => window.location.assign(signIn.href) });
  return api;
}

/** For component tests: use a fake instead of a real transport. */
export function setApi(replacement: OutpostApi): void {
  api = replacement;
}

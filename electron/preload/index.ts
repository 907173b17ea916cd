// The preload: exposes window.outpost and nothing else, then tells main the page can take events.
// Bundled into one CJS file (sandbox: true allows no module loading at run time).
import { contextBridge, ipcRenderer } from 'electron';
import { RENDERER_READY_CHANNEL } from '../../shared/channel-names';
import { buildApi } from './api';

contextBridge.exposeInMainWorld('outpost', buildApi(ipcRenderer));
ipcRenderer.send(RENDERER_READY_CHANNEL);

// A thin named-export stand-in for the `electron` module (vitest aliases `electron` here). The
// real module cannot load without the binary. Each fake records what the shell did to it, and
// tests steer behaviour through the exported `stub` controls; `resetElectronStub()` between tests.
// Fakes stand in for many differently-typed Electron listeners; the real types live in electron.d.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => unknown;

export class FakeEmitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }
  emit(event: string, ...args: unknown[]): boolean {
    const ls = this.listeners.get(event) ?? [];
    for (const l of ls) l(...args);
    return ls.length > 0;
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }
}

/** A DOM-ish event whose preventDefault the guards are expected to call. */
export function fakeEvent<T extends object>(extra?: T): T & { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    ...(extra ?? ({} as T)),
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  devToolsOpen = false;
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  closeDevTools(): void {
    this.devToolsOpen = false;
  }
}

export class BrowserWindow extends FakeEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  focused = false;
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((w) => !w.destroyed);
  }
}

class FakeApp extends FakeEmitter {
  isPackaged = false;
  singleInstanceLock = true;
  quitCalls = 0;
  userDataDir = '/tmp/outpost-stub-userdata';
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  quit(): void {
    this.quitCalls += 1;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(_name: string): string {
    return this.userDataDir;
  }
  getVersion(): string {
    return '0.0.0-stub';
  }
}
export const app = new FakeApp();

/** ipcMain: records handlers; `invoke` drives one the way Electron would. */
class FakeIpcMain extends FakeEmitter {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    // Electron refuses a second handler for the same channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}
export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends FakeEmitter {
  readonly sentMessages: { channel: string; args: unknown[] }[] = [];
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  invokeImpl: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => ({ ok: true, data: null });
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.invokeImpl(channel, ...args);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sentMessages.push({ channel, args });
  }
}
export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    if (Object.hasOwn(this.exposed, key)) throw new Error(`Cannot bind an API on top of an existing property: ${key}`);
    this.exposed[key] = api;
  },
};

class FakeSession extends FakeEmitter {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener | null): void {
    this.permissionCheckHandler = handler;
  }
}
export const session = { defaultSession: new FakeSession(), FakeSession };

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`Scheme ${scheme} already handled`);
    this.handlers.set(scheme, handler);
  },
};

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
  shownInFolder: [] as string[],
  showItemInFolder(path: string): void {
    this.shownInFolder.push(path);
  },
  async openPath(path: string): Promise<string> {
    this.opened.push(path);
    return '';
  },
};

/** Menu: keeps the application menu's template (buildFromTemplate returns it as is). */
export const Menu = {
  application: null as unknown,
  buildFromTemplate: (template: unknown[]) => template,
  setApplicationMenu(menu: unknown): void {
    this.application = menu;
  },
};

/** dialog: the save dialog answers `saveAnswer` (default: cancelled); error boxes are recorded. */
export const dialog = {
  saveAnswer: undefined as string | undefined,
  errors: [] as { title: string; content: string }[],
  async showSaveDialog(_options: unknown): Promise<{ canceled: boolean; filePath: string }> {
    return { canceled: this.saveAnswer === undefined, filePath: this.saveAnswer ?? '' };
  },
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
};

/** Reversible, visibly-not-plaintext fake; availability and backend are test-controlled. */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): string {
    return this.backend;
  },
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('STUBENC:'), Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)]);
  },
  decryptString(data: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    const prefix = Buffer.from('STUBENC:');
    if (!data.subarray(0, prefix.length).equals(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(data.subarray(prefix.length).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

export class Notification extends FakeEmitter {
  static supported = true;
  static readonly shown: Notification[] = [];
  constructor(readonly options: { title: string; body?: string; silent?: boolean }) {
    super();
  }
  static isSupported(): boolean {
    return Notification.supported;
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const net = {
  fetch(): Promise<Response> {
    return Promise.reject(new Error('net.fetch is not stubbed'));
  },
};

export const webContents = {
  getAllWebContents: (): FakeWebContents[] => BrowserWindow.getAllWindows().map((w) => w.webContents),
};

/** Puts every fake back to its initial state. */
export function resetElectronStub(): void {
  BrowserWindow.created.length = 0;
  app.removeAllListeners();
  app.isPackaged = false;
  app.singleInstanceLock = true;
  app.quitCalls = 0;
  app.userDataDir = '/tmp/outpost-stub-userdata';
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.removeAllListeners();
  ipcRenderer.sentMessages.length = 0;
  ipcRenderer.invocations.length = 0;
  ipcRenderer.invokeImpl = async () => ({ ok: true, data: null });
  for (const key of Object.keys(contextBridge.exposed)) delete contextBridge.exposed[key];
  session.defaultSession = new FakeSession();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  shell.opened.length = 0;
  shell.shownInFolder.length = 0;
  Menu.application = null;
  dialog.saveAnswer = undefined;
  dialog.errors.length = 0;
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  Notification.supported = true;
  Notification.shown.length = 0;
}

export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, session, protocol, shell, safeStorage, Notification, net, webContents, Menu, dialog };

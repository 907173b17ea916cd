// The runtime the panel runs in, read from the user agent: Electron's adds `Electron/x` next to
// `Chrome/y`, a browser names itself. The renderer has no Node; the full list (Node, OS) is in the
// diagnostics archive.
export interface RuntimeVersions {
  electron: string | null;
  chromium: string | null;
  /** A short description when not the desktop app, e.g. "Firefox 140.0". */
  browser: string | null;
}

export function runtimeFromUserAgent(ua: string): RuntimeVersions {
  const version = (name: string) => new RegExp(`\\b${name}/([\\d.]+)`).exec(ua)?.[1] ?? null;
  const electron = version('Electron');
  const chromium = version('Chrome') ?? version('Chromium');
  if (electron) return { electron, chromium, browser: null };
  const firefox = version('Firefox');
  const safari = !chromium && /Safari\//.test(ua) ? version('Version') : null;
  const browser = firefox ? `Firefox ${firefox}` : chromium ? `Chromium ${chromium}` : safari ? `Safari ${safari}` : null;
  return { electron: null, chromium, browser };
}

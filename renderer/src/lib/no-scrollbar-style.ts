// Radix's modal dialogs lock the page's scroll with react-remove-scroll, whose scrollbar part
// (react-remove-scroll-bar) injects a <style> element. The panel's CSP (style-src 'self') refuses
// inline styles, so Chromium logged an error on every dialog and the style never applied anyway.
// Both builds alias 'react-remove-scroll-bar' to this module (vite.renderer.config.ts,
// electron.vite.config.ts): styles.css locks the page instead (body:has(.overlay)), and the wheel and
// touch blocking outside the dialog stays with react-remove-scroll.
export function RemoveScrollBar(): null {
  return null;
}

import type { ReactNode } from 'react';
import type { AppInfo } from '../../../shared/domain';
import { ModeBar } from '../features/mode/ModeBar';
import { TeamBanner } from '../features/mode/TeamBanner';
import { PaletteButton } from '../features/palette/PaletteButton';
import { PAGES, useUi, type Page } from '../stores/ui';

export const LABELS: Record<Page, string> = {
  fleet: 'Fleet',
  jobs: 'Jobs',
  payments: 'Payments',
  regions: 'Regions',
  audit: 'Audit',
  settings: 'Settings',
};

const ICONS: Record<Page, string> = { fleet: '▦', jobs: '↻', payments: '€', regions: '◎', audit: '☰', settings: '⚙' };

export function Layout({ info, children }: { info: AppInfo | undefined; children: ReactNode }) {
  const page = useUi((s) => s.page);
  const go = useUi((s) => s.go);
  return (
    <div className="app">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      {info ? <ModeBar info={info} /> : null}
      {info ? <TeamBanner info={info} /> : null}
      {info?.notices.map((n) => (
        <div key={n} className="notices-banner" role="note">
          {n}
        </div>
      ))}
      {info?.role === 'support' ? (
        <div className="support-banner" role="note">
          Support role: read-only. Provisioning, payments and destroy are disabled.
        </div>
      ) : null}
      <div className="shell">
        <aside className="sidebar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">◆</span> Outpost
          </div>
          <PaletteButton />
          <nav aria-label="Main">
            <ul>
              {PAGES.map((p, i) => (
                <li key={p}>
                  <button
                    type="button"
                    className={p === page ? 'nav-item active' : 'nav-item'}
                    aria-current={p === page ? 'page' : undefined}
                    aria-keyshortcuts={`Alt+${i + 1}`}
                    onClick={() => go(p)}
                  >
                    <span className="nav-icon" aria-hidden="true">
                      {ICONS[p]}
                    </span>
                    {LABELS[p]}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {info ? (
            <footer className="sidebar-footer" aria-label="About">
              <div>
                <span className={`mode-dot mode-${info.mode}`} aria-hidden="true" /> {info.mode} · {info.role}
              </div>
              <div>v{info.version}</div>
              <div className="kbd-help">
                <kbd>Ctrl</kbd>+<kbd>K</kbd> find or run · <kbd>/</kbd> search · <kbd>Alt</kbd>+<kbd>1–6</kbd> pages
              </div>
            </footer>
          ) : null}
        </aside>
        <main id="main-content" className="content" aria-label={LABELS[page]} tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

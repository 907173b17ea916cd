import type { ReactNode } from 'react';
import type { AppInfo } from '../../../shared/domain';
import { PAGES, useUi, type Page } from '../stores/ui';

const LABELS: Record<Page, string> = {
  fleet: 'Fleet',
  jobs: 'Jobs',
  payments: 'Payments',
  regions: 'Regions',
  audit: 'Audit',
  settings: 'Settings',
};

export function Layout({ info, children }: { info: AppInfo | undefined; children: ReactNode }) {
  const page = useUi((s) => s.page);
  const go = useUi((s) => s.go);
  return (
    <div className="app">
      {info?.mode === 'sandbox' ? (
        <div className="sandbox-banner" role="status">
          Sandbox: simulated Hetzner and Tailscale. Nothing here costs money or touches your tailnet.
        </div>
      ) : null}
      <div className="shell">
        <aside className="sidebar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">◆</span> Outpost
          </div>
          <nav aria-label="Main">
            <ul>
              {PAGES.map((p) => (
                <li key={p}>
                  <button
                    type="button"
                    className={p === page ? 'nav-item active' : 'nav-item'}
                    aria-current={p === page ? 'page' : undefined}
                    onClick={() => go(p)}
                  >
                    {LABELS[p]}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {info ? (
            <footer className="sidebar-footer" aria-label="About">
              <div>v{info.version}</div>
              <div>
                {info.mode} · {info.role}
              </div>
            </footer>
          ) : null}
        </aside>
        <main className="content" aria-label={LABELS[page]}>
          {children}
        </main>
      </div>
    </div>
  );
}

export const pageTitle = (page: Page): string => LABELS[page];

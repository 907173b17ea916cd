// The two pages a person sees before the panel: sign-in, and the one-time link's "choose your
// password". Plain HTML with one script and one stylesheet from this server — the CSP of shared/csp.ts
// allows no inline script or style — and no framework: they must work when nothing else has loaded.
// All links are relative, so a server behind a proxy at https://host/outpost/ works unchanged.

/** Served at auth/assets/<name>. */
export const PAGE_ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  'auth.js': { type: 'text/javascript; charset=utf-8', body: script() },
  'auth.css': { type: 'text/css; charset=utf-8', body: style() },
};

const head = (title: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <meta name="referrer" content="no-referrer" />
    <title>${title} · Outpost</title>
    <link rel="icon" href="favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="auth/assets/auth.css" />
    <script type="module" src="auth/assets/auth.js"></script>
  </head>`;

/** GET signin. `signedInAs`: the session's user, when the browser already has one (then: open the panel, or sign out). */
export function signInPage(signedInAs: { name: string; role: string } | null): string {
  const body = signedInAs
    ? `<section aria-labelledby="title">
        <h1 id="title">Outpost</h1>
        <p>You are signed in as <strong>${escapeHtml(signedInAs.name)}</strong> (${escapeHtml(signedInAs.role)}).</p>
        <p><a href="./">Open the panel</a></p>
        <form id="signout" data-form="signout" novalidate>
          <p id="message" role="alert" hidden></p>
          <button type="submit">Sign out</button>
        </form>
      </section>`
    : `<section aria-labelledby="title">
        <h1 id="title">Sign in to Outpost</h1>
        <form id="signin" data-form="signin" novalidate>
          <label for="name">Name</label>
          <input id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <p id="message" role="alert" hidden></p>
          <button type="submit">Sign in</button>
        </form>
        <p class="note">No password yet, or forgot it? Ask an operator for a one-time sign-in link.</p>
      </section>`;
  return `${head('Sign in')}
  <body>
    <main>
      ${body}
    </main>
  </body>
</html>
`;
}

/** GET invite: the link's token is in the fragment, which only the page's script reads. */
export function invitePage(): string {
  return `${head('Choose a password')}
  <body>
    <main>
      <section aria-labelledby="title">
        <h1 id="title">Choose your Outpost password</h1>
        <form id="invite" data-form="invite" novalidate>
          <p>At least 12 characters, not all of one kind: a few unrelated words with a space or a digit between them work well.</p>
          <label for="password">New password</label>
          <input id="password" name="password" type="password" autocomplete="new-password" required />
          <label for="confirm">The same password again</label>
          <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
          <p id="message" role="alert" hidden></p>
          <button type="submit">Set password and sign in</button>
        </form>
      </section>
    </main>
  </body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function script(): string {
  // Plain browser JavaScript (no build step), kept small and readable.
  return `// Outpost team server: the sign-in, sign-out and one-time-link forms.
const form = document.querySelector('form[data-form]');
const message = document.getElementById('message');
const show = (text) => {
  message.textContent = text;
  message.hidden = false;
};

async function post(path, body, csrf) {
  const headers = { 'Content-Type': 'application/json' };
  if (csrf) headers['X-Outpost-CSRF'] = csrf;
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    return { ok: false, error: { message: 'The server is not answering. Check your connection and try again.' } };
  }
  const answer = await response.json().catch(() => null);
  return answer ?? { ok: false, error: { message: 'Unexpected answer (HTTP ' + response.status + ').' } };
}

const explain = (error) => (error.hint ? error.message + ' ' + error.hint : error.message);

// The one-time link's token is after '#': the browser never sent it anywhere. Keep it in memory and take
// it out of the address bar and the history, so it is not left behind on this machine.
const token = form?.dataset.form === 'invite' ? location.hash.slice(1) : '';
if (form?.dataset.form === 'invite') {
  history.replaceState(null, '', location.pathname + location.search);
  if (!token) show('This page needs the whole sign-in link, including the part after #. Open the link again from the message you received.');
}

form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    let answer;
    if (form.dataset.form === 'signin') {
      answer = await post('auth/signin', { name: form.elements.name.value, password: form.elements.password.value });
    } else if (form.dataset.form === 'invite') {
      if (form.elements.password.value !== form.elements.confirm.value) return show('The two passwords differ. Type the same password twice.');
      answer = await post('auth/invite', { token, password: form.elements.password.value });
    } else {
      const session = await fetch('auth/session', { credentials: 'same-origin' }).then((r) => r.json()).catch(() => null);
      answer = await post('auth/signout', {}, session?.ok ? session.data.csrfToken : undefined);
      if (answer.ok) return location.replace('signin');
    }
    if (answer.ok) return location.replace('./');
    show(explain(answer.error));
  } finally {
    button.disabled = false;
  }
});
`;
}

function style(): string {
  return `:root { font-family: system-ui, sans-serif; color-scheme: light dark; --accent: #2563eb; --line: #8884; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { width: min(26rem, 100% - 2rem); }
section { border: 1px solid var(--line); border-radius: 0.75rem; padding: 1.5rem; }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
form { display: grid; gap: 0.5rem; }
label { font-weight: 600; margin-top: 0.5rem; }
input { font: inherit; padding: 0.5rem; border: 1px solid var(--line); border-radius: 0.375rem; background: Field; color: FieldText; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button { font: inherit; margin-top: 0.75rem; padding: 0.5rem 1rem; border: 0; border-radius: 0.375rem; background: var(--accent); color: #fff; cursor: pointer; }
button:disabled { opacity: 0.6; cursor: progress; }
#message { margin: 0.5rem 0 0; color: #b91c1c; }
@media (prefers-color-scheme: dark) { #message { color: #fca5a5; } }
.note { font-size: 0.875rem; opacity: 0.8; margin: 1rem 0 0; }
`;
}

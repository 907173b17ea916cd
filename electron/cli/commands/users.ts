// `outpost users …`: the team server's people, administered on its host (issue 16). Whoever can run
// this against the team's store is its administrator — the same trust as a shell on the server — so
// these commands are the way in when nobody can sign in yet (the first operator) or any more.
// Every change is audited with the host account as actor. Secrets printed here (a sign-in link, an
// API token) are printed once, to stdout only, and are never stored except as hashes.
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { inviteLink } from '../../core/auth/invite-link';
import { normalizeUserName } from '../../core/auth/names';
import { TEAM_ROLES, UserService, type AuditActor, type TeamRole, type UserInfo } from '../../core/auth/users';
import { Store } from '../../core/db/store';
import type { Mode } from '../../boot/runtime';
import { DATABASE_URL_ENV, describeStoreLocation, teamStoreLocation } from '../../boot/team-store';
import { dim, table } from '../format';

export const BASE_URL_ENV = 'OUTPOST_BASE_URL';

interface UsersCli {
  dataDir: string;
  mode?: Mode | undefined;
}

interface StoreOpts {
  database?: string;
  json?: boolean;
}

type Print = (line: string) => void;

/** The host account running the command, as the audit's actor: `root (command line)`. */
export function commandLineActor(): AuditActor {
  let name = 'host administrator';
  try {
    name = normalizeUserName(userInfo().username);
  } catch {
    // an account name with odd characters (or none): the generic actor
  }
  return { actor: `${name} (command line)`, role: 'operator' };
}

async function withUsers<T>(cli: UsersCli, opts: StoreOpts, print: Print, fn: (users: UserService) => Promise<T>): Promise<T> {
  const location = teamStoreLocation({ dataDir: cli.dataDir, mode: cli.mode, database: opts.database });
  const store = await Store.open(location);
  try {
    if (!opts.json) print(dim(describeStoreLocation(location)));
    return await fn(new UserService(store));
  } finally {
    await store.close();
  }
}

/** The sign-in link, or — with no base URL known — its path and how to complete it. */
function linkLines(baseUrl: string | undefined, token: string, name: string, expiresAt: string): string[] {
  const until = `valid once, until ${expiresAt.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC')}`;
  if (baseUrl) return [`One-time sign-in link for ${name} (${until}):`, '', `  ${inviteLink(baseUrl, token)}`, '', 'Send it privately; whoever opens it first sets the password.'];
  return [
    `One-time sign-in path for ${name} (${until}); put the team server's address in front:`,
    '',
    `  /invite#${token}`,
    '',
    `Pass --base-url https://your-server (or set ${BASE_URL_ENV}) to get the whole link.`,
  ];
}

const userRows = (users: UserInfo[]): string =>
  users.length === 0
    ? 'No users yet. Add the first operator with: outpost users add NAME --role operator'
    : table([['NAME', 'ROLE', 'STATUS', 'CREATED'], ...users.map((u) => [u.name, u.role, u.status, u.createdAt.slice(0, 10)])]);

export async function runUsersAdd(cli: UsersCli, name: string, opts: StoreOpts & { role: TeamRole; baseUrl?: string }, print: Print = console.log): Promise<number> {
  const baseUrl = opts.baseUrl ?? process.env[BASE_URL_ENV];
  if (baseUrl) inviteLink(baseUrl, 'check'); // a wrong --base-url is refused before the user is added
  return withUsers(cli, opts, print, async (users) => {
    const { user, inviteUrlToken, inviteExpiresAt } = await users.addUser(name, opts.role, commandLineActor());
    if (opts.json) print(JSON.stringify({ user, inviteLink: baseUrl ? inviteLink(baseUrl, inviteUrlToken) : null, inviteToken: inviteUrlToken, inviteExpiresAt }));
    else print([`Added ${user.name} (${user.role}).`, ...linkLines(baseUrl, inviteUrlToken, user.name, inviteExpiresAt)].join('\n'));
    return 0;
  });
}

export async function runUsersInvite(cli: UsersCli, name: string, opts: StoreOpts & { baseUrl?: string }, print: Print = console.log): Promise<number> {
  const baseUrl = opts.baseUrl ?? process.env[BASE_URL_ENV];
  if (baseUrl) inviteLink(baseUrl, 'check');
  return withUsers(cli, opts, print, async (users) => {
    const { user, inviteUrlToken, inviteExpiresAt } = await users.newInvite({ name }, commandLineActor());
    if (opts.json) print(JSON.stringify({ user, inviteLink: baseUrl ? inviteLink(baseUrl, inviteUrlToken) : null, inviteToken: inviteUrlToken, inviteExpiresAt }));
    else print([...linkLines(baseUrl, inviteUrlToken, user.name, inviteExpiresAt), 'Older links of this user no longer work; using this one sets a new password and signs them out everywhere.'].join('\n'));
    return 0;
  });
}

export async function runUsersList(cli: UsersCli, opts: StoreOpts, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    const list = await users.listUsers();
    print(opts.json ? JSON.stringify(list) : userRows(list));
    return 0;
  });
}

export async function runUsersDisable(cli: UsersCli, name: string, opts: StoreOpts, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    const user = await users.disableUser({ name }, commandLineActor());
    print(opts.json ? JSON.stringify(user) : `Disabled ${user.name}: signed out everywhere, API tokens revoked, sign-in links void. Undo with: outpost users enable NAME`);
    return 0;
  });
}

export async function runUsersEnable(cli: UsersCli, name: string, opts: StoreOpts, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    const user = await users.enableUser({ name }, commandLineActor());
    print(opts.json ? JSON.stringify(user) : `Enabled ${user.name}: their password works again; revoked API tokens stay revoked.`);
    return 0;
  });
}

export async function runUsersRemove(cli: UsersCli, name: string, opts: StoreOpts, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    const user = await users.getUser({ name });
    await users.removeUser({ id: user.id }, commandLineActor());
    print(opts.json ? JSON.stringify({ removed: user }) : `Removed ${user.name} and every sign-in, session and token of theirs. The audit keeps the name.`);
    return 0;
  });
}

export async function runUsersToken(cli: UsersCli, name: string, opts: StoreOpts & { label: string }, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    const { token, info, user } = await users.issueApiToken({ name }, opts.label, commandLineActor());
    if (opts.json) print(JSON.stringify({ user: user.name, label: info.name, id: info.id, token }));
    else {
      print(
        [
          `API token "${info.name}" for ${user.name} (${user.role}). Outpost shows it this once; keep it in a secret store:`,
          '',
          `  ${token}`,
          '',
          'Send it as: Authorization: Bearer <token>. Revoke with: outpost users revoke-token NAME --label LABEL',
        ].join('\n'),
      );
    }
    return 0;
  });
}

export async function runUsersRevokeToken(cli: UsersCli, name: string, opts: StoreOpts & { label: string }, print: Print = console.log): Promise<number> {
  return withUsers(cli, opts, print, async (users) => {
    await users.revokeApiToken({ name }, opts.label, commandLineActor());
    print(opts.json ? JSON.stringify({ revoked: true }) : 'Revoked: the token stops working at its next request.');
    return 0;
  });
}

export function addUsersCommand(program: Command, cli: () => UsersCli, exit: (code: number) => void): void {
  const users = program
    .command('users')
    .description(`the team server's users: add them with a role, send sign-in links, disable them, issue API tokens (store: --database or ${DATABASE_URL_ENV}, else the data directory's)`);
  const database = () => new Option('--database <url>', `the team's PostgreSQL database (default: ${DATABASE_URL_ENV}, else the SQLite store in --data-dir)`);
  const json = () => new Option('--json', 'JSON output').default(false);
  const baseUrl = () => new Option('--base-url <url>', `the address people open the team server at, for the sign-in link (default: ${BASE_URL_ENV})`);

  users
    .command('add')
    .argument('<name>', 'the person\'s name (1-64 characters; unique ignoring case)')
    .description('add a user with a fixed role and print their one-time sign-in link (valid 24 hours)')
    .addOption(new Option('--role <role>', 'operator (everything), support (reads everything, changes nothing), payments (records and reads payments, reads the fleet)').choices(TEAM_ROLES).makeOptionMandatory())
    .addOption(baseUrl())
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts & { role: TeamRole; baseUrl?: string }) => exit(await runUsersAdd(cli(), name, opts)));
  users
    .command('invite')
    .argument('<name>')
    .description('a new one-time sign-in link for an existing user (first link expired, or password forgotten); older links stop working')
    .addOption(baseUrl())
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts & { baseUrl?: string }) => exit(await runUsersInvite(cli(), name, opts)));
  users
    .command('list')
    .description('every user with role and status (invited, active, disabled); never a password or token')
    .addOption(database())
    .addOption(json())
    .action(async (opts: StoreOpts) => exit(await runUsersList(cli(), opts)));
  users
    .command('disable')
    .argument('<name>')
    .description('stop a user at once: every session and API token of theirs stops working')
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts) => exit(await runUsersDisable(cli(), name, opts)));
  users
    .command('enable')
    .argument('<name>')
    .description('let a disabled user sign in again (revoked tokens stay revoked)')
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts) => exit(await runUsersEnable(cli(), name, opts)));
  users
    .command('remove')
    .argument('<name>')
    .description('delete a user added by mistake, with everything of theirs (prefer disable for people who left)')
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts) => exit(await runUsersRemove(cli(), name, opts)));
  users
    .command('token')
    .argument('<name>')
    .description('issue an API token for the user\'s scripts; printed once')
    .requiredOption('--label <label>', 'what the token is for, e.g. "billing sync" (unique among the user\'s tokens)')
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts & { label: string }) => exit(await runUsersToken(cli(), name, opts)));
  users
    .command('revoke-token')
    .argument('<name>')
    .description('revoke the user\'s API token with this label')
    .requiredOption('--label <label>', 'the token\'s label')
    .addOption(database())
    .addOption(json())
    .action(async (name: string, opts: StoreOpts & { label: string }) => exit(await runUsersRevokeToken(cli(), name, opts)));
}

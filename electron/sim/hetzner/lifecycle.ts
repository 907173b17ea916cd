import type { ActionRecord, ServerRecord } from '../model';
import { serverGoesAway, startBoot } from '../tailscale/enroll';
import type { World } from '../world';
import { progressCurve } from './progress';
import { actionProgress } from './render';

/** Gives a new action its progress curve in the world's current shape (`/_sim/progress`). */
function withProgress(world: World, action: ActionRecord, idleUntil?: number): ActionRecord {
  action.progressCurve = progressCurve(world.profile.progress, world.state.seed, action, idleUntil);
  return action;
}

/**
 * create_server and start_server start together (as upstream reports them); start_server ends a
 * start delay after create_server. While create_server runs the server is locked.
 */
export function createServerActions(world: World, server: ServerRecord, startAfterCreate: boolean) {
  const now = world.now();
  const resources = [{ id: server.id, type: 'server' }];
  const createEnd = now + world.delayMs(world.profile.createServer);
  const create = withProgress(world, world.newAction('create_server', resources, now, createEnd));
  server.lockedBy = create.id;
  const next: ActionRecord[] = [];
  // start_server cannot move before the server exists: its curve may idle until create ends.
  if (startAfterCreate) next.push(withProgress(world, world.newAction('start_server', resources, now, createEnd + world.delayMs(world.profile.startServer)), createEnd));
  return { action: create, nextActions: next };
}

export function deleteServerAction(world: World, server: ServerRecord): ActionRecord {
  const now = world.now();
  const action = withProgress(world, world.newAction('delete_server', [{ id: server.id, type: 'server' }], now, now + world.delayMs(world.profile.deleteServer)));
  server.status = 'deleting';
  server.lockedBy = action.id;
  serverGoesAway(world, server);
  return action;
}

function endAction(world: World, action: ActionRecord, failure: { code: string; message: string } | null): void {
  const now = world.now();
  action.finished = now;
  if (failure) {
    action.status = 'error';
    action.error = failure;
    action.progressAtEnd = actionProgress(action, now);
  } else {
    action.status = 'success';
  }
}

export function onActionEnd(world: World, actionId: number): void {
  const action = world.state.actions.find((a) => a.id === actionId);
  if (!action || action.status !== 'running') return;
  const serverId = action.resources.find((r) => r.type === 'server')?.id;
  const server = world.state.servers.find((s) => s.id === serverId);
  endAction(world, action, action.failWith);
  const failed = action.failWith !== null;

  switch (action.command) {
    case 'create_server': {
      if (!server) return;
      if (server.lockedBy === action.id) server.lockedBy = null;
      if (server.status === 'deleting') return;
      const start = world.state.actions.find((a) => a.command === 'start_server' && a.status === 'running' && a.resources.some((r) => r.id === server.id));
      if (failed) {
        // The server resource is left behind, as upstream does (tf#469); its start cannot happen.
        server.status = 'off';
        server.boot = { ...server.boot, state: 'failed', reason: `create_server action failed: ${action.error?.message ?? ''}` };
        if (start) {
          world.unschedule((e) => e.kind === 'action_end' && e.actionId === start.id);
          endAction(world, start, { code: 'action_failed', message: 'Action failed' });
        }
      } else {
        server.status = start ? 'starting' : 'off';
      }
      return;
    }
    case 'start_server': {
      if (!server || server.status === 'deleting') return;
      if (failed) {
        server.status = 'off';
        server.boot = { ...server.boot, state: 'failed', reason: `start_server action failed: ${action.error?.message ?? ''}` };
        return;
      }
      server.status = 'running';
      startBoot(world, server);
      return;
    }
    case 'delete_server': {
      if (!server) return;
      if (failed) {
        // A failed delete leaves the server (stopped) and releases the lock.
        server.lockedBy = null;
        server.status = 'off';
        return;
      }
      world.state.servers = world.state.servers.filter((s) => s.id !== server.id);
      return;
    }
  }
}

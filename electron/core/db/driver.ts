// The SQLite driver seam (DESIGN §8). better-sqlite3 13 ships N-API 10 prebuilds and is what the
// app uses under Electron (Node 24 inside) and on Node >= 22. Node 20 cannot load v13 (it crashes
// the process), so there the optional `better-sqlite3-node20` alias of v12, built from source, serves.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;
type DatabaseConstructor = typeof BetterSqlite3;

// Not named `require`: electron-vite's ESM shim declares its own `require` in the bundle's chunk,
// and a second declaration is a SyntaxError that stops the desktop app from loading the runtime.
const requireDriver = createRequire(import.meta.url);

export function driverPackage(versions: NodeJS.ProcessVersions = process.versions): string {
  const major = Number(versions.node.split('.')[0]);
  return versions.electron !== undefined || major >= 22 ? 'better-sqlite3' : 'better-sqlite3-node20';
}

let loaded: DatabaseConstructor | undefined;

export function loadDriver(): DatabaseConstructor {
  if (loaded) return loaded;
  const name = driverPackage();
  try {
    loaded = requireDriver(name) as DatabaseConstructor;
  } catch (err) {
    throw new Error(
      `Cannot load the SQLite driver "${name}" for Node ${process.versions.node}: ${(err as Error).message}. ` +
        'Run `npm install` again; on Node 20 it builds better-sqlite3-node20 from source and needs python3, make and g++.',
      { cause: err },
    );
  }
  return loaded;
}

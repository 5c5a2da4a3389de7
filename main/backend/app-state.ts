import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../common/contract';
import { writePrivateFile } from '../security/private-file';
import { sweepTemporaries } from '../store/temp-files';

const MAX_RECENT = 12;
/** entries kept on disk: more than are shown, so parallel commands never push each other out early */
const MAX_KEPT = 64;

/**
 * Small per-user state (recent projects) in the app's state folder. Every process may write it at the
 * same time (the app, serve, a dozen CLI commands in parallel), so each project has its own small file
 * (`recent/HASH.json`, written under a fresh temporary name and renamed into place) and the list is the
 * merge of what is on disk: no writer can fail on another's temporary or drop another's entry. The list
 * of earlier versions (`state.json`) is still read.
 */
export class AppState {
  private readonly dir: string;
  private readonly legacyFile: string;

  constructor(readonly stateDir: string) {
    this.dir = path.join(stateDir, 'recent');
    this.legacyFile = path.join(stateDir, 'state.json');
  }

  private entries(): RecentProject[] {
    const found = new Map<string, RecentProject>();
    const add = (r: unknown) => {
      const e = r as Partial<RecentProject> | null;
      if (typeof e?.path !== 'string' || typeof e.openedAt !== 'string') return;
      const seen = found.get(e.path);
      if (!seen || seen.openedAt < e.openedAt) found.set(e.path, { path: e.path, openedAt: e.openedAt });
    };
    try {
      const legacy = JSON.parse(fs.readFileSync(this.legacyFile, 'utf8')) as { recentProjects?: unknown[] };
      if (Array.isArray(legacy.recentProjects)) legacy.recentProjects.forEach(add);
    } catch {
      // no list from an earlier version
    }
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      names = [];
    }
    for (const n of names) {
      try {
        add(JSON.parse(fs.readFileSync(path.join(this.dir, n), 'utf8')));
      } catch {
        // removed meanwhile by another process's pruning
      }
    }
    return [...found.values()].sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0));
  }

  recentProjects(): RecentProject[] {
    return this.entries()
      .filter((r) => fs.existsSync(r.path))
      .slice(0, MAX_RECENT);
  }

  /** Records the project as opened now; a state folder that cannot be written only loses the entry. */
  touch(projectPath: string): void {
    const name = crypto.createHash('sha256').update(projectPath).digest('hex').slice(0, 24) + '.json';
    try {
      writePrivateFile(path.join(this.dir, name), JSON.stringify({ path: projectPath, openedAt: new Date().toISOString() }));
    } catch (err) {
      console.error(`[tsad] cannot record ${projectPath} as a recent project: ${(err as Error).message}`);
      return;
    }
    sweepTemporaries(this.dir);
    const all = this.entries();
    if (all.length <= MAX_KEPT) return;
    for (const old of all.slice(MAX_KEPT)) {
      const file = crypto.createHash('sha256').update(old.path).digest('hex').slice(0, 24) + '.json';
      fs.rmSync(path.join(this.dir, file), { force: true });
    }
  }
}

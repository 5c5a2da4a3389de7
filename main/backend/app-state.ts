import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../common/contract';

const MAX_RECENT = 12;

/** Small per-user state (recent projects) kept as JSON in the app's state folder. */
export class AppState {
  private readonly file: string;
  private recent: RecentProject[] = [];

  constructor(readonly stateDir: string) {
    this.file = path.join(stateDir, 'state.json');
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { recentProjects?: RecentProject[] };
      if (Array.isArray(data.recentProjects)) this.recent = data.recentProjects.filter((r) => typeof r?.path === 'string');
    } catch {
      this.recent = [];
    }
  }

  recentProjects(): RecentProject[] {
    return this.recent.filter((r) => fs.existsSync(r.path));
  }

  touch(projectPath: string): void {
    this.recent = [
      { path: projectPath, openedAt: new Date().toISOString() },
      ...this.recent.filter((r) => r.path !== projectPath),
    ].slice(0, MAX_RECENT);
    fs.mkdirSync(this.stateDir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ recentProjects: this.recent }, null, 2));
    fs.renameSync(tmp, this.file);
  }
}

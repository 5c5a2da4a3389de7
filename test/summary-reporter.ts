import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { NOTICE_DIR } from './helpers/notices';

/**
 * Prints the plain closing line CI reads: "N passed, N failed[, N skipped]", and above it, once each, the
 * notices test files left (test/helpers/notices.ts: what was skipped and why).
 */
export default class SummaryReporter implements Reporter {
  onInit(): void {
    fs.rmSync(NOTICE_DIR, { recursive: true, force: true });
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const notices = fs.existsSync(NOTICE_DIR)
      ? fs
          .readdirSync(NOTICE_DIR)
          .sort()
          .map((f) => fs.readFileSync(path.join(NOTICE_DIR, f), 'utf8'))
      : [];
    for (const n of notices) process.stdout.write(`\n*** ${n} ***`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  }
}

import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the whole suite shares two cores: a UI that answers in 200 ms alone can take seconds while workers run
    expect: { poll: { timeout: 20_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});

// The test files of `npm run mutate:fast` (stryker.fast.config.mjs): the in-process mutation tests only.
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: { include: ['test/mut-*.test.ts'], testTimeout: 60000, hookTimeout: 60000 },
});

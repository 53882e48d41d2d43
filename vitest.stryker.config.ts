// The test files Stryker runs (stryker.config.mjs): those that call src/analysis in-process. Tests
// that only spawn the built CLI cannot see a mutant (Stryker mutates src/ in its sandbox, not
// dist/) and made the initial test run take longer than its timeout on a shared machine.
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['test/{metrics,rate,cycling-extra,dqdv,gitt,cv,eis-circuit,eis-fit,eis-kk,eis-drt,properties,dialects,mutants}.test.ts', 'test/mut-*.test.ts'],
    testTimeout: 60000, hookTimeout: 60000,
  },
});

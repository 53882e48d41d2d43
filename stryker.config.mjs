// Mutation testing (issue 20 point 4): `npm run mutate` over src/analysis with Stryker 9 (the 10.x line
// needs Node 22) and its vitest runner. Slow: not in CI, not in `npm test`. A run over one module:
//   npx stryker run --mutate src/analysis/stats.ts
// The incremental file lets a later run reuse the results of mutants whose code and tests did not
// change. Reports go to reports/ (git-ignored). The figures are quoted in docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: ['src/analysis/**/*.ts'],
  concurrency: 2,
  timeoutMS: 60000,
  dryRunTimeoutMinutes: 20,
  // Static mutants (module-level constants) would each re-run every related test (13 s of overhead apiece
  // here): reported as ignored, not counted; the constants they touch are named in docs/testing.md.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['bench/data', 'fuzz-failures', 'reports'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

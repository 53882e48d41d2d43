// A faster mutation run (issue 20): the project's settings, but the mutants are tested only against the
// in-process tests written for them (test/mut-*.test.ts, small hand-built inputs, ~2–3 s a file) with a
// 15 s timeout. Its scores are lower bounds of `npm run mutate`'s (more test files can only kill more).
// On a 2-core machine `npm run mutate` over all of src/analysis takes many hours (every mutant of the
// CV and EIS modules re-runs the generated five-rate and multi-start fitting tests); this takes about
// two. One module: npx stryker run stryker.fast.config.mjs --mutate src/analysis/gitt.ts
import base from './stryker.config.mjs';
export default {
  ...base,
  timeoutMS: 15000,
  vitest: { ...base.vitest, configFile: 'vitest.stryker-fast.config.ts' },
  incrementalFile: 'reports/stryker-incremental-fast.json',
  htmlReporter: { fileName: 'reports/mutation-fast/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation-fast/mutation.json' },
};

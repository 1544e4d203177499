/**
 * Runs Flux `*_test.flux` files the way Flux's `flux test` does (each `testcase` its own program;
 * fail on any error or any table in `errorOutput`). Used by `sluice flux test` and
 * scripts/flux-conformance.mjs.
 */
export { findTestFiles } from './find-test-files.js';
export { formatReportLine, formatSummaryLine, summarize, type TestSummary } from './format-report.js';
export { runTestFile, runTestSource, type TestCaseReport, type TestFileOptions, type TestStatus } from './run-test-file.js';
export { ERROR_OUTPUT, runTestProgram, type TestProgramOptions, type TestVerdict } from './run-test-program.js';
export { parseSkipList, selectTestCase, type TestSelection } from './test-selection.js';
export { testModuleReader } from './test-module-reader.js';
export { applyTestOverrides, parseTestOverrides, type TestOverrides } from './test-overrides.js';
export { readTestTags } from './test-tags.js';

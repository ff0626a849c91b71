export { analyze, build, evaluateStore, type Analysis, type BuildResult } from './pipeline.js';
export { ConfigError, resolveConfig, type ConfigOptions, type ResolvedConfig } from './config/load.js';
export { evaluateControl, evaluateGathered, gatherer } from './evaluate/evaluate.js';
export { loadCatalog } from './catalog/catalog.js';
export { assessmentResults } from './render/oscal/assessment-results.js';
export { parsers } from './parse/registry.js';
export type * from './model/types.js';
export type * from './model/evaluation.js';

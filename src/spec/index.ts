export * from './discover.js';
export * from './json-schema.js';
export * from './load.js';
export * from './schema/platform.js';
export * from './source.js';
export * from './spec-path.js';
export * from './units.js';
export * from './validate.js';

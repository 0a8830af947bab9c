export * from './codes.js';
export * from './exit-codes.js';
export * from './slipway-error.js';
export * from './to-json.js';

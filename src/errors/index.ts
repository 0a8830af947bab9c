export * from './exit-codes.js';
export * from './slipway-error.js';

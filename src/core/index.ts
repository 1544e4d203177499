export * from './errors.js';
export * from './clock.js';
export * from './ids.js';
export * from './time.js';
export * from './duration.js';
export * from './logger.js';

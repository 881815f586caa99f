export * from './time';
export * from './roles';
export * from './events';
export * from './case-view';
export * from './errors';

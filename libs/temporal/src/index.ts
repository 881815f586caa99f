export * from './codec';
export * from './settings';
export * from '../../../workflows/search-attributes';

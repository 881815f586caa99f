export * from './audit-chain';
export * from './data-source';
export * from './entities';
export * from './json';
export * from './migrations';
export * from './persistence.module';
export * from './transactions';
export * from './history';

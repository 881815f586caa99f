/**
 * The Temporal `Client` (from `@temporalio/client`) the API talks to, created with `dataConverterOf()`.
 * Whoever builds the app provides it; the audit service uses it to query and replay a case's workflow.
 */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

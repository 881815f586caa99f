/** Entry point of the workflow bundle. */
export { caseWorkflow } from './case.workflow';

export { Backend } from './backend';
export type { BackendOptions } from './backend';

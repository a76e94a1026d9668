export { Herald, type HeraldOptions } from './client.js';
export { HeraldError, type Problem } from './errors.js';
export { Listing, type Page } from './pages.js';
export type * from './types.js';
export type { paths, components } from './schema.js';

import type { CatalogService } from '../services/catalog.js';
import type { ServiceContext } from '../services/context.js';
import type { Publisher } from '../services/publish.js';

/** What route plugins receive: services, never the store's internals directly. */
export interface ApiDeps {
  ctx: ServiceContext;
  catalog: CatalogService;
  publish: Publisher;
}

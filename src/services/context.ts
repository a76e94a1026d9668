import type { DeliveryContext } from '../delivery/context.js';
import type { GroupCommit } from '../store/group-commit.js';

/**
 * What every service needs, built once by the composition root. Plain data: no hidden singletons. Services call
 * delivery (validation calls, the message hand-over), so their context is delivery's with the write path added.
 */
export interface ServiceContext extends DeliveryContext {
  commit: GroupCommit;
}

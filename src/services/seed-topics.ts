import { CLOUDPODS_DEFAULT_TOPICS } from '../catalog/cloudpods-topics.js';
import { newId } from '../ids.js';
import type { ServiceContext } from './context.js';

/**
 * Seeds Cloudpods' default topics on the first start of a database. A settings row marks it done, so topics an
 * operator deleted or renamed are not brought back; several processes starting at once seed only once.
 */
export async function seedDefaultTopics(ctx: ServiceContext): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('settings')
      .values({ key: 'topics_seeded', value: new Date(ctx.now()).toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return;
    const now = ctx.now();
    for (const t of CLOUDPODS_DEFAULT_TOPICS) {
      await trx
        .insertInto('topics')
        .values({
          id: newId('top', now),
          name: t.name,
          patterns: JSON.stringify(t.patterns),
          title_en: t.title_en,
          title_cn: t.title_cn,
          content_en: t.content_en,
          content_cn: t.content_cn,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
  });
}

import type { Selectable } from 'kysely';
import { COMMON_TEMPLATES } from '../catalog/cloudpods-topics.js';
import { normalizePattern, patternProblem } from '../catalog/patterns.js';
import { HeraldError, invalid, notFound, type Problem } from '../errors.js';
import { cloudpodsTemplateVariables, type Lang } from '../formats/cloudpods-display.js';
import { parseTemplate, renderTemplate, type TemplateMode } from '../formats/template/index.js';
import { RenderError, type MessageView } from '../formats/types.js';
import { newId } from '../ids.js';
import type { TopicsTable } from '../store/schema.js';
import type { ServiceContext } from './context.js';

/**
 * Topics: named groups of event-key patterns with their Cloudpods message templates. The store keeps the
 * patterns as `patterns`; the API calls them `events`, as subscriptions do, so one word means one thing to
 * a client. A template left empty (null) falls back to the common default when a message is rendered.
 */

export const TEMPLATE_FIELDS = ['title_en', 'title_cn', 'content_en', 'content_cn'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type Templates = Partial<Record<TemplateField, string | null>>;

export interface TopicInput extends Templates {
  name: string;
  events: string[];
  enabled?: boolean;
  /** Which semantics the topic's templates are written for; null: the endpoint's. */
  template_mode?: TemplateMode | null;
}

export type TopicPatch = Partial<TopicInput>;

export interface PreviewEvent {
  type: string;
  action: string;
  result?: 'succeed' | 'failed';
  data?: Record<string, unknown>;
  /** `data` as the client wrote it, read losslessly by the templates like a published event's. */
  dataJson?: string;
}

export interface PreviewInput {
  lang?: Lang;
  /** Render as this mode; absent: the topic's own, else cloudpods (the default of cloudpods endpoints). */
  template_mode?: TemplateMode | null;
  event?: PreviewEvent;
  /** Unsaved edits: a field given here replaces the stored one, null meaning the common default. */
  templates?: Templates;
}

type Row = Selectable<TopicsTable>;

const SAMPLE_EVENT: PreviewEvent = {
  type: 'server',
  action: 'create',
  result: 'succeed',
  data: { name: 'vm-01', project: 'demo' },
};

export function topicJson(r: Row) {
  return {
    id: r.id,
    name: r.name,
    events: JSON.parse(r.patterns) as string[],
    title_en: r.title_en,
    title_cn: r.title_cn,
    content_en: r.content_en,
    content_cn: r.content_cn,
    template_mode: r.template_mode,
    enabled: r.enabled === 1,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/**
 * A parse error as the operator needs it to find the spot: Go's wording, with line and column. The engine
 * names the template after its mode and gives only the line; the field path says which template it is.
 */
function templateProblem(field: string, source: string, mode: TemplateMode): Problem | null {
  let parsed: ReturnType<typeof parseTemplate>;
  try {
    parsed = parseTemplate(source, { mode });
  } catch (e) {
    // The parser recurses per nesting level; a template nested deep enough to exhaust the stack is refused, not a 500.
    if (e instanceof RangeError) return { path: `/${field}`, message: 'template: nested too deeply' };
    throw e;
  }
  if (parsed.ok) return null;
  const detail = parsed.message.replace(/^template: [^:]*:\d+: /, '');
  return { path: `/${field}`, message: `template: ${parsed.line}:${parsed.column}: ${detail}` };
}

/** Checks of a topic's fields the schema cannot express; pure, so a refused request can be checked too. */
export function topicProblems(input: { name?: string; events?: string[] } & Templates, prefix = '', mode: TemplateMode = 'cloudpods'): Problem[] {
  const problems: Problem[] = [];
  if (input.name !== undefined && input.name.trim().length === 0) problems.push({ path: '/name', message: 'name must not be blank' });
  if (input.events !== undefined) {
    if (input.events.length === 0) problems.push({ path: '/events', message: 'give at least one event-key pattern' });
    input.events.forEach((p, i) => {
      const issue = patternProblem(p);
      if (issue) problems.push({ path: `/events/${i}`, message: issue });
    });
  }
  for (const f of TEMPLATE_FIELDS) {
    const source = input[f];
    if (typeof source === 'string' && source.length > 0) {
      const p = templateProblem(`${prefix}${f}`, source, mode);
      if (p) problems.push(p);
    }
  }
  return problems;
}

async function getRow(ctx: ServiceContext, id: string): Promise<Row> {
  const row = await ctx.store.db.selectFrom('topics').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('topic', id);
  return row;
}

async function assertNameFree(ctx: ServiceContext, name: string, self: string | null): Promise<void> {
  const other = await ctx.store.db.selectFrom('topics').select('id').where('name', '=', name).executeTakeFirst();
  if (other && other.id !== self) throw new HeraldError('conflict', `a topic named ${JSON.stringify(name)} already exists (${other.id})`);
}

const emptyToNull = (v: string | null | undefined) => (v === undefined || v === null || v.length === 0 ? null : v);

export async function createTopic(ctx: ServiceContext, input: TopicInput) {
  const problems = topicProblems(input, '', input.template_mode ?? 'cloudpods');
  if (problems.length) throw invalid(problems);
  const name = input.name.trim();
  await assertNameFree(ctx, name, null);
  const now = ctx.now();
  const row: Row = {
    id: newId('top', now),
    name,
    patterns: JSON.stringify(input.events.map(normalizePattern)),
    title_en: emptyToNull(input.title_en),
    title_cn: emptyToNull(input.title_cn),
    content_en: emptyToNull(input.content_en),
    content_cn: emptyToNull(input.content_cn),
    template_mode: input.template_mode ?? null,
    enabled: input.enabled === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  await ctx.store.db.insertInto('topics').values(row).execute();
  ctx.events.emit('topic-changed');
  return topicJson(row);
}

export async function getTopic(ctx: ServiceContext, id: string) {
  return topicJson(await getRow(ctx, id));
}

export async function updateTopic(ctx: ServiceContext, id: string, patch: TopicPatch) {
  const row = await getRow(ctx, id);
  const mode = patch.template_mode !== undefined ? patch.template_mode : (row.template_mode as TemplateMode | null);
  const problems = topicProblems(patch, '', mode ?? 'cloudpods');
  if (problems.length) throw invalid(problems);
  const name = patch.name === undefined ? row.name : patch.name.trim();
  if (name !== row.name) await assertNameFree(ctx, name, id);
  const next: Row = {
    ...row,
    name,
    patterns: patch.events ? JSON.stringify(patch.events.map(normalizePattern)) : row.patterns,
    enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
    template_mode: mode,
    updated_at: ctx.now(),
  };
  for (const f of TEMPLATE_FIELDS) if (patch[f] !== undefined) next[f] = emptyToNull(patch[f]);
  const { id: _id, ...values } = next;
  await ctx.store.db.updateTable('topics').set(values).where('id', '=', id).execute();
  ctx.events.emit('topic-changed');
  return topicJson(next);
}

export async function listTopics(ctx: ServiceContext, f: { cursor?: string; limit: number }) {
  let q = ctx.store.db.selectFrom('topics').selectAll().orderBy('id').limit(f.limit + 1);
  if (f.cursor) q = q.where('id', '>', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return { data: page.map(topicJson), next_cursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

/**
 * Renders a topic's title and content for a sample event, the way a `use_template` endpoint would receive
 * them. Unsaved edits are checked like a save would check them, so the editor shows the same error either way.
 */
export async function previewTopic(ctx: ServiceContext, id: string, input: PreviewInput) {
  const row = await getRow(ctx, id);
  const edits = input.templates ?? {};
  const mode: TemplateMode = input.template_mode ?? (row.template_mode as TemplateMode | null) ?? 'cloudpods';
  const problems = topicProblems(edits, 'templates/', mode);
  if (problems.length) throw invalid(problems);
  const lang: Lang = input.lang ?? 'en';
  const ev = input.event ?? SAMPLE_EVENT;
  const message: MessageView = {
    id: 'msg_preview',
    tenant: 'default',
    type: ev.type,
    action: ev.action,
    result: ev.result ?? 'succeed',
    entityIds: [],
    dataJson: ev.dataJson ?? JSON.stringify(ev.data ?? {}),
    timestamp: new Date(ctx.now()).toISOString(),
  };
  const vars = cloudpodsTemplateVariables(message, lang);
  const render = (kind: 'title' | 'content') => {
    const field: TemplateField = `${kind}_${lang}`;
    const edited = Object.prototype.hasOwnProperty.call(edits, field);
    const source = emptyToNull(edited ? edits[field] : row[field]) ?? COMMON_TEMPLATES[field];
    try {
      return renderTemplate(source, vars, { mode });
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      throw invalid([{ path: edited ? `/templates/${field}` : `/${field}`, message: e.message }], `${field}: ${e.message}`);
    }
  };
  return { lang, template_mode: mode, title: render('title'), content: render('content') };
}

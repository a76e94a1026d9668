/** Strigo's outgoing entity types and the statuses (actions) each can report, exactly as seed 001 lists them. */
export const STRIGO_TYPES = {
  CLASS: ['CREATED', 'UPDATED', 'DELETED'],
  EVENT: ['STARTED', 'ENDED', 'EXTENDED'],
  EVENT_WORKSPACE: ['CREATED', 'REMOVED', 'REINSTATED', 'DELETED'],
  ONDEMAND_COURSE: ['CREATED', 'UPDATED', 'DELETED', 'STATUS_CHANGE'],
  ONDEMAND_ENROLLMENT: ['CREATED', 'STARTED', 'FINISHED', 'EXPIRED', 'STOPPED', 'RESUMED'],
  RESOURCE: ['RESTARTED', 'REPLACED'],
} as const satisfies Record<string, readonly string[]>;

export type StrigoType = keyof typeof STRIGO_TYPES;

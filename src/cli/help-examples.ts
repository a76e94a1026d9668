import type { Command } from 'commander';
import { examples } from './args.js';

/**
 * The "Examples:" section of each command's --help, by command path. Kept in one place so every command has some
 * and they read alike; ids are shortened to their prefix (ep_01H...).
 */
export const EXAMPLES: Record<string, string[]> = {
  serve: ['$ herald serve', '$ HERALD_DATABASE_URL=postgres://herald@db/herald HERALD_ROLE=api herald serve'],
  migrate: ['$ HERALD_DATABASE_URL=postgres://herald@db/herald herald migrate'],
  rekey: ['$ HERALD_ENCRYPTION_KEY=$OLD HERALD_NEW_ENCRYPTION_KEY=$NEW herald rekey'],
  endpoint: ['$ herald endpoint list', '$ herald endpoint create "lab backend" --url https://lab.example.com/hooks --format strigo --auth herald:KEY'],
  'endpoint create': [
    '$ herald endpoint create "lab backend" --url https://lab.example.com/hooks --format strigo --auth herald:KEY',
    '$ herald endpoint create ops-robot --url https://chat.example.com/robot --format cloudpods --secret KEY --use-template',
    '$ herald endpoint create billing --url https://billing.example.com/webhooks --format standard --rate-limit 20',
  ],
  'endpoint list': ['$ herald endpoint list', '$ herald endpoint list --disabled', '$ herald --json endpoint list --format cloudpods | jq -r ".data[].id"'],
  'endpoint show': ['$ herald endpoint show ep_01H...'],
  'endpoint update': ['$ herald endpoint update ep_01H... --url https://lab.example.com/v2/hooks', '$ herald endpoint update ep_01H... --header "X-Team: labs" --max-in-flight 4'],
  'endpoint enable': ['$ herald endpoint enable ep_01H...'],
  'endpoint disable': ['$ herald endpoint disable ep_01H...'],
  'endpoint delete': ['$ herald endpoint delete ep_01H...'],
  'endpoint rotate-secret': ['$ herald endpoint rotate-secret ep_01H...', '$ herald endpoint rotate-secret ep_01H... --secret whsec_...'],
  'endpoint rotate-callback-key': ['$ herald endpoint rotate-callback-key ep_01H...'],
  subscription: ['$ herald subscription list --endpoint ep_01H...', '$ herald subscription create --endpoint ep_01H... --event "ONDEMAND_ENROLLMENT/*"'],
  'subscription create': [
    '$ herald subscription create --endpoint ep_01H... --event "ONDEMAND_ENROLLMENT/*" --event "CLASS/ENDED"',
    '$ herald subscription create --endpoint ep_01H... --topic top_01H... --scope project --attribution PROJECT_ID',
  ],
  'subscription list': ['$ herald subscription list', '$ herald subscription list --endpoint ep_01H...'],
  'subscription show': ['$ herald subscription show sub_01H...'],
  'subscription update': ['$ herald subscription update sub_01H... --event "*/SYNC_CREATE"', '$ herald subscription update sub_01H... --no-topics --enabled false'],
  'subscription enable': ['$ herald subscription enable sub_01H...'],
  'subscription disable': ['$ herald subscription disable sub_01H...'],
  'subscription delete': ['$ herald subscription delete sub_01H...'],
  topic: ['$ herald topic list', '$ herald topic show top_01H...'],
  'topic list': ['$ herald topic list'],
  'topic show': ['$ herald topic show top_01H...'],
  'topic update': ['$ herald topic update top_01H... --content-en @server-content.tmpl', '$ herald topic update top_01H... --enabled false'],
  publish: [
    '$ herald publish --type ONDEMAND_ENROLLMENT --action CREATED --entity enr_1 --data \'{"course":"k8s"}\'',
    '$ herald publish --type server --action create --result succeed --project PROJECT_ID --entity vm_1',
    '$ herald publish --file events.ndjson',
    '$ produce-events | herald publish --file -',
  ],
  message: ['$ herald message show msg_01H...'],
  'message show': ['$ herald message show msg_01H...', '$ herald --json message show msg_01H... | jq .data'],
  deliveries: [
    '$ herald deliveries --failed --since 2h',
    '$ herald deliveries --endpoint ep_01H... --event "ONDEMAND_ENROLLMENT/*"',
    '$ herald deliveries --wide --limit 200',
    '$ herald --json deliveries --status pending | jq -r ".data[].id"',
  ],
  delivery: ['$ herald delivery show dlv_01H...'],
  'delivery show': ['$ herald delivery show dlv_01H...', '$ herald delivery show --wide dlv_01H...', '$ herald --json delivery show dlv_01H... | jq ".attempts[-1]"'],
  retry: ['$ herald retry dlv_01H...'],
  recover: [
    '$ herald recover --endpoint ep_01H... --since 6h',
    '$ herald recover --endpoint ep_01H... --since 2026-01-31T02:00:00Z --wait',
    '$ herald recover --endpoint ep_01H... --message msg_01H... msg_01J...',
  ],
  messages: [
    '$ herald messages --undelivered --since 2h',
    '$ herald messages --undelivered --endpoint ep_01H... --event "ONDEMAND_ENROLLMENT/*"',
    '$ herald --json messages --undelivered | jq -r ".data[].id"',
  ],
  tail: ['$ herald tail', '$ herald tail --endpoint ep_01H... --backlog 0', '$ herald tail --failed', '$ herald --json tail | jq -c "{id, status}"'],
  entity: ['$ herald entity show enr_1', '$ herald entity watch enr_1'],
  'entity show': ['$ herald entity show enr_1', '$ herald --json entity show enr_1 | jq ".resources[].status"'],
  'entity watch': ['$ herald entity watch enr_1', '$ herald --json entity watch enr_1 | jq -c ".resources"'],
};

/** Adds each command's examples to its --help, for the whole tree under `program`. */
export function addExamples(program: Command, path: string[] = []): void {
  for (const cmd of program.commands) {
    const key = [...path, cmd.name()].join(' ');
    const lines = EXAMPLES[key];
    if (lines) examples(cmd, ...lines);
    addExamples(cmd, [...path, cmd.name()]);
  }
}

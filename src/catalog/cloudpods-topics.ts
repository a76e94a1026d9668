/**
 * Cloudpods' default topics, seeded so that a Cloudpods robot can subscribe the way it does in Cloudpods.
 * Each topic lists its event keys explicitly (resource x action, `/FAILED` for the failure topics) rather
 * than with wildcards, so an operator reading a topic sees exactly what it covers and can edit it.
 *
 * Templates are Go text/template, rendered with `.resource_type .action .result .resource_details
 * .resource_type_display .action_display .result_display`. A topic without its own text uses the common default.
 */

export interface CloudpodsTopic {
  name: string;
  patterns: string[];
  title_en: string;
  title_cn: string;
  content_en: string;
  content_cn: string;
}

export const COMMON_TITLE_EN = '{{ .resource_type_display }} {{ .action_display }} {{ .result_display }}';
export const COMMON_TITLE_CN = '{{ .resource_type_display }}{{ .action_display }}{{ .result_display }}';

// A missing name or project is left out rather than printed as Go's `<no value>`.
export const COMMON_CONTENT_EN =
  '{{- $d := .resource_details -}}\n' +
  'Your {{ .resource_type_display }}{{ with $d.name }} {{ . }}{{ end }} {{ with $d.project -}} in project {{ . }} {{ end -}}\n' +
  'has been {{ .action_display }} {{ .result_display }}\n' +
  '{{- if eq .result "failed" -}}. And please go to the console as soon as possible to process.{{- end -}}';

export const COMMON_CONTENT_CN =
  '{{- $d := .resource_details -}}\n' +
  '您的{{ .resource_type_display }}{{ with $d.name }} {{ . }} {{ end }}{{ with $d.project -}} （项目 {{ . }}）{{ end -}}\n' +
  '{{ .action_display }}{{ .result_display }}\n' +
  '{{- if eq .result "failed" -}}，请尽快前往控制台处理{{- end -}}。';

export const COMMON_TEMPLATES = {
  title_en: COMMON_TITLE_EN,
  title_cn: COMMON_TITLE_CN,
  content_en: COMMON_CONTENT_EN,
  content_cn: COMMON_CONTENT_CN,
} as const;

function keys(resources: readonly string[], actions: readonly string[], failed = false): string[] {
  const out: string[] = [];
  for (const resource of resources) {
    for (const action of actions) out.push(`${resource}/${action}${failed ? '/failed' : ''}`.toUpperCase());
  }
  return out;
}

function topic(
  name: string,
  patterns: string[],
  templates: Partial<Omit<CloudpodsTopic, 'name' | 'patterns'>> = {},
): CloudpodsTopic {
  return { name, patterns, ...COMMON_TEMPLATES, ...templates };
}

const CREATE_DELETE_RESOURCES = [
  'host',
  'server',
  'scalinggroup',
  'image',
  'disk',
  'snapshot',
  'instance_snapshot',
  'snapshotpolicy',
  'network',
  'eip',
  'loadbalancer',
  'loadbalanceracl',
  'loadbalancercertificate',
  'bucket',
  'dbinstance',
  'elasticcache',
  'baremetal',
  'secgroup',
  'file_system',
  'natgateway',
  'vpc',
  'cdn_domain',
  'waf_instance',
  'kafka',
  'elastic_search',
  'mongodb',
  'dns_zone',
  'dns_recordset',
  'loadbalancerlistener',
  'loadbalancerbackendgroup',
  'project',
];

const SYNC_RESOURCES = [
  'server',
  'disk',
  'dbinstance',
  'elasticcache',
  'loadbalancer',
  'eip',
  'vpc',
  'network',
  'loadbalancercertificate',
  'dns_zone',
  'natgateway',
  'bucket',
  'file_system',
  'webapp',
  'cdn_domain',
  'waf_instance',
  'kafka',
  'elastic_search',
  'mongodb',
  'dns_recordset',
  'loadbalancerlistener',
  'loadbalancerbackendgroup',
];

const FAILED_OPERATION_RESOURCES = ['server', 'eip', 'loadbalancer', 'dbinstance', 'elasticcache', 'disk', 'cloudphone'];
const FAILED_OPERATION_ACTIONS = [
  'start',
  'stop',
  'restart',
  'reset',
  'attach',
  'detach',
  'create',
  'sync_status',
  'rebuild_root',
  'change_config',
  'add_backup_server',
  'delete_backup_server',
  'migrate',
];

// Prepaid resources are the ones that expire and get released.
const RELEASE_RESOURCES = ['server', 'disk', 'eip', 'dbinstance', 'elasticcache', 'loadbalancer', 'natgateway'];
// What attaches to a virtual machine.
const ATTACH_RESOURCES = ['disk', 'eip', 'secgroup'];
const STATUS_RESOURCES = ['server', 'host', 'disk', 'dbinstance', 'elasticcache', 'loadbalancer'];

const EXCEPTION_CONTENT_EN =
  '{{- $d := .resource_details -}}\n' +
  'Exception on {{ .resource_type_display }}{{ with $d.name }} {{ . }}{{ end }}: {{ .action_display }}.\n' +
  '{{- with $d.reason }} Reason: {{ . }}.{{ end }} Please go to the console as soon as possible to process.';
const EXCEPTION_CONTENT_CN =
  '{{- $d := .resource_details -}}\n' +
  '{{ .resource_type_display }}{{ with $d.name }} {{ . }} {{ end }}发生异常：{{ .action_display }}。\n' +
  '{{- with $d.reason }}原因：{{ . }}。{{ end }}请尽快前往控制台处理。';

const ACCOUNT_SYNC_CONTENT_EN =
  '{{- $d := .resource_details -}}\n' +
  'Cloud account{{ with $d.name }} {{ . }}{{ end }} sync status: {{ with $d.sync_status }}{{ . }}{{ else }}{{ .result }}{{ end }}.';
const ACCOUNT_SYNC_CONTENT_CN =
  '{{- $d := .resource_details -}}\n' +
  '云账号{{ with $d.name }} {{ . }} {{ end }}同步状态：{{ with $d.sync_status }}{{ . }}{{ else }}{{ .result_display }}{{ end }}。';

const USER_LOCK_CONTENT_EN =
  '{{- $d := .resource_details -}}\n' +
  'User{{ with $d.name }} {{ . }}{{ end }} has been locked. Please contact the administrator if this was not expected.';
const USER_LOCK_CONTENT_CN =
  '{{- $d := .resource_details -}}\n' +
  '用户{{ with $d.name }} {{ . }} {{ end }}已被锁定，如非预期请联系管理员。';

const PASSWORD_EXPIRE_CONTENT_EN =
  '{{- $d := .resource_details -}}\n' +
  'The password of user{{ with $d.name }} {{ . }}{{ end }} will expire soon' +
  '{{ with $d.rest_days }} (in {{ . }} days){{ end }}. Please change it in time.';
const PASSWORD_EXPIRE_CONTENT_CN =
  '{{- $d := .resource_details -}}\n' +
  '用户{{ with $d.name }} {{ . }} {{ end }}的密码即将过期{{ with $d.rest_days }}（剩余 {{ . }} 天）{{ end }}，请及时修改。';

export const CLOUDPODS_DEFAULT_TOPICS: readonly CloudpodsTopic[] = [
  topic('resource create or delete', keys(CREATE_DELETE_RESOURCES, ['create', 'delete', 'pending_delete'])),
  topic('resource change config', keys(['host', 'server', 'dbinstance', 'elasticcache'], ['change_config'])),
  topic(
    'resource update',
    keys(
      ['server', 'dbinstance', 'elasticcache', 'user', 'host', 'project'],
      ['update', 'rebuild_root', 'reset_password', 'change_ipaddr'],
    ),
  ),
  topic('resource operation failed', keys(FAILED_OPERATION_RESOURCES, FAILED_OPERATION_ACTIONS, true)),
  topic(
    'resource operation successed',
    keys(['server', 'cloudphone', 'disk'], ['start', 'stop', 'restart', 'reset', 'add_backup_server']),
  ),
  topic('resource sync', keys(SYNC_RESOURCES, ['sync_create', 'sync_update', 'sync_delete'])),
  topic('resource release', keys(RELEASE_RESOURCES, ['expired_release'])),
  topic('resource attach or detach', keys(ATTACH_RESOURCES, ['attach', 'detach'])),
  topic('resource status changed', keys(STATUS_RESOURCES, ['status_changed'])),
  topic(
    'system exception event',
    keys(['host', 'task'], ['panic', 'exception', 'offline', 'host_down', 'host_down_auto_migrate'], true),
    { content_en: EXCEPTION_CONTENT_EN, content_cn: EXCEPTION_CONTENT_CN },
  ),
  topic('cloud account sync status', keys(['account'], ['sync_account_status']), {
    content_en: ACCOUNT_SYNC_CONTENT_EN,
    content_cn: ACCOUNT_SYNC_CONTENT_CN,
  }),
  topic('user lock', keys(['user'], ['lock']), { content_en: USER_LOCK_CONTENT_EN, content_cn: USER_LOCK_CONTENT_CN }),
  topic('password expire', keys(['user'], ['password_expire_soon']), {
    content_en: PASSWORD_EXPIRE_CONTENT_EN,
    content_cn: PASSWORD_EXPIRE_CONTENT_CN,
  }),
];

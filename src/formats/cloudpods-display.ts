import { parseLossless } from '../util/lossless-json.js';
import type { MessageView } from './types.js';

/**
 * Human names for Cloudpods template variables (`.resource_type_display`, `.action_display`,
 * `.result_display`). English action names read after "has been ..."; Chinese ones after the resource.
 * A type or action Herald has no name for is shown as its own words (underscores as spaces).
 */

export type Lang = 'en' | 'cn';
type Names = Record<string, readonly [en: string, cn: string]>;

const RESOURCE_TYPES: Names = {
  host: ['host', '宿主机'],
  server: ['virtual machine', '虚拟机'],
  scalinggroup: ['scaling group', '弹性伸缩组'],
  image: ['image', '镜像'],
  disk: ['disk', '硬盘'],
  snapshot: ['snapshot', '快照'],
  instance_snapshot: ['instance snapshot', '主机快照'],
  snapshotpolicy: ['snapshot policy', '快照策略'],
  network: ['IP subnet', 'IP子网'],
  eip: ['EIP', '弹性公网IP'],
  loadbalancer: ['load balancer', '负载均衡'],
  loadbalanceracl: ['load balancer ACL', '负载均衡访问控制'],
  loadbalancercertificate: ['load balancer certificate', '负载均衡证书'],
  loadbalancerlistener: ['load balancer listener', '负载均衡监听'],
  loadbalancerbackendgroup: ['load balancer backend group', '负载均衡后端服务器组'],
  bucket: ['object storage bucket', '对象存储'],
  dbinstance: ['RDS instance', 'RDS实例'],
  elasticcache: ['Redis instance', 'Redis实例'],
  baremetal: ['bare metal server', '裸金属'],
  secgroup: ['security group', '安全组'],
  file_system: ['file system', '文件系统'],
  natgateway: ['NAT gateway', 'NAT网关'],
  vpc: ['VPC', 'VPC'],
  cdn_domain: ['CDN domain', 'CDN域名'],
  waf_instance: ['WAF instance', 'WAF实例'],
  kafka: ['Kafka instance', 'Kafka实例'],
  elastic_search: ['Elasticsearch instance', 'Elasticsearch实例'],
  mongodb: ['MongoDB instance', 'MongoDB实例'],
  dns_zone: ['DNS zone', 'DNS解析域'],
  dns_recordset: ['DNS record', 'DNS记录'],
  project: ['project', '项目'],
  user: ['user', '用户'],
  account: ['cloud account', '云账号'],
  task: ['task', '任务'],
  cloudphone: ['cloud phone', '云手机'],
  webapp: ['web app', '应用程序服务'],
};

const ACTIONS: Names = {
  create: ['created', '创建'],
  delete: ['deleted', '删除'],
  pending_delete: ['moved to the recycle bin', '删除至回收站'],
  update: ['updated', '更新'],
  rebuild_root: ['rebuilt', '重装系统'],
  reset_password: ['given a new password', '重置密码'],
  change_config: ['reconfigured', '调整配置'],
  resize: ['resized', '扩容'],
  expired_release: ['released on expiry', '到期释放'],
  execute: ['executed', '执行'],
  change_ipaddr: ['given a new IP address', '修改IP地址'],
  sync_status: ['status-synchronized', '同步状态'],
  clean_data: ['cleaned of data', '清除数据'],
  migrate: ['migrated', '迁移'],
  add_backup_server: ['given a backup server', '添加备份机'],
  delete_backup_server: ['removed from its backup server', '删除备份机'],
  sync_create: ['synchronized from the cloud (created)', '同步新建'],
  sync_update: ['synchronized from the cloud (updated)', '同步更新'],
  sync_delete: ['synchronized from the cloud (deleted)', '同步删除'],
  sync_account_status: ['account-status-synchronized', '同步账号状态'],
  offline: ['taken offline', '离线'],
  panic: ['panicked', '崩溃'],
  exception: ['in exception', '异常'],
  lock: ['locked', '锁定'],
  exceed_count: ['over its count limit', '超出数量'],
  password_expire_soon: ['warned that its password expires soon', '密码即将过期'],
  checksum_test: ['checksum-tested', '校验和测试'],
  net_out_of_sync: ['found with its network out of sync', '网络不同步'],
  mysql_out_of_sync: ['found with MySQL out of sync', 'MySQL不同步'],
  service_abnormal: ['found with an abnormal service', '服务异常'],
  server_panicked: ['panicked', '虚拟机崩溃'],
  attach: ['attached', '挂载'],
  detach: ['detached', '卸载'],
  host_down: ['down', '宿主机宕机'],
  host_down_auto_migrate: ['auto-migrated after host down', '宿主机宕机自动迁移'],
  isolated_device_create: ['given an isolated device', '创建透传设备'],
  isolated_device_update: ['updated (isolated device)', '更新透传设备'],
  isolated_device_delete: ['removed from its isolated device', '删除透传设备'],
  status_changed: ['changed in status', '状态变更'],
  start: ['started', '开机'],
  stop: ['stopped', '关机'],
  reset: ['reset', '重置'],
  restart: ['restarted', '重启'],
  run_task: ['run as a task', '执行任务'],
};

const RESULTS: Names = {
  succeed: ['successfully', '成功'],
  failed: ['failed', '失败'],
};

function pick(names: Names, key: string, lang: Lang): string {
  const lower = key.toLowerCase();
  const found = names[lower];
  if (found) return lang === 'cn' ? found[1] : found[0];
  return lower.replace(/_/g, ' ');
}

export function resourceTypeDisplay(type: string, lang: Lang): string {
  return pick(RESOURCE_TYPES, type, lang);
}

export function actionDisplay(action: string, lang: Lang): string {
  return pick(ACTIONS, action, lang);
}

export function resultDisplay(result: string, lang: Lang): string {
  return pick(RESULTS, result, lang);
}

/**
 * The variables a Cloudpods template sees. `resource_details` is the published data read losslessly, so a
 * 64-bit id prints as published and is typed as an integer; it is read here, when a template renders, and
 * nowhere on the way.
 */
export function cloudpodsTemplateVariables(message: MessageView, lang: Lang): Record<string, unknown> {
  return {
    resource_type: message.type.toLowerCase(),
    action: message.action.toLowerCase(),
    result: message.result,
    resource_details: parseLossless(message.dataJson),
    resource_type_display: resourceTypeDisplay(message.type, lang),
    action_display: actionDisplay(message.action, lang),
    result_display: resultDisplay(message.result, lang),
  };
}

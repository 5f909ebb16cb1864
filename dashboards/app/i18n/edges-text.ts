/**
 * Texts of the admin section `edges` (edge gateways: provisioning, state, revoke and rotate). en.ts
 * and zh-cn.ts spread these in; a key missing from the Chinese half fails the type check.
 */
const edgesEn = {
  'edges.title': 'Edge gateways',
  'edges.empty': 'No edge gateway yet.',
  'edges.id': 'ID',
  'edges.name': 'Name',
  'edges.site': 'Site',
  'edges.stations': 'Stations',
  'edges.state': 'State',
  'edges.lastSeen': 'Last seen',
  'edges.version': 'Version',
  'edges.actions': 'Actions',
  'edges.never': 'never',
  'edges.state.online': 'online',
  'edges.state.offline': 'offline',
  'edges.state.revoked': 'revoked',
  'edges.state.never_connected': 'never connected',
  'edges.create': 'New edge gateway',
  'edges.create.submit': 'Create and show its password',
  'edges.create.stationsNone': 'This site has no stations yet.',
  'edges.rotate': 'New password',
  'edges.revoke': 'Revoke',
  'edges.confirmRevoke': 'Revoke edge gateway {id}? It is disconnected at once and refused from then on.',
  'edges.confirmRotate': 'Give edge gateway {id} a new password? The old one stops working at once.',
  'edges.secret.title': 'Credentials of {id}: shown only now',
  'edges.secret.note':
    'Copy the password now: the server keeps only its hash. The config file does not hold it; give it to the edge in MQTT_PASSWORD.',
  'edges.secret.username': 'MQTT user',
  'edges.secret.password': 'Password',
  'edges.secret.run': 'Start the edge with',
  'edges.secret.config': 'Edge config file',
  'edges.secret.download': 'Download the config file',
  'edges.secret.done': 'I have saved them',
  'edges.secret.notReady':
    'No station with a profile and an endpoint yet: assign one, then download the config again.',
  'edges.skipped.no_profile': '{station}: no profile',
  'edges.skipped.no_endpoint': '{station}: no endpoint',
} as const;

export type EdgesMessageKey = keyof typeof edgesEn;

const edgesZhCN: Record<EdgesMessageKey, string> = {
  'edges.title': '边缘网关',
  'edges.empty': '还没有边缘网关。',
  'edges.id': '编号',
  'edges.name': '名称',
  'edges.site': '站点',
  'edges.stations': '泵站',
  'edges.state': '状态',
  'edges.lastSeen': '最近通信',
  'edges.version': '版本',
  'edges.actions': '操作',
  'edges.never': '从未',
  'edges.state.online': '在线',
  'edges.state.offline': '离线',
  'edges.state.revoked': '已吊销',
  'edges.state.never_connected': '从未连接',
  'edges.create': '新建边缘网关',
  'edges.create.submit': '创建并显示密码',
  'edges.create.stationsNone': '该站点还没有泵站。',
  'edges.rotate': '更换密码',
  'edges.revoke': '吊销',
  'edges.confirmRevoke': '吊销边缘网关 {id}？它会立即断开，此后无法再连接。',
  'edges.confirmRotate': '为边缘网关 {id} 更换密码？旧密码立即失效。',
  'edges.secret.title': '{id} 的连接凭据：仅此一次显示',
  'edges.secret.note':
    '请现在复制密码：服务器只保存其哈希值。配置文件中不含密码，请通过环境变量 MQTT_PASSWORD 提供给网关。',
  'edges.secret.username': 'MQTT 用户名',
  'edges.secret.password': '密码',
  'edges.secret.run': '启动命令',
  'edges.secret.config': '网关配置文件',
  'edges.secret.download': '下载配置文件',
  'edges.secret.done': '我已保存',
  'edges.secret.notReady': '还没有配置了设备模板和通信地址的泵站：请先分配泵站，再重新下载配置。',
  'edges.skipped.no_profile': '{station}：未选设备模板',
  'edges.skipped.no_endpoint': '{station}：未填通信地址',
};

export const edgesText = { en: edgesEn, 'zh-CN': edgesZhCN };

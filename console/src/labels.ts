/**
 * The console's words. The codes' labels are the service's own (lib/labels-zh.ts, shared with the
 * exports); here only what the console adds: names of the action forms' fields, who is on duty,
 * who acted, and problems in plain Chinese.
 */
import {
  actionZh,
  callbackOutcomeZh,
  enforcementActionZh,
  escalationTierZh,
  findingZh,
  labelZh,
  ownerKindZh,
  partActionZh,
  pausePartyZh,
  roleZh,
  unitLevelZh,
} from '../../lib/labels-zh';
import { ApiError, NetworkError } from './api';

export * from '../../lib/labels-zh';

/** The fields of the actions' bodies (workflows/actions.ts), as the forms label them. */
export const fieldZh: Readonly<Record<string, string>> = {
  note: '备注',
  reason: '理由',
  department: '转送部门',
  intoCaseId: '合并到案件编号',
  to: '移交给（登记员账号）',
  unit: '承办单位',
  dutyOfficer: '责任人',
  report: '现场情况',
  finding: '核查结论',
  actions: '处理措施',
  reply: '答复内容',
  outcome: '回访结果',
  days: '天数（工作日）',
  plan: '处置方案（一案一策）',
  resolved: '问题已化解',
  links: '证据链接',
  message: '补充说明',
  passed: '抽查通过',
  reference: '兑付凭证号',
  urgent: '紧急',
  tier: '包案层级',
  owners: '包案领导',
  awaiting: '向谁补充',
  party: '第三方名称',
  question: '需补充的内容',
  answer: '补充结果',
  amountYuan: '奖励金额（元）',
  basis: '计奖依据',
  coUnits: '协办单位',
  task: '协办任务',
  for: '回访对象（并案的案件编号，空为首位投诉人）',
};

/** The labels of an enum field's values, by the field's name. */
export const enumLabels: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  finding: findingZh,
  actions: enforcementActionZh,
  outcome: callbackOutcomeZh,
  level: unitLevelZh,
  kind: ownerKindZh,
  tier: escalationTierZh,
  awaiting: pausePartyZh,
};

export const fieldLabel = (name: string): string => fieldZh[name] ?? name;

/** An action's button: its Chinese name, else the table's summary. */
export function actionLabel(name: string, summary: string): string {
  const label = labelZh(name.startsWith('part.') ? partActionZh : actionZh, name);
  return label === name ? summary : label;
}

/** `role:account` (timeline actors, on-duty) in Chinese: `registrar:reg-1` → 登记员 reg-1. */
export function actorLabel(actor: string, name?: string): string {
  const [role = '', ...rest] = actor.split(':');
  const who = rest.join(':');
  const roleText = labelZh(roleZh, role);
  if (name) return `${name}（${roleText}）`;
  return who ? `${roleText} ${who}` : roleText;
}

/** Who must act next (CaseView.onDuty): registrar:<account>, registrars-of:<district>, unit:<unit>, supervisor. */
export function onDutyLabel(onDuty: string | null | undefined): string {
  if (!onDuty) return '—';
  if (onDuty.startsWith('registrars-of:')) return `${onDuty.slice('registrars-of:'.length)} 待认领队列`;
  return actorLabel(onDuty);
}

/** Whom a notice is for: the complainant, a duty, a unit's superior, or an actor (as onDutyLabel). */
export function recipientLabel(recipient: string): string {
  const words: Readonly<Record<string, string>> = { complainant: '投诉人', 'duty-leader': '值班领导', 'duty-officer': '值班员' };
  if (words[recipient]) return words[recipient];
  if (recipient.startsWith('superior-of:')) return `${recipient.slice('superior-of:'.length)} 的上级单位`;
  if (recipient.startsWith('complainant-of:')) return `并案投诉人（${recipient.slice('complainant-of:'.length)}）`;
  return onDutyLabel(recipient);
}

const retryText = (seconds: number | undefined) => (seconds ? `请 ${seconds} 秒后再试` : '请稍后再试');

/** What went wrong, in plain Chinese, from an ApiError's problem type (api/problem.ts). */
export function problemZh(error: unknown): string {
  if (error instanceof NetworkError) return '无法连接服务，请检查网络后重试';
  if (!(error instanceof ApiError)) return error instanceof Error ? `发生错误：${error.message}` : '发生未知错误';
  const detail = error.problem.detail ?? '';
  switch (error.type) {
    case 'action-rejected':
      return `当前状态不允许此操作：${detail}`;
    case 'forbidden':
      return '无权限';
    case 'case-not-found':
      return '案件不存在或不在您的辖区';
    case 'validation': {
      const fields = (error.problem.errors ?? []).map((e) => `${fieldLabel(e.field.split('.')[0] ?? e.field)}：${e.message}`);
      return fields.length > 0 ? `填写有误：${fields.join('；')}` : `填写有误：${detail}`;
    }
    case 'unauthenticated':
      return '登录已失效，请重新登录';
    case 'unknown-reference':
      return `引用的案件、领导或单位不存在：${detail}`;
    case 'outside-jurisdiction':
      return `该单位不管辖此案件所在区县：${detail}`;
    case 'case-archived':
      return '案件已归档，不能再办理';
    case 'idempotency-conflict':
      return '重复提交的内容与首次不一致';
    case 'rate-limited':
    case 'too-many-failed-logins':
      return `操作过于频繁，${retryText(error.retryAfter)}`;
    case 'temporal-unavailable':
    case 'database-unavailable':
    case 'deadline-exceeded':
    case 'overloaded':
    case 'not-ready':
      // A 503 on an action means the outcome is unknown (README, Idempotency-Key): say so.
      return `服务暂时不可用，${retryText(error.retryAfter)}（操作可能已经生效，请刷新查看）`;
    default:
      return `请求失败（${error.status}）${detail ? `：${detail}` : ''}`;
  }
}

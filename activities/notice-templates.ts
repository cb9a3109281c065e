import { dutyZh, labelZh, reasonZh } from '../lib/labels-zh';
import { shanghaiDate, startOfDay } from '../workflows/calendar';
import type { NoticeKind } from '../workflows/model';

type Params = Record<string, string | number | boolean>;

const chineseDate = (date: string) => {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
};
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A deadline as official notices write it. Working-day deadlines end at Shanghai midnight, which
 * reads as the due day's 24时 (`2026年11月26日24时`), not as the next day's 0 o'clock.
 */
export function shanghai(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return '（未定）';
  const at = Date.parse(iso);
  const dayStart = startOfDay(shanghaiDate(at));
  if (at === dayStart) return `${chineseDate(shanghaiDate(at - 1))}24时`;
  const minutes = Math.floor((at - dayStart) / 60_000);
  return `${chineseDate(shanghaiDate(at))}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const findings: Record<string, string> = {
  substantiated: '反映问题属实',
  partly_substantiated: '反映问题部分属实',
  not_substantiated: '反映问题不属实',
};

/** Why, in Chinese: the workflow's own reasons are written in English (lib/labels-zh.ts). */
const why = (reason: Params[string] | undefined) => reasonZh(reason === undefined ? '' : String(reason));

/**
 * zh-CN texts of the notices (告知书), as in the provincial systems' templates. Only case data
 * goes in: never the complainant's name or contact, which integrators add on delivery.
 */
export const noticeTemplates: Record<NoticeKind, (p: Params) => string> = {
  acceptance: (p) =>
    `您反映的问题（编号 ${p.caseId}）已受理，我们将于 ${shanghai(p.dispatchDueAt)} 前交办处理。${p.queryCode ? `查询码：${p.queryCode}，凭编号和查询码可查询办理进度。` : ''}`,
  not_accepted: (p) => `您反映的问题（编号 ${p.caseId}）不予受理。理由：${why(p.reason)}`,
  transferred: (p) => `您反映的问题（编号 ${p.caseId}）不属本部门职责，已转送${p.department}办理。`,
  assignment: (p) => `信访件 ${p.caseId} 已交由贵单位办理，请于 ${shanghai(p.dueAt)} 前办结并反馈。`,
  warning: (p) =>
    p.reason
      ? `【预警】信访件 ${p.caseId}：${why(p.reason)}（办结期限 ${shanghai(p.dueAt)}）。`
      : `【预警】信访件 ${p.caseId} 办理时限已过${p.level === 1 ? '半' : '百分之八十'}，办结期限 ${shanghai(p.dueAt)}，请抓紧办理。`,
  supervision: (p) => `【督办】信访件 ${p.caseId}：${why(p.reason)}${p.dueAt ? `（期限 ${shanghai(p.dueAt)}）` : ''}。`,
  rework: (p) => `信访件 ${p.caseId} 退回整改：${why(p.reason)}。请于 ${shanghai(p.dueAt)} 前重新办结。`,
  result_reply: (p) =>
    `您反映的问题（编号 ${p.caseId}）已办结：${findings[String(p.finding)] ?? p.finding}。${p.reply ?? ''}${p.surveyUrl ? `\n请对办理结果作满意度评价：${p.surveyUrl}` : ''}`,
  escalation: (p) => `信访件 ${p.caseId} 已升级为领导包案（第 ${p.tier} 级）${p.reason ? `，原因：${why(p.reason)}` : ''}。`,
  rapid_response_missed: (p) => `【快速响应超时】信访件 ${p.caseId} 未在 ${shanghai(p.dueAt)} 前到达现场，请值班领导跟进。`,
  callback_overdue: (p) => `信访件 ${p.caseId} 回访已超期（期限 ${shanghai(p.dueAt)}），请尽快回访。`,
  handover: (p) => `信访件 ${p.caseId} 已由 ${p.from} 移交给您，您是该件的首接负责人。${p.reason ? `移交原因：${why(p.reason)}` : ''}`,
  reward: (p) => `信访件 ${p.caseId} 符合有奖举报条件，奖励应于 ${shanghai(p.dueAt)} 前兑付。`,
  case_assigned: (p) => `您反映的问题（编号 ${p.caseId}）已交由${p.unit}办理，办理期限至 ${shanghai(p.dueAt)}。`,
  case_extended: (p) => `您反映的问题（编号 ${p.caseId}）办理期限已延长至 ${shanghai(p.dueAt)}。${p.reason ? `原因：${why(p.reason)}` : ''}`,
  case_merged: (p) => `您反映的问题与编号 ${p.intoCaseId} 的信访件为同一问题，已合并办理，请以该编号查询办理进展。`,
  case_reworked: (p) => `您反映的问题（编号 ${p.caseId}）已退回重新办理，新的办理期限至 ${shanghai(p.dueAt)}。`,
  case_closed: (p) => `您反映的问题（编号 ${p.caseId}）已办结。感谢您对生态环境保护工作的监督。`,
  information_requested: (p) => `您反映的问题（编号 ${p.caseId}）需要补充材料：${p.question}。请于 ${shanghai(p.dueAt)} 前提供，办理期限在此期间中止计算。`,
  joint_part: (p) => {
    const head = `【联合办理】信访件 ${p.caseId}`;
    switch (p.event) {
      case 'assigned':
        return `${head}：请贵单位协同办理（${p.task}），于 ${shanghai(p.dueAt)} 前向牵头单位反馈。`;
      case 'done':
        return `${head}：协办单位${p.unit}已反馈办理结果，请牵头单位汇总。`;
      case 'refused':
        return `${head}：协办单位${p.unit}拒绝协办：${why(p.reason)}。其他协办单位照常办理。`;
      case 'overdue':
        return `${head}：协办单位${p.unit}未在 ${shanghai(p.dueAt)} 前反馈。`;
      default:
        return `${head}：督办人员决定不再等待${p.unit}的协办结果：${why(p.reason)}。`;
    }
  },
  roster_gap: (p) => {
    const duty = labelZh(dutyZh, String(p.duty));
    return `【值班空缺】信访件 ${p.caseId}：${shanghai(p.at)} 辖区 ${p.district || '（全局）'} 无${duty}在班，发给${duty}的通知无人接收，请立即安排值班人员跟进。`;
  },
};

/**
 * The notices that are formal documents (公文), by kind: their title and the issuer's code in their
 * number (文号). A supervision is one when it is addressed to a unit (督办通知); the alerts to
 * supervisors and registrars are not.
 */
export const formalKinds: Partial<Record<NoticeKind, { title: string; prefix: string }>> = {
  acceptance: { title: '受理告知书', prefix: '环信受告' },
  not_accepted: { title: '不予受理告知书', prefix: '环信不受告' },
  transferred: { title: '转送告知书', prefix: '环信转告' },
  supervision: { title: '督办通知', prefix: '环信督' },
};

export function formalKind(kind: NoticeKind, recipient: string): { title: string; prefix: string } | undefined {
  if (kind === 'supervision' && !recipient.startsWith('unit:')) return undefined;
  return formalKinds[kind];
}

/** A formal document as printed: title, number, addressee, the notice's words, the issuer and the day (in Chinese). */
export function formalText({
  title,
  number,
  addressee,
  body,
  issuer,
  issuedAt,
}: {
  title: string;
  number: string;
  addressee: string;
  body: string;
  issuer: string;
  issuedAt: Date;
}): string {
  return [title, number, '', `${addressee}：`, `    ${body}`, '', `${issuer}`, chineseDate(shanghaiDate(issuedAt.getTime()))].join('\n');
}

/** One of a notice's facts as an SMS template's variable takes it: dates, reasons and findings in Chinese. */
export function noticeFact(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') return '';
  if (name.endsWith('At')) return shanghai(value);
  if (name === 'reason') return why(value);
  if (name === 'finding') return findings[String(value)] ?? String(value);
  return String(value);
}

/** A bureau's own wording (db notice_templates) filled with a notice's facts, `{caseId}` and the like. */
export function fillWording(text: string, params: Params): string {
  return text.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => noticeFact(params, name));
}

export function renderNotice(kind: NoticeKind, params: Params): string {
  return noticeTemplates[kind](params);
}

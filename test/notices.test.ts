import { describe, expect, it } from 'vitest';
import { renderNotice, shanghai } from '../activities/notice-templates';

describe('notice texts', () => {
  it('writes a working-day deadline as its due day at 24时, not the next day at 0 o’clock', () => {
    // The end of 26 November in Shanghai is 16:00 UTC that day.
    expect(shanghai('2026-11-26T16:00:00.000Z')).toBe('2026年11月26日24时');
    expect(renderNotice('acceptance', { caseId: 'c-1', dispatchDueAt: '2026-11-26T16:00:00.000Z' })).toBe(
      '您反映的问题（编号 c-1）已受理，我们将于 2026年11月26日24时 前交办处理。',
    );
  });

  it('writes a wall-clock deadline with its Shanghai time, across the date line', () => {
    expect(shanghai('2026-11-24T06:53:10.000Z')).toBe('2026年11月24日14:53');
    expect(shanghai('2026-12-31T16:30:00.000Z')).toBe('2027年1月1日00:30');
  });

  it('says undecided when there is no deadline yet', () => {
    expect(shanghai(undefined)).toBe('（未定）');
  });

  it('gives the workflow’s own reasons in Chinese and a person’s as written', () => {
    expect(renderNotice('supervision', { caseId: 'c-1', reason: 'complainant unsatisfied: decide rework or close' })).toBe(
      '【督办】信访件 c-1：投诉人不满意，请决定退回整改或结案。',
    );
    expect(renderNotice('supervision', { caseId: 'c-1', reason: 'handling deadline passed', dueAt: '2026-11-26T16:00:00.000Z' })).toBe(
      '【督办】信访件 c-1：办理期限已过（期限 2026年11月26日24时）。',
    );
    expect(renderNotice('rework', { caseId: 'c-1', reason: 'spot check failed: 现场仍有异味', dueAt: '2026-11-26T16:00:00.000Z' })).toBe(
      '信访件 c-1 退回整改：抽查不合格：现场仍有异味。请于 2026年11月26日24时 前重新办结。',
    );
    expect(renderNotice('rework', { caseId: 'c-1', reason: 'callback: unsatisfied', dueAt: '2026-11-26T16:00:00.000Z' })).toContain('回访结果：不满意');
    expect(renderNotice('escalation', { caseId: 'c-1', tier: 1, reason: '群众反复投诉' })).toBe('信访件 c-1 已升级为领导包案（第 1 级），原因：群众反复投诉。');
    // A reason that happens to name what every object has is still the person's own text.
    expect(renderNotice('rework', { caseId: 'c-1', reason: 'constructor', dueAt: '2026-11-26T16:00:00.000Z' })).toContain('退回整改：constructor。');
  });
});

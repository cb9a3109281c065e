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
});

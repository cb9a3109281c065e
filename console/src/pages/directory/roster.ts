/**
 * The roster as the bureau reads it: a row for each day (Shanghai) and district, the slots of
 * each duty in it. A slot across midnight shows under every day it covers.
 */
import dayjs from 'dayjs';
import { dutyZh } from '../../labels';
import { zone } from '../../time';
import type { DutySlot } from '../../types';

export type Duty = DutySlot['duty'];
/** The duties in the order of the labels' declaration: leader, officer, rapid team. */
export const dutyCodes = Object.keys(dutyZh) as Duty[];

export interface RosterRow {
  key: string;
  /** YYYY-MM-DD, Shanghai. */
  day: string;
  /** null: the whole bureau. */
  district: string | null;
  slots: Record<Duty, DutySlot[]>;
}

const emptyDuties = (): Record<Duty, DutySlot[]> => ({ duty_leader: [], duty_officer: [], rapid_team: [] });

export function rosterRows(slots: readonly DutySlot[], from: string, to: string): RosterRow[] {
  const rows = new Map<string, RosterRow>();
  const end = Date.parse(to);
  for (let day = dayjs(from).tz(zone).startOf('day'); day.valueOf() < end; day = day.add(1, 'day')) {
    const dayStart = day.valueOf();
    const dayEnd = day.add(1, 'day').valueOf();
    for (const slot of slots) {
      if (Date.parse(slot.startsAt) >= dayEnd || Date.parse(slot.endsAt) <= dayStart) continue;
      const key = `${day.format('YYYY-MM-DD')}|${slot.district ?? ''}`;
      const row = rows.get(key) ?? { key, day: day.format('YYYY-MM-DD'), district: slot.district, slots: emptyDuties() };
      row.slots[slot.duty].push(slot);
      rows.set(key, row);
    }
  }
  const byStart = (a: DutySlot, b: DutySlot) => a.startsAt.localeCompare(b.startsAt);
  for (const row of rows.values()) for (const duty of dutyCodes) row.slots[duty].sort(byStart);
  // By day, the bureau-wide slots first in each.
  return [...rows.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || (a.district === null ? -1 : b.district === null ? 1 : a.district.localeCompare(b.district)),
  );
}

/** A slot's hours as shown in its day's row: 08:00–20:00, or with dates when it crosses days. */
export function slotHours(slot: DutySlot, day: string): string {
  const start = dayjs(slot.startsAt).tz(zone);
  const end = dayjs(slot.endsAt).tz(zone);
  const at = (t: dayjs.Dayjs) => (t.format('YYYY-MM-DD') === day ? t.format('HH:mm') : t.format('MM-DD HH:mm'));
  return `${at(start)}–${at(end)}`;
}

/** An instant for the API, from a picker's wall time read as Shanghai's: 2026-10-01T08:00+08:00. */
export function shanghaiInstant(wall: dayjs.Dayjs): string {
  return dayjs.tz(wall.format('YYYY-MM-DDTHH:mm'), zone).format('YYYY-MM-DDTHH:mmZ');
}

/** A picker's value showing the instant's Shanghai wall time, whatever the browser's zone. */
export function shanghaiWall(iso: string): dayjs.Dayjs {
  return dayjs(dayjs(iso).tz(zone).format('YYYY-MM-DDTHH:mm'));
}

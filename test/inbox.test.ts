import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignedCase, startApiHarness, type ApiHarness } from './helpers/api';
import { addPerson, eventually, signIn } from './helpers/people';
import { ownUnit } from './helpers/smtp';
import type { Unit } from '../workflows/model';

interface InboxOut {
  unread: number;
  items: { noticeId: string; caseId: string; kind: string; text: string; readAt: string | null }[];
}

let h: ApiHarness;
let unit: Unit;
let officer: { cookie: string };
let elsewhere: { cookie: string };

beforeAll(async () => {
  h = await startApiHarness('inbox');
  const { db } = h.database;
  unit = await ownUnit(db, 'inbox-nancheng', 'nancheng');
  const other = await ownUnit(db, 'inbox-dongcheng', 'dongcheng');
  officer = await signIn(h.app, await addPerson(db, { name: '南城收件员', roles: ['unit'], unitId: unit.id }));
  elsewhere = await signIn(h.app, await addPerson(db, { name: '东城收件员', roles: ['unit'], unitId: other.id }));
});

afterAll(async () => {
  await h?.close();
});

const inboxOf = async (who: { cookie: string }, query = '') => {
  const response = await h.app.inject({ method: 'GET', url: `/inbox${query}`, headers: who });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<InboxOut>();
};

describe('the inbox (消息)', () => {
  it("holds the notices meant for a person, unread until read, and none of another unit's", async () => {
    const id = await assignedCase(h.app, unit);
    const mine = await eventually(
      () => inboxOf(officer, '?unread=true'),
      (box) => box.items.some((i) => i.caseId === id),
      'the assignment in the inbox',
    );
    const assignment = mine.items.find((i) => i.caseId === id)!;
    expect(assignment).toMatchObject({ kind: 'assignment', readAt: null, text: expect.stringContaining(id) });
    expect(mine.unread).toBe(1);
    expect((await inboxOf(elsewhere)).items.filter((i) => i.caseId === id)).toEqual([]);

    const read = await h.app.inject({ method: 'POST', url: '/inbox/read', headers: officer, payload: { noticeIds: [assignment.noticeId] } });
    expect(read.json()).toEqual({ unread: 0 });
    const after = await inboxOf(officer);
    expect(after.items.find((i) => i.noticeId === assignment.noticeId)?.readAt).toEqual(expect.any(String));
    expect((await inboxOf(officer, '?unread=true')).items).toEqual([]);
  });
});

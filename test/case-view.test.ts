import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../activities';
import type { ArchivedCase } from '../api/archived-case';
import { maskComplainant } from '../api/case-access';
import { actionReceipt, ActionReceiptSchema, archivedCaseView, CaseViewSchema, liveCaseView, type CaseView } from '../api/case-view';
import type { CaseEvent, CaseRow } from '../db/cases';
import { newCase, view, workflowIdFor } from '../workflows/case';
import { getCase } from '../workflows/definitions';
import type { CaseState } from '../workflows/model';
import { projectionOf } from '../workflows/projection';
import { credentials, keys, startApiHarness, submission, type ApiHarness } from './helpers/api';
import { makeComplaint, uniqueId, unitA, unitB, workflowInput } from './helpers/cases';

/**
 * Issue 13, item 6: the API answers with one documented CaseView, for live and archived cases
 * alike, and the workflow's own bookkeeping is not part of it.
 */

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
addFormats(ajv);
const validate = ajv.compile(CaseViewSchema);
const validateReceipt = ajv.compile(ActionReceiptSchema);
function expectValid(value: unknown): void {
  const valid = validate(value);
  expect(valid ? [] : validate.errors).toEqual([]);
}

/** What the workflow keeps for itself: none of it is the API's contract. */
const internal = ['policy', 'calendar', 'window', 'fired', 'outbox', 'projectedSeq', 'projection', 'basis'];

/** Every key anywhere in the view, outside the timeline entries' free-form `data`. */
function keysOf(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, found);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      found.add(key);
      if (key !== 'data') keysOf(v, found);
    }
  }
  return found;
}

const at = (minutes: number) => new Date(Date.parse('2026-11-24T02:00:00.000Z') + minutes * 60_000).toISOString();

/** A case with every part a view can show: unit, extension, result, callbacks, leaders, spot check, reward, repeats. */
function richState(): CaseState {
  const complaint = makeComplaint({
    location: { address: '城南路 18 号旁河道', district: 'nancheng', lat: 31.2, lng: 121.4 },
    industry: 'textiles',
    complainant: { anonymous: false, name: '张三', phone: '13800000000', idNumber: '110101199001011234' },
    evidence: ['https://example.org/photo.jpg'],
    repeatOf: ['20261001-aaaaaaaaaa'],
    nearby: ['20261002-dddddddddd'],
    collective: { complainants: 5 },
    receivedAt: at(0),
  });
  const state = newCase(workflowInput(complaint), at(1));
  Object.assign(state, {
    status: 'under_review',
    acceptedAt: at(2),
    dispatchedAt: at(3),
    dispatchedOnTime: false,
    unit: unitA,
    dutyOfficer: '李四',
    onSiteReportedAt: at(30),
    refusedBy: ['unit-b'],
    window: 2,
    warnings: [{ level: 1, at: at(40), window: 1 }],
    overdue: false,
    extension: { days: 5, reason: '需要检测', requestedBy: 'officer-a', requestedAt: at(50), decision: 'approved', decidedBy: 'reg-1', decidedAt: at(51) },
    result: { finding: 'substantiated', actions: ['order_to_rectify', 'penalty'], reply: '已责令整改', submittedAt: at(60), by: 'officer-a', onTime: true },
    callbacks: [
      { outcome: 'satisfied', note: '满意', at: at(70), by: 'reg-1' },
      { outcome: 'basically_satisfied', at: at(71), by: 'reg-1', for: '20261125-cccccccccc' },
    ],
    callbackRounds: [[{ outcome: 'unsatisfied', at: at(48), by: 'reg-1' }]],
    pauses: [
      {
        awaiting: 'third_party',
        party: '检测机构',
        question: '检测pH值',
        by: 'officer-a',
        at: at(31),
        dueAt: at(35),
        resumedAt: at(34),
        answer: '已检测',
        workingDays: 1,
      },
    ],
    supervisions: [
      { note: '请限期回复', by: 'sup-1', at: at(41), dueAt: at(44), reply: { note: '已整改', by: 'officer-a', at: at(46), onTime: false }, overdue: true },
    ],
    reworkCount: 1,
    escalation: {
      tier: 1,
      owners: [{ leaderId: 'leader-1', kind: 'system' }],
      reason: '群众反映强烈',
      since: at(45),
      plan: '一案一策',
      progress: [{ note: '已约谈', at: at(55), by: 'leader-1' }],
      resolved: true,
    },
    spotCheck: { selectedAt: at(90), passed: true, note: '整改到位', decidedAt: at(95) },
    reward: { openedAt: at(61), dueAt: at(100_000), paidAt: at(200), reference: 'PAY-1', overdue: false },
    closedAt: at(80),
    closeReason: '回访满意',
    mergedInto: '20261001-bbbbbbbbbb',
    mergeUnconfirmed: true,
    repeatReports: [{ caseId: '20261125-cccccccccc', at: at(85), summary: '又排了', complainant: { anonymous: false, name: '王五' } }],
    dispatchOverdueAt: at(2),
    jointParts: [
      {
        unit: unitB,
        task: '街道办配合现场核查',
        status: 'done',
        workflowId: 'complaint-x-part-unit-b',
        assignedAt: at(35),
        assignedBy: 'reg-1',
        dueAt: at(5_000),
        acknowledgedAt: at(36),
        warningLevel: 1,
        overdue: false,
        result: { finding: 'partly_substantiated', actions: ['inspection'], reply: '已配合核查', submittedAt: at(58), by: 'officer-b', onTime: true },
        endedAt: at(58),
      },
      {
        unit: { id: 'unit-c', name: '监测站', level: 'district' },
        task: '采样',
        status: 'refused',
        workflowId: 'complaint-x-part-unit-c',
        assignedAt: at(35),
        assignedBy: 'reg-1',
        dueAt: at(5_000),
        warningLevel: 0,
        overdue: false,
        reason: '不在职责范围',
        endedAt: at(40),
      },
    ],
  } satisfies Partial<CaseState>);
  state.deadlines.reviewWindow = { dueAt: at(10_000), provisional: false, basis: { from: at(80), minutes: 10_000 } };
  state.timeline.push(
    { seq: 2, at: at(2), kind: 'dispatch_overdue', actor: 'system:timer', data: { dueAt: at(2) } },
    { seq: 3, at: at(80), kind: 'closed', actor: 'registrar:reg-1', note: '回访满意' },
    { seq: 4, at: at(90), kind: 'spot_check_selected', actor: 'system:spot-check', data: { day: '2026-11-24' } },
  );
  return state;
}

/** The read side of a case, as db/projections.ts stores it once its workflow projected it. */
function stored(state: CaseState): ArchivedCase {
  const { unit: _unit, owners: _owners, callbacks: _callbacks, spotCheckSelectedAt: _selected, ...p } = projectionOf(state, workflowIdFor(state.complaint.id));
  const date = (iso: string | null) => (iso ? new Date(iso) : null);
  const row: CaseRow = {
    ...p,
    dueAt: date(p.dueAt),
    registeredAt: new Date(p.registeredAt),
    acceptedAt: date(p.acceptedAt),
    assignedAt: date(p.assignedAt),
    resultSubmittedAt: date(p.resultSubmittedAt),
    closedAt: date(p.closedAt),
    rewardOpenedAt: date(p.rewardOpenedAt),
    rewardDueAt: date(p.rewardDueAt),
    rewardClaimedAt: date(p.rewardClaimedAt),
    rewardPaidAt: date(p.rewardPaidAt),
    lastSeq: state.timeline.at(-1)!.seq,
    updatedAt: new Date(),
  };
  const last = state.timeline.at(-1)!.seq;
  const events: CaseEvent[] = state.timeline.map((e) => ({
    caseId: state.complaint.id,
    seq: e.seq,
    kind: e.kind,
    actor: e.actor,
    at: new Date(e.at),
    payload: { note: e.note ?? null, ...(e.data ?? {}), ...(e.seq === last ? { projection: projectionOf(state, workflowIdFor(state.complaint.id)) } : {}) },
  }));
  return { archived: true, row, events };
}

/** What Fastify sends for a value under the CaseView response schema. */
async function serialized(value: CaseView): Promise<unknown> {
  const app = Fastify();
  app.get('/', { schema: { response: { 200: CaseViewSchema } } }, async () => value);
  try {
    return (await app.inject({ method: 'GET', url: '/' })).json();
  } finally {
    await app.close();
  }
}

describe('the CaseView of a live case', () => {
  it('fits the schema with every optional part present, and Fastify sends all of it', async () => {
    const live = liveCaseView(view(richState(), 'complaint-x'));
    expectValid(live);
    // Every property the schema declares is exercised here, so none escapes the check above.
    expect([...Object.keys(live)].sort()).toEqual(Object.keys(CaseViewSchema.properties).sort());
    expect(await serialized(live)).toEqual(JSON.parse(JSON.stringify(live)));
  });

  it("leaves out the workflow's bookkeeping: policy, windows, deadline bases, fired timers, outbox", () => {
    const live = liveCaseView(view(richState(), 'complaint-x'));
    for (const key of internal) expect(keysOf(live)).not.toContain(key);
    expect(live.deadlines.reviewWindow).toEqual({ dueAt: at(10_000), provisional: false, workingDays: false });
    expect(live.warnings).toEqual([{ level: 1, at: at(40) }]);
  });

  it('fits the schema as registered, with its optional parts absent', () => {
    const registered = liveCaseView(view(newCase(workflowInput(makeComplaint()), at(1)), 'complaint-y'));
    expectValid(registered);
    expect(registered).toMatchObject({ archived: false, status: 'registered', dispatchedOnTime: null, dispatchOverdue: false, overdue: false });
    expect(registered.dueAt).toBe(registered.deadlines.dispatch?.dueAt);
    expect(registered.unit).toBeUndefined();
  });
});

describe('the CaseView of an archived case', () => {
  it('has the same shape, and where it has a field, the value the live case had', async () => {
    const state = richState();
    const live = liveCaseView(view(state, workflowIdFor(state.complaint.id)));
    const archived = archivedCaseView(stored(state));
    expectValid(archived);
    expect(await serialized(archived)).toEqual(JSON.parse(JSON.stringify(archived)));
    expect(archived).toMatchObject({ archived: true, onDuty: null, deadlines: {}, complaint: { complainant: { anonymous: false } } });
    expect(archived.complaint.complainant).toEqual({ anonymous: false });
    const { archived: _a, onDuty: _o, deadlines: _d, timeline, ...kept } = archived;
    expect(live).toMatchObject(kept);
    expect(timeline.map((e) => [e.seq, e.kind, e.actor, e.note])).toEqual(live.timeline.map((e) => [e.seq, e.kind, e.actor, e.note]));
    // What the read side keeps of the case, beyond its row.
    expect(archived).toMatchObject({
      unit: unitA,
      escalation: { tier: 1, owners: [{ leaderId: 'leader-1', kind: 'system' }] },
      callbacks: live.callbacks,
      spotCheck: { selectedAt: at(90), passed: true },
      complaint: { firstReceiver: 'reg-1', repeatOf: ['20261001-aaaaaaaaaa'], location: { lat: 31.2, lng: 121.4 } },
      dispatchOverdueAt: at(2),
    });
    for (const key of internal) expect(keysOf(archived)).not.toContain(key);
  });

  it('tells a missed dispatch from a missed handling deadline, as the live view does', () => {
    const state = newCase(workflowInput(makeComplaint()), at(1));
    state.status = 'accepted';
    state.dispatchOverdueAt = at(5000);
    state.timeline.push({ seq: 2, at: at(5000), kind: 'dispatch_overdue', actor: 'system:timer', data: { dueAt: at(5000) } });
    const live = liveCaseView(view(state, 'complaint-z'));
    const archived = archivedCaseView(stored(state));
    expect(live).toMatchObject({ dispatchOverdue: true, overdue: false, dispatchedOnTime: false, dispatchOverdueAt: at(5000) });
    expect(archived).toMatchObject({ dispatchOverdue: true, overdue: false, dispatchedOnTime: false, dispatchOverdueAt: at(5000) });
  });
});

describe('an action’s receipt from a worker of the previous version', () => {
  it('takes what the action recorded from the whole case it answered: the entries of its last instant', () => {
    const state = newCase(workflowInput(makeComplaint()), at(1));
    state.timeline.push({ seq: 2, at: at(2), kind: 'claimed', actor: 'registrar:reg-1' }, { seq: 3, at: at(2), kind: 'accepted', actor: 'registrar:reg-1' });
    state.status = 'accepted';
    const receipt = actionReceipt('c-1', view(state, 'complaint-c-1'));
    expect(receipt).toMatchObject({ id: 'c-1', status: 'accepted', onDuty: 'registrar:reg-1' });
    expect(receipt.recorded.map((e) => e.kind)).toEqual(['claimed', 'accepted']);
    expect(validateReceipt(receipt) ? [] : validateReceipt.errors).toEqual([]);
  });
});

describe('over HTTP', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness('case-view');
  });
  afterAll(async () => {
    await h?.close();
  });

  const act = (id: string, path: string, key: string, payload: object = {}) =>
    h.app.inject({ method: 'POST', url: `/complaints/${id}/${path}`, headers: credentials(key), payload });
  const get = (id: string, key: string) => h.app.inject({ method: 'GET', url: `/complaints/${id}`, headers: credentials(key) });

  it('answers the case with the CaseView, all of it and nothing of the workflow bookkeeping, and every action with its receipt', async () => {
    const { id, workflowId } = (
      await h.app.inject({ method: 'POST', url: '/complaints', headers: credentials(keys.integrator), payload: submission() })
    ).json();
    const answers = [
      await act(id, 'accept', keys.registrar),
      await act(id, 'assign', keys.registrar, { unit: unitA }),
      await act(id, 'acknowledge', keys.unitA),
      await act(id, 'extension-request', keys.unitA, { days: 3, reason: '需要检测' }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(200);
      expect(validateReceipt(answer.json()) ? [] : validateReceipt.errors).toEqual([]);
      expect(answer.json().id).toBe(id);
    }
    // Each says where the case stands after it and what it recorded; together, the timeline since registration.
    expect(answers.map((a) => a.json().status)).toEqual(['accepted', 'assigned', 'in_progress', 'in_progress']);
    expect(answers.flatMap((a) => a.json().recorded.map((e: { kind: string }) => e.kind))).toEqual([
      'claimed',
      'accepted',
      'assigned',
      'acknowledged',
      'extension_requested',
    ]);
    const response = await get(id, keys.registrar);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expectValid(body);
    for (const key of internal) expect(keysOf(body)).not.toContain(key);
    // Fastify serializes by the schema: what the view holds, it sends, to the last field (the complainant masked, for every role).
    const live = liveCaseView(await h.client.workflow.getHandle(workflowId).query(getCase));
    const masked = { ...live, complaint: { ...live.complaint, complainant: maskComplainant(live.complaint.complainant) } };
    expect(body).toEqual(JSON.parse(JSON.stringify(masked)));
    expect(body).toMatchObject({
      archived: false,
      status: 'in_progress',
      onDuty: 'unit:unit-a',
      unit: unitA,
      complaint: { id, complainant: { anonymous: false, name: '王***', phone: '137********' } },
      extension: { days: 3, reason: '需要检测', requestedBy: 'officer-a' },
    });
    expect(Object.keys(body.deadlines).sort()).toEqual(['escalation', 'extensionDecision', 'handling', 'warning1', 'warning2']);
    expect(Object.keys(body.deadlines.handling).sort()).toEqual(['dueAt', 'provisional', 'workingDays']);
    // Masking applies on top of the view, the same for every role.
    const forUnit = (await get(id, keys.unitA)).json();
    expectValid(forUnit);
    expect(forUnit.complaint.complainant).toEqual({ anonymous: false, name: '王***', phone: '137********' });
  });

  it('answers an archived case in the same shape', async () => {
    const complaint = makeComplaint({ id: uniqueId('archived-view') });
    const state = newCase(workflowInput(complaint), new Date(Date.now() - 400 * 86_400_000).toISOString());
    state.status = 'closed';
    state.timeline.push({ seq: 2, at: new Date().toISOString(), kind: 'closed', actor: 'supervisor:sup-1', note: '已解决' });
    await createActivities(h.database).projectCase({ projection: projectionOf(state, workflowIdFor(complaint.id)), events: state.timeline });

    for (const key of [keys.registrar, keys.ops]) {
      const response = await get(complaint.id, key);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expectValid(body);
      for (const name of internal) expect(keysOf(body)).not.toContain(name);
      expect(body).toMatchObject({
        archived: true,
        status: 'closed',
        onDuty: null,
        deadlines: {},
        complaint: { id: complaint.id, complainant: { anonymous: false } },
      });
      expect(body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['registered', 'closed']);
    }
  });

  it('documents CaseView and ActionReceipt as components that the case and every action refer to', async () => {
    type Operation = { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
    const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { additionalProperties?: boolean; properties: Record<string, unknown> }> };
    }>();
    const refOf = (path: string, method: string) => spec.paths[path]?.[method]?.responses['200']?.content?.['application/json']?.schema.$ref;
    expect(refOf('/complaints/{id}', 'get')).toBe('#/components/schemas/CaseView');
    // Unmasking the complainant is not an action on the case: it answers the complainant, not a view.
    // An upload answers the attachment it stored (201), which the case then lists.
    const notReceipts = ['/complaints/{id}/identity', '/complaints/{id}/attachments'];
    // A co-unit's action on its joint part (联合办理) is an Update of the part's workflow: it answers the part.
    const isPart = (p: string) => p.startsWith('/complaints/{id}/parts/');
    const posts = Object.keys(spec.paths).filter((p) => p.startsWith('/complaints/{id}/') && !notReceipts.includes(p) && spec.paths[p]?.post);
    const actions = posts.filter((p) => !isPart(p));
    expect(actions.length).toBeGreaterThan(20);
    for (const path of actions) expect([path, refOf(path, 'post')]).toEqual([path, '#/components/schemas/ActionReceipt']);
    const parts = posts.filter(isPart);
    expect(parts).toHaveLength(3);
    for (const path of parts) expect([path, refOf(path, 'post')]).toEqual([path, '#/components/schemas/JointPartState']);
    expect(refOf('/complaints/{id}/parts/{unitId}', 'get')).toBe('#/components/schemas/JointPartState');
    const component = spec.components.schemas.CaseView!;
    expect(component.additionalProperties).toBe(false);
    expect(Object.keys(component.properties).sort()).toEqual(Object.keys(CaseViewSchema.properties).sort());
  });
});

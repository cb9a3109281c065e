import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { workingDeadline } from '../workflows/deadlines';
import { getPart, partUpdate, type jointPartWorkflow, type PartActionName, type PartArgsByName, type PartState } from '../workflows/joint-part';
import type { Actor, Unit } from '../workflows/model';
import { actors, makeComplaint, unitA, unitB, workflowInput } from './helpers/cases';
import { timeSkippingSuite } from './helpers/temporal';
import { CaseDriver } from './helpers/workflow-driver';

const suite = timeSkippingSuite('joint-handling');
const { recorded, taskQueue } = suite;

const unitC: Unit = { id: 'unit-c', name: '南城环境监测站', level: 'district' };
const officerC: Actor = { role: 'unit', id: 'officer-c', unitId: unitC.id };
/** The calendar every case of the suite starts with (workflowInput's). */
const calendar = workflowInput(makeComplaint()).calendar;
const result = { finding: 'substantiated' as const, actions: ['inspection' as const], reply: '监测站夜间采样，臭气浓度超标。' };

/** A case with unit A as its lead unit, signed for. */
async function leadCase() {
  const c = await CaseDriver.start(suite.env, taskQueue, workflowInput(makeComplaint()));
  await c.act('accept', { actor: actors.registrar });
  await c.act('assign', { actor: actors.registrar, unit: unitA });
  await c.act('acknowledge', { actor: actors.unitA });
  return c;
}

type PartHandle = WorkflowHandle<typeof jointPartWorkflow>;

function partOf(c: CaseDriver, unitId: string): PartHandle {
  return suite.env.client.workflow.getHandle(`complaint-${c.complaint.id}-part-${unitId}`);
}

function actOnPart<K extends PartActionName>(part: PartHandle, name: K, args: PartArgsByName[K]): Promise<PartState> {
  return part.executeUpdate(partUpdate(name), { args: [args] });
}

/** The part's workflow, once the case has started it (a moment after the action's answer). */
async function started(part: PartHandle): Promise<PartState> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return await part.query(getPart);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`part ${part.workflowId} never started`);
}

async function completed(part: PartHandle): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await part.describe()).status.name === 'COMPLETED') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`part ${part.workflowId} did not complete`);
}

describe('joint handling (联合办理)', () => {
  it('runs two co-units as child workflows: one refuses, the other submits, and the lead result waits for both', async () => {
    const c = await leadCase();
    const assigned = await c.act('jointAssign', {
      actor: actors.registrar,
      coUnits: [
        { unit: unitB, task: '街道办配合现场核查' },
        { unit: unitC, task: '夜间采样监测' },
      ],
    });
    const due = workingDeadline(calendar, assigned.jointParts![0]!.assignedAt, 10).dueAt;
    expect(assigned.jointParts?.map((p) => [p.unit.id, p.status, p.dueAt])).toEqual([
      ['unit-b', 'working', due],
      ['unit-c', 'working', due],
    ]);
    // The lead unit consolidates: its result waits for the parts still being worked, and says which.
    expect(await c.rejected('submitResult', { actor: actors.unitA, ...result })).toMatch(/unit-b, unit-c/);

    const partB = partOf(c, unitB.id);
    const partC = partOf(c, unitC.id);
    expect((await started(partB)).deadlines.handling.dueAt).toBe(due);
    await started(partC);
    // Only the co-unit acts on its part: the lead unit, and another co-unit, are outside it.
    await expect(actOnPart(partB, 'acknowledge', { actor: actors.unitA })).rejects.toMatchObject({ cause: { type: 'NotInScope' } });
    await expect(actOnPart(partB, 'acknowledge', { actor: officerC })).rejects.toMatchObject({ cause: { type: 'NotInScope' } });

    await actOnPart(partB, 'acknowledge', { actor: actors.unitB });
    await c.until((v) => v.jointParts?.[0]?.acknowledgedAt !== undefined, 'the part signed for');
    await actOnPart(partB, 'refuse', { actor: actors.unitB, reason: '该点位不在本街道辖区' });
    let view = await c.until((v) => v.jointParts?.[0]?.status === 'refused', 'the refusal');
    // A refusal does not undo the other part.
    expect(view.jointParts?.[1]?.status).toBe('working');
    expect(await c.rejected('submitResult', { actor: actors.unitA, ...result })).toMatch(/unit-c/);

    const submitted = await actOnPart(partC, 'submit', { actor: officerC, ...result });
    expect(submitted).toMatchObject({ status: 'done', result: { onTime: true, by: 'officer-c' } });
    view = await c.until((v) => v.jointParts?.[1]?.status === 'done', 'the second part done');
    expect(view.jointParts?.[1]?.result).toMatchObject({ finding: 'substantiated', onTime: true });
    await Promise.all([completed(partB), completed(partC)]);
    expect(await partB.result()).toMatchObject({ status: 'refused', reason: '该点位不在本街道辖区' });

    const final = await c.act('submitResult', { actor: actors.unitA, ...result });
    expect(final.status).toBe('callback');
    expect(c.kinds(final)).toEqual(
      expect.arrayContaining(['joint_assigned', 'joint_part_acknowledged', 'joint_part_refused', 'joint_part_done', 'result_submitted']),
    );
    // The case's history shows each part as its child's start and completion.
    const history = await c.handle.fetchHistory();
    const kinds = (history.events ?? []).map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')));
    expect(kinds.filter((k) => k === 'startChildWorkflowExecutionInitiatedEventAttributes')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'childWorkflowExecutionCompletedEventAttributes')).toHaveLength(2);

    await c.settled(recorded.projectedSeq);
    const notices = recorded.noticesOf(c.complaint.id).map((n) => `${n.kind}:${String(n.params.event ?? '')}->${n.recipient}`);
    expect(notices).toEqual(
      expect.arrayContaining([
        'joint_part:assigned->unit:unit-b',
        'joint_part:assigned->unit:unit-c',
        'joint_part:refused->unit:unit-a',
        'joint_part:refused->registrar:reg-1',
        'joint_part:done->unit:unit-a',
      ]),
    );
    expect(recorded.projectionOf(c.complaint.id)?.jointParts).toEqual([
      { unit: 'unit-b', status: 'refused', dueAt: due },
      { unit: 'unit-c', status: 'done', dueAt: due },
    ]);
  });

  it("raises a part's warnings and overdue at their instants, and a supervisor's waiver lets the lead unit go on", async () => {
    const c = await leadCase();
    await c.act('jointAssign', { actor: actors.supervisor, coUnits: [{ unit: unitB, task: '街道办配合现场核查' }] });
    const part = partOf(c, unitB.id);
    const { warning1, warning2, handling } = (await started(part)).deadlines;

    await c.advanceTo(warning1.dueAt, -60_000);
    expect((await c.view()).jointParts?.[0]?.warningLevel).toBe(0);
    await c.advanceTo(warning1.dueAt, 1_000);
    let view = await c.until((v) => v.jointParts?.[0]?.warningLevel === 1, 'the first warning of the part');
    expect(Date.parse(view.timeline.find((e) => e.kind === 'joint_part_warning')!.at)).toBeGreaterThanOrEqual(Date.parse(warning1.dueAt));

    await c.advanceTo(warning2.dueAt, 1_000);
    await c.until((v) => v.jointParts?.[0]?.warningLevel === 2, 'the second warning of the part');
    await c.advanceTo(handling.dueAt, -60_000);
    expect((await c.view()).jointParts?.[0]?.overdue).toBe(false);
    await c.advanceTo(handling.dueAt, 1_000);
    view = await c.until((v) => v.jointParts?.[0]?.overdue === true, 'the part overdue');
    const overdue = view.timeline.find((e) => e.kind === 'joint_part_overdue')!;
    expect(Date.parse(overdue.at)).toBeGreaterThanOrEqual(Date.parse(handling.dueAt));
    expect(overdue.data).toMatchObject({ unit: 'unit-b', dueAt: handling.dueAt });
    // The part's deadline is its own: the case's handling window is not overdue for it.
    expect(view.overdue).toBe(false);

    expect(await c.rejected('waiveJointParts', { actor: actors.registrar, reason: '街道办无法到场' })).toMatch(/not allowed for role registrar/);
    const waived = await c.act('waiveJointParts', { actor: actors.supervisor, reason: '街道办长期未反馈，由牵头单位单独办结' });
    expect(waived.jointParts?.[0]).toMatchObject({ status: 'waived', reason: '街道办长期未反馈，由牵头单位单独办结' });
    await completed(part);
    expect(await part.result()).toEqual({ status: 'waived' });
    expect((await c.act('submitResult', { actor: actors.unitA, ...result })).status).toBe('callback');
    // A waived part takes no more actions.
    await expect(actOnPart(part, 'submit', { actor: actors.unitB, ...result })).rejects.toThrow();

    await c.settled(recorded.projectedSeq);
    const notices = recorded.noticesOf(c.complaint.id).map((n) => `${n.kind}->${n.recipient}`);
    expect(notices).toEqual(expect.arrayContaining(['warning->unit:unit-b', 'supervision->unit:unit-b', 'joint_part->unit:unit-a']));
  });

  it('refuses co-units that cannot take a part', async () => {
    const c = await leadCase();
    const assign = (unit: Unit) => c.rejected('jointAssign', { actor: actors.registrar, coUnits: [{ unit, task: '配合核查' }] });
    expect(await assign(unitA)).toMatch(/unit-a is the lead unit/);
    expect(
      await c.rejected('jointAssign', {
        actor: actors.registrar,
        coUnits: [
          { unit: unitB, task: 'a' },
          { unit: unitB, task: 'b' },
        ],
      }),
    ).toMatch(/named twice/);
    expect(await c.rejected('waiveJointParts', { actor: actors.supervisor, reason: '无' })).toMatch(/no joint part/);
    await c.act('jointAssign', { actor: actors.registrar, coUnits: [{ unit: unitB, task: '配合核查' }] });
    expect(await assign(unitB)).toMatch(/already has a part/);
    // Closing the case ends its open parts: their workflows are cancelled and end as waived.
    const part = partOf(c, unitB.id);
    await started(part);
    const closed = await c.act('close', { actor: actors.supervisor, reason: '投诉人撤诉' });
    expect(closed.jointParts?.[0]?.status).toBe('waived');
    await completed(part);
    expect(await part.result()).toEqual({ status: 'waived' });
  });
});

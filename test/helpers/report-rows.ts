import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { writeProjection } from '../../db/projections';
import { complaints } from '../../db/schema';
import { newCase } from '../../workflows/case';
import type { Complaint } from '../../workflows/model';
import { projectionOf, type CaseProjection } from '../../workflows/projection';
import { makeComplaint, uniqueId, workflowInput } from './cases';

/**
 * Read-side rows for the report tests: a case's row written as the workflow would project it
 * (no workflow runs), with the facts a report counts set directly. `remove` deletes them after.
 */
export function reportRows(db: Db, prefix: string) {
  const ids: string[] = [];
  return {
    async seed(complaint: Partial<Complaint>, registeredAt: Date, facts: Partial<CaseProjection> = {}): Promise<string> {
      const c = makeComplaint({ id: uniqueId(prefix), ...complaint });
      const projection = {
        ...projectionOf(newCase(workflowInput(c), registeredAt.toISOString()), `complaint-${c.id}`),
        registeredAt: registeredAt.toISOString(),
        ...facts,
      };
      await writeProjection(db, projection, 1);
      ids.push(c.id);
      return c.id;
    },
    async remove(): Promise<void> {
      if (ids.length > 0) await db.delete(complaints).where(inArray(complaints.id, ids));
    },
  };
}

import { directoryAccess, mayAccess, type Directory } from '../../../../lib/directory-access';
import { labelZh, roleZh } from '../../labels';
import { useCaller } from '../../session';

export { mayAccess, type Directory };

/** Whether the signed-in person may read and may edit the directory, as the API's routes allow. */
export function useAccess(directory: Directory): { read: boolean; edit: boolean } {
  const { roles } = useCaller();
  return { read: mayAccess(directory, 'read', roles), edit: mayAccess(directory, 'edit', roles) };
}

/** Who may read or edit the directory, in words: 督办员、运维和包案领导. */
export function rolesText(directory: Directory, access: 'read' | 'edit'): string {
  const names = directoryAccess[directory][access].map((role) => labelZh(roleZh, role));
  return names.length > 1 ? `${names.slice(0, -1).join('、')}和${names.at(-1) ?? ''}` : (names[0] ?? '');
}

import { Modal, Table, Tag } from 'antd';
import { labelZh, unitLevelZh } from '../../labels';
import { formatTime } from '../../time';
import type { UnitRow, UnitVersion } from '../../types';
import { loadFailure, useLoad } from './lists';

/** Every version of a unit, newest first (GET /units/{id}/versions): a case keeps the version it was assigned. */
export function UnitVersions({ unit, names, onClose }: { unit: UnitRow; names: ReadonlyMap<string, string>; onClose: () => void }) {
  const versions = useLoad<{ versions: UnitVersion[] }>(`/units/${encodeURIComponent(unit.id)}/versions`);
  return (
    <Modal open title={`${unit.name} 的历史版本`} footer={null} onCancel={onClose} width={960} destroyOnHidden>
      {loadFailure('历史版本', versions)}
      <Table<UnitVersion>
        rowKey="version"
        size="small"
        loading={versions.loading}
        pagination={false}
        dataSource={[...(versions.data?.versions ?? [])].reverse()}
        columns={[
          { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
          { title: '名称', dataIndex: 'name' },
          { title: '级别', dataIndex: 'level', render: (level: string) => labelZh(unitLevelZh, level) },
          { title: '上级单位', dataIndex: 'parentId', render: (id: string | null) => (id ? (names.get(id) ?? id) : '—') },
          {
            title: '管辖区县',
            dataIndex: 'districts',
            render: (d: string[], v) => (d.length > 0 ? d.join('、') : v.parentId === null ? '全部区县' : '沿用上级'),
          },
          { title: '状态', dataIndex: 'active', render: (active: boolean) => (active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '修改人', dataIndex: 'changedBy', render: (by: string) => (by === 'seed' ? '初始数据' : by) },
          { title: '修改时间', dataIndex: 'changedAt', render: (at: string) => formatTime(at) },
        ]}
      />
    </Modal>
  );
}

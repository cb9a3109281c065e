import { App, Button, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { labelZh, unitLevelZh } from '../../labels';
import type { UnitRow } from '../../types';
import { useAccess } from './access';
import { DirectoryNav } from './DirectoryNav';
import { districtsOf, useLoad } from './lists';
import { LoadedTable } from './LoadedTable';
import { UnitDialog } from './UnitDialog';
import { unitTree, type UnitNode } from './unit-tree';
import { UnitVersions } from './UnitVersions';
import { withApp } from './with-app';

type Editing = { unit: UnitRow } | { parentId: string | undefined };

/** 单位: the organisation as its tree (GET /units), with level and districts, kept by those PUT /units allows. */
function Units() {
  const access = useAccess('units');
  const { message } = App.useApp();
  const units = useLoad<{ units: UnitRow[] }>('/units');
  const list = useMemo(() => units.data?.units ?? [], [units.data]);
  const tree = useMemo(() => unitTree(list), [list]);
  const names = useMemo(() => new Map(list.map((u) => [u.id, u.name])), [list]);
  const [editing, setEditing] = useState<Editing>();
  const [history, setHistory] = useState<UnitRow>();
  // Collapsed by the person; every other unit shows its children, new ones included.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <DirectoryNav current="units" add={{ label: '新增单位', onClick: () => setEditing({ parentId: undefined }) }} />
      <LoadedTable<UnitNode>
        what="单位名录"
        loaded={units}
        dataSource={tree}
        pagination={false}
        locale={{ emptyText: '还没有登记单位' }}
        expandable={{
          expandedRowKeys: list.filter((u) => !collapsed.has(u.id)).map((u) => u.id),
          onExpand: (expanded, unit) =>
            setCollapsed((c) => {
              const next = new Set(c);
              if (expanded) next.delete(unit.id);
              else next.add(unit.id);
              return next;
            }),
        }}
        columns={[
          { title: '单位名称', dataIndex: 'name' },
          { title: '编号', dataIndex: 'id' },
          { title: '级别', dataIndex: 'level', render: (level: string) => labelZh(unitLevelZh, level) },
          {
            title: '管辖区县',
            dataIndex: 'districts',
            // Without its own: its parent's, up the chain; a root without any covers every district.
            render: (districts: string[], unit) =>
              districts.length > 0 ? (
                <Space size={[0, 4]} wrap>
                  {districts.map((d) => (
                    <Tag key={d}>{d}</Tag>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{unit.parentId === null ? '全部区县' : '沿用上级'}</Typography.Text>
              ),
          },
          { title: '状态', dataIndex: 'active', render: (active: boolean) => (active ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, unit) => (
              <Space size="small">
                {access.edit && (
                  <Button size="small" aria-label={`编辑 ${unit.name}`} onClick={() => setEditing({ unit })}>
                    编辑
                  </Button>
                )}
                {access.edit && (
                  <Button size="small" aria-label={`在 ${unit.name} 下新增单位`} onClick={() => setEditing({ parentId: unit.id })}>
                    添加下级
                  </Button>
                )}
                <Button size="small" type="link" aria-label={`${unit.name} 的历史版本`} onClick={() => setHistory(unit)}>
                  历史版本
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <UnitDialog
          unit={'unit' in editing ? editing.unit : undefined}
          parentId={'parentId' in editing ? editing.parentId : undefined}
          units={list}
          districts={districtsOf(list)}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setEditing(undefined);
            void message.success(`已保存：${saved.name}（第 ${saved.version} 版）`);
            units.reload();
          }}
        />
      )}
      {history && <UnitVersions unit={history} names={names} onClose={() => setHistory(undefined)} />}
    </Space>
  );
}

export default withApp(Units);

import { Alert, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { get, query } from '../api';
import { CaseTable } from '../components/CaseTable';
import { useNow } from '../hooks';
import { labelZh, problemZh, statusZh } from '../labels';
import { useLiveRefresh } from '../live';
import type { CasePage } from '../types';

interface Filters {
  status?: string;
  district?: string;
  overdue?: 'true' | 'false';
  text?: string;
}

const pageSize = 20;
const filterNames = ['status', 'district', 'overdue', 'text'] as const;

const statusOptions = Object.keys(statusZh).map((code) => ({ value: code, label: labelZh(statusZh, code) }));

/** The filters live in the URL, so a search can be shared, reloaded and gone back to. */
function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of filterNames) {
    const value = params.get(name)?.trim();
    if (!value) continue;
    if (name === 'overdue') {
      if (value === 'true' || value === 'false') filters.overdue = value;
    } else filters[name] = value;
  }
  return filters;
}

/**
 * 案件查询: GET /complaints with its filters, newest first, a page at a time by the API's cursor.
 * Re-read when a case on the page moves, or any case on the first page (a new case comes first).
 */
export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const now = useNow();
  const filtersKey = params.toString();
  // The cursors of the pages up to this one (back pops, next pushes the answer's nextCursor), for
  // the filters they were given under: new filters start again at the first page.
  const [paging, setPaging] = useState<{ filters: string; cursors: (string | undefined)[] }>({ filters: filtersKey, cursors: [undefined] });
  const cursors = paging.filters === filtersKey ? paging.cursors : [undefined];
  const [page, setPage] = useState<CasePage>();
  const [error, setError] = useState<unknown>();
  const cursor = cursors.at(-1);
  // The spinner is for new filters or another page, not for the live re-reads of the same one.
  const shownKey = `${filtersKey}#${cursor ?? ''}`;
  const [loadedKey, setLoadedKey] = useState<string>();
  const loading = loadedKey !== shownKey;

  // The form shows the URL's filters (after back, forward or a reload too).
  useEffect(() => {
    form.setFieldsValue({ status: undefined, district: undefined, overdue: undefined, text: undefined, ...filtersOf(new URLSearchParams(filtersKey)) });
  }, [filtersKey, form]);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        setPage(await get<CasePage>(`/complaints${query({ ...filtersOf(new URLSearchParams(filtersKey)), limit: pageSize, cursor })}`, signal));
        setError(undefined);
      } catch (e) {
        if (!signal.aborted) setError(e);
      } finally {
        if (!signal.aborted) setLoadedKey(shownKey);
      }
    },
    [filtersKey, cursor, shownKey],
  );
  const shownIds = useMemo(() => new Set(page?.items.map((row) => row.id)), [page]);
  useLiveRefresh(load, (change) => cursor === undefined || shownIds.has(change.id));

  const search = (values: Filters) => {
    const next = new URLSearchParams();
    for (const name of filterNames) {
      const value = values[name]?.trim();
      if (value) next.set(name, value);
    }
    setParams(next);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        案件查询
      </Typography.Title>
      <Form<Filters> form={form} layout="inline" onFinish={search} style={{ rowGap: 12 }}>
        <Form.Item label="状态" name="status">
          <Select allowClear placeholder="全部" options={statusOptions} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="区县" name="district">
          <Input allowClear placeholder="区县编码" maxLength={100} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item label="是否超期" name="overdue">
          <Select
            allowClear
            placeholder="全部"
            options={[
              { value: 'true', label: '已超期' },
              { value: 'false', label: '未超期' },
            ]}
            style={{ width: 120 }}
          />
        </Form.Item>
        <Form.Item label="关键词" name="text">
          <Input allowClear placeholder="摘要、地址或污染源" maxLength={200} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              查询
            </Button>
            <Button onClick={() => setParams(new URLSearchParams())}>重置</Button>
          </Space>
        </Form.Item>
      </Form>
      {error !== undefined && <Alert type="error" showIcon title={`查询失败：${problemZh(error)}`} />}
      <CaseTable rows={page?.items ?? []} loading={loading} now={now} pagination={false} />
      <Space>
        <Button disabled={cursors.length <= 1 || loading} onClick={() => setPaging({ filters: filtersKey, cursors: cursors.slice(0, -1) })}>
          上一页
        </Button>
        <Typography.Text>第 {cursors.length} 页</Typography.Text>
        <Button
          disabled={!page?.nextCursor || loading}
          onClick={() => {
            const next = page?.nextCursor;
            if (next) setPaging({ filters: filtersKey, cursors: [...cursors, next] });
          }}
        >
          下一页
        </Button>
      </Space>
    </Space>
  );
}

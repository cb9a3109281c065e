import { Alert, Button, Modal, Space, Table, Typography } from 'antd';
import { useRef, useState } from 'react';
import { request } from '../../api';
import { problemZh } from '../../labels';
import { fieldProblems, messageZh } from './problems';

/** The roster CSV's columns, as POST /duty/import reads them, and their names in the errors list. */
const columns = { duty: '值班类型', district: '区县', account: '账号', starts_at: '开始时间', ends_at: '结束时间' } as const;
const header = Object.keys(columns).join(',');
const example = 'duty_leader,nancheng,zhang.wei,2026-10-01T08:00+08:00,2026-10-01T20:00+08:00';

interface RowError {
  key: number;
  /** The file's line (the header is line 1); undefined: the file as a whole. */
  line: number | undefined;
  column: string;
  message: string;
}

/** `row 3.starts_at` → line 3, 开始时间; `header`, `body` → the file's. */
function rowErrorOf({ field, message }: { field: string; message: string }, key: number): RowError {
  const match = /^row (\d+)(?:\.(\w+))?$/.exec(field);
  if (!match) return { key, line: undefined, column: field === 'header' ? '表头' : '文件', message: messageZh(message) };
  const column = match[2];
  const label = column && Object.hasOwn(columns, column) ? columns[column as keyof typeof columns] : '整行';
  return { key, line: Number(match[1]), column: label, message: messageZh(message) };
}

interface Props {
  onClose: () => void;
  onImported: (count: number) => void;
}

/** Imports a roster CSV (POST /duty/import): every row or none, and every bad row's errors listed. */
export function ImportDialog({ onClose, onImported }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [rows, setRows] = useState<RowError[]>([]);

  const send = async () => {
    if (!file) {
      setError('请先选择 CSV 文件');
      return;
    }
    setBusy(true);
    setError(undefined);
    setRows([]);
    try {
      // The file goes as it is (text/csv), not as JSON.
      const { imported } = await request<{ imported: number }>('POST', '/duty/import', { raw: { text: await file.text(), type: 'text/csv' } });
      onImported(imported);
    } catch (e) {
      const errors = fieldProblems(e);
      setRows(errors.map(rowErrorOf));
      setError(errors.length > 0 ? `未导入任何班次：文件有 ${errors.length} 处错误，请改正后重新导入` : `导入失败：${problemZh(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title="导入值班表（CSV）"
      okText="导入"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => void send()}
      onCancel={onClose}
      mask={{ closable: false }}
      width={760}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          UTF-8 编码，首行为表头 <Typography.Text code>{header}</Typography.Text>；值班类型填 duty_leader（值班领导）、duty_officer（值班员）或
          rapid_team（快速响应组）；区县留空为全局值班；时间含时区，如：
        </Typography.Paragraph>
        <Typography.Text code>{example}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          全部行校验通过才会导入；重复导入同一行会覆盖原班次，不会重复添加。
        </Typography.Paragraph>
        <Space>
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            aria-label="值班表 CSV 文件"
            style={{ display: 'none' }}
            onChange={(event) => {
              setFile(event.target.files?.[0]);
              setError(undefined);
              setRows([]);
            }}
          />
          <Button onClick={() => input.current?.click()} disabled={busy}>
            选择文件
          </Button>
          <Typography.Text>{file ? file.name : '未选择文件'}</Typography.Text>
        </Space>
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        {rows.length > 0 && (
          <Table<RowError>
            size="small"
            rowKey="key"
            dataSource={rows}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { title: '行号', dataIndex: 'line', width: 80, render: (line: number | undefined) => (line === undefined ? '—' : `第 ${line} 行`) },
              { title: '列', dataIndex: 'column', width: 100 },
              { title: '问题', dataIndex: 'message' },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}

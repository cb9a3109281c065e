import { App, Button, Select, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { newIdempotencyKey, query, request } from '../api';
import { attachmentKindZh, problemZh } from '../labels';
import { formatTime } from '../time';
import type { CaseView } from '../types';

type Attachment = CaseView['attachments'][number];
type Kind = Attachment['kind'];

const kinds = Object.keys(attachmentKindZh) as Kind[];

/** Bytes as people read them: 2.3 MB, 850 KB. */
function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * 附件: the case's files, each a download link (the browser sends the session cookie), and, for
 * whoever may attach now (`attach` among the actions offered), an upload of one file at a time.
 * The file goes as the request's body; the API judges its type by its content.
 */
export function Attachments({ view, canUpload, onDone }: { view: CaseView; canUpload: boolean; onDone: () => void }) {
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind>('evidence_photo');
  const [uploading, setUploading] = useState(false);
  const base = `/complaints/${encodeURIComponent(view.complaint.id)}/attachments`;

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await request('POST', `${base}${query({ kind, name: file.name })}`, {
        raw: { text: file, type: 'application/octet-stream' },
        headers: { 'idempotency-key': newIdempotencyKey() },
      });
      void message.success(`已上传：${file.name}`);
      onDone();
    } catch (error) {
      void message.error(`上传失败：${problemZh(error)}`);
    } finally {
      setUploading(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {canUpload && (
        <Space wrap>
          <Select<Kind>
            aria-label="附件类型"
            value={kind}
            onChange={setKind}
            style={{ width: 140 }}
            options={kinds.map((k) => ({ value: k, label: attachmentKindZh[k] }))}
          />
          <Upload
            accept="image/jpeg,image/png,image/webp,application/pdf,video/mp4"
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              // The upload is ours (the body is the file, not a form): antd sends nothing itself.
              return false;
            }}
          >
            <Button loading={uploading}>上传</Button>
          </Upload>
          <span>照片、PDF 或 MP4</span>
        </Space>
      )}
      {/* Not an empty table: its placeholder's grey is too faint to read (axe, color-contrast). */}
      {view.attachments.length === 0 ? (
        <div>暂无附件</div>
      ) : (
        <Table<Attachment>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={view.attachments}
          columns={[
            {
              title: '文件',
              dataIndex: 'name',
              render: (name: string, a) => (
                <a href={`${base}/${encodeURIComponent(a.id)}`} download={name}>
                  {name}
                </a>
              ),
            },
            { title: '类型', dataIndex: 'kind', render: (k: Kind) => attachmentKindZh[k] },
            { title: '大小', dataIndex: 'size', render: formatSize },
            { title: '上传人', dataIndex: 'by' },
            { title: '时间', dataIndex: 'at', render: (at: string) => formatTime(at) },
          ]}
        />
      )}
    </Space>
  );
}

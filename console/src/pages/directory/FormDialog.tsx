import { Alert, Form, Modal, type FormProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { request } from '../../api';
import { showProblem } from './problems';

interface Props<Values, Saved> {
  title: string;
  /** The fields' labels by their names: the form's, and the API's field errors'. */
  labels: Readonly<Record<string, string>>;
  initialValues: FormProps<Values>['initialValues'];
  /** Where the values go (PUT: adding and changing are one call) and what is sent. */
  put: (values: Values) => { path: string; body: object };
  onClose: () => void;
  onSaved: (saved: Saved) => void;
  /** The form's items. */
  children: ReactNode;
}

/**
 * A directory record's add-or-change dialog: 保存 checks the fields and PUTs them; a refusal sets
 * each field error beside its field and sums it all up in the alert below the form.
 */
export function FormDialog<Values extends object, Saved>({ title, labels, initialValues, put, onClose, onSaved, children }: Props<Values, Saved>) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const save = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const { path, body } = put(values);
      onSaved(await request<Saved>('PUT', path, { body }));
    } catch (e) {
      setError(showProblem(form, e, labels));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" disabled={busy} onFinish={(values) => void save(values)} initialValues={initialValues}>
        {children}
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}

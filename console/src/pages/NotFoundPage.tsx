import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';

export default function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      // The page's one heading, at the size the result gives its title.
      title={<h1 style={{ font: 'inherit', color: 'inherit', margin: 0 }}>页面不存在</h1>}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          返回待办
        </Button>
      }
    />
  );
}

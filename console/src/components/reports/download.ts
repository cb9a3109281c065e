import { ApiError } from '../../api';

/**
 * Downloads a report's export through fetch rather than a plain link, so a refusal (an expired
 * session, a bad period) is shown on the page instead of being saved as a file. The name is the
 * one the API gives (`kpi-2026-11-01_2026-11-30.xlsx`).
 */
export async function downloadReport(url: string): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({ status: response.status }))) as ConstructorParameters<typeof ApiError>[1];
    throw new ApiError(response.status, problem, undefined);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'report';
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

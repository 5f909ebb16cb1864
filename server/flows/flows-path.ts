/** Where the editor and admin API live, and the flows' own HTTP endpoints (http in nodes) under it. */
export const FLOWS_ROOT = '/flows';
export const FLOWS_HTTP_ROOT = '/flows/api';

/** Whether a request is Node-RED's (kept apart from the API app, its helmet policy and its 404s). */
export function isFlowsPath(url: string | undefined): boolean {
  return (
    url !== undefined &&
    (url === FLOWS_ROOT || url.startsWith(`${FLOWS_ROOT}/`) || url.startsWith(`${FLOWS_ROOT}?`))
  );
}

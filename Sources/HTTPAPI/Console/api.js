// The API client: the session cookie goes with every request by itself; writes echo the
// session's CSRF secret, which lives in this module's memory only (never in storage).

let csrf = null;
export const session = { user: null, role: null, ward: null, tileURL: null };

export class APIError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

const rank = { viewer: 0, investigator: 1, admin: 2 };
export function can(role) {
  return session.role != null && rank[session.role] >= rank[role];
}

function adopt(body) {
  csrf = body.csrf_token;
  session.user = body.user;
  session.role = body.role;
  session.ward = body.ward || null;
  session.tileURL = body.tile_url || null;
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['X-CSRF-Token'] = csrf || '';
    if (body !== undefined) headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const error = data && data.error ? data.error : { message: text || response.statusText };
    if (response.status === 401 && path !== '/api/v1/session') window.dispatchEvent(new CustomEvent('ww-signed-out'));
    throw new APIError(response.status, error.message, error.field);
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body) => request('POST', path, body === undefined ? {} : body),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
};

/** Restores a session from the cookie; false when there is none. */
export async function resume() {
  const body = await request('GET', '/api/v1/session');
  if (!body || !body.signed_in) return false;
  adopt(body);
  return true;
}

/** Exchanges a token for a session; the token is not kept anywhere. */
export async function signIn(token) {
  adopt(await request('POST', '/api/v1/session', { token }));
}

export async function signOut() {
  try { await request('DELETE', '/api/v1/session'); } finally {
    csrf = null;
    session.user = session.role = session.ward = session.tileURL = null;
  }
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== '') search.set(key, String(value).trim());
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

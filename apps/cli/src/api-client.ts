import { DEV_JWT_SECRET, signDevToken } from '../../api/src/auth/dev-token';
import type { Role } from '../../../libs/contracts/src';
import { roles } from '../../../libs/contracts/src';
import { CliFailure } from './failure';

export interface ClientOptions {
  api: string;
  token?: string;
  as?: string;
}

/** `--as cw1:caseworker:north` (roles separated by commas) mints a development token. */
export async function tokenFor(options: ClientOptions): Promise<string> {
  if (options.token) return options.token;
  if (!options.as)
    throw new CliFailure(
      'no token: give --token (or NEUVO_TOKEN), or --as sub:role[,role]:unit for a development token',
    );
  const [sub, roleList, unit] = options.as.split(':');
  const asked = (roleList ?? '').split(',').filter(Boolean);
  if (!sub || !unit || asked.length === 0 || asked.some((r) => !(roles as readonly string[]).includes(r))) {
    throw new CliFailure(`--as must look like cw1:caseworker:north (roles: ${roles.join(', ')})`);
  }
  return signDevToken({ sub, roles: asked as Role[], unit }, process.env.NEUVO_JWT_SECRET || DEV_JWT_SECRET);
}

/** Calls the API (same contract as any client); an error answer becomes a one-line CliFailure. */
export async function call<T = unknown>(
  options: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const token = await tokenFor(options);
  let response: Response;
  try {
    response = await fetch(new URL(path, options.api), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CliFailure(
      `cannot reach the API at ${options.api}: is it running (neuvo up)? Set --api or NEUVO_API`,
    );
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const e = (parsed ?? {}) as { error?: string; message?: string; details?: unknown };
    const details =
      e.error === 'transition_rejected'
        ? ` (allowed: ${((e.details as { allowedEvents?: string[] })?.allowedEvents ?? []).join(', ') || 'none'})`
        : e.error === 'invalid_payload'
          ? ` (${((e.details as { path: string; message: string }[]) ?? []).map((d) => `${d.path || 'body'}: ${d.message}`).join('; ')})`
          : '';
    throw new CliFailure(
      `${response.status} ${e.error ?? 'error'}: ${e.message ?? text.slice(0, 200)}${details}`,
    );
  }
  return (parsed ?? text) as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every item of a paged list (`{ items, nextCursor }`). */
export async function all<T>(options: ClientOptions, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const url = new URL(path, 'http://x');
    if (cursor) url.searchParams.set('cursor', cursor);
    const page: { items: T[]; nextCursor: string | null } = await call(
      options,
      'GET',
      url.pathname + url.search,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

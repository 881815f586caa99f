/**
 * A variant published through the API with a seconds-scale ladder: the escalation of a lapsed promise is
 * visible on GET /cases/:id as it happens, in real time, on the dev server.
 */
import type { CaseView } from '../../libs/contracts/src';
import { builtInVariant } from '../../libs/process/src';
import {
  apiStack,
  eventually,
  requirePostgresInCi,
  testDatabases,
  users,
  type ApiStack,
} from '../support/api-stack';
import { conferenceToApproval } from '../support/journeys';
import { httpCase, openCase } from './http-case';

jest.setTimeout(180_000);
requirePostgresInCi();

const ladder = [
  { after: 'P0D', level: 'reminder', notify: ['owner', 'verifier'] },
  { after: 'PT2S', level: 'lapsed', notify: ['caseworker'] },
  { after: 'PT4S', level: 'coordinator', notify: ['coordinators'] },
  { after: 'PT6S', level: 'supervisor', notify: ['supervisor'] },
] as const;

describe.each(testDatabases())('escalation ladder in real time on $name', (database) => {
  let stack: ApiStack;
  beforeAll(async () => {
    stack = await apiStack(database);
  });
  afterAll(() => stack?.stop());

  it('a PT2S ladder published over HTTP climbs on GET /cases/:id as the seconds pass', async () => {
    const { key: _key, version: _version, ...fgc } = builtInVariant('fgc');
    const published = await stack.request('POST', '/variants/fgc-drill/versions', {
      as: users.co1,
      body: { ...fgc, escalation: ladder },
    });
    expect(published.status).toBe(201);

    const opened = await openCase(stack.request, 'fgc-drill');
    expect(opened.variant).toEqual({ key: 'fgc-drill', version: published.json.version });
    const c = httpCase(stack.request, opened.id);
    await conferenceToApproval(c, Date.now(), false);

    const dueAt = Date.now() + 2_000;
    const made = await c.send(
      'promise.made',
      { what: 'call the school', owner: 'mother', verifier: 'co1', dueAt: new Date(dueAt).toISOString() },
      { sub: 'co1', role: 'coordinator' },
    );
    const promise = made.promises.find((p) => p.what === 'call the school')!;
    expect(promise).toMatchObject({ status: 'open', escalation: null });
    // The view names the next step of the promise's ladder with its absolute time.
    expect(made.deadlines.filter((d) => d.kind === 'promise' && d.ref === promise.id)).toEqual([
      { kind: 'promise', ref: promise.id, level: 'reminder', dueAt: promise.dueAt },
    ]);

    // Watch the read model: each level appears once its time has come, and not before.
    const seen: { level: string | null; at: number }[] = [{ level: null, at: Date.now() }];
    const final = await eventually(
      async () => {
        const view = (await stack.request('GET', `/cases/${opened.id}`, { as: users.cw1 })).json as CaseView;
        const level = view.promises.find((p) => p.id === promise.id)?.escalation ?? null;
        if (seen.at(-1)!.level !== level) seen.push({ level, at: Date.now() });
        return view;
      },
      (view) => view.promises.find((p) => p.id === promise.id)?.escalation === 'supervisor',
      30_000,
      100,
    );
    expect(seen.map((s) => s.level)).toEqual([null, 'reminder', 'lapsed', 'coordinator', 'supervisor']);
    seen.slice(1).forEach((s, i) => {
      const due = dueAt + i * 2_000;
      expect(s.at).toBeGreaterThanOrEqual(due - 50);
      expect(s.at).toBeLessThan(due + 3_000);
    });
    expect(final.deadlines.filter((d) => d.kind === 'promise' && d.ref === promise.id)).toEqual([]);

    // A promise past due and still open makes the case overdue; the supervisor of the unit sees it.
    const overdue = await stack.request('GET', '/cases?overdue=true', { as: users.supNorth });
    expect(overdue.json.items.map((i: { id: string }) => i.id)).toContain(opened.id);

    // Keeping the promise ends it.
    const kept = await c.send('promise.kept', { promiseId: promise.id }, { sub: 'co1', role: 'coordinator' });
    expect(kept.promises.find((p) => p.id === promise.id)?.status).toBe('kept');
  });
});

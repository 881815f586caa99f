/** Every built-in variant from opening to closed, over HTTP only, on each database. */
import { builtInVariants } from '../../libs/process/src';
import { apiStack, requirePostgresInCi, testDatabases, users, type ApiStack } from '../support/api-stack';
import { journeys } from '../support/journeys';
import { httpCase, openCase } from './http-case';

jest.setTimeout(180_000);
requirePostgresInCi();

describe.each(testDatabases())('journeys over HTTP on $name', (database) => {
  let stack: ApiStack;
  beforeAll(async () => {
    stack = await apiStack(database);
  });
  afterAll(() => stack?.stop());

  it.each(builtInVariants.map((v) => v.key))('a %s case goes from open to closed', async (key) => {
    const opened = await openCase(stack.request, key);
    expect(opened).toMatchObject({
      variant: { key, version: 1 },
      caseworker: { sub: 'cw1', unit: 'north' },
      lastSeq: 1,
    });
    expect(opened.id).toMatch(/^c_[0-9a-f]{20}$/);

    const views = await journeys[key]!(httpCase(stack.request, opened.id), Date.now());
    const last = views.at(-1)!;
    expect(last.phase).toBe('closed');
    expect(last.closedReason).toBe('needsMet');
    expect(last.lastSeq).toBeGreaterThanOrEqual(views.length + 1);

    // The read model serves what the last command answered.
    const read = await stack.request('GET', `/cases/${opened.id}`, { as: users.cw1 });
    expect(read.status).toBe(200);
    expect(read.json.phase).toBe('closed');
    expect(read.json.lastSeq).toBeGreaterThanOrEqual(last.lastSeq);
    expect(read.json.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

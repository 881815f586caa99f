/**
 * `Idempotency-Key` (contract.md): the first answer again byte for byte with nothing appended, 422 for
 * another body, scoped to one case, and one append for racing requests.
 */
import { AuditEntryRow } from '../../libs/persistence/src';
import { apiStack, requirePostgresInCi, testDatabases, users, type ApiStack } from '../support/api-stack';
import { agreement } from '../support/scenarios';
import { expectError, meeting, preparedCase, type Sender } from './contract-case';
import { openCase } from './http-case';

jest.setTimeout(180_000);
requirePostgresInCi();

describe.each(testDatabases())('Idempotency-Key on $name', (database) => {
  let stack: ApiStack;
  let caseId: string;
  let send: Sender;

  beforeAll(async () => {
    stack = await apiStack(database);
    ({ caseId, send } = await preparedCase(stack));
  });
  afterAll(() => stack?.stop());

  const meetingBody = meeting('Health centre');
  const entries = async (id = caseId) => await stack.db.getRepository(AuditEntryRow).countBy({ caseId: id });

  it('replays the first answer byte for byte and appends nothing', async () => {
    const before = await entries();
    const first = await send(users.co1, meetingBody, { 'Idempotency-Key': 'meetingBody-1' });
    expect(first.status).toBe(200);
    expect(await entries()).toBe(before + 1);
    // The same body with its keys in another order is the same command.
    const reordered = Object.fromEntries(Object.entries(meetingBody).reverse());
    for (const body of [meetingBody, reordered]) {
      const again = await send(users.co1, body, { 'Idempotency-Key': 'meetingBody-1' });
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    }
    expect(await entries()).toBe(before + 1);
  });

  it('replays a refusal too, and answers 422 to another body under a used key', async () => {
    const refused = await send(users.cw1, { type: 'plan.approved' }, { 'Idempotency-Key': 'approve-early' });
    expectError(refused, 409, 'transition_rejected');
    expect(
      (await send(users.cw1, { type: 'plan.approved' }, { 'Idempotency-Key': 'approve-early' })).text,
    ).toBe(refused.text);
    expectError(
      await send(users.co1, { ...meetingBody, place: 'Town hall' }, { 'Idempotency-Key': 'meetingBody-1' }),
      422,
      'idempotency_key_reused',
    );
  });

  it('is scoped to one case', async () => {
    const other = await openCase(stack.request, 'fgc');
    const answer = await send(
      users.cw1,
      { type: 'agreement.recorded', ...agreement },
      { 'Idempotency-Key': 'meetingBody-1' },
      other.id,
    );
    expect(answer.status).toBe(200);
    expect(answer.json.id).toBe(other.id);
  });

  it('lets racing requests with one key append once', async () => {
    const before = await entries();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        send(users.co1, { ...meetingBody, place: 'Race track' }, { 'Idempotency-Key': 'race' }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await entries()).toBe(before + 1);
  });
});

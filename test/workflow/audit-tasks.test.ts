/**
 * `GET /tasks` as a service: the inbox of each kind of user, read from the projection the real worker
 * writes, while the time-skipping server moves the clock through promise and deadline ladders.
 *
 * Cases (all fgc, caseworker cw1 of unit north):
 *   A  conference held, plan presented, waiting for the caseworker's approval;
 *   B  plan approved at day 0: p1 (grandma, verified by co1) due day 30, p2 (mother, verified by the
 *      teacher) due day 20, first follow-up meeting on day 56; coordinators co1 and co2;
 *   C  agreement recorded at day 0, nothing more: the conference deadline (P42D) climbs its ladder.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import type { Principal } from '../../apps/api/src/auth/principal';
import { ApiError } from '../../apps/api/src/errors/api-error';
import { TasksModule } from '../../apps/api/src/tasks/tasks.module';
import { TasksService, type TaskItem } from '../../apps/api/src/tasks/tasks.service';
import type { Actor } from '../../libs/contracts/src';
import { addDuration, builtInVariant } from '../../libs/process/src';
import { auditOf, eventually } from '../support/audit-reader';
import { conferenceToApproval } from '../support/journeys';
import { agreement, conferenceUpToPresentation } from '../support/scenarios';
import { workflowIdOf } from '../../libs/temporal/src';
import { applyEventUpdate } from '../../workflows/definitions';
import { timeSkippingStack } from '../support/temporal-stack';

jest.setTimeout(180_000);

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const cw: Principal = { sub: 'cw1', roles: ['caseworker'], unit: 'north' };
const co1: Principal = { sub: 'co1', roles: ['coordinator'], unit: 'south' };
const supNorth: Principal = { sub: 'sup1', roles: ['supervisor'], unit: 'north' };
const supSouth: Principal = { sub: 'sup2', roles: ['supervisor'], unit: 'south' };
/** The teacher verifies p2 without being assigned to the case. */
const teacher: Principal = { sub: 'teacher', roles: ['coordinator'], unit: 'school' };
/** Same role and unit as the caseworker, assigned to nothing. */
const stranger: Principal = { sub: 'cw9', roles: ['caseworker'], unit: 'north' };
const auditor: Principal = { sub: 'aud1', roles: ['auditor'], unit: 'north' };

let stack: Awaited<ReturnType<typeof timeSkippingStack>>;
let tasks: TasksService;
let closeModule: () => Promise<void>;
let t0: number;
let approvalAt: string;
let conferenceDue: string;
const A = 'c_tasksA';
const B = 'c_tasksB';
const C = 'c_tasksC';

function hostModule(db: DataSource): DynamicModule {
  @Module({})
  class Host {}
  return {
    module: Host,
    global: true,
    providers: [{ provide: DataSource, useValue: db }],
    exports: [DataSource],
  };
}

beforeAll(async () => {
  stack = await timeSkippingStack();
  const moduleRef = await Test.createTestingModule({
    imports: [hostModule(stack.db), TasksModule],
  }).compile();
  tasks = moduleRef.get(TasksService);
  closeModule = () => moduleRef.close();

  t0 = await stack.now();
  const a = await stack.open(A, builtInVariant('fgc'));
  for (const e of conferenceUpToPresentation(builtInVariant('fgc'), iso(t0))) {
    await a.send(e.type, e.payload, e.actor as Actor);
  }
  approvalAt = (await a.view()).updatedAt;
  const b = await stack.open(B, builtInVariant('fgc'));
  await conferenceToApproval(b, t0, false);
  const c = await stack.open(C, builtInVariant('fgc'));
  await c.send('agreement.recorded', agreement);
  const agreedAt = (await auditOf(stack.db, C)).find((e) => e.type === 'agreement.recorded')!.at;
  conferenceDue = addDuration(agreedAt, 'P42D');
});
afterAll(async () => {
  await closeModule?.();
  await stack?.stop();
});

const day = (n: number) => iso(t0 + n * DAY);
const line = (t: TaskItem) => `${t.kind} ${t.caseId} ${t.ref} ${t.dueAt}`;

async function inbox(p: Principal): Promise<string[]> {
  const page = await tasks.tasksFor(p, { limit: 100 }, new Date(await stack.now()));
  expect(page.nextCursor).toBeNull();
  return page.items.map(line);
}

/** Moves the clock to day `n` after t0 and waits until every inbox shows what is expected. */
async function atDay(n: number, expected: [Principal, string[]][]): Promise<void> {
  const wait = t0 + n * DAY - (await stack.now());
  if (wait > 0) await stack.env.sleep(wait);
  for (const [p, lines] of expected) {
    // Timers fire as the clock moves; their projection writes land a moment later.
    const got = await eventually(
      () => inbox(p),
      (l) => JSON.stringify(l) === JSON.stringify(lines),
    );
    expect({ who: p.sub, got }).toEqual({ who: p.sub, got: lines });
  }
}

describe('the task inbox, as the clock moves', () => {
  it('day 0: the caseworker has a plan to approve; nobody else has anything yet', async () => {
    await atDay(0, [
      [cw, [`approval ${A} plan ${approvalAt}`]],
      [co1, []],
      [supNorth, []],
      [teacher, []],
      [stranger, []],
      [auditor, []],
    ]);
  });

  it('day 14: p2 falls due within 7 days for its verifier and for the assigned (caseworker, coordinators)', async () => {
    await atDay(14, [
      [cw, [`approval ${A} plan ${approvalAt}`, `promiseDue ${B} p2 ${day(20)}`]],
      [co1, [`promiseDue ${B} p2 ${day(20)}`]],
      [teacher, [`promiseDue ${B} p2 ${day(20)}`]],
      [supNorth, []],
      [stranger, []],
    ]);
  });

  it('day 24: p2 has lapsed (step 2 raised); the coordinators see their own step coming on day 27', async () => {
    await atDay(24, [
      [
        cw,
        [
          `approval ${A} plan ${approvalAt}`,
          `promiseLapsed ${B} p2 ${day(20)}`,
          `promiseDue ${B} p1 ${day(30)}`,
        ],
      ],
      [
        co1,
        [
          `promiseLapsed ${B} p2 ${day(20)}`,
          `escalation ${B} p2 ${day(27)}`,
          `promiseDue ${B} p1 ${day(30)}`,
        ],
      ],
      [teacher, [`promiseLapsed ${B} p2 ${day(20)}`]],
      [supNorth, []],
      [stranger, []],
    ]);
  });

  it("day 28: the unit's supervisor sees the step addressed to role:supervisor@north; another unit's does not", async () => {
    await atDay(28, [
      [supNorth, [`escalation ${B} p2 ${day(34)}`]],
      [supSouth, []],
      [stranger, []],
      // co1's own step was raised on day 27: the lapsed promise stays, the escalation item is gone.
      [co1, [`promiseLapsed ${B} p2 ${day(20)}`, `promiseDue ${B} p1 ${day(30)}`]],
    ]);
  });

  it('day 40: a raised supervisor step stays in the inbox while the promise is open; the conference deadline nears', async () => {
    const lapsedStep = addDuration(conferenceDue, 'P3D');
    await atDay(40, [
      [supNorth, [`escalation ${B} p2 ${day(34)}`, `escalation ${B} p1 ${day(44)}`]],
      [
        cw,
        [
          `approval ${A} plan ${approvalAt}`,
          `promiseLapsed ${B} p2 ${day(20)}`,
          `promiseLapsed ${B} p1 ${day(30)}`,
          `escalation ${C} conference ${lapsedStep}`,
        ],
      ],
      [supSouth, []],
      [stranger, []],
    ]);
  });

  it('day 50: the follow-up meeting is within 7 days for the caseworker and the coordinators', async () => {
    const supervisorStep = addDuration(conferenceDue, 'P14D');
    await atDay(50, [
      [
        cw,
        [
          `approval ${A} plan ${approvalAt}`,
          `promiseLapsed ${B} p2 ${day(20)}`,
          `promiseLapsed ${B} p1 ${day(30)}`,
          `meetingSoon ${B} ${day(56)} ${day(56)}`,
        ],
      ],
      [
        co1,
        [
          `promiseLapsed ${B} p2 ${day(20)}`,
          `promiseLapsed ${B} p1 ${day(30)}`,
          `meetingSoon ${B} ${day(56)} ${day(56)}`,
        ],
      ],
      [
        supNorth,
        [
          `escalation ${B} p2 ${day(34)}`,
          `escalation ${B} p1 ${day(44)}`,
          `escalation ${C} conference ${supervisorStep}`,
        ],
      ],
      [teacher, [`promiseLapsed ${B} p2 ${day(20)}`]],
      [stranger, []],
    ]);
  });

  it('pages by dueAt with an opaque cursor', async () => {
    const now = new Date(await stack.now());
    const all = (await tasks.tasksFor(cw, { limit: 100 }, now)).items;
    expect(all.length).toBeGreaterThan(2);
    const paged: TaskItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.tasksFor(cw, { limit: 1, cursor }, now);
      paged.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all);
    await expect(tasks.tasksFor(cw, { limit: 1, cursor: 'nope' }, now)).rejects.toBeInstanceOf(ApiError);
  });

  it('closing a case clears its tasks', async () => {
    const handle = stack.client.workflow.getHandle(workflowIdOf(B));
    await handle.executeUpdate(applyEventUpdate, {
      args: [
        { type: 'case.closed', payload: { reason: 'needsMet' }, actor: { sub: 'cw1', role: 'caseworker' } },
      ],
    });
    await atDay(50, [
      [cw, [`approval ${A} plan ${approvalAt}`]],
      [co1, []],
      [teacher, []],
    ]);
  });
});

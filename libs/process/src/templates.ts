import type { CommandType } from '../../contracts/src';

/** The statechart families a variant is built from, and the phases (top-level states) of each. */
export const templates = ['fgc', 'acute', 'network-mapping', 'network-meeting'] as const;
export type Template = (typeof templates)[number];

export const phasesOf: Record<Template, readonly string[]> = {
  fgc: ['preparation', 'information', 'privateDeliberation', 'presentation', 'followUp', 'closed'],
  acute: ['preparation', 'information', 'privateDeliberation', 'presentation', 'followUp', 'closed'],
  'network-mapping': ['preparation', 'meeting', 'planDelivery', 'continuation', 'closed'],
  'network-meeting': ['preparation', 'meeting', 'actionPeriod', 'closed'],
};

const conferenceEvents: readonly CommandType[] = [
  'agreement.recorded',
  'coordinator.assigned',
  'participants.mapped',
  'supportPerson.appointed',
  'summary.received',
  'meeting.scheduled',
  'conference.opened',
  'information.completed',
  'deliberation.completed',
  'deliberation.failed',
  'plan.approved',
  'plan.rejected',
  'meeting.held',
  'promise.made',
  'promise.kept',
  'promise.notKept',
  'case.closed',
  'case.reopened',
];

/** The user events each template knows; a variant's policies must name exactly these. */
export const eventsOf: Record<Template, readonly CommandType[]> = {
  fgc: conferenceEvents,
  acute: conferenceEvents,
  'network-mapping': [
    'coordinator.assigned',
    'participants.mapped',
    'meeting.scheduled',
    'meeting.held',
    'planLetter.sent',
    'promise.made',
    'promise.kept',
    'promise.notKept',
    'case.closed',
    'case.reopened',
  ],
  'network-meeting': [
    'participants.mapped',
    'meeting.scheduled',
    'meeting.held',
    'promise.made',
    'promise.kept',
    'promise.notKept',
    'case.closed',
    'case.reopened',
  ],
};

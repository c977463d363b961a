/** A realistic morning of case events, as the information systems would send them. */
export function morningEvents(day: string) {
  const at = (time: string) => `${day}T${time}:00Z`;
  return {
    events: [
      {
        id: 'demo-oasys-0001',
        source: 'assessment',
        type: 'risk.assessed',
        occurredAt: at('08:05'),
        case: { crn: 'X100001', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
        data: { rosh: 'MEDIUM', vulnerability: 'LOW' },
      },
      {
        id: 'demo-police-0001',
        source: 'police-feed',
        type: 'police.callout',
        occurredAt: at('08:20'),
        case: { crn: 'X200001', service: 'adult', team: 'PDU-E', caseManager: 'cm-bea' },
        data: { domesticAbuse: true },
      },
      {
        id: 'demo-oasys-0002',
        source: 'assessment',
        type: 'risk.assessed',
        occurredAt: at('08:40'),
        case: { crn: 'X200002', service: 'adult', team: 'PDU-E', caseManager: 'cm-bea' },
        data: { rosh: 'LOW' },
      },
      {
        id: 'demo-oasys-0003',
        source: 'assessment',
        type: 'risk.assessed',
        occurredAt: at('09:10'),
        case: { crn: 'X200002', service: 'adult', team: 'PDU-E', caseManager: 'cm-bea' },
        data: { rosh: 'MEDIUM' },
      },
      {
        id: 'demo-oasys-0004',
        source: 'assessment',
        type: 'risk.assessed',
        occurredAt: at('09:15'),
        case: { crn: 'X100002', service: 'youth', team: 'YOT-N', caseManager: 'cm-ali' },
        data: { rosh: 'LOW', vulnerability: 'LOW' },
      },
    ],
  };
}

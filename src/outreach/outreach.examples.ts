/** Swagger request and answer examples of the outreach routes, one per status and case. */
const TENANT = '7d0f3a52-2c4b-4f7e-9a61-0e8b5c3d2f10';
const PRACTICE = '0b6f6c2e-3f0a-4c8e-9d3b-5a1e2f3c4d5e';
const SID = 'CH0123456789abcdef0123456789abcdef';

const conversation = (status: 'active' | 'archived' | 'closed', coordinator = '4200000000000001') => ({
  conversation_id: '5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e',
  tenant_id: TENANT,
  practice_id: PRACTICE,
  coordinator_sax_id: coordinator,
  patient_phone: '+17205550123',
  friendly_name: 'Jane D. follow-up',
  twilio_sid: SID,
  status,
  created_by: '4200000000000001',
  created_at: '2026-03-01T15:04:05.000Z',
  updated_at: '2026-03-01T15:04:05.000Z',
});

const opened = (action: 'created' | 'existing' | 'reactivated', coordinator?: string) => ({
  success: true,
  ...conversation('active', coordinator),
  action,
  reactivated: action === 'reactivated',
});

const error = (message: string, details: Record<string, unknown>) => ({ success: false, error: message, details });

export const OUTREACH_EXAMPLES = {
  requests: {
    new: {
      summary: 'Create (a Twilio conversation is created and the patient bound)',
      value: { tenant_id: TENANT, practice_id: PRACTICE, coordinator_sax_id: '4200000000000001', patient_phone: '+17205550123', friendly_name: 'Jane D. follow-up' },
    },
    provided: {
      summary: 'With an existing Twilio conversation (none is created)',
      value: { tenant_id: TENANT, practice_id: PRACTICE, coordinator_sax_id: 42, patient_phone: '+17205550123', twilio_sid: SID, created_by: 7 },
    },
  },
  created: { created: { summary: 'New conversation', value: opened('created') } },
  existing: {
    existing: { summary: "The coordinator's active conversation, returned as it is", value: opened('existing') },
    reactivated: { summary: 'An archived conversation reactivated for this coordinator, with its Twilio conversation', value: opened('reactivated', '4200000000000002') },
  },
  invalid: {
    invalid: {
      summary: 'Every bad field named',
      value: error('patient_phone must be an E.164 phone number such as +13035550123; coordinator_sax_id must be a positive integer up to 9223372036854775807 (a number, or a string of digits)', {
        code: 'validation_failed',
        fields: {
          patient_phone: ['patient_phone must be an E.164 phone number such as +13035550123'],
          coordinator_sax_id: ['coordinator_sax_id must be a positive integer up to 9223372036854775807 (a number, or a string of digits)'],
        },
      }),
    },
  },
  conflict: {
    conflict: {
      summary: 'Held by another coordinator of the practice',
      value: error('Coordinator 4200000000000001 already has an active conversation with this patient in this practice', {
        code: 'conversation_held',
        coordinator_sax_id: '4200000000000001',
        conversation_id: '5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e',
      }),
    },
  },
  unavailable: {
    twilio: { summary: 'Twilio did not answer', value: error('Creating the Twilio conversation failed: Service Unavailable', { code: 'twilio_unavailable', twilio_code: 20503 }) },
    configuration: {
      summary: 'No sender configured',
      value: error('Outreach is not configured: set OUTREACH_PROXY_NUMBER (or OUTREACH_PROXY_NUMBERS) to the Twilio number conversations use', {
        code: 'outreach_not_configured',
        variable: 'OUTREACH_PROXY_NUMBER',
      }),
    },
  },
  list: { page: { summary: 'One page; next_cursor null on the last', value: { conversations: [conversation('active')], next_cursor: null } } },
  one: { active: { summary: 'An active conversation', value: conversation('active') } },
  archived: { archived: { summary: 'Archived', value: conversation('archived') } },
  closed: { closed: { summary: 'Closed (its Twilio conversation closed unless another row uses it)', value: conversation('closed') } },
  notFound: {
    notFound: { summary: 'Unknown id', value: error('outreach conversation 5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e not found', { code: 'not_found', entity: 'outreach conversation', id: '5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e' }) },
  },
  closedConflict: {
    closed: { summary: 'Closed is final', value: error('A closed outreach conversation cannot be archived', { code: 'conversation_closed', conversation_id: '5a7c1e9b-3d2f-4b6a-8c0e-1f2a3b4c5d6e', status: 'closed' }) },
  },
};

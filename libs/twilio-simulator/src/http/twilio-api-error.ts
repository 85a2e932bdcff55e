/** The JSON body Twilio sends with every REST failure. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

/** A failure the simulator answers with Twilio's error body and HTTP status. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** the Retry-After header of the answer, in seconds */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  toBody(): TwilioErrorBody {
    return { code: this.code, message: this.message, more_info: `https://www.twilio.com/docs/errors/${this.code}`, status: this.status };
  }
}

/** The errors the simulated operations raise, with Twilio's codes and wording. */
export const TwilioErrors = {
  authenticate: () => new TwilioApiError(401, 20003, 'Authenticate'),
  notFound: (path: string) => new TwilioApiError(404, 20404, `The requested resource ${path} was not found`),
  numberNotAvailable: (phone: string) => new TwilioApiError(400, 21422, `PhoneNumber ${phone} is not available`),
  noNumbersInAreaCode: (areaCode: string) =>
    new TwilioApiError(400, 21452, `No phone numbers found in area code ${areaCode}`),
  toRequired: () => new TwilioApiError(400, 21604, "A 'To' phone number is required."),
  invalidTo: (to: string) => new TwilioApiError(400, 21211, `Invalid 'To' Phone Number: ${to}`),
  bodyRequired: () => new TwilioApiError(400, 21602, 'Message body is required.'),
  fromNotOwned: (from: string) =>
    new TwilioApiError(400, 21606, `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`),
  // Twilio documents no dedicated code for a missing parameter; the simulator answers a plain 400.
  missingParameter: (names: string) => new TwilioApiError(400, 20001, `Missing required parameter ${names} in the post body`),
  alreadyInService: (phone: string) => new TwilioApiError(409, 80104, `Phone Number ${phone} is already added to this Service`),
  // no documented code for a taken session UniqueName either: a plain 409
  sessionNameTaken: () => new TwilioApiError(409, 20001, 'Session UniqueName must be unique.'),
  noProxyNumbers: () => new TwilioApiError(400, 80205, 'This Service has no Proxy numbers configured.'),
  noAvailableProxy: () =>
    new TwilioApiError(400, 80206, 'This Service has no available Proxy numbers for this Participant.'),
  noUnreservedProxy: () => new TwilioApiError(400, 80207, 'Failed to find a proxy number: every candidate is reserved.'),
  invalidProxyPair: () => new TwilioApiError(400, 80402, 'Invalid Identifier and Proxy Identifier pair'),
  bindingExists: (conversationSid: string) =>
    new TwilioApiError(409, 50416, `A binding for this participant and proxy address already exists in Conversation ${conversationSid}`),
  conversationClosed: () => new TwilioApiError(400, 50377, "Can't update conversation as it's in final closed state"),
  invalidState: (state: string) => new TwilioApiError(400, 20001, `Invalid State: ${state}`),
  participantExists: () => new TwilioApiError(409, 50433, 'Participant already exists'),
  uniqueNameTaken: () => new TwilioApiError(409, 50353, 'Conversation with provided unique name already exists'),
};

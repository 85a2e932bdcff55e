/** BullMQ queue of the Airtable driver's write-behind writes (register it in Bull Board by this name). */
export const AIRTABLE_WRITES_QUEUE = 'airtable-writes';

import { phoneFor, useRelayApp } from './support/relay-world';

jest.setTimeout(60_000);

describe('relay failures: Twilio errors, delivery failures, hostile input', () => {
  const f = useRelayApp({ sitter: 'Resilient Sitter', poolNumbers: 5 });

  it('retries a send Twilio answers with 500 then 429, and the message arrives once', async () => {
    f.t.sim.injectFault('messages.create', { status: 500, code: 20500 });
    f.t.sim.injectFault('messages.create', { status: 429, code: 20429 });
    const from = phoneFor('client');
    const inbound = await f.world.text({ from, to: f.sitter.reserved, body: 'Despite the errors' });
    const [sent] = await f.world.waitForSent(f.sitter.sitter.phone, 1, 20_000);
    await f.world.waitForRelayIdle(20_000);
    expect(f.world.sentTo(f.sitter.sitter.phone).filter((m) => m.body.endsWith('Despite the errors'))).toHaveLength(1);
    const job = await f.world.relayQueue.getJob(`send-${inbound.messageSid}`);
    // two refused, the third went through, all inside one attempt of the job (the send step retries itself)
    expect(job?.attemptsMade).toBe(1);
    expect(f.t.sim.messages.filter((m) => m.body.endsWith('Despite the errors'))).toHaveLength(1);
    expect(await f.world.eventually(() => f.world.messageLog.findByTwilioSid(sent.sid), (m) => m !== null)).toMatchObject({ direction: 'client_to_sitter', inboundSid: inbound.messageSid });
  });

  it('records a permanent Twilio refusal as failed with its code, without retrying', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'first' });
    const [first] = await f.world.waitForSent(f.sitter.sitter.phone, 2);
    expect(first).toBeDefined();
    const poolNumber = f.world.sentTo(f.sitter.sitter.phone).at(-1)!.from;
    // the client opted out on Twilio: sends to them are refused with 21610
    f.t.sim.injectFault('messages.create', { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const reply = await f.world.text({ from: f.sitter.sitter.phone, to: poolNumber, body: 'are you there?' });
    await f.world.waitForRelayIdle();
    expect(f.world.sentTo(client)).toHaveLength(0);
    const job = await f.world.relayQueue.getJob(`send-${reply.messageSid}`);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
    const failures = (await f.world.auditEvents('relay_send_failed')).filter((e) => e.details.message_sid === reply.messageSid);
    expect(failures).toHaveLength(1);
    expect(failures[0].details.error_code).toBe('21610');
  });

  it('records an undelivered status callback with its error code', async () => {
    const client = phoneFor('client');
    await f.world.text({ from: client, to: f.sitter.reserved, body: 'hello' });
    const poolNumber = (await f.world.waitForSent(f.sitter.sitter.phone, 3)).at(-1)!.from;
    f.t.sim.setDeliveryOutcome(client, { status: 'undelivered', errorCode: 30003 });
    await f.world.text({ from: f.sitter.sitter.phone, to: poolNumber, body: 'see you at 3' });
    const [sent] = await f.world.waitForSent(client, 1);
    const logged = await f.world.eventually(
      () => f.world.messageLog.findByTwilioSid(sent.sid),
      (m) => m?.status === 'undelivered',
    );
    expect(logged).toMatchObject({ direction: 'sitter_to_client', status: 'undelivered', errorCode: '30003' });
  });

});

import { RecordNotFoundError, UniqueConflictError } from '../ports';
import { addReadyNumber, addReadyPool, addSitter, fakeSid, foreignId, nextPhone } from './fixtures';
import { CurrentStore } from './store-ports';

export function describeNumberContract(store: CurrentStore): void {
  describe('NumberRepository', () => {
    describe('createPending', () => {
      it('creates one pending record per input, in order, each with a fresh purchase token', async () => {
        const ports = store();
        const sitter = await addSitter(ports);

        const created = await ports.numbers.createPending([
          { lifecycle: 'pool', areaCode: '303', purchaseReason: 'utilization' },
          { lifecycle: 'reserved', areaCode: '720', sitterId: sitter.id },
          { lifecycle: 'standby', areaCode: '303' },
        ]);
        const again = await ports.numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);

        expect(created.map((n) => [n.lifecycle, n.areaCode, n.sitterId])).toEqual([
          ['pool', '303', null],
          ['reserved', '720', sitter.id],
          ['standby', '303', null],
        ]);
        for (const number of created) {
          expect(number).toMatchObject({ status: 'pending', phoneNumber: null, twilioSid: null, purchasedAt: null, errorCode: null });
          expect(number.purchaseToken.length).toBeGreaterThan(0);
          expect(number.purchaseToken.length).toBeLessThanOrEqual(64); // Twilio FriendlyName limit
          expect(number.createdAt).toBeInstanceOf(Date);
        }
        expect(created[0].purchaseReason).toBe('utilization');
        const tokens = [...created, ...again].map((n) => n.purchaseToken);
        expect(new Set(tokens).size).toBe(4);
        expect(new Set([...created, ...again].map((n) => n.id)).size).toBe(4);
        expect(await ports.numbers.findById(created[1].id)).toEqual(created[1]);
      });

      it('creates nothing for an empty list', async () => {
        const { numbers } = store();
        expect(await numbers.createPending([])).toEqual([]);
        expect(await numbers.listRecent(10)).toEqual([]);
      });

      it('is all or nothing: a second reserved number for a sitter refuses the whole batch', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        await ports.numbers.createPending([{ lifecycle: 'reserved', areaCode: '303', sitterId: sitter.id }]);

        await expect(
          ports.numbers.createPending([
            { lifecycle: 'pool', areaCode: '303' },
            { lifecycle: 'reserved', areaCode: '303', sitterId: sitter.id },
          ]),
        ).rejects.toBeInstanceOf(UniqueConflictError);
        expect(await ports.numbers.countByLifecycle('pool')).toEqual({ pending: 0, ready: 0, failed: 0, released: 0 });
        expect(await ports.numbers.listRecent(10)).toHaveLength(1);
      });
    });

    describe('purchase progress', () => {
      it('records the job id, then the bought number', async () => {
        const { numbers } = store();
        const [pending] = await numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
        const phoneNumber = nextPhone();
        const twilioSid = fakeSid();
        const purchasedAt = new Date('2024-03-01T12:00:00.000Z');

        expect(await numbers.setJobId(pending.id, 'purchase-1')).toMatchObject({ id: pending.id, jobId: 'purchase-1' });
        const ready = await numbers.markReady(pending.id, { phoneNumber, twilioSid, purchasedAt, verificationResult: 'ok' });

        expect(ready).toMatchObject({
          id: pending.id,
          status: 'ready',
          phoneNumber,
          twilioSid,
          purchasedAt,
          verificationResult: 'ok',
          purchaseToken: pending.purchaseToken,
          jobId: 'purchase-1',
        });
        expect(await numbers.findByPhone(phoneNumber)).toEqual(ready);
        expect(await numbers.findByPhone(nextPhone())).toBeNull();
      });

      it('marks a failure, then resets it for a retry with the same purchase token', async () => {
        const { numbers } = store();
        const [pending] = await numbers.createPending([{ lifecycle: 'standby', areaCode: '303' }]);

        const failed = await numbers.markFailed(pending.id, '21452', 'No numbers in area code');
        expect(failed).toMatchObject({ status: 'failed', errorCode: '21452', errorMessage: 'No numbers in area code' });
        const withoutCode = await numbers.markFailed(pending.id, null, 'timeout');
        expect(withoutCode).toMatchObject({ status: 'failed', errorCode: null, errorMessage: 'timeout' });

        const retried = await numbers.resetForRetry(pending.id);
        expect(retried).toMatchObject({
          id: pending.id,
          status: 'pending',
          errorCode: null,
          errorMessage: null,
          purchaseToken: pending.purchaseToken,
        });
      });

      it('refuses a phone number another record already holds', async () => {
        const { numbers } = store();
        const [first, second] = await numbers.createPending([
          { lifecycle: 'pool', areaCode: '303' },
          { lifecycle: 'pool', areaCode: '303' },
        ]);
        const phoneNumber = nextPhone();
        await numbers.markReady(first.id, { phoneNumber, twilioSid: fakeSid(), purchasedAt: new Date() });

        await expect(
          numbers.markReady(second.id, { phoneNumber, twilioSid: fakeSid(), purchasedAt: new Date() }),
        ).rejects.toBeInstanceOf(UniqueConflictError);
        expect((await numbers.findById(second.id))?.status).toBe('pending');
      });

      it('throws RecordNotFoundError when updating a missing record', async () => {
        const ports = store();
        const missing = await foreignId(ports, 'sitter');
        const bought = { phoneNumber: nextPhone(), twilioSid: fakeSid(), purchasedAt: new Date() };

        await expect(ports.numbers.setJobId(missing, 'job')).rejects.toBeInstanceOf(RecordNotFoundError);
        await expect(ports.numbers.markReady(missing, bought)).rejects.toBeInstanceOf(RecordNotFoundError);
        await expect(ports.numbers.markFailed(missing, null, 'x')).rejects.toBeInstanceOf(RecordNotFoundError);
        await expect(ports.numbers.resetForRetry(missing)).rejects.toBeInstanceOf(RecordNotFoundError);
        await expect(ports.numbers.returnToStandby(missing)).rejects.toBeInstanceOf(RecordNotFoundError);
        expect(await ports.numbers.findById(missing)).toBeNull();
      });
    });

    describe('inventory queries', () => {
      it('counts one lifecycle by status', async () => {
        const ports = store();
        const [a, b, c] = await ports.numbers.createPending([
          { lifecycle: 'pool', areaCode: '303' },
          { lifecycle: 'pool', areaCode: '303' },
          { lifecycle: 'pool', areaCode: '303' },
          { lifecycle: 'pool', areaCode: '303' },
          { lifecycle: 'standby', areaCode: '303' },
        ]);
        await ports.numbers.markReady(a.id, { phoneNumber: nextPhone(), twilioSid: fakeSid(), purchasedAt: new Date() });
        await ports.numbers.markReady(b.id, { phoneNumber: nextPhone(), twilioSid: fakeSid(), purchasedAt: new Date() });
        await ports.numbers.markFailed(c.id, '21422', 'not available');

        expect(await ports.numbers.countByLifecycle('pool')).toEqual({ pending: 1, ready: 2, failed: 1, released: 0 });
        expect(await ports.numbers.countByLifecycle('standby')).toEqual({ pending: 1, ready: 0, failed: 0, released: 0 });
        expect(await ports.numbers.countByLifecycle('reserved')).toEqual({ pending: 0, ready: 0, failed: 0, released: 0 });
      });

      it('lists ready pool numbers oldest purchase first', async () => {
        const ports = store();
        const newer = await addReadyNumber(ports, 'pool', { purchasedAt: new Date('2024-02-01T00:00:00Z') });
        const older = await addReadyNumber(ports, 'pool', { purchasedAt: new Date('2024-01-01T00:00:00Z') });
        await ports.numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
        await addReadyNumber(ports, 'standby');

        expect((await ports.numbers.listReadyPool()).map((n) => n.id)).toEqual([older.id, newer.id]);
      });

      it('finds the first ready standby number, ignoring pending ones', async () => {
        const ports = store();
        expect(await ports.numbers.findFirstReadyStandby()).toBeNull();
        await ports.numbers.createPending([{ lifecycle: 'standby', areaCode: '303' }]);
        expect(await ports.numbers.findFirstReadyStandby()).toBeNull();

        await addReadyNumber(ports, 'standby', { purchasedAt: new Date('2024-02-01T00:00:00Z') });
        const oldest = await addReadyNumber(ports, 'standby', { purchasedAt: new Date('2024-01-01T00:00:00Z') });
        expect((await ports.numbers.findFirstReadyStandby())?.id).toBe(oldest.id);
      });

      it('finds the pending or ready reserved number of a sitter, not a failed one', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const other = await addSitter(ports, 'Other');
        const [failed] = await ports.numbers.createPending([{ lifecycle: 'reserved', areaCode: '303', sitterId: sitter.id }]);
        await ports.numbers.markFailed(failed.id, '21452', 'none');
        expect(await ports.numbers.findReservedForSitter(sitter.id)).toBeNull();

        const [pending] = await ports.numbers.createPending([{ lifecycle: 'reserved', areaCode: '303', sitterId: sitter.id }]);
        expect((await ports.numbers.findReservedForSitter(sitter.id))?.id).toBe(pending.id);
        expect(await ports.numbers.findReservedForSitter(other.id)).toBeNull();

        await ports.numbers.markReady(pending.id, { phoneNumber: nextPhone(), twilioSid: fakeSid(), purchasedAt: new Date() });
        expect(await ports.numbers.findReservedForSitter(sitter.id)).toMatchObject({ id: pending.id, status: 'ready' });
      });

      it('lists recent records newest first', async () => {
        const { numbers } = store();
        const [first] = await numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
        const [second] = await numbers.createPending([{ lifecycle: 'pool', areaCode: '303' }]);
        const [third] = await numbers.createPending([{ lifecycle: 'standby', areaCode: '720' }]);

        expect((await numbers.listRecent(2)).map((n) => n.id)).toEqual([third.id, second.id]);
        expect((await numbers.listRecent(10)).map((n) => n.id)).toEqual([third.id, second.id, first.id]);
      });
    });

    describe('standby assignment', () => {
      it('makes a ready standby number the sitter\'s reserved number', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const standby = await addReadyNumber(ports, 'standby');

        const assigned = await ports.numbers.assignStandbyToSitter(standby.id, sitter.id);
        expect(assigned).toMatchObject({
          id: standby.id,
          lifecycle: 'reserved',
          status: 'ready',
          sitterId: sitter.id,
          phoneNumber: standby.phoneNumber,
        });
        expect((await ports.numbers.findReservedForSitter(sitter.id))?.id).toBe(standby.id);
        expect(await ports.numbers.findFirstReadyStandby()).toBeNull();
      });

      it('returns null when the number is no longer a ready standby', async () => {
        const ports = store();
        const first = await addSitter(ports, 'First');
        const second = await addSitter(ports, 'Second');
        const standby = await addReadyNumber(ports, 'standby');
        const [pendingStandby] = await ports.numbers.createPending([{ lifecycle: 'standby', areaCode: '303' }]);
        const pool = await addReadyNumber(ports, 'pool');

        await ports.numbers.assignStandbyToSitter(standby.id, first.id);
        expect(await ports.numbers.assignStandbyToSitter(standby.id, second.id)).toBeNull();
        expect(await ports.numbers.assignStandbyToSitter(pendingStandby.id, second.id)).toBeNull();
        expect(await ports.numbers.assignStandbyToSitter(pool.id, second.id)).toBeNull();
        expect((await ports.numbers.findById(standby.id))?.sitterId).toBe(first.id);
        expect(await ports.numbers.findReservedForSitter(second.id)).toBeNull();
      });

      it('throws UniqueConflictError when the sitter already holds a reserved number', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        await ports.numbers.createPending([{ lifecycle: 'reserved', areaCode: '303', sitterId: sitter.id }]);
        const standby = await addReadyNumber(ports, 'standby');

        await expect(ports.numbers.assignStandbyToSitter(standby.id, sitter.id)).rejects.toBeInstanceOf(UniqueConflictError);
        expect(await ports.numbers.findById(standby.id)).toMatchObject({ lifecycle: 'standby', sitterId: null });
      });

      it('returns a reserved number to standby and frees the sitter for another one', async () => {
        const ports = store();
        const sitter = await addSitter(ports);
        const standby = await addReadyNumber(ports, 'standby');
        await ports.numbers.assignStandbyToSitter(standby.id, sitter.id);

        const returned = await ports.numbers.returnToStandby(standby.id);
        expect(returned).toMatchObject({ id: standby.id, lifecycle: 'standby', status: 'ready', sitterId: null });
        expect(await ports.numbers.findReservedForSitter(sitter.id)).toBeNull();
        expect((await ports.numbers.findFirstReadyStandby())?.id).toBe(standby.id);
        expect(await ports.numbers.assignStandbyToSitter(standby.id, sitter.id)).toMatchObject({ sitterId: sitter.id });
      });
    });

    describe('changeStatus', () => {
      it('moves a record from the expected status and takes it out of the ready pool', async () => {
        const ports = store();
        const [pool] = await addReadyPool(ports, 1);

        expect(await ports.numbers.changeStatus(pool.id, 'ready', 'released')).toMatchObject({ id: pool.id, status: 'released', phoneNumber: pool.phoneNumber });
        expect(await ports.numbers.findById(pool.id)).toMatchObject({ status: 'released' });
        expect(await ports.numbers.listReadyPool()).toEqual([]);
      });

      it('answers null and changes nothing when the record is no longer in the expected status', async () => {
        const ports = store();
        const [pool] = await addReadyPool(ports, 1);
        await ports.numbers.changeStatus(pool.id, 'ready', 'released');

        expect(await ports.numbers.changeStatus(pool.id, 'ready', 'released')).toBeNull();
        expect(await ports.numbers.changeStatus(pool.id, 'pending', 'ready')).toBeNull();
        expect(await ports.numbers.findById(pool.id)).toMatchObject({ status: 'released' });
      });

      it('throws RecordNotFoundError for an unknown id', async () => {
        const ports = store();
        await expect(ports.numbers.changeStatus(await foreignId(ports, 'sitter'), 'ready', 'released')).rejects.toBeInstanceOf(RecordNotFoundError);
      });
    });

    it('keeps ready pool numbers apart from other lifecycles', async () => {
      const ports = store();
      const pool = await addReadyPool(ports, 3);
      expect((await ports.numbers.listReadyPool()).map((n) => n.id)).toEqual(pool.map((n) => n.id));
      expect(await ports.numbers.findFirstReadyStandby()).toBeNull();
    });
  });
}

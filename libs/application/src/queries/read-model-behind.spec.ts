import { conflict, notFound } from '@csp/domain';
import { answerById, ReadModelBehindError } from './read-model-behind';

const behind = { position: '42', reached: false };
const caughtUp = { position: '42', reached: true };
const missing = () => Promise.reject(notFound('customer_not_found', 'No such customer'));

describe('an answer by id from a read model (SPEC §2: 503 read_model_behind)', () => {
  it('is 404 when the read model reached the position it waited for: the thing does not exist', async () => {
    await expect(answerById(caughtUp, missing)).rejects.toMatchObject({ kind: 'not-found', code: 'customer_not_found' });
  });

  it('is read_model_behind, with a Retry-After, when the read model is behind: it cannot know', async () => {
    const error = await answerById(behind, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModelBehindError);
    expect((error as ReadModelBehindError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as ReadModelBehindError).freshness).toEqual(behind);
  });

  it('serves what it found even when stale, and keeps every other refusal', async () => {
    await expect(answerById(behind, async () => ({ customerId: 'c' }))).resolves.toEqual({ customerId: 'c' });
    await expect(answerById(behind, () => Promise.reject(conflict('x', 'y')))).rejects.toMatchObject({ kind: 'conflict' });
  });
});

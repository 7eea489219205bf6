// Compiled by tests/package.test.mjs with tsc --strict: the declarations of index.d.ts take the
// uses of the docs, and refuse what the runtime refuses (each @ts-expect-error must be an error).
import { connectIcemu, findIcemu, IcemuError, startIcemu } from '../index.js';
import type { FaultRule, Icemu, IcemuRequest, SchedulerSettings, StartedIcemu } from '../index.js';

export async function uses(): Promise<void> {
  const started: StartedIcemu = await startIcemu({ bin: findIcemu(), args: ['--scheduler-mode', 'manual'], env: { ICEMU_SCHEDULER_SEED: '1' } });
  const attached: Icemu = await connectIcemu(started.endpoint, { adminToken: 'tok', timeoutMs: 100 });
  const endpoint: string = attached.endpoint;
  await attached.reset();
  await attached.reset({ instance: 'ssoins-560aa041748d679e' });
  const settled: IcemuRequest = await attached.settle('id', { status: 'FAILED', failureReason: 'no' });
  const ids: string[] = await attached.advanceClock(3);
  const settings: SchedulerSettings = await attached.setScheduler('auto', { delayMs: [1000, 3000], polls: 2, seed: 7 });
  await attached.setScheduler(undefined, { delayMs: 0 });
  const rule: FaultRule = { match: { account_id: '999999999999' }, outcome: { status: 'FAILED', failure_reason: 'x' }, times: 2 };
  const remove: () => Promise<void> = await attached.addFault(rule);
  await remove();
  const listed: IcemuRequest[] = await attached.requests({ status: 'IN_PROGRESS', kind: 'PROVISION' });
  const log: string = started.log();
  await started.stop();
  void [endpoint, settled, ids, settings, listed, log];

  // @ts-expect-error connectIcemu's object has no stop()
  await attached.stop();
  // @ts-expect-error not a scheduler mode
  await attached.setScheduler('sometimes');
  // @ts-expect-error not a settle status
  await attached.settle('id', { status: 'DONE' });
  // @ts-expect-error not a request filter
  await attached.requests({ state: 'FAILED' });
  // @ts-expect-error settle takes an options object, not positional arguments
  await attached.settle('id', 'FAILED');
  // @ts-expect-error advanceClock takes seconds as a number
  await attached.advanceClock('3');
}

export function errors(e: unknown): string | undefined {
  if (e instanceof IcemuError) {
    const status: number = e.status;
    return `${status} ${e.code}: ${e.message}`;
  }
  return undefined;
}

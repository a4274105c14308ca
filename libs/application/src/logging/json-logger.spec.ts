import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  const lines = (spy: jest.SpyInstance) => spy.mock.calls.map(([text]) => JSON.parse(String(text)) as Record<string, unknown>);
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  it('writes one JSON line per entry, with the base fields, on stdout below warn and stderr from warn', () => {
    const logger = new JsonLogger('info', { service: 'api' }).child({ part: 'http' });
    logger.debug('hidden');
    logger.info('request', { status: 201 });
    logger.warn('slow');
    expect(lines(stdout)).toEqual([expect.objectContaining({ level: 'info', msg: 'request', status: 201, service: 'api', part: 'http' })]);
    expect(lines(stderr)).toEqual([expect.objectContaining({ level: 'warn', msg: 'slow' })]);
  });

  it('writes BigInt fields (positions, revisions) as strings instead of failing', () => {
    new JsonLogger('info').info('appended', { revision: 12n, position: { commit: 7n } });
    expect(lines(stdout)).toEqual([expect.objectContaining({ revision: '12', position: { commit: '7' } })]);
  });
});

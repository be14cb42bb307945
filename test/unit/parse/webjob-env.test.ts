import { describe, expect, it } from 'vitest';
import { parseWebjobEnv } from '@/collector/parse/webjob-env';
import { runSchema } from '@/lib/schemas/snapshot';
import { expectParseError, readFixture } from './helpers';

const read = (name: string) => readFixture('webjob-env', name);

describe('parseWebjobEnv', () => {
  it("reads the recipe's .env: command line, exit status, signal, reason and the epochs in parentheses", () => {
    const run = parseWebjobEnv(read('client_0001_20021119145123_lsof.env'));
    expect(run).toEqual({
      commandLine: 'lsof -Di -n -P -itcp -iudp',
      exitStatus: 0,
      signal: 0,
      reason: 'The kid exited cleanly.',
      hostname: 'your.target.system.net',
      systemOs: 'i386 FreeBSD 4.6.1-RELEASE-p10',
      jobEpoch: '2002-11-19T15:53:56.101Z',
      getEpoch: '2002-11-19T15:53:56.112Z',
      runEpoch: '2002-11-19T15:53:56.351Z',
      putEpoch: '2002-11-19T15:53:56.378Z',
    });
    expect(runSchema.safeParse(run).success).toBe(true);
    expect(parseWebjobEnv(read('client_0001_20021119145438_lsof.env'))).toMatchObject({
      commandLine: 'lsof -Di -n -P -itcp -iudp -FLucRptPTn',
      jobEpoch: '2002-11-19T15:57:10.334Z',
      putEpoch: '2002-11-19T15:57:10.611Z',
    });
  });

  it('falls back to the GMT date without an epoch, and knows -1 as "the kid never ran"', () => {
    expect(parseWebjobEnv('JobEpoch=2002-11-19 15:53:56 GMT\nKidStatus=-1\n')).toMatchObject({ jobEpoch: '2002-11-19T15:53:56.000Z', exitStatus: -1 });
  });

  it('leaves everything null for empty input', () => {
    expect(Object.values(parseWebjobEnv(''))).toEqual(Array(10).fill(null));
  });

  it('refuses malformed lines at their line', () => {
    expectParseError(() => parseWebjobEnv(read('malformed-line.env')), 3, /^expected KEY=VALUE, got "--- client_0001/);
    expectParseError(() => parseWebjobEnv(read('malformed-epoch.env')), 3, 'expected "YYYY-MM-DD HH:MM:SS GMT (EPOCH)", got "yesterday"');
    expectParseError(() => parseWebjobEnv(read('malformed-status.env')), 2, 'KidStatus "256" out of range');
    expectParseError(() => parseWebjobEnv('JobEpoch=2002-02-30 10:00:00 GMT\n'), 1, 'date "2002-02-30 10:00:00 GMT" is not a real date');
  });
});

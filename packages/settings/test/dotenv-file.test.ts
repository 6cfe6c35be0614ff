import { loadSettings, SettingsError } from '@letta/settings';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../src/loader/dotenv-file';
import { workspace } from './workspace';

describe('.env parsing', () => {
  it('reads assignments, quotes, export and comments', () => {
    const text = [
      '# a comment',
      '',
      'export A=plain value # trailing comment',
      "B='single # kept'",
      'C="line\\nbreak \\"quoted\\""',
      'D = spaced',
      'E=',
      'F="two',
      'lines"',
      'G=url#fragment',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      entries: [
        { name: 'A', value: 'plain value', line: 3 },
        { name: 'B', value: 'single # kept', line: 4 },
        { name: 'C', value: 'line\nbreak "quoted"', line: 5 },
        { name: 'D', value: 'spaced', line: 6 },
        { name: 'E', value: '', line: 7 },
        { name: 'F', value: 'two\nlines', line: 8 },
        { name: 'G', value: 'url#fragment', line: 10 },
      ],
      badLines: [],
    });
  });

  it('reports lines that are not assignments by number only', () => {
    expect(parseDotenv('GOOD=1\nthis is a secret line\nH="unclosed\n').badLines).toEqual([2, 3]);
    const cwd = workspace({ '.env': 'LETTA_DEBUG=1\nhunter2\n' });
    try {
      loadSettings({ env: {}, cwd, home: cwd });
      throw new Error('expected a SettingsError');
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).message).toBe(
        'Invalid settings (1 problem):\n  .env:2: expected NAME=value',
      );
    }
  });

  it('is read for LETTA_* settings, below the environment', () => {
    const cwd = workspace({ '.env': 'LETTA_PG_POOL_SIZE=4\nLETTA_DEBUG=yes\n' });
    expect(loadSettings({ env: { LETTA_DEBUG: 'no' }, cwd, home: cwd })).toMatchObject({
      pgPoolSize: 4,
      debug: false,
    });
  });
});

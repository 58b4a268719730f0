/**
 * The filter pattern language, table by table: each row is a pattern, a message and whether the
 * pattern matches it. The sample messages are the kinds AWS's filter pattern pages use
 * (bracketed error lines, Apache access logs, CloudTrail-like JSON).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilterPattern, EventText, FilterPatternError } from './index.js';

type Row = [pattern: string, message: string, matches: boolean];

function check(rows: readonly Row[]): void {
  for (const [pattern, message, expected] of rows) {
    const got = compileFilterPattern(pattern).match(new EventText(message)) !== undefined;
    assert.equal(got, expected, `pattern ${JSON.stringify(pattern)} on ${JSON.stringify(message)}`);
  }
}

const E400 = '[ERROR 400] BAD REQUEST';
const E401 = '[ERROR 401] UNAUTHORIZED REQUEST';
const E419 = '[ERROR 419] MISSING ARGUMENTS';
const E420 = '[ERROR 420] INVALID ARGUMENTS';
const E500 = '[ERROR 500] INTERNAL SERVER ERROR';

describe('terms in unstructured events', () => {
  test('empty and blank patterns match everything', () => {
    check([
      ['', E400, true],
      ['   ', 'anything', true],
      ['" "', 'nospace', true],
    ]);
  });

  test('a term matches where it occurs, case-sensitively', () => {
    check([
      ['ERROR', E400, true],
      ['ERROR', 'ERRORNEOUS PROGRAM', true],
      ['ERROR', 'rpc error', false],
      ['ERROR', 'Error: entity not found!', false],
      ['ERROR', 'NotFoundError', false],
      ['404', 'GET /x 404 12', true],
    ]);
  });

  test('all plain terms must occur', () => {
    check([
      ['ERROR ARGUMENTS', E419, true],
      ['ERROR ARGUMENTS', E420, true],
      ['ERROR ARGUMENTS', E400, false],
      ['ARGUMENT ERROR', E419, true],
      ['"ERROR" "ARGUMENTS"', E420, true],
    ]);
  });

  test('quoted phrases match exactly, spaces and symbols included', () => {
    check([
      ['"INTERNAL SERVER ERROR"', E500, true],
      ['"SERVER INTERNAL"', E500, false],
      ['"ERROR][grpc"', '2025-03-28 [ERROR][grpc] failed', true],
      ['"ERROR][grpc"', '[ERROR] [grpc]', false],
      ['"say \\"hi\\""', 'they say "hi" twice', true],
    ]);
  });

  test('-term excludes', () => {
    check([
      ['ERROR -ARGUMENTS', E400, true],
      ['ERROR -ARGUMENTS', E401, true],
      ['ERROR -ARGUMENTS', E419, false],
      ['-DEBUG', 'INFO started', true],
      ['-DEBUG', 'DEBUG noise', false],
      ['ERROR -"MISSING ARGUMENTS"', E420, true],
      ['ERROR -"MISSING ARGUMENTS"', E419, false],
    ]);
  });

  test('?term alternatives: any one of them', () => {
    check([
      ['?BAD ?INVALID', E400, true],
      ['?BAD ?INVALID', E420, true],
      ['?BAD ?INVALID', E401, false],
      ['?BAD ?INVALID', E419, false],
      ['?"clean up" ?xyz', 'map clean up', true],
      ['?"clean up" ?xyz', 'xyz', true],
      ['?"clean up" ?xyz', 'map is cleaned up', false],
      ['?ERROR ?WARN -timeout', 'WARN disk full', true],
      ['?ERROR ?WARN -timeout', 'WARN timeout', false],
    ]);
  });

  test('?terms next to plain terms are ignored, as CloudWatch does', () => {
    check([
      ['?BAD ERROR', E419, true],
      ['?BAD ERROR', 'BAD input', false],
    ]);
  });

  test('%regex% matches anywhere unless anchored', () => {
    check([
      ['%AUTHORIZED%', E401, true],
      ['%AUTHORIZED%', '[SUCCESS 200] AUTHORIZED REQUEST', true],
      ['%^\\[ERROR 4\\d\\d\\]%', E419, true],
      ['%^\\[ERROR 4\\d\\d\\]%', E500, false],
      ['%colou?r%', 'the color red', true],
      ['%[hc]at$%', 'the hat', true],
      ['%[hc]at$%', 'the hats', false],
      ['%a{3,5}%', 'baaab', true],
      ['%a{3,5}%', 'baab', false],
    ]);
  });
});

const TRAIL = JSON.stringify({
  eventType: 'UpdateTrail',
  sourceIPAddress: '123.123.123.123',
  latency: 150,
  ratio: 0.25,
  code: '200',
  ok: true,
  failed: false,
  missing: null,
  user: { id: 1, email: 'John.Doe@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }, { id: 3, email: 'Jane.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [[0, 1], [10, 11]],
  'detail-type': 'Scheduled Event',
});

describe('JSON patterns', () => {
  test('string equality, inequality and wildcards', () => {
    check([
      ['{ $.eventType = "UpdateTrail" }', TRAIL, true],
      ['{ $.eventType = UpdateTrail }', TRAIL, true],
      ['{$.eventType="UpdateTrail"}', TRAIL, true],
      ['{ $.eventType = "updatetrail" }', TRAIL, false],
      ['{ $.eventType != "UpdateTrail" }', TRAIL, false],
      ['{ $.eventType != "CreateTrail" }', TRAIL, true],
      ['{ $.eventType = "Update*" }', TRAIL, true],
      ['{ $.eventType = "*Trail" }', TRAIL, true],
      ['{ $.eventType = "*date*" }', TRAIL, true],
      ['{ $.eventType = "Create*" }', TRAIL, false],
      ['{ $.sourceIPAddress != 123.123.* }', TRAIL, false],
      ['{ $.sourceIPAddress != 10.0.* }', TRAIL, true],
      ['{ $.detail-type = "Scheduled Event" }', TRAIL, true],
    ]);
  });

  test('numbers', () => {
    check([
      ['{ $.latency > 100 }', TRAIL, true],
      ['{ $.latency > 150 }', TRAIL, false],
      ['{ $.latency >= 150 }', TRAIL, true],
      ['{ $.latency < 1e3 }', TRAIL, true],
      ['{ $.latency <= 149.5 }', TRAIL, false],
      ['{ $.latency = 150 }', TRAIL, true],
      ['{ $.latency = 150.0 }', TRAIL, true],
      ['{ $.latency != 150 }', TRAIL, false],
      ['{ $.ratio < 0.3 }', TRAIL, true],
      ['{ $.ratio > -1 }', TRAIL, true],
      ['{ $.code = 200 }', TRAIL, true],
      ['{ $.eventType > 1 }', TRAIL, false],
      ['{ $.nothing > 1 }', TRAIL, false],
    ]);
  });

  test('IS NULL, IS TRUE, IS FALSE, NOT EXISTS, = *', () => {
    check([
      ['{ $.missing IS NULL }', TRAIL, true],
      ['{ $.latency IS NULL }', TRAIL, false],
      ['{ $.nothing IS NULL }', TRAIL, false],
      ['{ $.nothing NOT EXISTS }', TRAIL, true],
      ['{ $.missing NOT EXISTS }', TRAIL, false],
      ['{ $.user.phone NOT EXISTS }', TRAIL, true],
      ['{ $.ok IS TRUE }', TRAIL, true],
      ['{ $.ok IS FALSE }', TRAIL, false],
      ['{ $.failed IS FALSE }', TRAIL, true],
      ['{ $.ok is true }', TRAIL, true],
      ['{ $.eventType = * }', TRAIL, true],
      ['{ $.nothing = * }', TRAIL, false],
      ['{ $.nothing != "x" }', TRAIL, false],
    ]);
  });

  test('nested objects and arrays', () => {
    check([
      ['{ $.user.id = 1 }', TRAIL, true],
      ['{ $.user.email = "John.Doe@example.com" }', TRAIL, true],
      ['{ $.users[0].email = "John.Doe@example.com" }', TRAIL, true],
      ['{ $.users[1].id = 3 }', TRAIL, true],
      ['{ $.users[2].id = 3 }', TRAIL, false],
      ['{ $.actions[2] = "DELETE" }', TRAIL, true],
      ['{ $.coordinates[1][0] = 10 }', TRAIL, true],
      ['{ $.coordinates[0][1] = 10 }', TRAIL, false],
      ['{ $.user = "x" }', TRAIL, false],
    ]);
  });

  test('&&, || and parentheses (&& binds tighter)', () => {
    check([
      ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', TRAIL, true],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', TRAIL, false],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "DELETE" }', TRAIL, true],
      ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', TRAIL, false],
      ['{ $.user.id = 1 || $.user.id = 5 && $.latency > 1000 }', TRAIL, true],
      ['{ ($.user.id = 1 || $.user.id = 5) && $.latency > 1000 }', TRAIL, false],
      ['{ $.latency > 100 && $.ok IS TRUE && $.eventType = "Update*" }', TRAIL, true],
      ['{ (($.latency > 100)) }', TRAIL, true],
    ]);
  });

  test('regular expressions in values', () => {
    check([
      ['{ $.eventType = %^Update% }', TRAIL, true],
      ['{ $.eventType = %^Trail% }', TRAIL, false],
      ['{ $.eventType != %Delete% }', TRAIL, true],
      ['{ $.sourceIPAddress = %\\d+\\.\\d+\\.\\d+\\.\\d+% }', TRAIL, true],
    ]);
  });

  test('messages that are not a JSON object never match', () => {
    check([
      ['{ $.a = 1 }', 'a = 1', false],
      ['{ $.a NOT EXISTS }', 'plain text', false],
      ['{ $.a = 1 }', '{"a": 1', false],
      ['{ $.a = 1 }', '  {"a": 1}  ', true],
    ]);
  });
});

const APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
const APACHE_404 = '127.0.0.1 - bob [10/Oct/2000:13:35:22 -0700] "GET /index.html HTTP/1.0" 404 2048';
const REPORT = 'REPORT RequestId: 1-2 Duration: 102.25 ms Billed Duration: 103 ms';

describe('space-delimited patterns', () => {
  test('named fields: the field count must match', () => {
    check([
      ['[ip, user, username, timestamp, request, status_code, bytes]', APACHE, true],
      ['[ip, user, username, timestamp, request, status_code]', APACHE, false],
      ['[ip, user, username, timestamp, request, status_code, bytes, extra]', APACHE, false],
      ['[a]', 'one', true],
      ['[a]', 'one two', false],
    ]);
  });

  test('comparisons on fields', () => {
    check([
      ['[ip, user, username, timestamp, request, status_code = 404, bytes]', APACHE_404, true],
      ['[ip, user, username, timestamp, request, status_code = 404, bytes]', APACHE, false],
      ['[ip, user, username, timestamp, request, status_code != 200, bytes]', APACHE_404, true],
      ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', APACHE_404, true],
      ['[ip, user, username, timestamp, request, status_code, bytes > 1000]', APACHE, true],
      ['[ip, user, username, timestamp, request, status_code, bytes > 2000]', APACHE, false],
      ['[ip, user, username, timestamp, request, status_code, bytes >= 2048]', APACHE_404, true],
      ['[ip, user, username = frank, ...]', APACHE, true],
      ['[ip, user, username = "frank", ...]', APACHE_404, false],
      ['[ip, user, username, timestamp, request = "*html*", ...]', APACHE_404, true],
      ['[ip, user, username, timestamp, request = *html*, ...]', APACHE, false],
      ['[ip, user, username, timestamp = "10/Oct/2000*", ...]', APACHE, true],
      ['[ip = %^127\\.%, ...]', APACHE, true],
    ]);
  });

  test('&& and || inside one field', () => {
    check([
      ['[..., status_code = 404 || status_code = 410, bytes]', APACHE_404, true],
      ['[..., status_code = 404 || status_code = 410, bytes]', APACHE, false],
      ['[..., status_code >= 400 && status_code < 500, bytes]', APACHE_404, true],
      ['[..., status_code >= 400 && status_code < 500, bytes]', APACHE, false],
    ]);
  });

  test('... stands for any number of fields, anywhere', () => {
    check([
      ['[..., status_code, bytes]', APACHE, true],
      ['[ip, ...]', APACHE, true],
      ['[ip, ..., bytes = 1534]', APACHE, true],
      ['[ip, ..., bytes = 1534]', APACHE_404, false],
      ['[..., status = 200, ...]', APACHE, true],
      ['[..., status = 999, ...]', APACHE, false],
      ['[r = REPORT, ...]', REPORT, true],
      ['[r = REPORT, ...]', 'START RequestId: 1-2', false],
      ['[type = REPORT, ..., label = Billed, label2, billed, unit]', REPORT, true],
      ['[...]', '', true],
      ['[a, ...]', '', false],
    ]);
  });
});

describe('what a match yields', () => {
  test('space-delimited: named fields by $name, brackets and quotes stripped', () => {
    const m = compileFilterPattern('[ip, user, username, timestamp, request, status_code, bytes]').match(new EventText(APACHE));
    assert.deepEqual(m?.extracted(), {
      $ip: '127.0.0.1', $user: '-', $username: 'frank', $timestamp: '10/Oct/2000:13:25:15 -0700',
      $request: 'GET /apache_pb.gif HTTP/1.0', $status_code: '200', $bytes: '1534',
    });
    assert.equal(m?.lookup('$bytes'), '1534');
    assert.equal(m?.lookup('$nope'), undefined);
  });

  test('JSON: any selector, and the ones in the pattern as extracted values', () => {
    const p = compileFilterPattern('{ $.latency > 100 && $.user.id = 1 }');
    const m = p.match(new EventText(TRAIL));
    assert.deepEqual(m?.extracted(), { '$.latency': '150', '$.user.id': '1' });
    assert.equal(m?.lookup('$.latency'), 150);
    assert.equal(m?.lookup('$.users[1].email'), 'Jane.Doe@example.com');
    assert.ok(p.canResolve('$.anything.else'));
    assert.ok(!p.canResolve('$name'));
  });

  test('which references a metric value may use', () => {
    const d = compileFilterPattern('[ip, ..., size]');
    assert.ok(d.canResolve('$size'));
    assert.ok(!d.canResolve('$other'));
    assert.ok(!compileFilterPattern('ERROR').canResolve('$.x'));
  });
});

describe('invalid patterns', () => {
  const INVALID: Array<[pattern: string, message: RegExp]> = [
    ['{ $.a = 1', /must end with '}'/],
    ['{ }', /at least one condition/],
    ['{ a = 1 }', /selector/],
    ['{ $.a = 1 && }', /condition/],
    ['{ $.a }', /comparison/],
    ['{ $.a IS MAYBE }', /NULL, TRUE or FALSE/],
    ['{ $.a NOT THERE }', /EXISTS/],
    ['{ $.a > "x" }', /numeric/],
    ['{ $.a > abc }', /numeric/],
    ['{ ($.a = 1 }', /'\)'/],
    ['{ $.a = 1 ) }', /Unexpected/],
    ['{ $.a = }', /Missing value/],
    ['{ $.a..b = 1 }', /Invalid selector/],
    ['{ $.a[x] = 1 }', /Invalid selector/],
    ['{ $.a = %x% || $.b = %y% || $.c = %z% }', /at most 2/],
    ['{ $.a > %x% }', /= or !=/],
    ['[a, b', /must end with ']'/],
    ['[]', /at least one field/],
    ['[a,, b]', /field name/],
    ['[a b]', /','/],
    ['[a > x]', /numeric/],
    ['"unterminated', /Unterminated/],
    ['ab"c', /Invalid character/],
    ['"ab"c', /Invalid character/],
    ['ERROR - x', /missing after '-'/],
    ['%(group)%', /Invalid character/],
    ['%abc!%', /Invalid character/],
    ['%%', /empty/],
  ];
  for (const [pattern, message] of INVALID) {
    test(JSON.stringify(pattern), () => {
      assert.throws(() => compileFilterPattern(pattern), (e: unknown) => e instanceof FilterPatternError && message.test(e.message));
    });
  }
});

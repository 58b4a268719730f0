/**
 * The AlarmRule grammar: the documented examples, precedence, quoting, ARNs, AT_LEAST, and the
 * errors AWS answers with (captured messages where there are some).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isServiceError } from '../../../core/errors.js';
import { parseAlarmRule, type RuleExpr } from './rule.js';

/** A compact rendering of the tree, so expectations read like the rules. */
function show(e: RuleExpr): string {
  switch (e.kind) {
    case 'const': return e.value ? 'T' : 'F';
    case 'state': return `${e.state}[${e.ref}]`;
    case 'not': return `!${show(e.operand)}`;
    case 'and': return `(${e.operands.map(show).join(' & ')})`;
    case 'or': return `(${e.operands.map(show).join(' | ')})`;
    case 'atLeast': {
      const t = 'count' in e.threshold ? String(e.threshold.count) : `${e.threshold.percent}%`;
      return `atLeast(${t},${e.negate ? '!' : ''}${e.state},${e.refs.join(',')})`;
    }
  }
}

function rejects(rule: string, message: string | RegExp): void {
  assert.throws(() => parseAlarmRule(rule), (err: unknown) => {
    assert.ok(isServiceError(err));
    assert.equal(err.code, 'ValidationError');
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  }, rule);
}

describe('AlarmRule grammar', () => {
  it('parses the documented examples', () => {
    assert.equal(show(parseAlarmRule('ALARM(CPUUtilizationTooHigh) AND ALARM(DiskReadOpsTooHigh)')), '(ALARM[CPUUtilizationTooHigh] & ALARM[DiskReadOpsTooHigh])');
    assert.equal(show(parseAlarmRule('ALARM(CPUUtilizationTooHigh) AND NOT ALARM(DeploymentInProgress)')), '(ALARM[CPUUtilizationTooHigh] & !ALARM[DeploymentInProgress])');
    assert.equal(
      show(parseAlarmRule('(ALARM(CPUUtilizationTooHigh) OR ALARM(DiskReadOpsTooHigh)) AND OK(NetworkOutTooHigh)')),
      '((ALARM[CPUUtilizationTooHigh] | ALARM[DiskReadOpsTooHigh]) & OK[NetworkOutTooHigh])',
    );
    assert.equal(show(parseAlarmRule('(ALARM("CPUUtilizationTooHigh") OR \nALARM("DiskReadOpsTooHigh")) AND \nOK("NetworkOutTooHigh")')), '((ALARM[CPUUtilizationTooHigh] | ALARM[DiskReadOpsTooHigh]) & OK[NetworkOutTooHigh])');
    assert.equal(show(parseAlarmRule('INSUFFICIENT_DATA(x)')), 'INSUFFICIENT_DATA[x]');
    assert.equal(show(parseAlarmRule('TRUE')), 'T');
    assert.equal(show(parseAlarmRule('FALSE')), 'F');
  });

  it('NOT binds tighter than AND, AND tighter than OR; parentheses override', () => {
    assert.equal(show(parseAlarmRule('ALARM(a) OR ALARM(b) AND ALARM(c)')), '(ALARM[a] | (ALARM[b] & ALARM[c]))');
    assert.equal(show(parseAlarmRule('ALARM(a) AND ALARM(b) OR ALARM(c)')), '((ALARM[a] & ALARM[b]) | ALARM[c])');
    assert.equal(show(parseAlarmRule('NOT ALARM(a) AND ALARM(b)')), '(!ALARM[a] & ALARM[b])');
    assert.equal(show(parseAlarmRule('NOT (ALARM(a) AND ALARM(b))')), '!(ALARM[a] & ALARM[b])');
    assert.equal(show(parseAlarmRule('NOT NOT TRUE')), '!!T');
    assert.equal(show(parseAlarmRule('OK(x) OR TRUE')), '(OK[x] | T)');
    assert.equal(show(parseAlarmRule('ALARM(a) OR ALARM(b) OR ALARM(c)')), '(ALARM[a] | ALARM[b] | ALARM[c])');
  });

  it('spacing: none needed around parentheses, any whitespace inside', () => {
    assert.equal(show(parseAlarmRule('ALARM(a)AND ALARM(b)')), '(ALARM[a] & ALARM[b])');
    assert.equal(show(parseAlarmRule('NOT(TRUE)')), '!T');
    assert.equal(show(parseAlarmRule('(TRUE)AND(FALSE)')), '(T & F)');
    assert.equal(show(parseAlarmRule('ALARM( \n\t "Test" \n\t )')), 'ALARM[Test]');
    assert.equal(show(parseAlarmRule('  ALARM (a)  ')), 'ALARM[a]');
  });

  it('quoting: the outer quotes only, no escapes, spaces and parentheses kept inside', () => {
    assert.equal(show(parseAlarmRule('OK("a b")')), 'OK[a b]');
    assert.equal(show(parseAlarmRule('OK(" a ")')), 'OK[ a ]');
    assert.equal(show(parseAlarmRule('OK("a)")')), 'OK[a)]');
    assert.equal(show(parseAlarmRule(`OK("'a'")`)), "OK['a']");
    assert.equal(show(parseAlarmRule(`OK('say "hi"')`)), 'OK[say "hi"]');
    assert.equal(show(parseAlarmRule("OK(test'name)")), "OK[test'name]");
    assert.equal(show(parseAlarmRule('ALARM(prod/web/cpu-1.2_x)')), 'ALARM[prod/web/cpu-1.2_x]');
  });

  it('ARNs, quoted or not (alarm names may contain colons)', () => {
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:my:alarm';
    assert.equal(show(parseAlarmRule(`ALARM(${arn})`)), `ALARM[${arn}]`);
    assert.equal(show(parseAlarmRule(`ALARM("${arn}") OR OK('${arn}')`)), `(ALARM[${arn}] | OK[${arn}])`);
  });

  it('keywords are case-insensitive; names inside functions are not keywords', () => {
    assert.equal(show(parseAlarmRule('alarm(a) and not ok(b) or false')), '((ALARM[a] & !OK[b]) | F)');
    assert.equal(show(parseAlarmRule('ALARM(NOT) OR ALARM(AND)')), '(ALARM[NOT] | ALARM[AND])');
    assert.equal(show(parseAlarmRule('ALARM(ORDERS)')), 'ALARM[ORDERS]');
  });

  it('AT_LEAST with a count or a percentage, NOT states, quoted names', () => {
    assert.equal(show(parseAlarmRule('AT_LEAST(2, ALARM, (a, b, c))')), 'atLeast(2,ALARM,a,b,c)');
    assert.equal(show(parseAlarmRule('AT_LEAST("50%", OK, (DB1, DB2, DB3, DB4))')), 'atLeast(50%,OK,DB1,DB2,DB3,DB4)');
    assert.equal(show(parseAlarmRule('AT_LEAST(60%, NOT OK, ("x y",b)) AND TRUE')), '(atLeast(60%,!OK,x y,b) & T)');
  });

  it('malformed rules: the captured messages', () => {
    rejects('()', "Error in AlarmRule [Unsupported token ')' at char 1]");
    const rule = '(ALARM(arn:aws:cloudwatch:us-east-1:123456789012:alarm:SampleQueue Oldest Age Alarm) OR ALARM(x))';
    rejects(rule, "Error in AlarmRule [Unsupported token 'Oldest' at char 67, must be: ')']");
  });

  it('malformed rules: where they break and what was expected', () => {
    rejects('', "1 validation error detected: Value '' at 'alarmRule' failed to satisfy constraint: Member must have length greater than or equal to 1");
    rejects('ALARM(a) ALARM(b)', "Error in AlarmRule [Unsupported token 'ALARM' at char 9]");
    rejects('ALARMS(a)', "Error in AlarmRule [Unsupported token 'ALARMS' at char 0, must be: '(', 'NOT', AT_LEAST, TRUE or FALSE, ALARM, OK, or INSUFFICIENT_DATA]");
    rejects('ALARM(a', "Error in AlarmRule [Unsupported token '<EOF>' at char 7, must be: ')']");
    rejects('ALARM()', "Error in AlarmRule [Unsupported token ')' at char 6]");
    rejects('ALARM a', "Error in AlarmRule [Unsupported token 'a' at char 6, must be: '(']");
    rejects('ALARM(a) AND', "Error in AlarmRule [Unsupported token '<EOF>' at char 12]");
    rejects('(TRUE', /Unsupported token '<EOF>' at char 5, must be: '\)'/);
    rejects('TRUE)', /Unsupported token '\)' at char 4/);
    rejects('OK("abc', /Unsupported token '"abc' at char 3/);
    rejects('OK("")', /Unsupported token '""' at char 3/);
    rejects('AT_LEAST(4, ALARM, (a, b))', /Unsupported token '4'/);
    rejects('AT_LEAST(0, ALARM, (a))', /Unsupported token '0'/);
    rejects('AT_LEAST(101%, ALARM, (a))', /Unsupported token '101%'/);
    rejects('AT_LEAST(1, MAYBE, (a))', /Unsupported token 'MAYBE' at char 12, must be: 'NOT', ALARM, OK, or INSUFFICIENT_DATA/);
  });

  it('limits: 10240 characters, 500 elements', () => {
    const long = `ALARM("${'a'.repeat(10240)}")`;
    assert.throws(() => parseAlarmRule(long), /Member must have length less than or equal to 10240/);
    const fits = Array.from({ length: 500 }, () => 'TRUE').join(' OR ');
    assert.doesNotThrow(() => parseAlarmRule(fits));
    rejects(`(${fits})`, 'Error in AlarmRule [The alarm rule has 501 elements, the maximum is 500]');
  });
});

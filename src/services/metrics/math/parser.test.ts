/**
 * Metric math parsing: the tree each operator builds (precedence and associativity), the ids an
 * expression reads, and the ValidationError every malformed expression gets before any data is read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression, referencedIds, usesAllMetrics } from './parser.js';
import type { Expr } from './types.js';
import { rejects } from './harness.test.js';

/** The tree as an S-expression, so precedence reads at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'id':
    case 'keyword':
      return e.name;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(' ')})`;
    case 'array':
      return `[${e.items.map(show).join(' ')}]`;
  }
}

const tree = (text: string) => show(parseExpression(text));

describe('metric math parser: precedence and associativity', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['m1 - m2 - m3', '(- (- m1 m2) m3)'],
    ['m1 / m2 * 100', '(* (/ m1 m2) 100)'],
    ['2 ^ 3 ^ 2', '(^ 2 (^ 3 2))'],
    ['-2 ^ 2', '(- (^ 2 2))'],
    ['2 ^ -1', '(^ 2 (- 1))'],
    ['-5 * m1', '(* (- 5) m1)'],
    ['5 * -m1', '(* 5 (- m1))'],
    ['+m1', 'm1'],
    ['m1 + 1 > m2 * 2', '(> (+ m1 1) (* m2 2))'],
    ['m1 > 5 AND m2 < 3 OR m3 == 1', '(OR (AND (> m1 5) (< m2 3)) (== m3 1))'],
    ['m1 || m2 && m3', '(OR m1 (AND m2 m3))'],
    ['m1 > 15 && m2 > 15', '(AND (> m1 15) (> m2 15))'],
    ['NOT m1 > 5', '(NOT (> m1 5))'],
    ['NOT m1 AND m2', '(AND (NOT m1) m2)'],
    ['m1 != 0 OR m1 >= 1 OR m1 <= 2', '(OR (OR (!= m1 0) (>= m1 1)) (<= m1 2))'],
    ['e1-MIN(e1)', '(- e1 MIN(e1))'],
    ['SUM([m1, m2]) / AVG(m2)', '(/ SUM([m1 m2]) AVG(m2))'],
    ['SUM(-[m1, m2])', 'SUM((- [m1 m2]))'],
    ['IF((DAY(m1)<6 AND (HOUR(m1)>=9 AND HOUR(m1)<17)),m1)', 'IF((AND (< DAY(m1) 6) (AND (>= HOUR(m1) 9) (< HOUR(m1) 17))) m1)'],
  ];
  for (const [text, expected] of cases) {
    it(text, () => assert.equal(tree(text), expected));
  }
});

describe('metric math parser: tokens and arguments', () => {
  it('reads integers, decimals and exponents', () => {
    assert.equal(tree('1.5e3 + .5 + 2.'), '(+ (+ 1500 0.5) 2)');
  });

  it('reads ids with digits and underscores', () => {
    assert.equal(tree('errors_5xx / requests'), '(/ errors_5xx requests)');
  });

  it('reads keyword and string arguments where they belong', () => {
    assert.equal(tree('FILL(m1, REPEAT)'), 'FILL(m1 REPEAT)');
    assert.equal(tree('FILL(METRICS(), LINEAR)'), 'FILL(METRICS() LINEAR)');
    assert.equal(tree('SORT(METRICS(), SUM, DESC, 10)'), 'SORT(METRICS() SUM DESC 10)');
    assert.equal(tree('METRICS("errors")'), 'METRICS("errors")');
    assert.equal(tree("METRICS('errors')"), 'METRICS("errors")');
    assert.equal(tree('SUM([METRICS(\u201c4xx\u201d), METRICS(\u201c5xx\u201d)])'), 'SUM([METRICS("4xx") METRICS("5xx")])');
  });

  it('ignores white space', () => {
    assert.equal(tree(' \tm1\n+ ABS ( m2 ) '), '(+ m1 ABS(m2))');
  });
});

describe('metric math parser: referenced ids', () => {
  it('lists each id once, in order of first appearance', () => {
    assert.deepEqual(referencedIds(parseExpression('m1 + m2 * m1 + AVG(e1) + IF(m3 > 1, m2)')), ['m1', 'm2', 'e1', 'm3']);
  });

  it('has no ids for constants and METRICS()', () => {
    assert.deepEqual(referencedIds(parseExpression('SUM(METRICS()) / 2')), []);
  });

  it('tells whether METRICS() is used', () => {
    assert.equal(usesAllMetrics(parseExpression('SUM(METRICS("a"))')), true);
    assert.equal(usesAllMetrics(parseExpression('m1 + 1')), false);
  });
});

describe('metric math parser: malformed expressions are ValidationError', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['m1 +', /unexpected end/],
    ['(m1 + m2', /expected "\)"/],
    ['m1 + m2)', /unexpected "\)"/],
    ['m1 m2', /unexpected "m2"/],
    ['1 2', /unexpected "2"/],
    ['m1 $ m2', /unexpected "\$"/],
    ['5m1', /after number/],
    ['m1 = 5', /unexpected "="/],
    ['M1 + 1', /not a query id/],
    ['Foo', /not a query id/],
    ['FOO(m1)', /unknown function "FOO"/],
    ['avg(m1)', /functions are upper case/],
    ['SEARCH(\'{AWS/EC2} CPU\', \'Average\')', /SEARCH is not supported by Signalbox/],
    ['ANOMALY_DETECTION_BAND(m1)', /not supported by Signalbox/],
    ['ABS()', /ABS takes 1 argument/],
    ['ABS(m1, m2)', /ABS takes 1 argument/],
    ['IF(m1)', /IF takes 2 to 3/],
    ['FILL(m1)', /FILL takes 2/],
    ['SORT(METRICS(), AVG)', /SORT takes 3 to 4/],
    ['FILL(m1, ASC)', /ASC is not valid as argument 2 of FILL/],
    ['ABS(REPEAT)', /REPEAT is not valid as argument 1 of ABS/],
    ['REPEAT', /REPEAT can only be a function argument/],
    ['m1 + LINEAR', /LINEAR can only be a function argument/],
    ['ABS([DESC])', /DESC can only be a function argument/],
    ['SORT(METRICS(), STDDEV, ASC)', /not a query id|argument 2 of SORT/],
    ['SORT(METRICS(), m1, ASC)', /argument 2 of SORT must be one of AVG, MAX, MIN, SUM/],
    ['SORT(METRICS(), AVG, UP)', /not a query id/],
    ['SORT(METRICS(), AVG, 1)', /argument 3 of SORT must be one of ASC, DESC/],
    ['METRICS(m1)', /argument 1 of METRICS must be a string/],
    ['ABS("m1")', /a string is not valid/],
    ['METRICS("unterminated)', /unterminated string/],
    ['[]', /at least one element/],
    ['[m1, ]', /unexpected "\]"/],
    ['m1 + ,', /unexpected ","/],
  ];
  for (const [text, pattern] of cases) {
    it(JSON.stringify(text), () => rejects(text, pattern));
  }

  it('quotes the expression and the position in the message', () => {
    rejects('m1 + + * 2', /Invalid metric math expression "m1 \+ \+ \* 2": unexpected "\*" at position 8\./);
  });
});

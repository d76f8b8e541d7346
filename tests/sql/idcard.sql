-- idcard.sql — the pure validators: idcard_valid / idcard_problem (GB 11643
-- resident ID numbers), phone_normalize, clean_text, and the CHECK
-- constraints on person that use them.
\pset format unaligned
\pset tuples_only on
\pset pager off
BEGIN;
SELECT plan(27);

-- An independent implementation of the check digit, to build test numbers.
CREATE FUNCTION pg_temp.with_check(p17 text) RETURNS text
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT p17 || substr('10X98765432',
        (SELECT sum(substr(p17, i::int, 1)::int * w)
         FROM unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[])
              WITH ORDINALITY AS t(w, i))::int % 11 + 1, 1)
$$;

-- valid numbers
SELECT ok(caseterm.idcard_valid('321111198511220045'), 'a valid ID number');
SELECT ok(caseterm.idcard_valid('32110219900307123X'), 'a valid ID number with check digit X');
SELECT is(caseterm.idcard_problem('321111198511220045'), NULL, 'idcard_problem is NULL for a valid number');
SELECT ok((SELECT bool_and(caseterm.idcard_valid(
               pg_temp.with_check('3211' || lpad(n::text, 2, '0')
                   || to_char(date '1950-01-01' + n * 397, 'YYYYMMDD')
                   || lpad((n * 37 % 1000)::text, 3, '0'))))
           FROM generate_series(0, 60) n),
          'sixty-one generated numbers with valid dates and check digits are valid');
SELECT ok(caseterm.idcard_valid(pg_temp.with_check('32110220000229001')), '29 February 2000 (leap year) is a date');
SELECT ok(caseterm.idcard_valid(pg_temp.with_check('32110219000101001')), 'year 1900 is accepted');
SELECT ok(caseterm.idcard_valid(pg_temp.with_check(
              '321102' || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYYMMDD') || '001')),
          'born today (in China) is accepted');

-- check digit
SELECT ok(NOT caseterm.idcard_valid('321111198511220046'), 'a wrong check digit is refused');
SELECT is(caseterm.idcard_problem('321111198511220046'), 'ID number check digit is wrong', 'its message');
SELECT ok(NOT caseterm.idcard_valid('321102199003071230'), 'a digit where the check digit is X is refused');
SELECT ok(NOT caseterm.idcard_valid('32110219900307123x'), 'lower-case x is not valid as stored (register upper-cases it)');

-- birth date
SELECT ok(NOT caseterm.idcard_valid('321102202602300019'), '20260230 is refused (the check digit is right)');
SELECT is(caseterm.idcard_problem('321102202602300019'), 'ID number birth date is not valid', 'its message');
SELECT ok(NOT caseterm.idcard_valid(pg_temp.with_check('32110219000229001')), '29 February 1900 is refused (not a leap year)');
SELECT ok(NOT caseterm.idcard_valid(pg_temp.with_check('32110218991231001')), 'a year before 1900 is refused');
SELECT ok(NOT caseterm.idcard_valid(pg_temp.with_check('32110219901301001')), 'month 13 is refused');
SELECT ok(NOT caseterm.idcard_valid(pg_temp.with_check(
              '321102' || to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 'YYYYMMDD') || '001')),
          'a birth date in the future is refused');

-- shape
SELECT ok(NOT caseterm.idcard_valid('32111119851122004'), '17 characters are refused');
SELECT ok(NOT caseterm.idcard_valid('3211111985112200451'), '19 characters are refused');
SELECT is(caseterm.idcard_problem('32111119851122004'),
          'ID number must be 18 characters: 17 digits and a digit or X', 'its message');
SELECT ok(NOT caseterm.idcard_valid('3211111985112200X5'), 'X before the last position is refused');
SELECT is(caseterm.idcard_valid(NULL), NULL, 'STRICT: NULL gives NULL (so the CHECK lets NULL through)');

-- the CHECK constraint on person
SELECT throws_ok($$INSERT INTO caseterm.person (name, id_number) VALUES ('甲', '321111198511220046')$$,
                 '23514', NULL, 'person.id_number refuses a wrong check digit');

-- phone_normalize, clean_text
SELECT is(caseterm.phone_normalize('+86 138-1234-5678'), '13812345678', 'phone: +86, spaces and dashes are removed');
SELECT is(caseterm.phone_normalize('12812345678'), NULL, 'phone: 12x is not a mobile prefix');
SELECT is(caseterm.phone_normalize('1381234567'), NULL, 'phone: 10 digits are refused');
SELECT is(caseterm.clean_text(E' \u3000张三\t '), '张三', 'clean_text trims ASCII and ideographic spaces');

SELECT * FROM finish();
ROLLBACK;

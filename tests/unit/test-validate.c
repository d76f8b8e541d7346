/*
 * Every field type's checker with valid and invalid values: what is saved,
 * what the field shows afterwards, and the message when it is wrong.
 * "Today" is fixed at 2026-11-27 10:30 in China so that t, t-1 and
 * max = "t" are testable.  Also code tables (choice_resolve), conditions and hints.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

static time_t	 now;

static int
setup(void **state)
{
	/* 02:30 UTC is 10:30 in China, where "t" is read. */
	struct tm	 tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 27,
			    .tm_hour = 2, .tm_min = 30 };

	now = timegm(&tm);
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

static struct field_def
field(enum field_type t)
{
	struct field_def f = { .name = "x", .label = "X", .type = t,
	    .width = 20, .height = 1, .max_length = 100 };

	f.show_if.field = f.required_if.field = -1;
	return f;
}

/* text is accepted; the value saved is value, the field shows display
 * (NULL: the text stays as typed). */
static void
ok_as(const struct field_def *f, const struct choices *t, const char *text,
    const char *value, const char *display)
{
	struct field_value	 v;

	if (field_check(f, text, false, t, now, &v) != 0)
		fail_msg("\"%s\" refused: %s", text, v.why);
	if (value == NULL)
		assert_null(v.value);
	else
		assert_string_equal(v.value, value);
	if (display == NULL)
		assert_null(v.display);
	else
		assert_string_equal(v.display, display);
	field_value_clear(&v);
}

/* text is refused with a message containing why. */
static void
bad(const struct field_def *f, const struct choices *t, const char *text,
    const char *why)
{
	struct field_value	 v;

	if (field_check(f, text, false, t, now, &v) == 0)
		fail_msg("\"%s\" accepted as \"%s\"", text, v.value);
	assert_non_null(v.why);
	if (strstr(v.why, why) == NULL)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", text, v.why, why);
	assert_null(v.value);
	field_value_clear(&v);
}

static void
text_length_required(void **state)
{
	struct field_def	 f = field(FT_TEXT);
	struct field_value	 v;

	f.max_length = 4;
	ok_as(&f, NULL, "张三李四", "张三李四", NULL);
	ok_as(&f, NULL, "  张三 ", "张三", NULL);		/* trimmed */
	bad(&f, NULL, "张三李四王", "too long: at most 4 characters");
	f.min_length = 2;
	bad(&f, NULL, "张", "too short: at least 2");
	ok_as(&f, NULL, "", NULL, NULL);			/* optional */
	assert_int_equal(field_check(&f, "　 ", true, NULL, now, &v), -1);
	assert_string_equal(v.why, "this field is required");
	field_value_clear(&v);
	/* pattern: see test-forms (the loader compiles it) */
}

static void
password_as_typed(void **state)
{
	struct field_def	 f = field(FT_PASSWORD);

	f.min_length = 8;
	ok_as(&f, NULL, " pass word ", " pass word ", NULL);	/* not trimmed */
	ok_as(&f, NULL, "密码一二三四五六", "密码一二三四五六", NULL);
	bad(&f, NULL, "short", "too short: at least 8");
	f.max_length = 10;
	bad(&f, NULL, "0123456789a", "too long: at most 10 characters");
}

static void
integer_values(void **state)
{
	struct field_def	 f = field(FT_INTEGER);

	ok_as(&f, NULL, "42", "42", "42");
	ok_as(&f, NULL, " -7 ", "-7", "-7");
	bad(&f, NULL, "4.5", "must be a whole number");
	bad(&f, NULL, "12a", "must be a whole number");
	bad(&f, NULL, "九", "must be a whole number");
	bad(&f, NULL, "99999999999999999999", "must be a whole number");
	f.min = "1";
	f.max = "100";
	ok_as(&f, NULL, "100", "100", "100");
	bad(&f, NULL, "0", "must be at least 1");
	bad(&f, NULL, "101", "must be at most 100");
}

static void
money_values(void **state)
{
	struct field_def	 f = field(FT_MONEY);

	ok_as(&f, NULL, "1234", "1234.00", "1234.00");
	ok_as(&f, NULL, "1,234.5", "1234.50", "1234.50");
	ok_as(&f, NULL, "¥12.05", "12.05", "12.05");
	ok_as(&f, NULL, "￥1,000,000", "1000000.00", "1000000.00");
	ok_as(&f, NULL, "800元", "800.00", "800.00");
	ok_as(&f, NULL, "0.1", "0.10", "0.10");
	bad(&f, NULL, "12.345", "amount in yuan");
	bad(&f, NULL, "1,23", "amount in yuan");
	bad(&f, NULL, "12,3456", "amount in yuan");
	bad(&f, NULL, "-5", "amount in yuan");
	bad(&f, NULL, "五百", "amount in yuan");
	bad(&f, NULL, "12.", "amount in yuan");
	f.min = "0";
	f.max = "10000";
	ok_as(&f, NULL, "10000", "10000.00", "10000.00");
	bad(&f, NULL, "10000.01", "must be at most 10000.00");
}

static void
date_values(void **state)
{
	struct field_def	 f = field(FT_DATE);

	ok_as(&f, NULL, "2026-02-28", "2026-02-28", "2026-02-28");
	ok_as(&f, NULL, "t", "2026-11-27", "2026-11-27");
	ok_as(&f, NULL, "T-1", "2026-11-26", "2026-11-26");
	ok_as(&f, NULL, "t+5", "2026-12-02", "2026-12-02");
	ok_as(&f, NULL, "20240229", "2024-02-29", "2024-02-29");	/* leap */
	ok_as(&f, NULL, "2026/3/7", "2026-03-07", "2026-03-07");
	ok_as(&f, NULL, "2026.03.07", "2026-03-07", "2026-03-07");
	bad(&f, NULL, "2026-02-30", "must be a real date");
	bad(&f, NULL, "2023-02-29", "must be a real date");
	bad(&f, NULL, "2026-13-01", "must be a real date");
	bad(&f, NULL, "2026-04-31", "must be a real date");
	bad(&f, NULL, "2026-1-1x", "must be a real date");
	bad(&f, NULL, "2026/03-07", "must be a real date");
	bad(&f, NULL, "today", "must be a real date");
	bad(&f, NULL, "t+", "must be a real date");
	f.max = "t";
	ok_as(&f, NULL, "t", "2026-11-27", "2026-11-27");
	now += 14 * 3600;		/* 16:30 UTC: past midnight in China */
	ok_as(&f, NULL, "t", "2026-11-28", "2026-11-28");
	now -= 14 * 3600;
	bad(&f, NULL, "t+1", "must be at most 2026-11-27");
	f.min = "2026-01-01";
	bad(&f, NULL, "2025-12-31", "must be at least 2026-01-01");
}

static void
datetime_values(void **state)
{
	struct field_def	 f = field(FT_DATETIME);

	ok_as(&f, NULL, "2026-11-20 09:05", "2026-11-20 09:05",
	    "2026-11-20 09:05");
	ok_as(&f, NULL, "t", "2026-11-27 10:30", "2026-11-27 10:30");
	ok_as(&f, NULL, "t 8:15", "2026-11-27 08:15", "2026-11-27 08:15");
	ok_as(&f, NULL, "20261120 1400", "2026-11-20 14:00",
	    "2026-11-20 14:00");
	bad(&f, NULL, "2026-11-20", "must be a real date and time");
	bad(&f, NULL, "2026-11-20 24:00", "must be a real date and time");
	bad(&f, NULL, "2026-11-20 12:60", "must be a real date and time");
	bad(&f, NULL, "2026-02-30 12:00", "must be a real date and time");
	f.max = "t";
	bad(&f, NULL, "t+1 09:00", "must be at most 2026-11-27");
}

static void
mobile_values(void **state)
{
	struct field_def	 f = field(FT_MOBILE);

	ok_as(&f, NULL, "13912345678", "13912345678", NULL);
	ok_as(&f, NULL, "+86 139-1234-5678", "13912345678", NULL);
	bad(&f, NULL, "10086", "mobile number must be 11 digits");
	bad(&f, NULL, "12912345678", "mobile number must be 11 digits");
	bad(&f, NULL, "1391234567a", "mobile number must be 11 digits");
}

static void
idcard_values(void **state)
{
	struct field_def	 f = field(FT_IDCARD);
	char			*hint;

	ok_as(&f, NULL, "11010519491231002X", "11010519491231002X",
	    "11010519491231002X");
	/* a lower-case x is taken as X */
	ok_as(&f, NULL, "11010519491231002x", "11010519491231002X",
	    "11010519491231002X");
	ok_as(&f, NULL, "321102199003070026", "321102199003070026",
	    "321102199003070026");
	bad(&f, NULL, "110105194912310021", "check digit is wrong");
	bad(&f, NULL, "11010519491231002", "must have 18 characters");
	bad(&f, NULL, "110105194902300025", "impossible birth date");
	bad(&f, NULL, "1101051949123100A1", "17 digits and a check digit");
	hint = field_hint(&f, "321102199003070026");
	assert_string_equal(hint, "born 1990-03-07, female");
	free(hint);
	hint = field_hint(&f, "11010519491231001X");
	assert_null(hint);			/* not valid: no hint */
	f.type = FT_TEXT;
	assert_null(field_hint(&f, "321102199003070026"));
}

static void
person_values(void **state)
{
	struct field_def	 f = field(FT_PERSON);

	ok_as(&f, NULL, "11010519491231002x", "11010519491231002X", NULL);
	ok_as(&f, NULL, "139 1234 5678", "13912345678", NULL);
	bad(&f, NULL, "张三", "a resident ID number or a mobile number");
	bad(&f, NULL, "110105194912310021", "a resident ID number or a mobile");
}

static struct choice channel_v[] = {
	{ "hotline", "Hotline call", 0, NULL },
	{ "walk_in", "Walk-in", 0, NULL },
	{ "transfer_110", "Transferred from 110", 0, NULL },
	{ "transfer_12345", "Transferred from 12345", 0, NULL },
	{ "wechat", "微信微博", 0, NULL },
};
static const struct choices channels = { channel_v, 5 };

static struct choice unit_v[] = {
	{ "321102", "京口区司法局", 0, NULL },
	{ "321102001", "正东路街道司法所", 1, NULL },
	{ "321102001201", "正东路街道第一社区服务站", 2, NULL },
	{ "321102001202", "正东路街道第二社区服务站", 2, NULL },
	{ "321102002", "健康路街道司法所", 1, NULL },
};
static const struct choices units = { unit_v, 5 };

static void
choice_values(void **state)
{
	struct field_def	 f = field(FT_CHOICE);
	size_t			 i;

	ok_as(&f, &channels, "hotline", "hotline", "Hotline call");
	ok_as(&f, &channels, "HOTLINE", "hotline", "Hotline call");
	ok_as(&f, &channels, "Walk-in", "walk_in", "Walk-in");
	ok_as(&f, &channels, "walk", "walk_in", "Walk-in");	/* a prefix */
	ok_as(&f, &channels, "微信", "wechat", "微信微博");
	ok_as(&f, &channels, "transfer_110", "transfer_110",
	    "Transferred from 110");
	bad(&f, &channels, "transfer", "matches several entries");
	bad(&f, &channels, "fax", "not in the list");
	bad(&f, NULL, "hotline", "cannot be loaded");
	/* The same rule for the pick list's filter. */
	assert_true(choice_matches(&channel_v[0], "LINE"));
	assert_true(choice_matches(&channel_v[4], "微博"));
	assert_false(choice_matches(&channel_v[4], "hot"));
	assert_int_equal(choice_resolve(&channels, "12345", &i), 0);
	assert_int_equal(i, 3);
}

static void
org_unit_values(void **state)
{
	struct field_def	 f = field(FT_ORGUNIT);

	ok_as(&f, &units, "321102001", "321102001", "正东路街道司法所");
	ok_as(&f, &units, "健康路", "321102002", "健康路街道司法所");
	ok_as(&f, &units, "第二社区", "321102001202", "正东路街道第二社区服务站");
	ok_as(&f, &units, "正东路街道司法所", "321102001", "正东路街道司法所");
	bad(&f, &units, "正东路", "matches several entries");
	bad(&f, &units, "润州区", "not in the list");
}

static void
yesno_and_flags(void **state)
{
	struct field_def	 f = field(FT_YESNO);
	struct choice		 g[] = {
		{ "elderly", "Elderly", 0, NULL },
		{ "minor", "Minor", 0, NULL },
		{ "women", "妇女", 0, NULL },
		{ "migrant_worker", "Migrant worker", 0, NULL },
	};
	const struct choices	 groups = { g, 4 };

	ok_as(&f, NULL, "yes", "yes", "Yes");
	ok_as(&f, NULL, "y", "yes", "Yes");
	ok_as(&f, NULL, "No", "no", "No");
	bad(&f, NULL, "maybe", "not in the list");
	f.type = FT_FLAGS;
	ok_as(&f, &groups, "elderly, women", "elderly,women", "Elderly, 妇女");
	ok_as(&f, &groups, "妇女、Migrant", "women,migrant_worker",
	    "妇女, Migrant worker");
	ok_as(&f, &groups, "minor，minor", "minor", "Minor");	/* once */
	ok_as(&f, &groups, " , ", NULL, NULL);			/* empty */
	bad(&f, &groups, "elderly, alien", "'alien' is not in the list");
}

static void
conditions(void **state)
{
	char		*v[] = { "legal_aid", "mediation" };
	struct cond	 any = { .field = 0 };
	struct cond	 some = { .field = 0, .values = v, .nvalues = 2 };
	struct cond	 not = { .field = 0, .values = v, .nvalues = 1,
			    .negate = true };

	assert_true(cond_holds(&any, "x"));
	assert_true(cond_holds(&any, "yes"));
	assert_false(cond_holds(&any, "no"));		/* yes/no answered no */
	assert_false(cond_holds(&any, ""));
	assert_false(cond_holds(&any, NULL));
	assert_true(cond_holds(&some, "mediation"));
	assert_false(cond_holds(&some, "consultation"));
	assert_true(cond_holds(&some, "minor,legal_aid"));	/* flags */
	assert_false(cond_holds(&some, "legal_aid_x"));
	assert_false(cond_holds(&not, "legal_aid"));
	assert_true(cond_holds(&not, "mediation"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_length_required),
		cmocka_unit_test(password_as_typed),
		cmocka_unit_test(integer_values),
		cmocka_unit_test(money_values),
		cmocka_unit_test(date_values),
		cmocka_unit_test(datetime_values),
		cmocka_unit_test(mobile_values),
		cmocka_unit_test(idcard_values),
		cmocka_unit_test(person_values),
		cmocka_unit_test(choice_values),
		cmocka_unit_test(org_unit_values),
		cmocka_unit_test(yesno_and_flags),
		cmocka_unit_test(conditions),
	};

	return cmocka_run_group_tests_name("validate", tests, setup, NULL);
}

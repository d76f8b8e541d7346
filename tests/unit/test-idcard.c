/* Resident ID numbers (GB 11643) and mobile numbers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "caseterm.h"

static void
valid_numbers_pass(void **state)
{
	struct idcard_info	 info;
	const char		*cause = NULL;

	assert_int_equal(idcard_check("11010519491231002X", &info, &cause), 0);
	assert_int_equal(info.year, 1949);
	assert_int_equal(info.month, 12);
	assert_int_equal(info.day, 31);
	assert_true(info.female);
	assert_int_equal(idcard_check("440524198001010013", &info, &cause), 0);
	assert_false(info.female);
	/* lower-case x is the same check digit */
	assert_int_equal(idcard_check("11010519491231002x", NULL, &cause), 0);
}

static void
check_digit_computed(void **state)
{
	assert_int_equal(idcard_check_digit("11010519491231002"), 'X');
	assert_int_equal(idcard_check_digit("44052419800101001"), '3');
}

static void
wrong_numbers_fail_with_reason(void **state)
{
	const char	*cause = NULL;

	assert_int_equal(idcard_check("110105194912310021", NULL, &cause), -1);
	assert_string_equal(cause, "ID number check digit is wrong");
	assert_int_equal(idcard_check("11010519491231002", NULL, &cause), -1);
	assert_string_equal(cause, "ID number must have 18 characters");
	assert_int_equal(idcard_check("1101051949123100AX", NULL, &cause), -1);
	assert_string_equal(cause, "ID number must be 17 digits and a check digit");
	/* 2026-02-30 does not exist; 2100 is in the future */
	assert_int_equal(idcard_check("110105202602300012", NULL, &cause), -1);
	assert_string_equal(cause, "ID number has an impossible birth date");
	assert_int_equal(idcard_check("110105210001010011", NULL, &cause), -1);
	assert_string_equal(cause, "ID number has an impossible birth date");
}

static void
leap_day_accepted_only_in_leap_years(void **state)
{
	const char	*cause;
	char		 id[19] = "11010520000229001";

	id[17] = idcard_check_digit(id);
	id[18] = '\0';
	assert_int_equal(idcard_check(id, NULL, &cause), 0);
	memcpy(id, "11010519000229001", 17);	/* 1900 is not leap */
	id[17] = idcard_check_digit(id);
	assert_int_equal(idcard_check(id, NULL, &cause), -1);
}

static void
mobiles_normalized(void **state)
{
	char		 out[12];
	const char	*cause;

	assert_int_equal(mobile_normalize("13912345678", out, &cause), 0);
	assert_string_equal(out, "13912345678");
	assert_int_equal(mobile_normalize("+86 139-1234-5678", out, &cause), 0);
	assert_string_equal(out, "13912345678");
	assert_int_equal(mobile_normalize("12912345678", out, &cause), -1);
	assert_int_equal(mobile_normalize("1391234567", out, &cause), -1);
	assert_int_equal(mobile_normalize("139123456789", out, &cause), -1);
	assert_int_equal(mobile_normalize("1391234567a", out, &cause), -1);
	assert_string_equal(cause,
	    "mobile number must be 11 digits starting with 1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_numbers_pass),
		cmocka_unit_test(check_digit_computed),
		cmocka_unit_test(wrong_numbers_fail_with_reason),
		cmocka_unit_test(leap_day_accepted_only_in_leap_years),
		cmocka_unit_test(mobiles_normalized),
	};

	return cmocka_run_group_tests_name("idcard", tests, NULL, NULL);
}

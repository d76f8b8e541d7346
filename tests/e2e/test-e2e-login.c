/*
 * Logging in over SSH: each demo user sees the menu of their office level
 * and roles, in their language; wrong passwords are refused; F10 and Exit
 * end the session with status 0; the screen follows the window size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

static void
village_clerk_sees_village_menu(void **state)
{
	struct term	*t = e2e_open("zd_village", E2E_PASSWORD);

	e2e_expect(t, "主菜单");
	e2e_expect(t, "12348公共法律服务");
	e2e_expect(t, "正东路街道第一社区服务站");	/* unit in the top bar */
	e2e_expect(t, "村社区级");
	e2e_expect(t, "刘洋");
	e2e_expect(t, "1  新增咨询");
	e2e_expect(t, "2  我的案件");
	e2e_expect(t, "网格排查");		/* the village's own work */
	e2e_expect(t, "零报告");
	e2e_expect_not(t, "本单位案件");
	e2e_expect_not(t, "用户管理");
	e2e_logout(t);
}

static void
town_clerk_also_sees_unit_cases(void **state)
{
	struct term	*t = e2e_open("zd_town", E2E_PASSWORD);

	e2e_expect(t, "正东路街道司法所 (镇街级)");
	e2e_expect(t, "登记员, 承办人");
	e2e_expect(t, "f  本单位案件");	/* after intake and inbox items */
	e2e_expect_not(t, "用户管理");
	e2e_logout(t);
}

static void
city_admin_sees_administration(void **state)
{
	struct term	*t = e2e_open("city_admin", E2E_PASSWORD);

	e2e_expect(t, "镇江市司法局 (市级)");
	e2e_expect(t, "用户管理");
	e2e_expect_not(t, "新增咨询");		/* not an intake clerk */
	/* the users screen lists the city's users, down to the villages */
	e2e_key(t, "End");
	e2e_key(t, "Up");
	e2e_key(t, "Enter");
	e2e_expect(t, "zd_village");
	e2e_expect(t, "en_clerk");
	e2e_key(t, "F3");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

static void
english_user_gets_english(void **state)
{
	struct term	*t = e2e_open("en_clerk", E2E_PASSWORD);

	e2e_expect(t, "Main menu");
	e2e_expect(t, "New consultation");
	e2e_expect(t, "(Town)");
	e2e_expect_not(t, "主菜单");
	e2e_logout(t);
}

static void
wrong_password_refused(void **state)
{
	struct term	*t;
	char		*err = NULL;

	t = term_open(e2e_host(), e2e_port(), "zd_town", "wrong-password",
	    "xterm", 80, 24, &err);
	assert_null(t);
	assert_non_null(err);
	free(err);
	err = NULL;
	t = term_open(e2e_host(), e2e_port(), "nobody", E2E_PASSWORD,
	    "xterm", 80, 24, &err);
	assert_null(t);
	free(err);
}

static void
exit_item_logs_out(void **state)
{
	struct term	*t = e2e_open("zd_village", E2E_PASSWORD);
	int		 status = -1;

	e2e_expect(t, "0  退出");
	e2e_type(t, "0");
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	assert_int_equal(status, 0);
	term_close(t);
}

static void
screen_follows_window_size(void **state)
{
	struct term	*t = e2e_open("zd_town", E2E_PASSWORD);
	char		*row;

	e2e_expect(t, "主菜单");
	term_resize(t, 100, 30);
	/* the key bar moves to the new last row */
	if (!term_wait_row(t, 29, "F10", E2E_TIMEOUT)) {
		row = term_row(t, 29);
		term_dump(t, stderr);
		fail_msg("key bar not on row 29 after resize: \"%s\"", row);
	}
	term_resize(t, 60, 20);
	e2e_expect(t, "终端窗口太小");
	term_resize(t, 80, 24);
	e2e_expect(t, "主菜单");
	e2e_expect_gone(t, "终端窗口太小");
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(village_clerk_sees_village_menu),
		cmocka_unit_test(town_clerk_also_sees_unit_cases),
		cmocka_unit_test(city_admin_sees_administration),
		cmocka_unit_test(english_user_gets_english),
		cmocka_unit_test(wrong_password_refused),
		cmocka_unit_test(exit_item_logs_out),
		cmocka_unit_test(screen_follows_window_size),
	};

	return cmocka_run_group_tests_name("e2e-login", tests, NULL, NULL);
}

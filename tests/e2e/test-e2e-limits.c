/*
 * casetermd's limits and signals, each on a server of its own: the idle
 * lock keeps a half-filled form, the absolute time limit, the cap on
 * sessions per user, an administrator ending a session, lockout after
 * failed logins and its lifting, disabled users and units, SIGHUP reload
 * and SIGTERM shutdown.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

static void
idle_lock_keeps_the_form(void **state)
{
	struct e2e_server	 sv;
	struct term		*t;

	e2e_server_start(&sv, "idle", "session = { idle_warn = 1; "
	    "idle_lock = 3; };");
	t = e2e_open_at(sv.port, "zd_town", E2E_PASSWORD);
	e2e_expect(t, "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "未完成的登记");
	e2e_expect(t, "屏幕即将锁定");
	e2e_expect(t, "屏幕已锁定");
	e2e_expect_gone(t, "未完成的登记");	/* covered */
	e2e_type(t, "wrong\r");
	e2e_expect(t, "密码错误");
	e2e_type(t, E2E_PASSWORD "\r");
	e2e_expect(t, "未完成的登记");		/* the form, as it was */
	e2e_expect_gone(t, "屏幕已锁定");
	e2e_key(t, "Esc");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "y");
	e2e_logout(t);
	assert_int_equal(e2e_server_stop(&sv), 0);
}

static void
time_limit_ends_the_session(void **state)
{
	struct e2e_server	 sv;
	struct term		*t;
	int			 status = -1;

	e2e_server_start(&sv, "limit", "session = { max_duration = 2; };");
	t = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	e2e_expect(t, "会话已达到时限");
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	term_close(t);
	assert_true(e2e_log_has(sv.log, "ending the UI"));
	e2e_server_stop(&sv);
}

static void
sessions_per_user_capped(void **state)
{
	struct e2e_server	 sv;
	struct term		*first, *second;
	int			 status = -1;

	e2e_server_start(&sv, "cap", "session = { max_per_user = 1; };");
	first = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(first, "主菜单");
	second = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(second, "会话已达上限");
	assert_true(term_wait_closed(second, E2E_TIMEOUT, &status));
	assert_int_equal(status, 1);
	term_close(second);
	/* the first goes on */
	e2e_type(first, "2");
	e2e_expect(first, "我的案件");
	e2e_key(first, "F10");
	assert_true(term_wait_closed(first, E2E_TIMEOUT, &status));
	term_close(first);
	e2e_server_stop(&sv);
}

static void
administrator_ends_a_session(void **state)
{
	struct term	*t = e2e_open("en_clerk", E2E_PASSWORD);
	char		*id;
	int		 status = -1;

	e2e_expect(t, "Main menu");
	id = e2e_sql("SELECT max(s.id) FROM caseterm.login_session s JOIN "
	    "caseterm.app_user u ON u.id = s.user_id WHERE u.login = "
	    "'en_clerk' AND s.ended_at IS NULL");
	assert_true(atoi(id) > 0);
	e2e_sh("%s/%s/casetermctl -f %s kill %s >/dev/null", getenv("CT_TOP"),
	    getenv("CT_BUILD"), getenv("CT_TEST_CONF"), id);
	e2e_expect(t, "An administrator ended this session");
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	term_close(t);
	free(id);
}

static void
failed_logins_lock_the_account(void **state)
{
	struct e2e_server	 sv;
	struct term		*t;
	char			*err = NULL;
	int			 i;

	e2e_server_start(&sv, "lockout", "auth = { max_failures = 3; "
	    "max_failures_per_source = 1000; lockout_time = 600; };");
	for (i = 0; i < 2; i++) {	/* password and keyboard-interactive */
		t = term_open(e2e_host(), sv.port, "jk_district", "nope",
		    "xterm", 80, 24, &err);
		assert_null(t);
		free(err);
		err = NULL;
	}
	/* now even the right password is refused */
	t = term_open(e2e_host(), sv.port, "jk_district", E2E_PASSWORD,
	    "xterm", 80, 24, &err);
	assert_null(t);
	free(err);
	assert_true(e2e_log_has(sv.log, "authentication failure for "
	    "jk_district from 127.0.0.1: account locked out"));
	/* another clerk from the same address is not affected */
	t = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	e2e_logout(t);
	e2e_sh("%s/%s/casetermctl -f %s unlock jk_district >/dev/null",
	    getenv("CT_TOP"), getenv("CT_BUILD"), getenv("CT_TEST_CONF"));
	t = e2e_open_at(sv.port, "jk_district", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	e2e_logout(t);
	e2e_server_stop(&sv);
}

static void
disabled_users_and_units_cannot_log_in(void **state)
{
	struct term	*t;
	char		*err = NULL, *r;

	r = e2e_sql("UPDATE caseterm.app_user SET disabled = true WHERE "
	    "login = 'zd_village' RETURNING login");
	free(r);
	t = term_open(e2e_host(), e2e_port(), "zd_village", E2E_PASSWORD,
	    "xterm", 80, 24, &err);
	assert_null(t);
	free(err);
	r = e2e_sql("UPDATE caseterm.app_user SET disabled = false WHERE "
	    "login = 'zd_village' RETURNING login");
	free(r);
	/* a disabled unit up the tree disables its users too */
	r = e2e_sql("UPDATE caseterm.org_unit SET disabled = true WHERE "
	    "code = '321102001' RETURNING code");
	free(r);
	t = term_open(e2e_host(), e2e_port(), "zd_village", E2E_PASSWORD,
	    "xterm", 80, 24, &err);
	assert_null(t);
	free(err);
	r = e2e_sql("UPDATE caseterm.org_unit SET disabled = false WHERE "
	    "code = '321102001' RETURNING code");
	free(r);
	t = e2e_open("zd_village", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

static void
sighup_reloads_for_new_sessions(void **state)
{
	struct e2e_server	 sv;
	struct term		*first, *second;
	int			 status = -1;
	FILE			*f;

	e2e_server_start(&sv, "reload", "session = { max_per_user = 5; };");
	first = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(first, "主菜单");
	/* a broken file is refused and the server goes on */
	e2e_sh("cp %s %s.good && echo 'session = {' >> %s", sv.conf, sv.conf,
	    sv.conf);
	kill(sv.pid, SIGHUP);
	usleep(500 * 1000);
	assert_true(e2e_log_has(sv.log, "reload refused"));
	/* a good one with a cap of 1 applies to the next login */
	e2e_sh("sed 's/max_per_user = 5/max_per_user = 1/' %s.good > %s",
	    sv.conf, sv.conf);
	kill(sv.pid, SIGHUP);
	usleep(500 * 1000);
	assert_true(e2e_log_has(sv.log, "configuration reloaded"));
	second = e2e_open_at(sv.port, "zd_village", E2E_PASSWORD);
	e2e_expect(second, "会话已达上限");
	assert_true(term_wait_closed(second, E2E_TIMEOUT, &status));
	term_close(second);
	e2e_logout(first);
	(void)f;
	e2e_server_stop(&sv);
}

static void
sigterm_ends_sessions_and_exits(void **state)
{
	struct e2e_server	 sv;
	struct term		*t;
	int			 status = -1;

	e2e_server_start(&sv, "stop", "session = { stop_timeout = 5; };");
	t = e2e_open_at(sv.port, "zd_town", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	assert_int_equal(e2e_server_stop(&sv), 0);	/* SIGTERM, wait */
	e2e_expect(t, "服务器正在停止");
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	term_close(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_lock_keeps_the_form),
		cmocka_unit_test(time_limit_ends_the_session),
		cmocka_unit_test(sessions_per_user_capped),
		cmocka_unit_test(administrator_ends_a_session),
		cmocka_unit_test(failed_logins_lock_the_account),
		cmocka_unit_test(disabled_users_and_units_cannot_log_in),
		cmocka_unit_test(sighup_reloads_for_new_sessions),
		cmocka_unit_test(sigterm_ends_sessions_and_exits),
	};

	return cmocka_run_group_tests_name("e2e-limits", tests, NULL, NULL);
}

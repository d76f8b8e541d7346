/*
 * The case screen beyond the happy path: dispatch suggests the body the
 * category and place call for; a clerk whose case was changed meanwhile is
 * told by whom, keeps what was typed and applies it with one more F2; the
 * applicant's receipt goes to the terminal's printer (ANSI media copy) and
 * shows on screen; a case dispatched to a unit shows in its menu count
 * within seconds, without a key pressed.  Setup goes through the same
 * database functions, as the clerks who would do it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

/* A mediation case registered at the city, accepted, and dispatched to
 * unit (a code) by the city hotline; its number. */
static char *
new_case(const char *unit)
{
	char	*cmd, *no;
	FILE	*p;
	char	 buf[64] = "";

	if (asprintf(&cmd, "psql -X -qAt -h %s -U postgres caseterm "
	    "-c \"SELECT set_config('caseterm.user_id', (SELECT id::text FROM "
	    "caseterm.app_user WHERE login = 'city_hotline'), false)\" "
	    "-c \"CREATE TEMP TABLE c AS SELECT * FROM caseterm.register_"
	    "mediation('[{\\\"role\\\": \\\"applicant\\\", \\\"name\\\": "
	    "\\\"钱多多\\\", \\\"phone\\\": \\\"13900002222\\\"}, {\\\"role\\\": "
	    "\\\"respondent\\\", \\\"name\\\": \\\"孔乙己\\\"}]', '工资纠纷', "
	    "'hotline', 'labour', (SELECT id FROM caseterm.org_unit WHERE "
	    "code = '321102001201'))\" "
	    "-c \"SELECT caseterm.case_review_accept(case_id, (SELECT version "
	    "FROM caseterm.legal_case WHERE id = case_id), NULL) FROM c\" "
	    "-c \"SELECT caseterm.case_dispatch(case_id, (SELECT version FROM "
	    "caseterm.legal_case WHERE id = case_id), (SELECT id FROM "
	    "caseterm.org_unit WHERE code = '%s'), NULL) FROM c\" "
	    "-c \"SELECT case_no FROM c\" | tail -n 1",
	    getenv("CT_TEST_SOCK"), unit) < 0)
		fail();
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	if (fgets(buf, sizeof buf, p) == NULL)
		buf[0] = '\0';
	pclose(p);
	buf[strcspn(buf, "\n")] = '\0';
	if (strlen(buf) != 11)
		fail_msg("could not set up a case: \"%s\"", buf);
	no = strdup(buf);
	return no;
}

/* A step done outside the screens, as login. */
static void
step_as(const char *login, const char *no, const char *step)
{
	e2e_sh("psql -X -qAt -h %s -U postgres caseterm -c \"SELECT "
	    "set_config('caseterm.user_id', (SELECT id::text FROM "
	    "caseterm.app_user WHERE login = '%s'), false)\" -c \"SELECT "
	    "caseterm.%s(id, version) FROM caseterm.legal_case WHERE case_no "
	    "= '%s'\" > /dev/null", getenv("CT_TEST_SOCK"), login, step, no);
}

static struct term *
open_case(const char *user, const char *no)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, "主菜单");
	e2e_open_case(t, no);
	return t;
}

static void
conflict_keeps_what_was_typed(void **state)
{
	struct term	*t;
	char		*no = new_case("321102");	/* to the district */

	t = open_case("jk_district", no);
	e2e_expect(t, "待签收");
	e2e_key(t, "F5");
	e2e_choose(t, "分派到单位");
	/* the category and the place suggest the labour committee */
	e2e_expect(t, "京口区劳动争议人民调解委员会");
	e2e_expect(t, "建议：");
	e2e_type(t, "正东路街道司法所\t转街道调解，请留意时限");
	/* meanwhile a colleague at the district signs for it */
	step_as("jk_district", no, "case_sign");
	e2e_key(t, "F2");
	e2e_expect(t, "案件已被他人修改（李强");
	e2e_expect(t, "转街道调解，请留意时限");	/* nothing lost */
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：分派到单位");
	e2e_expect(t, "已签收 李强");	/* the colleague's step, in the history */
	free(no);
	e2e_logout(t);
}

static void
receipt_goes_to_the_printer(void **state)
{
	struct term	*t;
	char		*no = new_case("321102001"), *want;
	const char	*raw, *on, *off;

	t = open_case("city_hotline", no);
	term_raw_capture(t, 1);
	e2e_key(t, "F6");
	e2e_expect(t, "12348 公共法律服务 回执");
	if (asprintf(&want, "案件编号：%s", no) < 0)
		fail();
	e2e_expect(t, want);
	e2e_expect(t, "12348 热线");
	raw = term_raw(t, NULL);
	on = strstr(raw, "\033[5i");
	off = on != NULL ? strstr(on, "\033[4i") : NULL;
	if (on == NULL || off == NULL || strstr(on, want) == NULL ||
	    strstr(on, want) > off)
		fail_msg("no receipt between ESC[5i and ESC[4i");
	term_raw_capture(t, 0);
	e2e_key(t, "Enter");
	e2e_expect(t, "F5 办理");
	free(want);
	free(no);
	e2e_logout(t);
}

static long
signfor_count(struct term *t)
{
	char	*hit = e2e_find(t, "待签收 \\([0-9]+\\)");
	long	 n = 0;

	if (hit != NULL)
		n = atol(strchr(hit, '(') + 1);
	free(hit);
	return n;
}

static void
menu_counts_follow_new_cases(void **state)
{
	struct term	*t = e2e_open("zd_town", E2E_PASSWORD);
	char		*no, *want;
	long		 before;

	e2e_expect(t, "待签收");
	term_settle(t, 300, E2E_TIMEOUT);
	before = signfor_count(t);
	no = new_case("321102001");		/* to this town */
	if (asprintf(&want, "待签收 (%ld)", before + 1) < 0)
		fail();
	e2e_expect(t, want);		/* no key pressed */
	free(want);
	free(no);
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(conflict_keeps_what_was_typed),
		cmocka_unit_test(receipt_goes_to_the_printer),
		cmocka_unit_test(menu_counts_follow_new_cases),
	};

	return cmocka_run_group_tests_name("e2e-case", tests, NULL, NULL);
}

/*
 * The city administrator's reference tables over SSH (issue 6): the code
 * tables (a channel's label changed and changed back, a new channel
 * refused, a code disabled and enabled), the deadline limits (a change
 * the database shows), the working calendar (2026's National Day and its
 * make-up working days; 2026 imported again from the official file), and
 * a district administrator, who is not offered these screens.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

/* Log in and open the menu item labelled item. */
static struct term *
open_item(const char *user, const char *item)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, "主菜单");
	e2e_choose(t, item);
	return t;
}

/* Move a list's selection (reverse video) onto the row showing text. */
static void
select_row(struct term *t, const char *text)
{
	char	*row;
	int	 i, r, found, sel, rev;

	term_settle(t, 200, E2E_TIMEOUT);
	for (i = 0; i < 400; i++) {
		found = sel = -1;
		for (r = 2; r < term_rows(t) - 2; r++) {
			row = term_row(t, r);
			if (found < 0 && row != NULL && strstr(row, text) != NULL)
				found = r;
			free(row);
			if (term_cell_attr(t, r, 2, NULL, &rev, NULL) == 0 && rev)
				sel = r;
		}
		if (found >= 0 && found == sel)
			return;
		if (found < 0)
			e2e_key(t, "PgDn");
		else
			e2e_key(t, found > sel ? "Down" : "Up");
		term_settle(t, 100, E2E_TIMEOUT);
	}
	term_dump(t, stderr);
	fail_msg("no row \"%s\" to select", text);
}

static void
sql_is(const char *query, const char *want)
{
	char	*got = e2e_sql(query);

	assert_string_equal(got, want);
	free(got);
}

static void
admin_edits_a_code_table(void **state)
{
	struct term	*t = open_item("city_admin", "代码表");

	/* A dispute category, added here, is one the mediation form offers. */
	e2e_choose(t, "纠纷类型");
	e2e_expect(t, "道路交通");
	e2e_key(t, "F5");
	e2e_expect(t, "添加或修改代码");
	e2e_type(t, "pets\t宠物纠纷\t\tPets");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：添加或修改代码");
	e2e_key(t, "End");			/* new ones come last */
	e2e_expect(t, "pets             宠物纠纷");
	sql_is("SELECT name_en || ' ' || disabled FROM caseterm.dispute_category "
	    "WHERE code = 'pets'", "Pets false");
	e2e_key(t, "F3");
	e2e_choose(t, "代码表");
	e2e_choose(t, "受理渠道");
	e2e_expect(t, "网格排查");
	e2e_expect(t, "F5 添加");
	/* A channel's label changes. */
	e2e_key(t, "F5");
	e2e_expect(t, "添加或修改代码");
	e2e_type(t, "grid\t网格走访排查");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：添加或修改代码");
	e2e_expect(t, "网格走访排查");
	sql_is("SELECT label FROM caseterm.code_table WHERE kind = 'channel' "
	    "AND code = 'grid'", "网格走访排查");
	/* The channels are fixed: a new one is refused, the dialog stays. */
	e2e_key(t, "F5");
	e2e_expect(t, "添加或修改代码");
	e2e_type(t, "fax\t传真");
	e2e_key(t, "F2");
	e2e_expect(t, "不能新增代码");
	e2e_key(t, "Esc");
	e2e_type(t, "y");		/* drop what was typed */
	term_settle(t, 300, E2E_TIMEOUT);
	sql_is("SELECT count(*) FROM caseterm.code_table WHERE code = 'fax'",
	    "0");
	/* Back to the old label, through the screen. */
	e2e_expect(t, "F5 添加");
	e2e_key(t, "F5");
	e2e_expect(t, "添加或修改代码");
	e2e_type(t, "grid\t网格排查");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：添加或修改代码");
	/* Disable and enable a code. */
	select_row(t, "walk_in");
	e2e_key(t, "Enter");
	e2e_expect(t, "停用来访");
	e2e_type(t, "y");
	e2e_expect(t, "已办理：停用代码");
	e2e_expect(t, "Walk-in                20     停用");
	sql_is("SELECT disabled FROM caseterm.code_table WHERE kind = "
	    "'channel' AND code = 'walk_in'", "t");
	select_row(t, "walk_in");
	e2e_key(t, "Enter");
	e2e_expect(t, "启用来访");
	e2e_type(t, "y");
	e2e_expect(t, "已办理：启用代码");
	e2e_logout(t);
	sql_is("SELECT label || '/' || label_en || '/' || sort FROM "
	    "caseterm.code_table WHERE kind = 'channel' AND code = 'grid'",
	    "网格排查/Grid screening/70");
	sql_is("SELECT disabled FROM caseterm.code_table WHERE kind = "
	    "'channel' AND code = 'walk_in'", "f");
}

static void
admin_changes_a_deadline_limit(void **state)
{
	struct term	*t = open_item("city_admin", "办理时限");

	e2e_expect(t, "提前预警");
	select_row(t, "提前预警");
	e2e_key(t, "Enter");
	e2e_expect(t, "修改办理时限");
	e2e_key(t, "C-a");
	e2e_key(t, "C-k");
	e2e_type(t, "3\t");
	e2e_key(t, "C-a");
	e2e_key(t, "C-k");
	e2e_type(t, "2");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：修改办理时限");
	sql_is("SELECT workdays || '/' || urgent_workdays FROM "
	    "caseterm.deadline_rule WHERE kind = '*' AND step = 'warn'", "3/2");
	/* Only the working days: the urgent ones stay. */
	select_row(t, "提前预警");
	e2e_key(t, "Enter");
	e2e_expect(t, "修改办理时限");
	e2e_key(t, "C-a");
	e2e_key(t, "C-k");
	e2e_type(t, "1");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：修改办理时限");
	e2e_logout(t);
	sql_is("SELECT workdays || '/' || urgent_workdays FROM "
	    "caseterm.deadline_rule WHERE kind = '*' AND step = 'warn'", "1/2");
	/* As it was. */
	free(e2e_sql("SELECT set_config('caseterm.user_id', (SELECT id::text "
	    "FROM caseterm.app_user WHERE login = 'city_admin'), false), "
	    "caseterm.deadline_rule_set('*', 'warn', 1, 1)"));
	sql_is("SELECT workdays || '/' || urgent_workdays FROM "
	    "caseterm.deadline_rule WHERE kind = '*' AND step = 'warn'", "1/1");
}

static void
admin_sees_and_imports_the_calendar(void **state)
{
	struct term	*t;

	t = open_item("city_admin", "工作日历");
	e2e_expect(t, "F5 导入");
	select_row(t, "2026 ");
	e2e_key(t, "Enter");
	e2e_expect(t, "2026年节假日");
	e2e_expect(t, "国庆节");
	e2e_expect(t, "2026-10-01 – 2026-10-07");
	e2e_expect(t, "2026-09-20 2026-10-10");
	e2e_expect(t, "2026-09-25 – 2026-09-27");	/* 中秋节 */
	e2e_key(t, "F3");
	e2e_expect(t, "F5 导入");
	/* Import 2026 again; the days stay as they were. */
	free(e2e_sql("UPDATE caseterm.calendar_year SET imported_at = "
	    "'2020-01-01' WHERE year = 2026"));
	e2e_key(t, "F5");
	e2e_expect(t, "导入官方节假日文件");
	e2e_type(t, "2026");
	e2e_key(t, "F2");
	e2e_expect(t, "已导入2026年");
	e2e_logout(t);
	sql_is("SELECT imported_at > now() - interval '1 hour' FROM "
	    "caseterm.calendar_year WHERE year = 2026", "t");
	sql_is("SELECT string_agg(day::text, ' ' ORDER BY day) FROM "
	    "caseterm.work_calendar WHERE is_workday AND adjusted AND day "
	    "BETWEEN '2026-09-01' AND '2026-10-31'", "2026-09-20 2026-10-10");
	sql_is("SELECT caseterm.is_workday('2026-10-07') || ' ' || "
	    "caseterm.is_workday('2026-10-10')", "false true");
}

static void
district_admin_is_not_offered_them(void **state)
{
	struct term	*t;

	free(e2e_sql("INSERT INTO caseterm.app_user (login, display_name, "
	    "unit_id, roles, password_hash) SELECT 'dt_admin', '钱伟', "
	    "(SELECT id FROM caseterm.org_unit WHERE code = '321102'), "
	    "'{admin}', password_hash FROM caseterm.app_user WHERE login = "
	    "'city_admin' ON CONFLICT (login) DO NOTHING"));
	sql_is("SELECT count(*) FROM caseterm.app_user WHERE login = "
	    "'dt_admin'", "1");
	t = e2e_open("dt_admin", E2E_PASSWORD);
	e2e_expect(t, "0  ");		/* the menu, down to Exit */
	e2e_expect(t, "用户管理");
	e2e_expect(t, "单位管理");
	e2e_expect_not(t, "代码表");
	e2e_expect_not(t, "工作日历");
	e2e_expect_not(t, "办理时限");
	e2e_logout(t);
	/* The city administrator is, with Users last. */
	t = e2e_open("city_admin", E2E_PASSWORD);
	e2e_expect(t, "0  ");
	e2e_expect(t, "代码表");
	e2e_expect(t, "工作日历");
	e2e_expect(t, "办理时限");
	e2e_expect(t, "用户管理");
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(admin_edits_a_code_table),
		cmocka_unit_test(admin_changes_a_deadline_limit),
		cmocka_unit_test(admin_sees_and_imports_the_calendar),
		cmocka_unit_test(district_admin_is_not_offered_them),
	};

	return cmocka_run_group_tests_name("e2e-admin-tables", tests, NULL,
	    NULL);
}

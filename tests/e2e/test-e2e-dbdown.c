/*
 * The database goes away while a clerk fills a form: saving says so on the
 * status line and keeps every value typed; once the database is back, the
 * same F2 saves the case (the UI reconnects by itself).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

static void
pgcluster(const char *verb)
{
	char	*cmd;
	int	 rc;

	if (asprintf(&cmd, "%s/scripts/pgcluster %s %s/pg >/dev/null",
	    getenv("CT_TOP"), verb, getenv("CT_TEST_DIR")) < 0)
		fail();
	rc = system(cmd);
	free(cmd);
	if (rc != 0)
		fail_msg("pgcluster %s failed", verb);
}

static void
save_survives_database_restart(void **state)
{
	struct term	*t = e2e_open("zd_town", E2E_PASSWORD);

	e2e_expect(t, "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "司马相如\t13912345678\t\t婚姻家庭纠纷如何调解");

	pgcluster("stop");
	e2e_key(t, "F2");
	e2e_expect(t, "未保存：无法连接数据库");
	e2e_expect(t, "司马相如");
	e2e_expect(t, "婚姻家庭纠纷如何调解");
	e2e_expect_not(t, "已登记");

	pgcluster("start");
	e2e_key(t, "F2");
	e2e_expect(t, "已登记，案件编号");
	e2e_key(t, "Enter");
	e2e_type(t, "2");
	e2e_expect(t, "司马相如");
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(save_survives_database_restart),
	};

	return cmocka_run_group_tests_name("e2e-dbdown", tests, NULL, NULL);
}

/*
 * Taking in every kind of request through the screens: a legal aid
 * application with the household's means, an anonymous complaint, a
 * suggestion; and the intake check: an applicant with an open case of the
 * same kind is offered for linking (and going back keeps what was typed),
 * and one who is the adverse party in an open dispute is pointed out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

static struct term *
open_intake(const char *label)
{
	struct term	*t = e2e_open("zd_town", E2E_PASSWORD);

	e2e_expect(t, "主菜单");
	e2e_choose(t, label);
	e2e_expect(t, label);
	return t;
}

static char *
saved(struct term *t)
{
	char	*no;

	e2e_expect(t, "已登记，案件编号");
	no = e2e_find(t, "20[0-9]{2}-[0-9]{6}");
	assert_non_null(no);
	e2e_key(t, "Enter");
	e2e_expect(t, "主菜单");
	return no;
}

static char *
sql_case(const char *no, const char *what)
{
	char	*q, *r;

	if (asprintf(&q, "SELECT %s FROM caseterm.legal_case WHERE case_no = "
	    "'%s'", what, no) < 0)
		fail();
	r = e2e_sql(q);
	free(q);
	return r;
}

static void
legal_aid_with_means(void **state)
{
	struct term	*t = open_intake("新增法律援助申请");
	char		*no, *v;

	e2e_type(t, "周芷若\t13600001111\t\t"
	    "工伤赔偿，单位拒不支付\t工伤\t4\t2300\t\t");
	e2e_key(t, "F2");
	no = saved(t);
	v = sql_case(no, "kind || ' ' || state || ' ' || (details ->> "
	    "'household_size')");
	assert_string_equal(v, "legal_aid registered 4");
	free(v);
	free(no);
	e2e_logout(t);
}

static void
anonymous_complaint_and_a_suggestion(void **state)
{
	struct term	*t = open_intake("新增投诉");
	char		*no, *v;

	e2e_type(t, "\t\t\t某法律服务所\t收费不透明，未出具票据");
	e2e_key(t, "F2");
	no = saved(t);
	v = sql_case(no, "kind || ' ' || (applicant_id IS NULL)");
	assert_string_equal(v, "complaint true");
	free(v);
	free(no);
	e2e_choose(t, "新增建议");
	e2e_expect(t, "新增建议");
	e2e_type(t, "\t\t\t希望周末也开放服务窗口");
	e2e_key(t, "F2");
	no = saved(t);
	free(no);
	e2e_logout(t);
}

static void
known_applicant_offered_for_linking(void **state)
{
	struct term	*t = open_intake("新增咨询");
	char		*first, *second, *v, *q;

	e2e_type(t, "欧阳锋\t13500002222\t\t遗产继承如何办理公证");
	e2e_key(t, "F2");
	first = saved(t);

	e2e_choose(t, "新增咨询");
	e2e_expect(t, "*申请人");
	e2e_type(t, "欧阳锋\t13500002222\t\t继承纠纷能否调解");
	e2e_key(t, "F2");
	e2e_expect(t, "此人已有案件");
	e2e_expect(t, first);
	/* back to the form: nothing lost, nothing saved */
	e2e_choose(t, "返回修改");
	e2e_expect(t, "继承纠纷能否调解");
	e2e_key(t, "F2");
	e2e_expect(t, "此人已有案件");
	e2e_choose(t, "登记并关联到");
	second = saved(t);
	if (asprintf(&q, "(SELECT count(*) FROM caseterm.case_link l JOIN "
	    "caseterm.legal_case o ON o.id IN (l.case_a, l.case_b) WHERE "
	    "o.case_no = '%s')", first) < 0)
		fail();
	v = sql_case(second, q);
	assert_string_equal(v, "1");
	free(q);
	free(v);
	free(first);
	free(second);
	e2e_logout(t);
}

static void
adverse_party_pointed_out(void **state)
{
	struct term	*t;

	/* an open dispute in which 慕容复 is the respondent */
	e2e_sh("psql -X -qAt -h %s -U postgres caseterm -c \"SELECT "
	    "set_config('caseterm.user_id', (SELECT id::text FROM "
	    "caseterm.app_user WHERE login = 'zd_town'), false)\" -c \"SELECT "
	    "caseterm.register_mediation('[{\\\"role\\\": \\\"applicant\\\", "
	    "\\\"name\\\": \\\"王语嫣\\\", \\\"phone\\\": \\\"13700003333\\\"}, "
	    "{\\\"role\\\": \\\"respondent\\\", \\\"name\\\": \\\"慕容复\\\", "
	    "\\\"phone\\\": \\\"13700004444\\\"}]', '借款纠纷', 'walk_in', "
	    "'contract')\" "
	    "> /dev/null", getenv("CT_TEST_SOCK"));
	t = open_intake("新增法律援助申请");
	e2e_type(t, "慕容复\t13700004444\t\t被起诉要求还款，需要律师");
	e2e_key(t, "F2");
	e2e_expect(t, "此人已有案件");
	e2e_expect(t, "本案对方当事人");
	e2e_choose(t, "登记为新案件");
	free(saved(t));
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(legal_aid_with_means),
		cmocka_unit_test(anonymous_complaint_and_a_suggestion),
		cmocka_unit_test(known_applicant_offered_for_linking),
		cmocka_unit_test(adverse_party_pointed_out),
	};

	return cmocka_run_group_tests_name("e2e-intake", tests, NULL, NULL);
}

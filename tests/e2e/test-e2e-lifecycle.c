/*
 * One mediation case through its whole life, by four clerks at four
 * levels, every step through the screens: the city hotline registers it,
 * accepts it and sends it to the district; the district dispatcher sends
 * it to a town; the town signs for it and returns it with a reason; the
 * district approves the return and dispatches it again; the town signs,
 * assigns its mediator, who notes progress and replies; the district
 * supervisor approves the reply; the hotline records the applicant's
 * satisfaction and the case is closed.  Each step is checked on the case
 * screen (state, history) and the town sees the case in its inbox count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

static char	 case_no[32];

/* Log in as user and open the case through Search cases. */
static struct term *
open_case(const char *user)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, "主菜单");
	e2e_choose(t, "案件查询");
	e2e_expect(t, "填写任意一项，按 F2 查询");
	e2e_type(t, case_no);
	e2e_key(t, "F2");
	e2e_expect(t, "查询结果");
	e2e_expect(t, case_no);
	e2e_key(t, "Enter");
	e2e_expect(t, "F5 办理");
	e2e_expect(t, case_no);
	return t;
}

/* F5, pick the step; its dialog (or confirmation) is on screen then. */
static void
act(struct term *t, const char *step)
{
	e2e_key(t, "F5");
	e2e_expect(t, "办理操作");
	e2e_choose(t, step);
}

static void
done(struct term *t, const char *step, const char *state)
{
	char	*msg;

	if (asprintf(&msg, "已办理：%s", step) < 0)
		fail();
	e2e_expect(t, msg);
	e2e_expect(t, state);
	free(msg);
}

static void
whole_life_of_a_mediation_case(void **state)
{
	struct term	*t;
	char		*no;

	/* 1. The city hotline registers the dispute (typed ahead). */
	t = e2e_open("city_hotline", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	e2e_choose(t, "新增调解案件");
	e2e_expect(t, "新增调解案件");
	e2e_type(t, "\t" "孙立新" "\t\t" "137 0000 5678" "\t\t"
	    "\t" "赵大勇" "\t\t\t\t"
	    "\033OS" "labour" "\r"
	    "\t" "拖欠三个月工资" "\t"
	    "t-3" "\t" "321102001201" "\t" "3" "\t" "12000" "\t"
	    "\033OQ");
	e2e_expect(t, "已登记，案件编号");
	no = e2e_find(t, "20[0-9]{2}-[0-9]{6}");
	assert_non_null(no);
	snprintf(case_no, sizeof case_no, "%s", no);
	free(no);
	e2e_key(t, "Enter");
	e2e_logout(t);

	/* ... accepts it and dispatches it to the district. */
	t = open_case("city_hotline");
	e2e_expect(t, "已登记");
	act(t, "受理");
	e2e_key(t, "F2");
	done(t, "受理", "已受理");
	act(t, "分派到单位");
	e2e_type(t, "京口区司法局\t");
	e2e_key(t, "F2");
	done(t, "分派到单位", "待签收");
	e2e_expect(t, "京口区司法局");
	e2e_logout(t);

	/* 2. The district dispatcher sends it on to a town. */
	t = open_case("jk_district");
	act(t, "分派到单位");
	e2e_type(t, "正东路街道司法所\t请尽快组织调解");
	e2e_key(t, "F2");
	done(t, "分派到单位", "待签收");
	e2e_expect(t, "正东路街道司法所");
	e2e_logout(t);

	/* 3. The town sees it waiting, signs for it, and returns it. */
	t = e2e_open("zd_town", E2E_PASSWORD);
	e2e_expect(t, "主菜单");
	if ((no = e2e_wait_re(t, "待签收 \\([0-9]+\\)")) == NULL) {
		term_dump(t, stderr);
		fail_msg("the town's menu shows no count of cases to sign for");
	}
	free(no);
	e2e_choose(t, "待签收");
	e2e_expect(t, case_no);
	e2e_key(t, "F10");
	term_close(t);

	t = open_case("zd_town");
	act(t, "签收");
	e2e_type(t, "y");
	done(t, "签收", "办理中");
	act(t, "说明理由退回");
	e2e_type(t, "当事人住所不在本街道，请改派");
	e2e_key(t, "F2");
	done(t, "说明理由退回", "退回审核");
	e2e_logout(t);

	/* 4. The district approves the return and dispatches again. */
	t = open_case("jk_district");
	e2e_expect(t, "当事人住所不在本街道");
	act(t, "批准退回");
	e2e_key(t, "F2");
	done(t, "批准退回", "京口区司法局");
	act(t, "分派到单位");
	e2e_type(t, "正东路街道司法所\t经核实仍由该所办理");
	e2e_key(t, "F2");
	done(t, "分派到单位", "待签收");
	e2e_logout(t);

	/* 5. The town signs again and assigns its mediator, who notes
	 * progress and replies. */
	t = open_case("zd_town");
	act(t, "签收");
	e2e_type(t, "y");
	done(t, "签收", "办理中");
	act(t, "指派承办人");
	e2e_type(t, "zd_town\t");
	e2e_key(t, "F2");
	done(t, "指派承办人", "承办人：张敏");
	act(t, "添加备注");
	e2e_type(t, "已约双方于周五到所调解");
	e2e_key(t, "F2");
	done(t, "添加备注", "已约双方于周五到所调解");
	act(t, "答复");
	e2e_type(t, "经调解双方达成协议，欠薪已当场支付。");
	e2e_key(t, "F2");
	done(t, "答复", "答复审核");
	e2e_logout(t);

	/* 6. The district supervisor approves the reply. */
	t = open_case("jk_district");
	act(t, "批准答复");
	e2e_key(t, "F2");
	done(t, "批准答复", "待回访");
	e2e_logout(t);

	/* 7. The hotline calls the applicant back; the case is closed. */
	t = open_case("city_hotline");
	act(t, "登记回访");
	e2e_type(t, "satisfied\t");
	e2e_key(t, "F2");
	done(t, "登记回访", "已办结");
	/* the whole story is in the history: the newest shown first, Home
	 * goes to its start */
	e2e_expect(t, "已答复");
	e2e_expect(t, "已回访");
	e2e_key(t, "Home");
	e2e_expect(t, "已登记 赵丽");
	e2e_expect(t, "已退回");
	e2e_expect(t, "已批准退回");
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_life_of_a_mediation_case),
	};

	return cmocka_run_group_tests_name("e2e-lifecycle", tests, NULL, NULL);
}

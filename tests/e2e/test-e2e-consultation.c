/*
 * New consultation over SSH: a clerk registers a consultation with a
 * Chinese name and sees its case number; it is in My cases; a wrong ID
 * number is explained and corrected without losing what was typed; leaving
 * a filled form asks first; a whole form typed ahead at once is saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define CASE_NO_RE	"20[0-9]{2}-[0-9]{6}"

static struct term *
open_form(const char *user)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_expect(t, "F2 保存");
	return t;
}

static char *
expect_saved(struct term *t)
{
	char	*no;

	e2e_expect(t, "已登记，案件编号");
	if ((no = e2e_find(t, CASE_NO_RE)) == NULL) {
		term_dump(t, stderr);
		fail_msg("no case number on screen");
	}
	e2e_key(t, "Enter");
	e2e_expect(t, "主菜单");
	return no;
}

static void
consultation_saved_and_listed(void **state)
{
	struct term	*t = open_form("zd_town");
	char		*no;

	e2e_type(t, "欧阳明华");
	e2e_key(t, "Tab");
	e2e_type(t, "139 1234 5678");
	e2e_key(t, "Tab");
	e2e_type(t, "321102199003070026");
	e2e_key(t, "Tab");
	e2e_type(t, "邻居装修噪音扰民，如何维权？");
	e2e_key(t, "Tab");
	e2e_type(t, "可先向物业反映，也可申请人民调解。");
	e2e_expect(t, "欧阳明华");
	e2e_key(t, "F2");
	no = expect_saved(t);
	/* the status line still names the number on the menu */
	e2e_expect(t, no);

	e2e_type(t, "2");
	e2e_expect(t, "我的案件");
	e2e_expect(t, no);
	e2e_expect(t, "欧阳明华");
	e2e_expect(t, "已登记");
	e2e_expect(t, "邻居装修噪音扰");	/* cut to the column, whole chars */
	/* Enter shows the whole case */
	e2e_key(t, "Enter");
	e2e_expect(t, "邻居装修噪音扰民，如何维权？");
	e2e_key(t, "Esc");
	e2e_key(t, "F3");
	e2e_expect(t, "主菜单");
	free(no);
	e2e_logout(t);
}

static void
wrong_id_explained_and_corrected(void **state)
{
	struct term	*t = open_form("zd_village");
	char		*no;

	e2e_type(t, "张三");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_type(t, "110105194912310021");	/* check digit should be X */
	e2e_key(t, "Tab");
	e2e_expect(t, "身份证号: 身份证号校验位错误");
	e2e_key(t, "F2");
	e2e_expect(t, "身份证号校验位错误");
	/* nothing typed was lost */
	e2e_expect(t, "张三");
	e2e_expect(t, "110105194912310021");
	/* the cursor is back on the ID number: fix the last character */
	e2e_key(t, "End");
	e2e_key(t, "Backspace");
	e2e_type(t, "X");
	e2e_key(t, "F2");
	e2e_expect(t, "咨询问题: 此项必填");
	e2e_type(t, "土地承包合同纠纷");
	e2e_key(t, "F2");
	no = expect_saved(t);
	free(no);
	e2e_logout(t);
}

static void
leaving_a_filled_form_asks_first(void **state)
{
	struct term	*t = open_form("zd_village");

	e2e_type(t, "李四");
	e2e_key(t, "Esc");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "n");
	e2e_expect_gone(t, "放弃已输入的内容并离开？");
	e2e_expect(t, "李四");
	e2e_key(t, "F3");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "y");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

/* F4 in the answer: an article of the knowledge base, edited on. */
static void
answer_from_the_knowledge_base(void **state)
{
	struct term	*t = open_form("zd_town");
	char		*no, *q, *got;

	e2e_type(t, "钱小二");
	e2e_type(t, "\t\t\t");
	e2e_type(t, "老板三个月没发工资");
	e2e_key(t, "Tab");
	e2e_key(t, "F4");
	e2e_expect(t, "单位拖欠工资怎么办？");
	e2e_expect(t, "交通事故赔偿包括哪些项目？");
	e2e_type(t, "拖欠");			/* the list filters */
	e2e_expect_not(t, "交通事故赔偿包括哪些项目？");
	e2e_key(t, "Enter");
	e2e_expect(t, "可以申请法律援助。");	/* the end of it, where the cursor is */
	e2e_type(t, "（已告知）");		/* the clerk goes on typing */
	e2e_key(t, "F2");
	no = expect_saved(t);
	if (asprintf(&q, "SELECT answer LIKE '先与用人单位协商%%劳动人事争议仲裁"
	    "委员会%%（已告知）' FROM caseterm.legal_case WHERE case_no = "
	    "'%s'", no) < 0)
		fail();
	got = e2e_sql(q);
	assert_string_equal(got, "t");
	free(got);
	free(q);
	free(no);
	e2e_logout(t);
}

static void
typed_ahead_form_is_saved(void **state)
{
	struct term	*t = e2e_open("en_clerk", E2E_PASSWORD);
	char		*no;

	e2e_expect(t, "Main menu");
	/* menu choice, every field and F2 in one write */
	e2e_type(t, "1王五\t13800138000\t\t工资被拖欠怎么办\t可申请劳动仲裁"
	    "\033OQ");
	e2e_expect(t, "Registered as case");
	no = e2e_find(t, CASE_NO_RE);
	assert_non_null(no);
	e2e_key(t, "Enter");
	e2e_type(t, "2");
	e2e_expect(t, no);
	e2e_expect(t, "王五");
	free(no);
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(consultation_saved_and_listed),
		cmocka_unit_test(wrong_id_explained_and_corrected),
		cmocka_unit_test(leaving_a_filled_form_asks_first),
		cmocka_unit_test(typed_ahead_form_is_saved),
		cmocka_unit_test(answer_from_the_knowledge_base),
	};

	return cmocka_run_group_tests_name("e2e-consultation", tests, NULL,
	    NULL);
}

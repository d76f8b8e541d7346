/*
 * The form engine over SSH, on the four-page mediation form and the
 * consultation: a known person found by ID number fills in; F4 pick lists
 * filtered by name or code (the org tree included); several choices
 * marked with Space; a field shown and required only when another says
 * so; a wrong amount explained, corrected, and saved; a whole form's keys
 * typed ahead in one write; a long text pasted into a multi-line field
 * kept whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e-form.h"

static void
known_person(const char *name, const char *phone, const char *id)
{
	form_known_person("zd_town", name, phone, id);
}

static struct term *
open_mediation(const char *user, const char *item, const char *title)
{
	struct term	*t;

	form_no_drafts(user);
	t = e2e_open(user, E2E_PASSWORD);
	e2e_expect(t, item);
	/* "3  ..." starts with its key */
	if (term_sendn(t, item, 1) != 0)
		fail_msg("cannot send");
	e2e_expect(t, title);
	return t;
}

static char *
saved_case(struct term *t, const char *saved)
{
	char	*no;

	e2e_expect(t, saved);
	if ((no = e2e_find(t, CASE_NO_RE)) == NULL) {
		term_dump(t, stderr);
		fail_msg("no case number on screen");
	}
	e2e_key(t, "Enter");
	return no;
}

static char *
case_field(const char *no, const char *expr)
{
	char	*q, *r;

	if (asprintf(&q, "SELECT %s FROM caseterm.legal_case c WHERE "
	    "c.case_no = '%s';", expr, no) < 0)
		fail();
	r = form_sql(q);
	free(q);
	return r;
}

static void
assert_case(const char *no, const char *expr, const char *want)
{
	char	*got = case_field(no, expr);

	if (strcmp(got, want) != 0)
		fail_msg("case %s: %s is \"%s\", want \"%s\"", no, expr, got,
		    want);
	free(got);
}

static void
mediation_in_chinese_with_lookup_and_pick_lists(void **state)
{
	struct term	*t;
	char		*no;

	known_person("上官婉儿", "13655550188", "321112197806051236");
	t = open_mediation("zd_town", "3  新增调解案件", "新增调解案件 — 申请人  1/4");
	e2e_expect(t, "F4 查找");

	/* page 1: found by ID number, details and birth date fill in */
	e2e_type(t, "321112197806051236");
	e2e_key(t, "Tab");
	e2e_expect(t, "已找到上官婉儿，信息已自动填入。");
	e2e_expect(t, "→ 上官婉儿");
	e2e_expect(t, "*姓名 上官婉儿");
	e2e_expect(t, "手机号 13655550188");
	e2e_expect(t, "出生 1978-06-05，男");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	/* several choices: F4, Space marks, Enter takes them */
	e2e_expect(t, "F4 列表");
	e2e_key(t, "F4");
	e2e_expect(t, "[ ] 老年人");
	e2e_type(t, " ");
	e2e_key(t, "Down");
	e2e_key(t, "Down");
	e2e_key(t, "Down");
	e2e_type(t, " ");
	e2e_expect(t, "[x] 妇女");
	e2e_key(t, "Enter");
	e2e_expect(t, "特殊群体 老年人、妇女");

	/* page 2 */
	e2e_key(t, "PgDn");
	e2e_expect(t, "新增调解案件 — 被申请人  2/4");
	e2e_expect(t, "其他当事人（可选）");
	e2e_key(t, "Tab");
	e2e_type(t, "王老板");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_type(t, "13800001111");

	/* page 3: the category from its pick list, filtered by name */
	e2e_key(t, "PgDn");
	e2e_expect(t, "纠纷情况  3/4");
	e2e_key(t, "F4");
	e2e_expect(t, "查找：");
	e2e_expect(t, "婚姻家庭");
	e2e_type(t, "劳动");
	e2e_expect(t, "第 1 条，共 1 条");
	e2e_key(t, "Enter");
	e2e_expect(t, "*纠纷类型 劳动争议");
	e2e_key(t, "Tab");
	e2e_type(t, "老板拖欠三个月工资");
	e2e_key(t, "Enter");			/* a new line, not a new field */
	e2e_type(t, "工友们准备集体上访。");
	e2e_key(t, "Tab");
	e2e_type(t, "t-30");
	e2e_key(t, "Tab");
	e2e_expect_not(t, "t-30");		/* shown as the date */
	/* the org tree, filtered by typing, then picked */
	e2e_type(t, "正东");
	e2e_key(t, "F4");
	e2e_expect(t, "正东路街道第二社区服务站");
	e2e_expect(t, "321102001201");
	e2e_key(t, "Down");
	e2e_key(t, "Enter");
	e2e_expect(t, "发生地 正东路街道第一社区服务站");
	e2e_key(t, "Tab");
	e2e_type(t, "12");
	e2e_key(t, "Tab");
	e2e_type(t, "12.345");			/* three decimals: wrong */
	e2e_key(t, "Tab");
	e2e_expect(t, "涉及金额(元): 须为以元计的金额，如 1234.50");

	/* page 4: urgent makes "why" appear, and required */
	e2e_expect(t, "受理信息  4/4");
	e2e_expect_not(t, "紧急原因");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_type(t, "是");
	e2e_key(t, "Tab");
	e2e_expect(t, "*紧急原因");

	/* F2: the first wrong field, on its page, nothing lost */
	e2e_key(t, "F2");
	e2e_expect(t, "纠纷情况  3/4");
	e2e_expect(t, "须为以元计的金额");
	e2e_expect(t, "12.345");
	e2e_expect(t, "老板拖欠三个月工资");
	e2e_key(t, "C-u");
	e2e_type(t, "20,000");
	e2e_key(t, "F2");
	e2e_expect(t, "紧急原因: 此项必填");
	e2e_type(t, "涉及十二人，有集体上访风险");
	e2e_key(t, "F2");
	no = saved_case(t, "已登记，案件编号");
	e2e_expect(t, "主菜单");

	assert_case(no, "kind", "mediation");
	assert_case(no, "category", "labour");
	assert_case(no, "amount", "20000.00");
	assert_case(no, "people_involved", "12");
	assert_case(no, "urgent", "t");
	assert_case(no, "(SELECT code FROM caseterm.org_unit o WHERE "
	    "o.id = c.place_unit_id)", "321102001201");
	assert_case(no, "subject", "老板拖欠三个月工资\n工友们准备集体上访。");
	assert_case(no, "(SELECT string_agg(p.name || ':' || cp.role, ',' "
	    "ORDER BY cp.id) FROM caseterm.case_party cp JOIN caseterm.person "
	    "p ON p.id = cp.person_id WHERE cp.case_id = c.id)",
	    "上官婉儿:applicant,王老板:respondent");
	/* what page 1, 3 and 4 asked besides is kept too */
	assert_case(no, "details->>'began_on' = to_char((now() AT TIME ZONE "
	    "'Asia/Shanghai')::date - 30, 'YYYY-MM-DD')", "t");
	assert_case(no, "details->>'received_at' LIKE to_char(now() AT TIME "
	    "ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || ' __:__'", "t");
	assert_case(no, "details->>'urgent_reason'", "涉及十二人，有集体上访风险");
	assert_case(no, "details->'groups'", "[\"elderly\", \"women\"]");
	/* ... and the case screen shows it */
	e2e_open_case(t, no);
	e2e_expect(t, "纠纷类型：劳动争议");
	e2e_expect(t, "涉及人数：12");
	e2e_expect(t, "涉及金额(元)：20,000.00");
	e2e_expect(t, "特殊群体：老年人、妇女");
	e2e_expect(t, "紧急原因：涉及十二人，有集体上访风险");
	e2e_expect(t, "发生日期：20");
	e2e_key(t, "F3");			/* the case, the results, */
	e2e_key(t, "F3");
	e2e_key(t, "F3");			/* the search: no question */
	e2e_expect(t, "主菜单");
	/* the draft went with the save */
	free(no);
	no = form_draft_of("zd_town", "mediation");
	assert_string_equal(no, "");
	free(no);
	e2e_logout(t);
}

/* Every key of the four pages in one write, pick lists included. */
static void
whole_mediation_typed_ahead(void **state)
{
	struct term	*t;
	char		*no;

	form_no_drafts("en_clerk");
	t = e2e_open("en_clerk", E2E_PASSWORD);
	e2e_expect(t, "Main menu");
	e2e_type(t, "3"
	    "\t" "Li Lei" "\t\t" "137 0000 1234" "\t\t"	/* page 1 */
	    "\t" "Han Meimei" "\t\t\t\t"			/* page 2 */
	    "\033OS" "labour" "\r"				/* F4 category */
	    "\t" "Wages unpaid since August" "\t"
	    "t-3" "\t" "321102002" "\t" "5" "\t" "8000" "\t"
	    "\033OS" "12345" "\r"				/* F4 channel */
	    "\033OQ");						/* F2 */
	no = saved_case(t, "Registered as case");
	e2e_expect(t, "Main menu");
	assert_case(no, "channel", "transfer_12345");
	assert_case(no, "category", "labour");
	assert_case(no, "amount", "8000.00");
	assert_case(no, "(SELECT code FROM caseterm.org_unit o WHERE "
	    "o.id = c.place_unit_id)", "321102002");
	assert_case(no, "(SELECT p.phone FROM caseterm.person p WHERE "
	    "p.id = c.applicant_id)", "13700001234");
	free(no);
	e2e_logout(t);
}

/* Grid screening: the mediation form, found by the grid, at the village. */
static void
grid_screening_at_the_village(void **state)
{
	struct term	*t;
	char		*no;

	form_no_drafts("zd_village");
	t = e2e_open("zd_village", E2E_PASSWORD);
	e2e_choose(t, "网格排查");
	e2e_expect(t, "新增调解案件");
	e2e_type(t, "\t" "网格甲" "\t\t" "13700005678" "\t\t"	/* page 1 */
	    "\t" "网格乙" "\t\t\t\t"				/* page 2 */
	    "\033OS" "邻里" "\r"				/* F4 category */
	    "\t" "楼上漏水，双方争吵" "\t");
	e2e_key(t, "F2");
	no = saved_case(t, "已登记，案件编号");
	e2e_expect(t, "主菜单");
	assert_case(no, "channel", "grid");
	assert_case(no, "category", "neighbour");
	assert_case(no, "(SELECT code FROM caseterm.org_unit o WHERE "
	    "o.id = c.place_unit_id)", "321102001201");
	free(no);
	e2e_logout(t);
}

/* A pick list filtered by code; Esc leaves it without a choice. */
static void
pick_list_by_code(void **state)
{
	struct term	*t;

	form_no_drafts("zd_village");
	t = e2e_open("zd_village", E2E_PASSWORD);
	e2e_expect(t, "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "来源渠道 热线来电");
	e2e_key(t, "BTab");			/* round to the last field */
	e2e_expect(t, "F4 列表");
	e2e_key(t, "F4");
	e2e_expect(t, "第 1 条，共 7 条");
	e2e_type(t, "transfer_1");
	e2e_expect(t, "第 1 条，共 2 条");
	e2e_type(t, "1");
	e2e_expect(t, "第 1 条，共 1 条");
	e2e_expect(t, "110转办");
	term_settle(t, 200, E2E_TIMEOUT);
	e2e_key(t, "Esc");
	e2e_expect_gone(t, "查找：");
	e2e_expect(t, "来源渠道 热线来电");
	e2e_key(t, "F4");
	e2e_type(t, "110");
	e2e_expect(t, "第 1 条，共 1 条");
	e2e_key(t, "Enter");
	e2e_expect(t, "来源渠道 110转办");
	/* typing into a chosen value replaces it */
	e2e_type(t, "网格");
	e2e_key(t, "BTab");
	e2e_expect(t, "来源渠道 网格排查");
	term_settle(t, 200, E2E_TIMEOUT);
	e2e_key(t, "Esc");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "y");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

/* A long text pasted into the question, newlines and a Tab included, is
 * saved as it was pasted (the Tab as a space: it does not leave the
 * field). */
static void
paste_into_multiline_keeps_everything(void **state)
{
	struct term	*t;
	char		*text, *typed, *p, *q, *no, *got;
	size_t		 i;

	text = calloc(1, 8000);
	typed = calloc(1, 8000);
	for (i = 0, p = text; i < 40; i++)
		p += sprintf(p, "%s第%zu条：邻居在楼上装修，噪音很大 noise",
		    i > 0 ? "\n" : "", i + 1);
	strcat(text, "\t（表格里复制的）");	/* a Tab in the paste */
	/* a terminal pastes line ends as Return */
	for (p = text, q = typed; *p != '\0'; p++)
		*q++ = *p == '\n' ? '\r' : *p;
	form_no_drafts("zd_town");
	t = e2e_open("zd_town", E2E_PASSWORD);
	e2e_expect(t, "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "诸葛亮\t\t\t");
	e2e_type(t, "\033[200~");		/* a bracketed paste */
	e2e_type(t, typed);
	e2e_type(t, "\033[201~");
	e2e_expect(t, "第40条：邻居在楼上装修");	/* scrolled to the end */
	e2e_expect(t, "↑");
	e2e_key(t, "F2");
	e2e_expect(t, "已登记，案件编号");
	no = e2e_find(t, CASE_NO_RE);
	assert_non_null(no);
	e2e_key(t, "Enter");
	/* the Tab became a space, nothing else changed */
	*strchr(text, '\t') = ' ';
	if (asprintf(&q, "SELECT subject = $x$%s$x$ FROM caseterm.legal_case "
	    "WHERE case_no = '%s';", text, no) < 0)
		fail();
	got = form_sql(q);
	free(q);
	if (strcmp(got, "t") != 0) {
		char *s = case_field(no, "length(subject)");
		fail_msg("the pasted text changed (%s characters saved)", s);
	}
	free(got);
	free(no);
	free(text);
	free(typed);
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mediation_in_chinese_with_lookup_and_pick_lists),
		cmocka_unit_test(whole_mediation_typed_ahead),
		cmocka_unit_test(pick_list_by_code),
		cmocka_unit_test(grid_screening_at_the_village),
		cmocka_unit_test(paste_into_multiline_keeps_everything),
	};

	return cmocka_run_group_tests_name("e2e-form-mediation", tests, NULL,
	    NULL);
}

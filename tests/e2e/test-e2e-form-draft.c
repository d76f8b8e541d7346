/*
 * Drafts over SSH: a form being filled survives a dropped connection, a
 * killed UI process and a session ended as a server stop ends it (SIGTERM
 * to the session process); the next login offers to resume it, and it
 * comes back exactly where it was: the values, the page, the field and the
 * cursor inside it.  Saying no starts anew; leaving with consent or saving
 * removes the draft.
 */
#include "e2e-form.h"

static struct term *
login(const char *user, const char *menu)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, menu);
	return t;
}

/* Wait until the user's draft of form has its cursor at where. */
static void
draft_at(const char *user, const char *form, const char *where)
{
	char	*q;

	if (asprintf(&q, "SELECT field || ' ' || cursor_pos FROM "
	    "caseterm.form_draft d JOIN caseterm.app_user u ON u.id = d.user_id"
	    " WHERE u.login = '%s' AND d.form = '%s';", user, form) < 0)
		fail();
	form_wait_sql(q, where);
	free(q);
}

static void
dropped_connection_resumes_where_it_was(void **state)
{
	struct term	*t;
	char		*no, *v, *q;

	form_no_drafts("zd_village");
	t = login("zd_village", "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "司马光\t13912340000\t\t邻居的树挡住阳光");
	e2e_key(t, "Left");
	e2e_key(t, "Left");
	e2e_expect(t, "邻居的树挡住阳光");
	term_settle(t, 300, E2E_TIMEOUT);
	term_close(t);				/* the line drops */
	draft_at("zd_village", "consultation", "question 6");
	v = form_draft_value("zd_village", "consultation", "applicant_name");
	assert_string_equal(v, "司马光");
	free(v);

	t = login("zd_village", "尚未填完");
	e2e_expect(t, "“新增咨询”尚未填完");
	e2e_type(t, "y");
	e2e_expect(t, "已恢复");
	e2e_expect(t, "司马光");
	e2e_expect(t, "13912340000");
	/* the cursor is in the question, between 住 and 阳 */
	e2e_type(t, "了我家");
	e2e_expect(t, "邻居的树挡住了我家阳光");
	e2e_key(t, "F2");
	e2e_expect(t, "已登记，案件编号");
	no = e2e_find(t, CASE_NO_RE);
	assert_non_null(no);
	e2e_key(t, "Enter");
	e2e_expect(t, "主菜单");
	if (asprintf(&q, "SELECT subject FROM caseterm.legal_case WHERE "
	    "case_no = '%s';", no) < 0)
		fail();
	v = form_sql(q);
	assert_string_equal(v, "邻居的树挡住了我家阳光");
	free(v);
	free(q);
	free(no);
	v = form_draft_of("zd_village", "consultation");
	assert_string_equal(v, "");		/* saved: the draft is gone */
	free(v);
	e2e_logout(t);
}

/* kill -9: what the periodic save caught comes back, on its page. */
static void
killed_ui_resumes_on_its_page(void **state)
{
	struct term	*t;
	pid_t		 pid;
	int		 status;
	char		*v;

	form_no_drafts("en_clerk");
	t = login("en_clerk", "Main menu");
	e2e_type(t, "3");
	e2e_expect(t, "New mediation case");
	e2e_type(t, "\tZhou Yu");
	e2e_key(t, "PgDn");
	e2e_key(t, "PgDn");
	e2e_expect(t, "Dispute  3/4");
	e2e_key(t, "F4");
	e2e_type(t, "labour");
	e2e_key(t, "Enter");
	e2e_expect(t, "Labour disputes");
	e2e_key(t, "Tab");
	e2e_type(t, "Unpaid");
	e2e_expect(t, "Unpaid");
	/* a second without a key saves the draft */
	draft_at("en_clerk", "mediation", "description 6");
	pid = form_ui_pid("en_clerk");
	assert_true(pid > 1);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	term_close(t);

	t = login("en_clerk", "left unfinished at");
	e2e_expect(t, "Resume \"New mediation case\", left unfinished");
	e2e_type(t, "y");
	e2e_expect(t, "Dispute  3/4");
	e2e_expect(t, "Labour disputes");
	e2e_type(t, " wages");
	e2e_expect(t, "Unpaid wages");
	e2e_key(t, "PgUp");
	e2e_key(t, "PgUp");
	e2e_expect(t, "Applicant  1/4");
	e2e_expect(t, "Zhou Yu");
	/* leaving with consent throws the draft away */
	term_settle(t, 200, E2E_TIMEOUT);
	e2e_key(t, "Esc");
	e2e_expect(t, "Leave and discard what was typed?");
	e2e_type(t, "y");
	e2e_expect(t, "Main menu");
	v = form_draft_of("en_clerk", "mediation");
	assert_string_equal(v, "");
	free(v);
	e2e_logout(t);
}

/* A server stop: the session process gets SIGTERM, the UI a hangup, and
 * the half-typed field is kept as it was, mistakes and all. */
static void
ended_session_keeps_a_half_typed_field(void **state)
{
	struct term	*t;
	pid_t		 ui, session;
	int		 status;

	form_no_drafts("zd_town");
	t = login("zd_town", "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "周瑜\t1391234");
	e2e_expect(t, "1391234");
	ui = form_ui_pid("zd_town");
	session = form_parent(ui);
	assert_true(session > 1);
	assert_int_equal(kill(session, SIGTERM), 0);
	assert_true(term_wait_closed(t, E2E_TIMEOUT, &status));
	term_close(t);
	draft_at("zd_town", "consultation", "phone 7");

	t = login("zd_town", "尚未填完");
	e2e_type(t, "y");
	e2e_expect(t, "周瑜");
	e2e_type(t, "5678");
	e2e_key(t, "Tab");
	e2e_expect_not(t, "手机号: ");		/* no error: it is whole */
	e2e_expect(t, "13912345678");
	term_settle(t, 200, E2E_TIMEOUT);
	e2e_key(t, "Esc");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "y");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

/* No at login keeps the draft for later; no when opening the form starts
 * it anew. */
static void
declining_a_draft(void **state)
{
	struct term	*t;
	char		*v;

	form_no_drafts("zd_village");
	t = login("zd_village", "1  新增咨询");
	e2e_type(t, "1");
	e2e_expect(t, "*申请人");
	e2e_type(t, "孙权");
	term_settle(t, 300, E2E_TIMEOUT);
	term_close(t);
	draft_at("zd_village", "consultation", "applicant_name 2");

	t = login("zd_village", "尚未填完");
	e2e_type(t, "n");
	e2e_expect(t, "1  新增咨询");
	v = form_draft_of("zd_village", "consultation");
	assert_string_equal(v, "applicant_name 2");	/* kept */
	free(v);
	e2e_type(t, "1");
	e2e_expect(t, "未填完。是否继续填写？");
	e2e_type(t, "n");
	e2e_expect(t, "*申请人");
	e2e_expect_not(t, "孙权");
	v = form_draft_of("zd_village", "consultation");
	assert_string_equal(v, "");			/* anew */
	free(v);
	term_settle(t, 200, E2E_TIMEOUT);
	e2e_key(t, "Esc");			/* nothing typed: no question */
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dropped_connection_resumes_where_it_was),
		cmocka_unit_test(killed_ui_resumes_on_its_page),
		cmocka_unit_test(ended_session_keeps_a_half_typed_field),
		cmocka_unit_test(declining_a_draft),
	};

	return cmocka_run_group_tests_name("e2e-form-draft", tests, NULL, NULL);
}

/*
 * Jurisdiction, administration and the audit trail over SSH (issue 6):
 * each demo user's menu fits their office level and roles; a town clerk
 * cannot open another town's case by its number; an analyst sees figures
 * and no person (and F7 is refused); an administrator adds a user with an
 * SSH key through the screens and that user logs in with the key; a
 * district administrator cannot manage another district's user; an
 * administrator ends a clerk's session; a supervisor's audit viewer shows
 * who opened an applicant's ID number, when and from where.  Setup goes
 * through the database functions, as the clerks who would do it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

/* The applicant of the cases set up here: a person of their own. */
#define APP_NAME	"孙小美"
#define APP_PHONE	"13700001111"
#define APP_PHONE_MASK	"137****1111"
#define APP_ID		"321111198511204563"

/* Run SQL (a file, so that quotes need no escaping) as the superuser;
 * the last line it prints.  Caller frees. */
static char *
sql(const char *fmt, ...)
{
	char	 path[] = "/tmp/e2e-admin-sql.XXXXXX", *cmd, buf[256] = "";
	char	 line[256];
	va_list	 ap;
	FILE	*f, *p;
	int	 fd;

	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot write a temporary file");
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	if (asprintf(&cmd, "psql -X -qAt -v ON_ERROR_STOP=1 -h %s -U postgres "
	    "caseterm -f %s 2>&1", getenv("CT_TEST_SOCK"), path) < 0)
		fail();
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof line, p) != NULL)
		snprintf(buf, sizeof buf, "%s", line);
	if (pclose(p) != 0)
		fail_msg("SQL failed: %s", buf);
	unlink(path);
	free(cmd);
	buf[strcspn(buf, "\n")] = '\0';
	return strdup(buf);
}

/* A mediation case of APP_NAME, registered and accepted by the city
 * hotline and dispatched to unit (a code); its number. */
static char *
new_case(const char *unit)
{
	char	*no;

	no = sql("SELECT set_config('caseterm.user_id', (SELECT id::text FROM "
	    "caseterm.app_user WHERE login = 'city_hotline'), false);\n"
	    "CREATE TEMP TABLE c AS SELECT * FROM caseterm.register_mediation("
	    "'[{\"role\": \"applicant\", \"name\": \"%s\", \"phone\": \"%s\", "
	    "\"id_number\": \"%s\"}, {\"role\": \"respondent\", \"name\": "
	    "\"周大福\"}]', '邻里漏水纠纷', 'hotline', 'neighbour', "
	    "(SELECT id FROM caseterm.org_unit WHERE code = '%s'));\n"
	    "SELECT caseterm.case_review_accept(case_id, (SELECT version FROM "
	    "caseterm.legal_case WHERE id = case_id), NULL) FROM c;\n"
	    "SELECT caseterm.case_dispatch(case_id, (SELECT version FROM "
	    "caseterm.legal_case WHERE id = case_id), (SELECT id FROM "
	    "caseterm.org_unit WHERE code = '%s'), NULL) FROM c;\n"
	    "SELECT case_no FROM c;\n", APP_NAME, APP_PHONE, APP_ID, unit,
	    unit);
	if (strlen(no) != 11)
		fail_msg("could not set up a case: \"%s\"", no);
	return no;
}

/* A user made by the operator, with the demo password. */
static void
new_user(const char *login, const char *name, const char *unit,
    const char *roles)
{
	free(sql("SELECT caseterm.user_create('%s', '%s', '%s', '%s', 'zh_CN', "
	    "(SELECT password_hash FROM caseterm.app_user WHERE login = "
	    "'city_admin'));\n", login, name, unit, roles));
}

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
		for (r = 5; r < term_rows(t) - 2; r++) {
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

/* Each user's menu: what it must and must not offer. */
static void
menu_has(const char *user, const char *const *yes, const char *const *no)
{
	struct term	*t = e2e_open(user, E2E_PASSWORD);

	e2e_expect(t, "0  ");		/* the menu, down to Exit */
	for (; *yes != NULL; yes++)
		e2e_expect(t, *yes);
	for (; *no != NULL; no++)
		e2e_expect_not(t, *no);
	e2e_logout(t);
}

static void
menus_fit_level_and_roles(void **state)
{
	menu_has("city_admin",
	    (const char *[]){ "(市级)", "待我审批", "督办案件", "数据统计",
	    "审计日志", "在线会话", "单位管理", "用户管理", NULL },
	    (const char *[]){ "新增咨询", "待分派", "待签收", NULL });
	menu_has("city_analyst",
	    (const char *[]){ "(市级)", "分析员", "本单位案件", "数据统计",
	    NULL },
	    (const char *[]){ "新增咨询", "我的案件", "案件查询", "待审核",
	    "审计日志", "用户管理", "在线会话", NULL });
	menu_has("city_hotline",
	    (const char *[]){ "新增咨询", "新增调解案件", "待审核", "待分派",
	    "案件查询", NULL },
	    (const char *[]){ "数据统计", "审计日志", "用户管理", "待签收",
	    NULL });
	menu_has("jk_district",
	    (const char *[]){ "(县区级)", "待分派", "待签收", "待我审批",
	    "督办案件", "数据统计", "审计日志", NULL },
	    (const char *[]){ "用户管理", "在线会话", "单位管理", NULL });
	menu_has("zd_town",
	    (const char *[]){ "(镇街级)", "新增咨询", "待签收", "办理中",
	    "本单位案件", NULL },
	    (const char *[]){ "待分派", "督办案件", "数据统计", "审计日志",
	    "用户管理", NULL });
	menu_has("zd_village",
	    (const char *[]){ "(村社区级)", "新增咨询", "我的案件", NULL },
	    (const char *[]){ "待审核", "待签收", "本单位案件", "数据统计",
	    "审计日志", "用户管理", NULL });
	menu_has("en_clerk",
	    (const char *[]){ "(Town)", "New consultation", "Unit cases",
	    NULL },
	    (const char *[]){ "Figures", "Audit log", "Users", "To dispatch",
	    NULL });
}

/* Search a case by number as user; the results screen is on. */
static struct term *
search_case(const char *user, const char *no)
{
	struct term	*t = open_item(user, "案件查询");

	e2e_expect(t, "按 F2 查询");
	e2e_type(t, no);
	e2e_key(t, "F2");
	e2e_expect(t, "查询结果");
	return t;
}

/* From the search results back to the main menu: the search form, with
 * what was typed still in it, then the menu (a search asks nothing on
 * leaving: confirm_leave = false). */
static void
leave_search(struct term *t)
{
	e2e_expect(t, "查询结果");
	e2e_key(t, "F3");
	e2e_expect_gone(t, "查询结果");
	e2e_expect(t, "登记日期至");		/* the search form */
	e2e_key(t, "F3");
	e2e_expect(t, "主菜单");
	e2e_expect_not(t, "放弃已输入的内容并离开？");
}

static void
town_clerk_cannot_open_another_towns_case(void **state)
{
	char		*no = new_case("321102002");	/* 健康路街道 */
	struct term	*t;

	/* 正东路街道's clerk: the number finds nothing, the list has none */
	t = search_case("zd_town", no);
	e2e_expect(t, "暂无记录。");
	e2e_expect_not(t, no);
	leave_search(t);
	e2e_choose(t, "本单位案件");
	e2e_expect(t, "本单位案件");
	e2e_expect_not(t, no);
	e2e_logout(t);
	/* the clerk of 健康路街道 finds it with the same search */
	t = e2e_open("en_clerk", E2E_PASSWORD);
	e2e_choose(t, "Search cases");
	e2e_expect(t, "F2");
	e2e_type(t, no);
	e2e_key(t, "F2");
	e2e_expect(t, "Search results");
	e2e_expect(t, no);
	e2e_logout(t);
	free(no);
}

/* On the search form: text into the name field (after case number, ID
 * number and mobile), then F2. */
static void
search_name(struct term *t, const char *text)
{
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_key(t, "Tab");
	e2e_type(t, text);
	e2e_key(t, "F2");
}

/* Two characters of a name find the case, newest first, with the
 * applicant's name in the list; a town that cannot see it does not. */
static void
town_clerk_finds_a_case_by_two_characters_of_a_name(void **state)
{
	char		*no = new_case("321102001");	/* 正东路街道 */
	struct term	*t;

	t = open_item("zd_town", "案件查询");
	e2e_expect(t, "按 F2 查询");
	search_name(t, "小美");
	e2e_expect(t, "查询结果");
	e2e_expect(t, no);
	e2e_expect(t, APP_NAME);
	leave_search(t);
	e2e_logout(t);
	t = e2e_open("en_clerk", E2E_PASSWORD);	/* 健康路街道 */
	e2e_choose(t, "Search cases");
	e2e_expect(t, "F2");
	search_name(t, "小美");
	e2e_expect(t, "Search results");
	e2e_expect_not(t, no);
	e2e_logout(t);
	free(no);
}

static void
analyst_sees_figures_but_no_person(void **state)
{
	char		*no = new_case("321102"), *want, *n;
	struct term	*t;

	t = open_item("city_analyst", "本单位案件");
	e2e_expect(t, no);
	e2e_expect_not(t, APP_NAME);
	e2e_expect_not(t, "13700");
	select_row(t, no);
	e2e_key(t, "Enter");
	e2e_expect(t, "F7 完整信息");
	e2e_expect(t, "邻里漏水纠纷");
	e2e_expect_not(t, APP_NAME);
	e2e_expect_not(t, "周大福");
	e2e_expect_not(t, APP_PHONE_MASK);
	e2e_expect_not(t, "3211**");
	/* F7: the database refuses, the screen says so */
	e2e_key(t, "F7");
	e2e_expect(t, "无权操作：您的角色不能查看完整的个人信息");
	e2e_expect_not(t, APP_ID);
	e2e_key(t, "Enter");
	e2e_key(t, "F3");
	e2e_expect(t, "本单位案件");
	e2e_key(t, "F3");
	e2e_choose(t, "数据统计");
	e2e_expect(t, "数据统计：镇江市司法局，全部案件");
	/* the district's row counts its mediation cases, as the database
	 * does; no name anywhere */
	n = e2e_sql("SELECT count(*) FROM caseterm.legal_case c JOIN "
	    "caseterm.org_unit o ON o.id = c.unit_id WHERE o.path @> "
	    "ARRAY[(SELECT id FROM caseterm.org_unit WHERE code = '321102')] "
	    "AND c.kind = 'mediation'");
	if (asprintf(&want, "京口区司法局 +[0-9]+ +[0-9]+ +[0-9]+ +%s ", n) < 0)
		fail();
	free(n);
	e2e_expect(t, "京口区司法局");
	if ((n = e2e_wait_re(t, want)) == NULL) {
		term_dump(t, stderr);
		fail_msg("no row /%s/ in the figures", want);
	}
	free(n);
	free(want);
	e2e_expect(t, "调处率（调处/受理）");
	e2e_expect(t, "待签收 ");
	e2e_expect_not(t, APP_NAME);
	/* F5: a period */
	e2e_key(t, "F5");
	e2e_expect(t, "登记日期从");
	e2e_type(t, "t\tt");
	e2e_key(t, "F2");
	n = e2e_sql("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', "
	    "'YYYY-MM-DD')");
	if (asprintf(&want, "登记于 %s 至 %s", n, n) < 0)
		fail();
	e2e_expect(t, want);
	free(want);
	free(n);
	e2e_logout(t);
	free(no);
}

static void
admin_adds_user_with_key_who_logs_in_with_it(void **state)
{
	char		 dir[] = "/tmp/e2e-admin-key.XXXXXX", *key, *pub, *err;
	struct term	*t, *u;
	FILE		*f;
	char		 line[1024] = "";

	assert_non_null(mkdtemp(dir));
	e2e_sh("ssh-keygen -q -t ed25519 -N '' -C zhouba@e2e -f %s/id_ed25519",
	    dir);
	if (asprintf(&key, "%s/id_ed25519", dir) < 0 ||
	    asprintf(&pub, "%s/id_ed25519.pub", dir) < 0)
		fail();
	assert_non_null(f = fopen(pub, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	line[strcspn(line, "\n")] = '\0';

	t = open_item("city_admin", "用户管理");
	e2e_expect(t, "F5 新建用户");
	e2e_key(t, "F5");
	e2e_expect(t, "新建用户");
	e2e_type(t, "ZhouBa\t周八\t321111\t登记员，承办人\t\t");
	e2e_key(t, "F2");		/* no password: a key follows */
	e2e_expect(t, "已办理：新建用户");
	e2e_expect(t, "用户 zhouba");
	e2e_expect(t, "润州区司法局（321111，县区级）");
	e2e_expect(t, "角色：登记员, 承办人");
	e2e_expect(t, "密码：未设置");
	e2e_key(t, "F5");
	e2e_choose(t, "添加 SSH 密钥");
	e2e_expect(t, "公钥");
	e2e_type(t, "ssh-ed25519 AAAAnotakey\t");
	e2e_key(t, "F2");
	e2e_expect(t, "未办理：");	/* a broken key is refused */
	e2e_key(t, "C-a");
	e2e_key(t, "C-k");
	e2e_type(t, line);
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：添加 SSH 密钥");
	e2e_expect(t, "ssh-ed25519 SHA256:");
	e2e_expect(t, "zhouba@e2e（");
	e2e_logout(t);

	/* the key opens the door; a password does not (there is none) */
	u = term_open_key(e2e_host(), e2e_port(), "zhouba", key, NULL, 80, 24,
	    &err);
	if (u == NULL)
		fail_msg("key login failed: %s", err);
	e2e_expect(u, "主菜单");
	e2e_expect(u, "润州区司法局 (县区级) │ 周八");
	e2e_logout(u);
	err = NULL;
	assert_null(term_open(e2e_host(), e2e_port(), "zhouba", E2E_PASSWORD,
	    NULL, 80, 24, &err));
	free(err);

	/* a password set on the screen (typed twice, masked) works too */
	t = open_item("city_admin", "用户管理");
	select_row(t, "zhouba");
	e2e_key(t, "Enter");
	e2e_expect(t, "用户 zhouba");
	e2e_key(t, "F5");
	e2e_choose(t, "重置密码");
	e2e_expect(t, "新密码");
	e2e_type(t, "secret-one\tsecret-two");
	e2e_key(t, "F2");
	e2e_expect(t, "两次输入的密码不一致");
	e2e_expect_not(t, "secret-");
	e2e_key(t, "C-a");
	e2e_key(t, "C-k");
	e2e_type(t, "secret-one");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：重置密码");
	e2e_expect(t, "密码：已设置");
	/* and the key is taken away again */
	e2e_key(t, "F5");
	e2e_choose(t, "删除 SSH 密钥");
	e2e_expect(t, "zhouba@e2e");
	e2e_choose(t, "SHA256:");
	e2e_expect(t, "删除密钥 SHA256:");
	e2e_type(t, "y");
	e2e_expect(t, "已办理：删除 SSH 密钥");
	e2e_expect(t, "（无：该用户用密码登录）");
	e2e_logout(t);
	u = e2e_open("zhouba", "secret-one");
	e2e_expect(u, "周八");
	e2e_logout(u);
	err = NULL;
	assert_null(term_open_key(e2e_host(), e2e_port(), "zhouba", key, NULL,
	    80, 24, &err));
	free(err);

	e2e_sh("rm -rf %s", dir);
	free(key);
	free(pub);
}

static void
district_admin_cannot_manage_another_district(void **state)
{
	struct term	*t;

	new_user("jk_admin", "吴刚", "321102", "{admin}");
	new_user("jk_mediator", "郑和", "321102001", "{handler}");
	new_user("rz_clerk", "冯云", "321111", "{intake}");

	t = open_item("jk_admin", "用户管理");
	e2e_expect(t, "jk_mediator");
	e2e_expect(t, "zd_town");
	e2e_expect_not(t, "rz_clerk");		/* 润州区 */
	e2e_expect_not(t, "city_admin");	/* the city above */
	/* a new user in another district: that unit is not on offer */
	e2e_key(t, "F5");
	e2e_expect(t, "新建用户");
	e2e_type(t, "rz_new\t褚强\t321111\t");
	e2e_expect(t, "不在列表中");
	e2e_key(t, "F3");
	e2e_expect(t, "放弃已输入的内容并离开？");
	e2e_type(t, "y");
	e2e_expect(t, "F5 新建用户");

	/* a user of the district, moved to 润州区 while the screen is open:
	 * the database refuses and the screen says so */
	select_row(t, "jk_mediator");
	e2e_key(t, "Enter");
	e2e_expect(t, "用户 jk_mediator");
	free(sql("SELECT caseterm.user_move('jk_mediator', '321111');\n"));
	e2e_key(t, "F5");
	e2e_choose(t, "停用账号");
	e2e_type(t, "y");
	e2e_expect(t, "未办理：无权操作：超出您的管辖范围");
	e2e_key(t, "F3");
	e2e_expect(t, "F5 新建用户");
	e2e_expect_not(t, "jk_mediator");
	e2e_logout(t);
	assert_string_equal(sql("SELECT disabled FROM caseterm.app_user WHERE "
	    "login = 'jk_mediator';\n"), "f");
}

static void
admin_ends_a_session(void **state)
{
	struct term	*victim, *t;
	int		 status = -1;

	victim = e2e_open("zd_village", E2E_PASSWORD);
	e2e_expect(victim, "主菜单");
	t = open_item("city_admin", "在线会话");
	e2e_expect(t, "zd_village");
	select_row(t, "zd_village");
	e2e_key(t, "Enter");
	e2e_expect(t, "结束 刘洋（zd_village）的会话");
	e2e_type(t, "离岗未退出，按规定结束");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：结束 刘洋（zd_village）的会话");
	/* casetermd closes it at its next heartbeat */
	if (!term_wait_closed(victim, 20000, &status)) {
		term_dump(victim, stderr);
		fail_msg("the session was not closed");
	}
	term_close(victim);
	e2e_expect_not(t, "zd_village     刘洋");
	e2e_logout(t);
}

static void
supervisor_sees_who_opened_an_id_number(void **state)
{
	char		*no = new_case("321102"), *today, *want, *hit;
	struct term	*t;

	/* the district supervisor opens the applicant's numbers */
	t = search_case("jk_district", no);
	e2e_expect(t, no);
	e2e_key(t, "Enter");
	e2e_expect(t, APP_PHONE_MASK);		/* masked on the screen */
	e2e_expect_not(t, APP_ID);
	e2e_key(t, "F7");
	e2e_expect(t, "申请人完整信息（本次查看已记录）");
	e2e_expect(t, "身份证号：" APP_ID);
	e2e_expect(t, "手机号：" APP_PHONE);
	e2e_key(t, "Enter");
	e2e_expect(t, "F7 完整信息");
	e2e_key(t, "F3");
	leave_search(t);

	/* ... and the audit viewer shows it */
	e2e_choose(t, "审计日志");
	e2e_expect(t, "按 F2 查询");
	e2e_type(t, "\t");
	e2e_type(t, no);
	e2e_type(t, "\t\t\t\t\t查看完整个人信息\t");
	e2e_key(t, "F2");
	if (asprintf(&want, "身份证号 %s", no) < 0)
		fail();
	e2e_expect(t, want);
	free(want);
	e2e_expect(t, "jk_district  查看完整个人信息");
	e2e_expect(t, "127.0.0.1");
	select_row(t, "身份证号");
	e2e_key(t, "Enter");
	e2e_expect(t, "审计记录");
	today = e2e_sql("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', "
	    "'YYYY-MM-DD')");
	if (asprintf(&want, "时间：%s ", today) < 0)
		fail();
	e2e_expect(t, want);
	free(want);
	e2e_expect(t, "用户：jk_district 李强（321102）");
	e2e_expect(t, "来源：127.0.0.1   会话：");
	e2e_expect(t, "操作：查看完整个人信息（person_reveal）");
	e2e_expect(t, "字段：身份证号");
	if (asprintf(&want, "案件：%s", no) < 0)
		fail();
	e2e_expect(t, want);
	e2e_expect_not(t, APP_ID);		/* the trail never holds it */
	free(want);
	free(today);
	e2e_logout(t);

	/* by the person: what was done about them, nothing else */
	t = open_item("jk_district", "审计日志");
	e2e_expect(t, "按 F2 查询");
	e2e_type(t, "\t\t" APP_ID "\t");
	e2e_expect(t, "→ " APP_NAME);		/* the lookup names them */
	e2e_key(t, "F2");
	if (asprintf(&want, "jk_district  查看完整个人信息 +身份证号 %s", no) < 0)
		fail();
	if ((hit = e2e_wait_re(t, want)) == NULL) {
		term_dump(t, stderr);
		fail_msg("no reveal row /%s/ found by the person", want);
	}
	free(hit);
	free(want);
	e2e_expect(t, "jk_district  查找人员");
	e2e_expect(t, "city_hotline 登记案件");	/* their cases' registration */
	e2e_expect_not(t, "  登录  ");		/* logins are not about them */
	e2e_logout(t);
	free(no);
}

/* The district's open cases, as the dashboard counts them. */
static char *
district_open_re(void)
{
	char	*n, *re;

	n = e2e_sql("SELECT count(*) FROM caseterm.legal_case c JOIN "
	    "caseterm.org_unit o ON o.id = c.unit_id WHERE o.path @> "
	    "ARRAY[(SELECT id FROM caseterm.org_unit WHERE code = '321102')] "
	    "AND c.state NOT IN ('closed', 'merged', 'rejected', 'draft')");
	if (asprintf(&re, "京口区司法局 +%s +[0-9]+ +[0-9]+ ", n) < 0)
		fail();
	free(n);
	return re;
}

static void
leader_watches_the_dashboard(void **state)
{
	struct term	*t = open_item("city_analyst", "指挥调度");
	char		*re, *hit, *no;

	e2e_expect(t, "镇江市司法局 当前在办案件");
	e2e_expect(t, "在办  今日  待签  办理  待批  临期  超期  紧急  督办");
	re = district_open_re();
	if ((hit = e2e_wait_re(t, re)) == NULL) {
		term_dump(t, stderr);
		fail_msg("no row /%s/ on the dashboard", re);
	}
	free(hit);
	free(re);
	/* a case dispatched to the district shows up without a key */
	no = new_case("321102");
	re = district_open_re();
	if ((hit = e2e_wait_re(t, re)) == NULL &&
	    (hit = e2e_wait_re(t, re)) == NULL) {	/* it refreshes every 10 s */
		term_dump(t, stderr);
		fail_msg("the dashboard did not follow: no row /%s/", re);
	}
	free(hit);
	free(re);
	e2e_expect_not(t, "孙小美");			/* counts, no person */
	e2e_key(t, "F3");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
	free(no);
}

static void
village_files_a_zero_report(void **state)
{
	struct term	*t;

	new_user("zr_village", "周零报", "321102001202", "{intake}");
	t = open_item("zr_village", "零报告");
	e2e_expect(t, "正东路街道第二社区服务站");
	e2e_expect(t, "尚未报告");
	e2e_expect(t, "F5 提交今日零报告");
	e2e_key(t, "F5");
	e2e_expect(t, "今天本辖区未发现矛盾纠纷？");
	e2e_type(t, "y");
	e2e_expect(t, "已于 ");
	e2e_expect(t, "提交零报告。");
	e2e_expect(t, "已零报告（");
	e2e_expect(t, "周零报）");
	e2e_key(t, "F3");
	e2e_logout(t);
	/* the town sees it among its villages */
	t = open_item("zd_town", "零报告");
	e2e_expect(t, "正东路街道第二社区服务站");
	e2e_expect(t, "周零报）");
	e2e_key(t, "F3");
	e2e_logout(t);
}

static void
knowledge_base_kept_and_read(void **state)
{
	struct term	*t = open_item("city_admin", "知识库");
	char		*n;

	e2e_expect(t, "输入要查找的词语");
	e2e_type(t, "工资");
	e2e_key(t, "F2");
	e2e_expect(t, "单位拖欠工资怎么办？");
	e2e_expect_not(t, "交通事故赔偿");	/* not about wages */
	e2e_expect(t, "F5 新建条目");
	e2e_key(t, "Enter");
	e2e_expect(t, "纠纷类型：劳动争议");
	e2e_expect(t, "争议仲裁委员会申请仲裁。");	/* wrapped, whole */
	e2e_key(t, "F3");
	/* a supervisor writes one */
	e2e_key(t, "F5");
	e2e_expect(t, "知识库条目");
	e2e_type(t, "工资条要保存吗？\t要保存：工资条是证明工资数额的证据。");
	e2e_key(t, "F2");
	e2e_expect(t, "工资条要保存吗？");
	n = e2e_sql("SELECT count(*) FROM caseterm.kb_article WHERE title = "
	    "'工资条要保存吗？' AND body LIKE '要保存%'");
	assert_string_equal(n, "1");
	free(n);
	e2e_key(t, "F3");
	e2e_key(t, "F3");			/* a search: no question */
	e2e_expect(t, "主菜单");
	e2e_logout(t);
	/* a village clerk reads it, and writes none */
	t = open_item("zd_village", "知识库");
	e2e_key(t, "F2");
	e2e_expect(t, "工资条要保存吗？");
	e2e_expect_not(t, "F5 新建条目");
	e2e_key(t, "F3");
	e2e_key(t, "F3");
	e2e_expect(t, "主菜单");
	e2e_logout(t);
}

static void
admin_adds_a_unit(void **state)
{
	struct term	*t = open_item("city_admin", "单位管理");

	select_row(t, "321111 ");
	e2e_key(t, "Enter");
	e2e_choose(t, "添加下级单位");
	e2e_expect(t, "代码");
	e2e_type(t, "321111900\t润州区医疗纠纷人民调解委员会\t人民调解委员会");
	e2e_key(t, "F2");
	e2e_expect(t, "已办理：添加下级单位");
	select_row(t, "321111900");		/* listed under 润州区 */
	e2e_expect(t, "润州区医疗纠纷人民调解委员会");
	e2e_logout(t);
	assert_string_equal(sql("SELECT level || ' ' || kind FROM "
	    "caseterm.org_unit WHERE code = '321111900';\n"), "town mediation");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(menus_fit_level_and_roles),
		cmocka_unit_test(town_clerk_cannot_open_another_towns_case),
		cmocka_unit_test(town_clerk_finds_a_case_by_two_characters_of_a_name),
		cmocka_unit_test(analyst_sees_figures_but_no_person),
		cmocka_unit_test(admin_adds_user_with_key_who_logs_in_with_it),
		cmocka_unit_test(district_admin_cannot_manage_another_district),
		cmocka_unit_test(admin_ends_a_session),
		cmocka_unit_test(supervisor_sees_who_opened_an_id_number),
		cmocka_unit_test(admin_adds_a_unit),
		cmocka_unit_test(leader_watches_the_dashboard),
		cmocka_unit_test(village_files_a_zero_report),
		cmocka_unit_test(knowledge_base_kept_and_read),
	};

	return cmocka_run_group_tests_name("e2e-admin", tests, NULL, NULL);
}

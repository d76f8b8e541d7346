/*
 * Form and menu files: every shipped one loads; broken ones are reported as
 * "file:line: what is wrong"; field values are validated by type.
 * Run from the top of the source tree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "form.h"

static char	 tmpdir[] = "/tmp/caseterm-forms.XXXXXX";

static int
setup(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	*cmd;

	xasprintf(&cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	return 0;
}

static char *
write_file(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void
shipped_forms_load(void **state)
{
	char			*cause = NULL;
	struct form_def		*fd;
	struct menu_def		*md;

	assert_int_equal(forms_check("forms", &cause), 0);
	assert_null(cause);
	fd = form_load("forms/consultation.conf", &cause);
	assert_non_null(fd);
	assert_string_equal(fd->name, "consultation");
	assert_int_equal(fd->nfields, 5);
	assert_string_equal(fd->fields[0].name, "applicant_name");
	assert_true(fd->fields[0].required);
	assert_int_equal(fd->fields[2].type, FT_IDCARD);
	form_def_free(fd);
	md = menu_load("forms/menus.conf", &cause);
	assert_non_null(md);
	assert_true(md->nitems >= 3);
	assert_string_equal(md->items[0].screen, "consultation");
	assert_true(menu_allows(&md->items[0], ROLE_INTAKE, LEVEL_VILLAGE));
	assert_false(menu_allows(&md->items[0], ROLE_ANALYST, LEVEL_CITY));
	menu_def_free(md);
}

/* Each broken text and the message it must produce, after "file:". */
static const struct broken {
	const char	*text;
	const char	*want;
} broken_forms[] = {
	{ "form = { name = \"x\";\n title = ; };\n",
	  ":2: syntax error" },
	{ "form = { name = \"x\"; title = \"X\";\n fields = ();\n};\n",
	  ":2: 'fields' must be a non-empty list" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"txt\"; }\n); };\n",
	  ":2: unknown field type 'txt'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n"
	  "    widht = 3; }\n); };\n",
	  ":3: unknown setting 'widht'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\"; },\n"
	  "  { name = \"a\"; label = \"B\"; type = \"text\"; }\n); };\n",
	  ":3: field 'a' is defined twice" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; type = \"text\"; }\n); };\n",
	  ":2: missing 'label'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n"
	  "    width = 0; }\n); };\n",
	  ":3: 'width' is out of range" },
};

static void
broken_forms_report_file_and_line(void **state)
{
	struct form_def	*fd;
	char		*path, *cause, name[32];
	size_t		 i;

	for (i = 0; i < sizeof broken_forms / sizeof broken_forms[0]; i++) {
		snprintf(name, sizeof name, "broken%zu.conf", i);
		path = write_file(name, broken_forms[i].text);
		fd = form_load(path, &cause);
		assert_null(fd);
		if (strstr(cause, broken_forms[i].want) == NULL ||
		    strncmp(cause, path, strlen(path)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s%s\"", i, cause,
			    path, broken_forms[i].want);
		free(cause);
		unlink(path);
		free(path);
	}
}

static void
broken_menu_reported(void **state)
{
	char	*path, *cause;

	path = write_file("menus.conf", "menu = (\n { label = \"X\";\n"
	    "   screen = \"nope\"; roles = [\"intake\"];"
	    " levels = [\"town\"]; }\n);\n");
	assert_null(menu_load(path, &cause));
	assert_non_null(strstr(cause, ":3: no such screen 'nope'"));
	free(cause);
	/* forms_check finds it too, so casetermd -t refuses the folder */
	assert_int_equal(forms_check(tmpdir, &cause), -1);
	if (strstr(cause, "no such screen") == NULL)
		fail_msg("forms_check: %s", cause);
	free(cause);
	unlink(path);
	free(path);
	path = write_file("menus.conf", "menu = (\n { label = \"X\";\n"
	    "   screen = \"users\"; roles = [\"boss\"];"
	    " levels = [\"town\"]; }\n);\n");
	assert_null(menu_load(path, &cause));
	assert_non_null(strstr(cause, "unknown name in 'roles'"));
	free(cause);
	unlink(path);
	free(path);
}

static void
fields_validated_by_type(void **state)
{
	struct field_def f = { .name = "x", .label = "X", .type = FT_TEXT,
	    .width = 10, .max_length = 4, .required = true };

	assert_string_equal(field_validate(&f, ""), "this field is required");
	assert_null(field_validate(&f, "张三李四"));
	assert_string_equal(field_validate(&f, "张三李四王"), "too long");
	f.required = false;
	assert_null(field_validate(&f, ""));
	f.max_length = 20;
	f.type = FT_IDCARD;
	assert_null(field_validate(&f, "11010519491231002X"));
	assert_string_equal(field_validate(&f, "110105194912310021"),
	    "ID number check digit is wrong");
	f.type = FT_MOBILE;
	assert_null(field_validate(&f, "13912345678"));
	assert_non_null(field_validate(&f, "10086"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_forms_load),
		cmocka_unit_test(broken_forms_report_file_and_line),
		cmocka_unit_test(broken_menu_reported),
		cmocka_unit_test(fields_validated_by_type),
	};

	return cmocka_run_group_tests_name("forms", tests, setup, teardown);
}

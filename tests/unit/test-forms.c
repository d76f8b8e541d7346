/*
 * Form and menu files: every shipped one loads and round-trips through
 * form_write(); broken ones are reported as "file:line: what is wrong",
 * for every setting a field may have.  (Values: test-validate.c.)
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
#include <dirent.h>
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
	assert_int_equal(fd->nfields, 6);
	assert_string_equal(fd->fields[0].name, "applicant_name");
	assert_true(fd->fields[0].required);
	assert_int_equal(fd->fields[2].type, FT_IDCARD);
	assert_int_equal(fd->fields[3].height, 3);	/* multi-line */
	assert_int_equal(fd->fields[5].type, FT_CHOICE);
	assert_int_equal(fd->fields[5].choices.n, 7);
	assert_int_equal(fd->npages, 1);
	form_def_free(fd);
	fd = form_load("forms/mediation.conf", &cause);
	if (fd == NULL)
		fail_msg("%s", cause);
	assert_true(fd->npages >= 3);
	assert_string_equal(fd->pages[0].title, "Applicant");
	assert_int_equal(fd->fields[0].type, FT_PERSON);
	assert_int_equal(fd->fields[0].fills.name,
	    form_field_index(fd, "app_name"));
	assert_int_equal(fd->fields[form_field_index(fd, "place")].type,
	    FT_ORGUNIT);
	assert_string_equal(fd->fields[form_field_index(fd, "place")].source,
	    "org_units");
	assert_int_equal(fd->fields[form_field_index(fd,
	    "urgent_reason")].show_if.field, form_field_index(fd, "urgent"));
	form_def_free(fd);
	md = menu_load("forms/menus.conf", &cause);
	assert_non_null(md);
	assert_true(md->nitems >= 3);
	assert_string_equal(md->items[0].screen, "consultation");
	assert_true(menu_allows(&md->items[0], ROLE_INTAKE, LEVEL_VILLAGE));
	assert_false(menu_allows(&md->items[0], ROLE_ANALYST, LEVEL_CITY));
	menu_def_free(md);
}

static void
cond_equal(const struct form_def *a, const struct cond *x,
    const struct form_def *b, const struct cond *y)
{
	size_t	 i;

	assert_int_equal(x->field, y->field);
	assert_int_equal(x->nvalues, y->nvalues);
	assert_int_equal(x->negate, y->negate);
	for (i = 0; i < x->nvalues; i++)
		assert_string_equal(x->values[i], y->values[i]);
	(void)a;
	(void)b;
}

#define assert_same_string(x, y) do {					\
	if ((x) == NULL || (y) == NULL)					\
		assert_ptr_equal((x), (y));				\
	else								\
		assert_string_equal((x), (y));				\
} while (0)

/* Every shipped form, written out and read back, is the same form. */
static void
shipped_forms_round_trip(void **state)
{
	struct dirent		**names;
	struct form_def		*a, *b;
	char			*src, *copy, *cause;
	int			 n, k, tested = 0;
	size_t			 i, j;

	n = scandir("forms", &names, NULL, alphasort);
	assert_true(n > 0);
	for (k = 0; k < n; k++) {
		const char *nm = names[k]->d_name;
		size_t len = strlen(nm);
		if (len < 6 || strcmp(nm + len - 5, ".conf") != 0 ||
		    strcmp(nm, "menus.conf") == 0) {
			free(names[k]);
			continue;
		}
		xasprintf(&src, "forms/%s", nm);
		xasprintf(&copy, "%s/%s", tmpdir, nm);
		free(names[k]);
		if ((a = form_load(src, &cause)) == NULL)
			fail_msg("%s", cause);
		if (form_write(a, copy, &cause) != 0)
			fail_msg("%s", cause);
		if ((b = form_load(copy, &cause)) == NULL)
			fail_msg("written back: %s", cause);
		assert_string_equal(a->name, b->name);
		assert_string_equal(a->title, b->title);
		assert_int_equal(a->nfields, b->nfields);
		assert_int_equal(a->npages, b->npages);
		for (i = 0; i < a->npages; i++) {
			assert_same_string(a->pages[i].title, b->pages[i].title);
			assert_int_equal(a->pages[i].first, b->pages[i].first);
			assert_int_equal(a->pages[i].count, b->pages[i].count);
		}
		for (i = 0; i < a->nfields; i++) {
			struct field_def *x = &a->fields[i], *y = &b->fields[i];
			assert_string_equal(x->name, y->name);
			assert_string_equal(x->label, y->label);
			assert_same_string(x->help, y->help);
			assert_int_equal(x->type, y->type);
			assert_int_equal(x->width, y->width);
			assert_int_equal(x->height, y->height);
			assert_int_equal(x->min_length, y->min_length);
			assert_int_equal(x->max_length, y->max_length);
			assert_int_equal(x->required, y->required);
			assert_same_string(x->def, y->def);
			assert_same_string(x->pattern, y->pattern);
			assert_same_string(x->pattern_help, y->pattern_help);
			assert_same_string(x->min, y->min);
			assert_same_string(x->max, y->max);
			assert_same_string(x->source, y->source);
			assert_same_string(x->page, y->page);
			assert_same_string(x->section, y->section);
			assert_int_equal(x->choices.n, y->choices.n);
			for (j = 0; j < x->choices.n; j++) {
				assert_string_equal(x->choices.v[j].code,
				    y->choices.v[j].code);
				assert_string_equal(x->choices.v[j].label,
				    y->choices.v[j].label);
			}
			cond_equal(a, &x->show_if, b, &y->show_if);
			cond_equal(a, &x->required_if, b, &y->required_if);
			assert_int_equal(x->fills.name, y->fills.name);
			assert_int_equal(x->fills.id_number, y->fills.id_number);
			assert_int_equal(x->fills.phone, y->fills.phone);
		}
		form_def_free(a);
		form_def_free(b);
		unlink(copy);
		free(copy);
		free(src);
		tested++;
	}
	free(names);
	assert_true(tested >= 2);
}

/* A pattern is matched against the whole value. */
static void
pattern_checked(void **state)
{
	struct form_def		*fd;
	struct field_value	 v;
	char			*path, *cause;

	path = write_file("pat.conf", "form = { name = \"pat\"; title = \"P\";"
	    " fields = (\n { name = \"postcode\"; label = \"Postcode\";"
	    " type = \"text\"; pattern = \"[0-9]{6}\";"
	    " pattern_help = \"six digits\"; }\n); };\n");
	fd = form_load(path, &cause);
	if (fd == NULL)
		fail_msg("%s", cause);
	assert_int_equal(field_check(&fd->fields[0], "212000", false, NULL,
	    time(NULL), &v), 0);
	field_value_clear(&v);
	assert_int_equal(field_check(&fd->fields[0], "2120001", false, NULL,
	    time(NULL), &v), -1);
	assert_string_equal(v.why, "six digits");
	field_value_clear(&v);
	assert_int_equal(field_check(&fd->fields[0], "x212000", false, NULL,
	    time(NULL), &v), -1);
	field_value_clear(&v);
	form_def_free(fd);
	unlink(path);
	free(path);
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
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\"; }\n); };\n",
	  ":2: a choice field needs 'choices' or 'source'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\";\n    choices = ( (\"x\") ); }\n); };\n",
	  ":3: a choice must be" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\";\n    choices = ( (\"x\", \"X\"),\n  (\"x\", \"Y\") ); }\n); };\n",
	  ":4: choice 'x' is listed twice" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\";\n    source = \"planets\"; }\n); };\n",
	  ":3: unknown source 'planets'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    choices = ( (\"x\", \"X\") ); }\n); };\n",
	  ":3: a text field takes no code table" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\"; source = \"org_units\";\n    choices = ( (\"x\", \"X\") ); }\n); };\n",
	  "'choices' and 'source' exclude each other" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"integer\";\n    height = 3; }\n); };\n",
	  ":3: 'height' is only for text fields" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    height = 11; }\n); };\n",
	  ":3: 'height' is out of range" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    min = 3; }\n); };\n",
	  ":3: 'min' is only for integer" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"date\";\n    max = \"2026-02-30\"; }\n); };\n",
	  ":3: 'max' is not a valid date" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"money\";\n    min = \"lots\"; }\n); };\n",
	  ":3: 'min' is not a valid amount" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    pattern = \"([0-9\"; }\n); };\n",
	  ":3: 'pattern' is not a valid" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    min_length = 5; max_length = 4; }\n); };\n",
	  ":2: 'min_length' is more than 'max_length'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\"; },\n  { name = \"b\"; label = \"B\"; type = \"text\";\n    show_if = \"c\"; }\n); };\n",
	  ":4: 'show_if' names no field 'c'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    required_if = \"b\"; },\n  { name = \"b\"; label = \"B\"; type = \"text\"; }\n); };\n",
	  ":3: 'required_if' must name a field above" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    show_if = \"a=\"; }\n); };\n",
	  ":3: 'show_if' has an empty value" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    fills = { name = \"a\"; }; }\n); };\n",
	  ":3: 'fills' is only for person fields" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"p\"; label = \"P\"; type = \"person\";\n    fills = { nmae = \"a\"; }; }\n); };\n",
	  ":3: unknown setting 'nmae'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"p\"; label = \"P\"; type = \"person\";\n    fills = { name = \"zz\"; }; }\n); };\n",
	  ":3: 'fills' names no field 'zz'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"choice\";\n    default = \"z\";\n    choices = ( (\"x\", \"X\") ); }\n); };\n",
	  ":3: default 'z' is not valid: not in the list" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"date\";\n    default = \"2026-02-30\"; }\n); };\n",
	  ":3: default '2026-02-30' is not valid" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"A b\"; label = \"A\"; type = \"text\"; }\n); };\n",
	  ":2: field name 'A b' must be" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    required = 1; }\n); };\n",
	  ":3: 'required' must be true or false" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\";\n    page_title = 3; }\n); };\n",
	  ":3: 'page_title' must be a string" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\"; height = 10; },\n  { name = \"b\"; label = \"B\"; type = \"text\"; height = 9; }\n); };\n",
	  ":2: page 1 needs 19 rows" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\"; },\n"
	  "  { name = \"p\"; label = \"P\"; type = \"password\"; }\n); };\n",
	  ":3: a form with a password field needs 'drafts = false;'" },
	{ "form = { name = \"x\"; title = \"X\";\n  confirm_leave = \"no\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"text\"; }\n); };\n",
	  ":2: 'confirm_leave' must be true or false" },
	{ "form = { name = \"x\"; title = \"X\"; drafts = false; fields = (\n"
	  "  { name = \"p\"; label = \"P\"; type = \"password\";\n"
	  "    default = \"secret99\"; }\n); };\n",
	  ":3: a password field takes no 'default'" },
	{ "form = { name = \"x\"; title = \"X\"; fields = (\n"
	  "  { name = \"a\"; label = \"A\"; type = \"integer\";\n"
	  "    min_length = 2; }\n); };\n",
	  ":3: 'min_length' is only for text and password fields" },
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
form_name_is_file_name(void **state)
{
	char	*path, *cause;

	path = write_file("mediation.conf", "form = { name = \"consultation\";"
	    "\n title = \"X\"; fields = (\n"
	    " { name = \"a\"; label = \"A\"; type = \"text\"; }\n); };\n");
	assert_null(form_load(path, &cause));
	if (strstr(cause, ":1: the form's name must be 'mediation'") == NULL)
		fail_msg("got %s", cause);
	free(cause);
	unlink(path);
	free(path);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_forms_load),
		cmocka_unit_test(shipped_forms_round_trip),
		cmocka_unit_test(pattern_checked),
		cmocka_unit_test(broken_forms_report_file_and_line),
		cmocka_unit_test(form_name_is_file_name),
		cmocka_unit_test(broken_menu_reported),
	};

	return cmocka_run_group_tests_name("forms", tests, setup, teardown);
}

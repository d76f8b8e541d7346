/* The line editor and column-width strings, with Chinese and ASCII mixed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

static int
setup(void **state)
{
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

static void
type(struct edit *e, const char *s)
{
	wchar_t	*w = wcs_from_utf8(s);
	size_t	 i;

	for (i = 0; w[i] != L'\0'; i++)
		edit_insert(e, w[i]);
	free(w);
}

static void
assert_value(struct edit *e, const char *want)
{
	char	*v = edit_get(e);

	assert_string_equal(v, want);
	free(v);
}

static void
widths_count_columns(void **state)
{
	char	*s;

	assert_int_equal(utf8_cols("abc"), 3);
	assert_int_equal(utf8_cols("张伟"), 4);
	assert_int_equal(utf8_cols("王a"), 3);
	s = utf8_fit("张伟明", 5);		/* never half a character */
	assert_string_equal(s, "张伟");
	free(s);
	s = utf8_pad("张a", 6);
	assert_string_equal(s, "张a   ");
	free(s);
	s = utf8_fit("ab张", 3);
	assert_string_equal(s, "ab");
	free(s);
}

static void
insert_delete_and_move(void **state)
{
	struct edit	 e;

	edit_init(&e, 100);
	type(&e, "张三abc");
	assert_value(&e, "张三abc");
	edit_home(&e);
	edit_right(&e);
	type(&e, "小");
	assert_value(&e, "张小三abc");
	edit_backspace(&e);
	assert_value(&e, "张三abc");
	edit_delete(&e);
	assert_value(&e, "张abc");
	edit_end(&e);
	edit_backspace(&e);
	assert_value(&e, "张ab");
	edit_home(&e);
	e.overwrite = true;
	type(&e, "李");
	assert_value(&e, "李ab");
	edit_free(&e);
}

static void
kill_to_start_and_end(void **state)
{
	struct edit	 e;

	edit_init(&e, 100);
	type(&e, "咨询 question 问题");
	edit_home(&e);
	edit_word_right(&e);			/* each CJK character is a word */
	assert_int_equal(e.cur, 1);
	edit_word_right(&e);			/* 询, then the space */
	assert_int_equal(e.cur, 3);
	edit_word_right(&e);
	assert_int_equal(e.cur, 12);		/* past "question " */
	edit_kill_end(&e);
	edit_end(&e);
	edit_kill_start(&e);
	assert_value(&e, "");
	edit_set(&e, "abc def");
	edit_end(&e);
	edit_word_left(&e);
	assert_int_equal(e.cur, 4);
	edit_kill_start(&e);
	assert_value(&e, "def");
	edit_free(&e);
}

static void
limit_is_in_characters(void **state)
{
	struct edit	 e;

	edit_init(&e, 3);
	type(&e, "张三丰x");
	assert_value(&e, "张三丰");
	assert_int_equal(edit_insert(&e, L'y'), -1);
	edit_free(&e);
}

static void
view_never_splits_a_wide_character(void **state)
{
	struct edit	 e;
	size_t		 n, i;
	int		 col, shown;

	edit_init(&e, 100);
	type(&e, "a张三李四王五");		/* 1 + 12 columns */
	edit_view(&e, 6, &n, &col);
	/* the cursor sits at the end: it needs a free column */
	shown = wcs_cols(&e.buf[e.first], n);
	assert_true(shown <= 6);
	assert_true(col <= 5);
	assert_int_equal(col, shown);
	/* every window position fits whole characters */
	for (i = 0; i <= e.len; i++) {
		e.cur = i;
		edit_view(&e, 5, &n, &col);
		assert_true(wcs_cols(&e.buf[e.first], n) <= 5);
		assert_true(col >= 0 && col < 5);
		assert_true(e.cur >= e.first && e.cur <= e.first + n);
	}
	edit_home(&e);
	edit_view(&e, 5, &n, &col);
	assert_int_equal(e.first, 0);
	assert_int_equal(col, 0);
	assert_int_equal(n, 3);			/* a张三 = 5 columns */
	edit_free(&e);
}

static void
control_characters_refused(void **state)
{
	struct edit	 e;

	edit_init(&e, 10);
	assert_int_equal(edit_insert(&e, L'\t'), -1);
	assert_int_equal(edit_insert(&e, 0x7f), -1);
	assert_int_equal(e.len, 0);
	edit_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widths_count_columns),
		cmocka_unit_test(insert_delete_and_move),
		cmocka_unit_test(kill_to_start_and_end),
		cmocka_unit_test(limit_is_in_characters),
		cmocka_unit_test(view_never_splits_a_wide_character),
		cmocka_unit_test(control_characters_refused),
	};

	return cmocka_run_group_tests_name("edit", tests, setup, NULL);
}

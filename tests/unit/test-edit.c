/* The line editor and column-width strings, with Chinese and ASCII mixed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
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

/* The text of line k of a wrapped edit. */
static char *
line_text(struct edit *e, struct edit_lines *l, size_t k)
{
	size_t	 to = k + 1 < l->n ? l->start[k + 1] : e->len;

	if (to > l->start[k] && e->buf[to - 1] == L'\n')
		to--;
	return utf8_from_wcs(&e->buf[l->start[k]], to - l->start[k]);
}

static void
assert_line(struct edit *e, struct edit_lines *l, size_t k, const char *want)
{
	char	*got = line_text(e, l, k);

	if (strcmp(got, want) != 0)
		fail_msg("line %zu: got \"%s\", want \"%s\"", k, got, want);
	free(got);
}

static void
multiline_wraps_words_and_chinese(void **state)
{
	struct edit		 e;
	struct edit_lines	 l = { 0 };
	size_t			 k;

	edit_init(&e, 0);
	e.multiline = true;
	type(&e, "the quick brown fox jumps");
	edit_wrap(&e, 10, &l);
	assert_int_equal(l.n, 3);
	assert_line(&e, &l, 0, "the quick ");	/* the space hangs */
	assert_line(&e, &l, 1, "brown fox ");
	assert_line(&e, &l, 2, "jumps");
	/* Chinese breaks between any two characters, never inside one */
	edit_set(&e, "邻居装修噪音扰民如何维权");	/* 24 columns */
	edit_wrap(&e, 9, &l);
	assert_int_equal(l.n, 3);
	assert_line(&e, &l, 0, "邻居装修");	/* 8 columns: a 5th is 10 */
	assert_line(&e, &l, 1, "噪音扰民");
	assert_line(&e, &l, 2, "如何维权");
	for (k = 0; k < l.n; k++) {
		size_t to = k + 1 < l.n ? l.start[k + 1] : e.len;
		assert_true(wcs_cols(&e.buf[l.start[k]], to - l.start[k]) <= 9);
	}
	/* mixed: a Latin word stays whole, Chinese may break around it */
	edit_set(&e, "申请人Zhang说hello world");
	edit_wrap(&e, 10, &l);
	assert_line(&e, &l, 0, "申请人");
	assert_line(&e, &l, 1, "Zhang说");
	assert_line(&e, &l, 2, "hello ");
	assert_line(&e, &l, 3, "world");
	/* a word longer than the line is cut */
	edit_set(&e, "abcdefghijkl");
	edit_wrap(&e, 5, &l);
	assert_int_equal(l.n, 3);
	assert_line(&e, &l, 2, "kl");
	/* newlines end lines; an empty line is a line */
	edit_set(&e, "第一行\n\n第三行");
	edit_wrap(&e, 20, &l);
	assert_int_equal(l.n, 3);
	assert_line(&e, &l, 1, "");
	assert_line(&e, &l, 2, "第三行");
	edit_lines_free(&l);
	edit_free(&e);
}

static void
multiline_cursor_moves_by_line(void **state)
{
	struct edit		 e;
	struct edit_lines	 l = { 0 };
	size_t			 line;
	int			 col;

	edit_init(&e, 0);
	e.multiline = true;
	type(&e, "abcdefgh\n张三李四\nxy");
	edit_wrap(&e, 10, &l);
	edit_where(&e, &l, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	/* up from column 2 of "xy" lands after 张 (column 2) */
	assert_true(edit_line_up(&e, 10));
	edit_wrap(&e, 10, &l);
	edit_where(&e, &l, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	/* and on to "abcdefgh", keeping the column */
	assert_true(edit_line_up(&e, 10));
	assert_int_equal(e.cur, 2);
	assert_false(edit_line_up(&e, 10));	/* the first line */
	/* End of a long line, then down: the nearest column not past it */
	edit_end(&e);
	e.cur = 7;
	assert_true(edit_line_down(&e, 10));
	edit_wrap(&e, 10, &l);
	edit_where(&e, &l, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 6);		/* 张三李 = 6 columns, not 8 */
	assert_true(edit_line_down(&e, 10));
	assert_int_equal(e.cur, e.len);		/* end of "xy" */
	assert_false(edit_line_down(&e, 10));	/* the last line */
	/* Home and End of a line */
	e.cur = 10;				/* after 三 */
	edit_line_home(&e, 10);
	assert_int_equal(e.cur, 9);		/* before 张 */
	edit_line_end(&e, 10);
	assert_int_equal(e.cur, 13);		/* before the '\n' */
	edit_lines_free(&l);
	edit_free(&e);
}

static void
multiline_scrolls_to_the_cursor(void **state)
{
	struct edit		 e;
	struct edit_lines	 l = { 0 };
	int			 i;

	edit_init(&e, 0);
	e.multiline = true;
	for (i = 0; i < 10; i++)
		type(&e, "行\n");
	edit_wrap(&e, 10, &l);
	assert_int_equal(l.n, 11);
	edit_scroll(&e, &l, 3);
	assert_int_equal(e.top, 8);		/* the cursor is on line 10 */
	edit_home(&e);
	edit_scroll(&e, &l, 3);
	assert_int_equal(e.top, 0);
	edit_lines_free(&l);
	edit_free(&e);
}

/* A pasted text of a few thousand characters, newlines included, comes
 * out exactly as it went in; a single-line field refuses the newlines. */
static void
multiline_paste_loses_nothing(void **state)
{
	struct edit		 e, one;
	struct edit_lines	 l = { 0 };
	char			*text, *got, *p;
	size_t			 i, k;

	text = xmalloc(40000);
	p = text;
	for (i = 0; i < 300; i++)
		p += sprintf(p, "第%zu段：邻居装修噪音 noise %s", i,
		    i % 7 == 6 ? "\n" : "");
	edit_init(&e, 10000);
	e.multiline = true;
	type(&e, text);
	got = edit_get(&e);
	assert_string_equal(got, text);
	free(got);
	edit_wrap(&e, 40, &l);
	/* the lines cover the text with nothing skipped */
	for (k = 1; k < l.n; k++)
		assert_true(l.start[k] > l.start[k - 1]);
	assert_true(l.start[l.n - 1] <= e.len);
	edit_lines_free(&l);
	edit_init(&one, 0);
	type(&one, "a\nb");
	got = edit_get(&one);
	assert_string_equal(got, "ab");
	free(got);
	edit_free(&one);
	edit_free(&e);
	free(text);
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
		cmocka_unit_test(multiline_wraps_words_and_chinese),
		cmocka_unit_test(multiline_cursor_moves_by_line),
		cmocka_unit_test(multiline_scrolls_to_the_cursor),
		cmocka_unit_test(multiline_paste_loses_nothing),
	};

	return cmocka_run_group_tests_name("edit", tests, setup, NULL);
}

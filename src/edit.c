/*
 * edit.c — the line editor behind every text field.
 *
 * libform mishandles double-width characters (DESIGN.md), so caseterm edits
 * fields itself: the buffer is wide characters, the limit is in characters,
 * and what is shown is measured in terminal columns with wcwidth(), so a
 * Chinese character never overflows the field edge and is never split.
 * Pure logic: no curses here, so it is tested on its own.
 */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "form.h"

void
edit_init(struct edit *e, size_t max)
{
	memset(e, 0, sizeof *e);
	e->max = max;
	e->size = 16;
	e->buf = xcalloc(e->size, sizeof *e->buf);
}

void
edit_free(struct edit *e)
{
	if (e->buf != NULL)
		explicit_bzero(e->buf, e->size * sizeof *e->buf);
	free(e->buf);
	e->buf = NULL;
}

void
edit_set(struct edit *e, const char *s)
{
	wchar_t	*w = wcs_from_utf8(s != NULL ? s : "");
	size_t	 i;

	e->len = e->cur = e->first = 0;
	for (i = 0; w[i] != L'\0'; i++)
		edit_insert(e, w[i]);
	free(w);
	e->cur = 0;
}

char *
edit_get(const struct edit *e)
{
	return utf8_from_wcs(e->buf, e->len);
}

int
edit_insert(struct edit *e, wchar_t c)
{
	if (c < L' ' || c == 0x7f)
		return -1;
	if (e->overwrite && e->cur < e->len) {
		e->buf[e->cur++] = c;
		return 0;
	}
	if (e->max != 0 && e->len >= e->max)
		return -1;
	if (e->len + 1 >= e->size) {
		e->size *= 2;
		e->buf = xreallocarray(e->buf, e->size, sizeof *e->buf);
	}
	memmove(&e->buf[e->cur + 1], &e->buf[e->cur],
	    (e->len - e->cur) * sizeof *e->buf);
	e->buf[e->cur++] = c;
	e->len++;
	return 0;
}

static void
edit_remove(struct edit *e, size_t from, size_t to)
{
	memmove(&e->buf[from], &e->buf[to], (e->len - to) * sizeof *e->buf);
	e->len -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
	if (e->first > e->cur)
		e->first = e->cur;
}

void
edit_backspace(struct edit *e)
{
	if (e->cur > 0)
		edit_remove(e, e->cur - 1, e->cur);
}

void
edit_delete(struct edit *e)
{
	if (e->cur < e->len)
		edit_remove(e, e->cur, e->cur + 1);
}

void
edit_left(struct edit *e)
{
	if (e->cur > 0)
		e->cur--;
}

void
edit_right(struct edit *e)
{
	if (e->cur < e->len)
		e->cur++;
}

void
edit_home(struct edit *e)
{
	e->cur = 0;
}

void
edit_end(struct edit *e)
{
	e->cur = e->len;
}

/* A word is a run of letters or digits; each CJK character is one word. */
static bool
edit_is_word(wchar_t c)
{
	return iswalnum((wint_t)c) && wc_cols(c) == 1;
}

void
edit_word_left(struct edit *e)
{
	while (e->cur > 0 && !edit_is_word(e->buf[e->cur - 1]) &&
	    wc_cols(e->buf[e->cur - 1]) < 2)
		e->cur--;
	if (e->cur > 0 && wc_cols(e->buf[e->cur - 1]) == 2) {
		e->cur--;
		return;
	}
	while (e->cur > 0 && edit_is_word(e->buf[e->cur - 1]))
		e->cur--;
}

void
edit_word_right(struct edit *e)
{
	if (e->cur < e->len && wc_cols(e->buf[e->cur]) == 2)
		e->cur++;
	else
		while (e->cur < e->len && edit_is_word(e->buf[e->cur]))
			e->cur++;
	while (e->cur < e->len && !edit_is_word(e->buf[e->cur]) &&
	    wc_cols(e->buf[e->cur]) < 2)
		e->cur++;
}

void
edit_kill_start(struct edit *e)
{
	edit_remove(e, 0, e->cur);
}

void
edit_kill_end(struct edit *e)
{
	e->len = e->cur;
}

void
edit_view(struct edit *e, int width, size_t *n, int *col)
{
	size_t	 i;
	int	 used;

	if (width < 2)
		width = 2;
	if (e->first > e->cur)
		e->first = e->cur;
	/* Move the window right until the cursor cell fits inside it. */
	for (;;) {
		used = wcs_cols(&e->buf[e->first], e->cur - e->first);
		if (used + 1 <= width && (e->cur == e->len ||
		    used + wc_cols(e->buf[e->cur]) <= width))
			break;
		e->first++;
	}
	*col = used;
	for (i = e->first, used = 0; i < e->len; i++) {
		if (used + wc_cols(e->buf[i]) > width)
			break;
		used += wc_cols(e->buf[i]);
	}
	*n = i - e->first;
}

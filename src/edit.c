/*
 * edit.c — the line editor behind every text field.
 *
 * libform mishandles double-width characters (DESIGN.md), so caseterm edits
 * fields itself: the buffer is wide characters, the limit is in characters,
 * and what is shown is measured in terminal columns with wcwidth(), so a
 * Chinese character never overflows the field edge and is never split.
 * A multi-line field (e->multiline) keeps '\n' in the same buffer and is
 * shown word-wrapped (edit_wrap), scrolled by whole lines.
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
	e->goal = -1;
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

	e->len = e->cur = e->first = e->top = 0;
	e->goal = -1;
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
	if ((c < L' ' && !(c == L'\n' && e->multiline)) || c == 0x7f)
		return -1;
	e->goal = -1;
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
	e->goal = -1;
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
	e->goal = -1;
	if (e->cur > 0)
		e->cur--;
}

void
edit_right(struct edit *e)
{
	e->goal = -1;
	if (e->cur < e->len)
		e->cur++;
}

void
edit_home(struct edit *e)
{
	e->goal = -1;
	e->cur = 0;
}

void
edit_end(struct edit *e)
{
	e->goal = -1;
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
	e->goal = -1;
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

static void
edit_lines_add(struct edit_lines *l, size_t start)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc == 0 ? 16 : l->alloc * 2;
		l->start = xreallocarray(l->start, l->alloc, sizeof *l->start);
	}
	l->start[l->n++] = start;
}

void
edit_lines_free(struct edit_lines *l)
{
	free(l->start);
	memset(l, 0, sizeof *l);
}

void
edit_wrap(const struct edit *e, int width, struct edit_lines *l)
{
	size_t	 i, brk = 0, line = 0;
	int	 col = 0, w;
	wchar_t	 c;

	if (width < 2)
		width = 2;
	l->n = 0;
	edit_lines_add(l, 0);
	for (i = 0; i < e->len; i++) {
		c = e->buf[i];
		if (c == L'\n') {
			edit_lines_add(l, line = i + 1);
			col = 0;
			brk = 0;
			continue;
		}
		w = wc_cols(c);
		if (c == L' ' && col + 1 > width) {
			/* The space hangs past the edge and ends the line. */
			edit_lines_add(l, line = i + 1);
			col = 0;
			brk = 0;
			continue;
		}
		if (col + w > width) {
			/* Before a wide character, else at the last break
			 * opportunity, else right here. */
			line = w == 2 || brk <= line ? i : brk;
			edit_lines_add(l, line);
			col = wcs_cols(&e->buf[line], i - line);
			brk = 0;
		}
		col += w;
		/* Break opportunities: after a space or a wide character. */
		if (c == L' ' || w == 2)
			brk = i + 1;
	}
}

void
edit_where(const struct edit *e, const struct edit_lines *l, size_t *line,
    int *col)
{
	size_t	 k = 0;

	while (k + 1 < l->n && l->start[k + 1] <= e->cur)
		k++;
	*line = k;
	*col = wcs_cols(&e->buf[l->start[k]], e->cur - l->start[k]);
}

void
edit_scroll(struct edit *e, const struct edit_lines *l, int height)
{
	size_t	 line;
	int	 col;

	if (height < 1)
		height = 1;
	edit_where(e, l, &line, &col);
	if (e->top > line)
		e->top = line;
	if (line >= e->top + (size_t)height)
		e->top = line - (size_t)height + 1;
	if (e->top >= l->n)
		e->top = l->n - 1;
}

/* The character index on line k nearest to column goal, not past it. */
static size_t
edit_at_col(const struct edit *e, const struct edit_lines *l, size_t k,
    int goal)
{
	size_t	 i = l->start[k], end;
	int	 col = 0;

	/* A cursor at the next line's start shows on that line. */
	end = k + 1 < l->n ? l->start[k + 1] - 1 : e->len;
	while (i < end && col + wc_cols(e->buf[i]) <= goal) {
		col += wc_cols(e->buf[i]);
		i++;
	}
	return i;
}

static bool
edit_line_move(struct edit *e, int width, bool down)
{
	struct edit_lines	 l = { 0 };
	size_t			 line;
	int			 col;
	bool			 moved = false;

	edit_wrap(e, width, &l);
	edit_where(e, &l, &line, &col);
	if (e->goal < 0)
		e->goal = col;
	if (down && line + 1 < l.n) {
		e->cur = edit_at_col(e, &l, line + 1, e->goal);
		moved = true;
	} else if (!down && line > 0) {
		e->cur = edit_at_col(e, &l, line - 1, e->goal);
		moved = true;
	}
	edit_lines_free(&l);
	return moved;
}

bool
edit_line_up(struct edit *e, int width)
{
	return edit_line_move(e, width, false);
}

bool
edit_line_down(struct edit *e, int width)
{
	return edit_line_move(e, width, true);
}

/* Home and End of a multi-line field: the start and end of the line. */
static void
edit_line_edge(struct edit *e, int width, bool end)
{
	struct edit_lines	 l = { 0 };
	size_t			 line;
	int			 col;

	edit_wrap(e, width, &l);
	edit_where(e, &l, &line, &col);
	if (!end)
		e->cur = l.start[line];
	else
		e->cur = line + 1 < l.n ? l.start[line + 1] - 1 : e->len;
	e->goal = -1;
	edit_lines_free(&l);
}

void
edit_line_home(struct edit *e, int width)
{
	edit_line_edge(e, width, false);
}

void
edit_line_end(struct edit *e, int width)
{
	edit_line_edge(e, width, true);
}

/*
 * form-draw.c — a form page on screen: the title with the page, section
 * headings, labels (* when required), the fields, a ! beside a wrong one,
 * and what a field's value tells (an ID number's birth date and sex, the
 * person found).  form_draw() draws the whole page and is for opening, a
 * new page, a resize or after a box; a key only redraws its own field
 * (form_draw_field), so ncurses sends the terminal a few bytes per key.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define FORM_TOP	4	/* first row of fields */

static attr_t
form_field_attr(void)
{
	return has_colors() ? COLOR_PAIR(4) : A_UNDERLINE;
}

static int
form_label_cols(struct form *f)
{
	size_t	 i;
	int	 w = 0, n;

	if (f->label_cols > 0)
		return f->label_cols;
	for (i = 0; i < f->def->nfields; i++)
		if ((n = utf8_cols(_(f->def->fields[i].label))) > w)
			w = n;
	f->label_cols = w > 24 ? 24 : w;
	return f->label_cols;
}

static int
form_x(struct form *f)
{
	return 2 + form_label_cols(f) + 2;
}

/* Columns the field takes: one more than declared, so the cursor after a
 * full value (or a space hanging at a line's end) has a cell. */
static int
form_w(struct form *f, const struct field_def *fd)
{
	int	 w = COLS - form_x(f) - 3;

	if (fd->width + 1 < w)
		w = fd->width + 1;
	return w < 3 ? 3 : w;
}

/* Columns of text in field i (a multi-line field wraps at this). */
int
form_text_cols(struct form *f, size_t i)
{
	return form_w(f, &f->def->fields[i]) - 1;
}

/* Rows of the page: one per line of each shown field, a heading row per
 * section, and a blank row between fields when they all fit that way. */
void
form_layout(struct form *f)
{
	const struct form_page	*pg = &f->def->pages[f->page];
	size_t			 i;
	int			 gap, row, avail = LINES - 2 - FORM_TOP;
	bool			 first;

	for (i = 0; i < f->def->nfields; i++)
		f->rows[i] = f->heads[i] = -1;
	for (gap = 1; gap >= 0; gap--) {
		row = FORM_TOP;
		first = true;
		for (i = pg->first; i < pg->first + pg->count; i++) {
			if (!form_shown(f, i))
				continue;
			if (!first)
				row += gap;
			if (f->def->fields[i].section != NULL) {
				if (!first && gap == 0)
					row++;
				f->heads[i] = row++;
			}
			f->rows[i] = row;
			row += f->def->fields[i].height;
			first = false;
		}
		if (row - FORM_TOP <= avail)
			break;
	}
}

static void
form_title(struct form *f, char **title)
{
	const struct form_page	*pg = &f->def->pages[f->page];

	if (f->def->npages < 2)
		*title = xstrdup(_(f->def->title));
	else
		xasprintf(title, "%s — %s  %zu/%zu", _(f->def->title),
		    pg->title != NULL ? _(pg->title) : "", f->page + 1,
		    f->def->npages);
}

/* The key bar for the field the cursor is in: only keys that work there,
 * spaced out when there is room, the least needed left out when there is
 * not.  Caller frees. */
static char *
form_keys(struct form *f)
{
	const struct field_def	*fd = &f->def->fields[f->cur];
	const char		*part[10];
	char			*s, *t;
	size_t			 n = 0, i, drop;
	int			 sep;

	part[n++] = _("F1 help");
	part[n++] = _("F2 save");
	part[n++] = _("F3 back");
	if (field_is_choice(fd))
		part[n++] = _("F4 list");
	else if (fd->type == FT_PERSON)
		part[n++] = _("F4 find");
	if (f->def->npages > 1)
		part[n++] = _("PgUp/Dn page");
	if (fd->height > 1)
		part[n++] = _("Enter new line");
	part[n++] = _("Tab next");
	drop = n;
	part[n++] = _("S-Tab prev");
	part[n++] = _("F10 log out");
	for (;;) {
		/* Two spaces between keys, one, then none before the first. */
		for (sep = 2; sep >= 0; sep--) {
			s = xstrdup("");
			for (i = 0; i < n; i++) {
				xasprintf(&t, "%s%*s%s", s, i == 0 ? sep > 0 :
				    sep > 0 ? sep : 1, "", part[i]);
				free(s);
				s = t;
			}
			if (utf8_cols(s) <= COLS || drop >= n)
				return s;
			free(s);
		}
		memmove(&part[drop], &part[drop + 1], (n - drop - 1) *
		    sizeof *part);
		n--;
	}
}

void
form_draw_keys(struct form *f)
{
	char	*keys;

	if (ui_too_small(f->ui))
		return;
	keys = form_keys(f);
	if (f->keys == NULL || strcmp(keys, f->keys) != 0) {
		ui_put(LINES - 1, 0, COLS, keys, has_colors() ?
		    COLOR_PAIR(1) | A_BOLD : A_REVERSE);
		free(f->keys);
		f->keys = keys;
	} else
		free(keys);
}

static void
form_draw_label(struct form *f, size_t i)
{
	const struct field_def	*fd = &f->def->fields[i];
	int			 lw = form_label_cols(f);
	char			*label, *s;

	xasprintf(&label, "%s%s", form_required(f, i) ? "*" : " ",
	    _(fd->label));
	s = utf8_fit(label, lw + 1);
	ui_put(f->rows[i], 2, lw + 1, "", A_NORMAL);
	mvaddstr(f->rows[i], 2 + lw + 1 - utf8_cols(s), s);
	free(s);
	free(label);
}

/* The lines of a multi-line field, scrolled to its cursor if current. */
static void
form_draw_lines(struct form *f, size_t i, int x, int w)
{
	const struct field_def	*fd = &f->def->fields[i];
	struct edit		*e = &f->values[i];
	struct edit_lines	 l = { 0 };
	size_t			 k, from, to;
	int			 r;
	char			*s;

	edit_wrap(e, w - 1, &l);
	if (i == f->cur)
		edit_scroll(e, &l, fd->height);
	else
		e->top = 0;
	for (r = 0; r < fd->height; r++) {
		k = e->top + (size_t)r;
		if (k < l.n) {
			from = l.start[k];
			to = k + 1 < l.n ? l.start[k + 1] : e->len;
			if (to > from && e->buf[to - 1] == L'\n')
				to--;
			s = utf8_from_wcs(&e->buf[from], to - from);
		} else
			s = xstrdup("");
		ui_put(f->rows[i] + r, x, w, s, form_field_attr());
		free(s);
	}
	/* More above or below than shows: say so at the edge. */
	ui_put(f->rows[i], x + w, 1, e->top > 0 ? "↑" : " ", A_BOLD);
	ui_put(f->rows[i] + fd->height - 1, x + w, 1,
	    e->top + (size_t)fd->height < l.n ? "↓" : " ", A_BOLD);
	edit_lines_free(&l);
}

/* A password as stars, one per column, so the cursor stays in step. */
static char *
form_stars(const wchar_t *w, size_t n)
{
	size_t	 i;
	int	 cols = 0;
	char	*s;

	for (i = 0; i < n; i++)
		cols += wc_cols(w[i]);
	s = xmalloc((size_t)cols + 1);
	memset(s, '*', (size_t)cols);
	s[cols] = '\0';
	return s;
}

void
form_draw_field(struct form *f, size_t i)
{
	const struct field_def	*fd = &f->def->fields[i];
	struct edit		*e = &f->values[i];
	int			 x = form_x(f), w = form_w(f, fd), col;
	size_t			 n, cur;
	char			*s, *hint;

	if (f->rows[i] < 0 || ui_too_small(f->ui))
		return;
	form_draw_label(f, i);
	if (fd->height > 1)
		form_draw_lines(f, i, x, w);
	else {
		if (i != f->cur) {
			/* Other fields show from their start. */
			cur = e->cur;
			e->cur = e->first = 0;
			edit_view(e, w, &n, &col);
			e->cur = cur;
		} else
			edit_view(e, w, &n, &col);
		if (fd->type == FT_PASSWORD)
			s = form_stars(&e->buf[e->first], n);
		else
			s = utf8_from_wcs(&e->buf[e->first], n);
		ui_put(f->rows[i], x, w, s, form_field_attr());
		free(s);
	}
	ui_put(f->rows[i], x + w + 1, 1, f->errors[i] != NULL ? "!" : " ",
	    has_colors() ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
	if (x + w + 3 < COLS) {
		s = edit_get(e);
		hint = fd->type == FT_IDCARD ? field_hint(fd, s) : NULL;
		ui_put(f->rows[i], x + w + 3, COLS - (x + w + 3), hint != NULL ?
		    hint : f->hints[i] != NULL ? f->hints[i] : "", A_NORMAL);
		free(hint);
		free(s);
	}
}

void
form_draw(struct form *f)
{
	const struct form_page	*pg = &f->def->pages[f->page];
	char			*title;
	size_t			 i;

	if (ui_too_small(f->ui))
		return;
	form_title(f, &title);
	free(f->keys);
	f->keys = form_keys(f);
	ui_frame(f->ui, title, f->keys);
	free(title);
	for (i = pg->first; i < pg->first + pg->count; i++) {
		if (f->heads[i] >= 0)
			ui_put(f->heads[i], 2, COLS - 4,
			    _(f->def->fields[i].section), A_BOLD);
		form_draw_field(f, i);
	}
}

void
form_place_cursor(struct form *f)
{
	const struct field_def	*fd = &f->def->fields[f->cur];
	struct edit		*e = &f->values[f->cur];
	struct edit_lines	 l = { 0 };
	size_t			 n, line;
	int			 x = form_x(f), w = form_w(f, fd), col;

	if (f->rows[f->cur] < 0 || ui_too_small(f->ui))
		return;
	if (fd->height > 1) {
		edit_wrap(e, w - 1, &l);
		edit_scroll(e, &l, fd->height);
		edit_where(e, &l, &line, &col);
		edit_lines_free(&l);
		if (col > w - 1)
			col = w - 1;
		move(f->rows[f->cur] + (int)(line - e->top), x + col);
	} else {
		edit_view(e, w, &n, &col);
		move(f->rows[f->cur], x + col);
	}
}

/*
 * form.c — a form on screen: labels, fields edited with the line editor
 * (edit.c), validation when leaving a field and again on save.  The caller
 * gets UK_SAVE or UK_BACK/UK_QUIT back and decides what saving means; what
 * was typed stays in the form until the caller frees it, so a refused save
 * loses nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define FORM_TOP	4

void
form_init(struct form *f, const struct form_def *def)
{
	size_t	 i;

	memset(f, 0, sizeof *f);
	f->def = def;
	f->values = xcalloc(def->nfields, sizeof *f->values);
	for (i = 0; i < def->nfields; i++) {
		edit_init(&f->values[i], (size_t)def->fields[i].max_length);
		edit_set(&f->values[i], def->fields[i].def);
	}
}

void
form_free(struct form *f)
{
	size_t	 i;

	for (i = 0; i < f->def->nfields; i++)
		edit_free(&f->values[i]);
	free(f->values);
	f->values = NULL;
}

/* The value of field name as UTF-8, stored in *tofree for the caller. */
const char *
form_value(struct form *f, const char *name, char **tofree)
{
	size_t	 i;

	*tofree = NULL;
	for (i = 0; i < f->def->nfields; i++) {
		if (strcmp(f->def->fields[i].name, name) == 0) {
			*tofree = edit_get(&f->values[i]);
			return *tofree;
		}
	}
	fatal("form %s has no field %s", f->def->name, name);
}

static int
form_label_cols(const struct form *f)
{
	size_t	 i;
	int	 w = 0, n;

	for (i = 0; i < f->def->nfields; i++)
		if ((n = utf8_cols(_(f->def->fields[i].label))) > w)
			w = n;
	return w > 24 ? 24 : w;
}

static void
form_draw(struct form *f, struct ui *ui, const char *const *errors)
{
	const struct field_def	*fd;
	struct edit		*e;
	size_t			 i, n;
	int			 lw, x, w, row, col = 0, cur_row = 0, cur_col = 0;
	char			*s, *label;
	attr_t			 a;

	if (ui_too_small(ui))
		return;
	ui_frame(ui, _(f->def->title), _(" F1 help  F2 save  F3 back  "
	    "Tab/↓ next  Shift-Tab/↑ previous  F10 log out"));
	lw = form_label_cols(f);
	x = 2 + lw + 2;
	a = has_colors() ? COLOR_PAIR(4) : A_UNDERLINE;
	for (i = 0; i < f->def->nfields; i++) {
		fd = &f->def->fields[i];
		e = &f->values[i];
		row = FORM_TOP + (int)i * 2;
		xasprintf(&label, "%s%s", fd->required ? "*" : " ", _(fd->label));
		s = utf8_fit(label, lw + 1);
		mvaddstr(row, 2 + lw + 1 - utf8_cols(s), s);
		free(s);
		free(label);
		/* One column more than declared: the cursor after a full
		 * field must not scroll its first character away. */
		w = fd->width + 1 < COLS - x - 3 ? fd->width + 1 : COLS - x - 3;
		if (i != f->cur) {
			/* Other fields show from their start. */
			size_t cur = e->cur;
			e->cur = e->first = 0;
			edit_view(e, w, &n, &col);
			e->cur = cur;
		} else
			edit_view(e, w, &n, &col);
		s = utf8_from_wcs(&e->buf[e->first], n);
		ui_put(row, x, w, s, a);
		free(s);
		if (errors[i] != NULL)
			ui_put(row, x + w + 1, 1, "!", has_colors() ?
			    COLOR_PAIR(2) | A_BOLD : A_BOLD);
		if (i == f->cur) {
			cur_row = row;
			cur_col = x + col;
		}
	}
	move(cur_row, cur_col);
	refresh();
}

static void
form_show_error(struct form *f, struct ui *ui, size_t i, const char *why)
{
	ui_status(ui, true, "%s: %s", _(f->def->fields[i].label), _(why));
}

static const char *
form_check_field(struct form *f, size_t i)
{
	char		*v = edit_get(&f->values[i]);
	const char	*why = field_validate(&f->def->fields[i], v);

	free(v);
	return why;
}

int
form_validate(struct form *f, struct ui *ui)
{
	size_t	 i;
	const char *why;

	for (i = 0; i < f->def->nfields; i++) {
		if ((why = form_check_field(f, i)) != NULL) {
			f->cur = i;
			form_show_error(f, ui, i, why);
			return -1;
		}
	}
	return 0;
}

static void
form_move(struct form *f, struct ui *ui, const char **errors, bool forward)
{
	size_t	 n = f->def->nfields;

	errors[f->cur] = form_check_field(f, f->cur);
	if (errors[f->cur] != NULL)
		form_show_error(f, ui, f->cur, errors[f->cur]);
	else
		ui_status(ui, false, "%s", "");
	f->cur = forward ? (f->cur + 1) % n : (f->cur + n - 1) % n;
}

/* Editing keys that are not intentions: arrows, deletion, ^A ^E ^U ^K. */
static void
form_edit_key(struct form *f, struct ui *ui, wint_t wc, int code)
{
	struct edit	*e = &f->values[f->cur];

	if (code != 0) {
		switch (code) {
		case KEY_LEFT:		edit_left(e); break;
		case KEY_RIGHT:		edit_right(e); break;
		case KEY_BACKSPACE:	edit_backspace(e); f->dirty = true; break;
		case KEY_DC:		edit_delete(e); f->dirty = true; break;
		case KEY_IC:		e->overwrite = !e->overwrite; break;
		}
		return;
	}
	switch (wc) {
	case 'A' - 64:	edit_home(e); return;
	case 'E' - 64:	edit_end(e); return;
	case 'B' - 64:	edit_word_left(e); return;
	case 'F' - 64:	edit_word_right(e); return;
	case 'U' - 64:	edit_kill_start(e); f->dirty = true; return;
	case 'K' - 64:	edit_kill_end(e); f->dirty = true; return;
	case 'H' - 64:
	case 0x7f:	edit_backspace(e); f->dirty = true; return;
	}
	if (wc < ' ')
		return;
	if (edit_insert(e, (wchar_t)wc) != 0)
		ui_status(ui, true, "%s: %s", _(f->def->fields[f->cur].label),
		    _("the field is full"));
	else
		f->dirty = true;
}

enum ui_key
form_run(struct form *f, struct ui *ui)
{
	const char	**errors;
	const struct field_def *fd;
	enum ui_key	  k;
	wint_t		  wc;
	int		  code;

	errors = xcalloc(f->def->nfields, sizeof *errors);
	for (;;) {
		form_draw(f, ui, errors);
		k = ui_key(ui, &wc, &code);
		switch (k) {
		case UK_SAVE:
			goto out;
		case UK_BACK:
		case UK_QUIT:
			if (!f->dirty || ui_confirm(ui,
			    _("Leave and discard what was typed?")))
				goto out;
			break;
		case UK_NEXT:
		case UK_ENTER:
		case UK_DOWN:
			form_move(f, ui, errors, true);
			break;
		case UK_PREV:
		case UK_UP:
			form_move(f, ui, errors, false);
			break;
		case UK_HOME:
			edit_home(&f->values[f->cur]);
			break;
		case UK_END:
			edit_end(&f->values[f->cur]);
			break;
		case UK_HELP:
			fd = &f->def->fields[f->cur];
			ui_message(ui, _(fd->label), fd->help != NULL ?
			    _(fd->help) : _("No help for this field."));
			break;
		case UK_CHAR:
		case UK_OTHER:
			form_edit_key(f, ui, wc, code);
			break;
		default:
			break;
		}
	}
out:
	free(errors);
	return k;
}

/*
 * form.c — a form at work: the clerk's keys, moving between fields and
 * pages, checking a field when the cursor leaves it and every field on
 * save.  The caller gets UK_SAVE (every shown field is valid) or
 * UK_BACK/UK_QUIT back and decides what saving means; what was typed stays
 * in the form until the caller frees it, so a refused save loses nothing.
 *
 * Drawing is form-draw.c's: a key redraws the field it changed, never the
 * whole screen, so a typed character costs the terminal a few bytes.
 * Drafts (form-draft.c) are saved when the cursor leaves a field, every few
 * seconds while typing, after a second without a key, and on a hangup.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define FORM_DRAFT_EVERY	5	/* seconds of typing between drafts */

/*
 * Bracketed paste: while a form runs the terminal marks a paste with
 * ESC [200~ ... ESC [201~, so a pasted Tab or line end stays in the field
 * (a space, or a new line in a multi-line field) instead of moving on.
 */
#define FORM_PASTE_BEGIN	(KEY_MAX + 1)
#define FORM_PASTE_END		(KEY_MAX + 2)

static int	 form_check(struct form *, size_t);

void
form_init(struct form *f, const struct form_def *def, struct ui *ui)
{
	size_t	 i, n = def->nfields;

	memset(f, 0, sizeof *f);
	f->def = def;
	f->ui = ui;
	f->values = xcalloc(n, sizeof *f->values);
	f->lists = xcalloc(n, sizeof *f->lists);
	f->loaded = xcalloc(n, sizeof *f->loaded);
	f->errors = xcalloc(n, sizeof *f->errors);
	f->hints = xcalloc(n, sizeof *f->hints);
	f->looked = xcalloc(n, sizeof *f->looked);
	f->fresh = xcalloc(n, sizeof *f->fresh);
	f->rows = xcalloc(n, sizeof *f->rows);
	f->heads = xcalloc(n, sizeof *f->heads);
	for (i = 0; i < n; i++) {
		edit_init(&f->values[i], (size_t)def->fields[i].max_length);
		f->values[i].multiline = def->fields[i].height > 1;
		edit_set(&f->values[i], def->fields[i].def);
		f->fresh[i] = field_is_choice(&def->fields[i]);
		/* A default code shows as its name, "t" as the date. */
		if (f->values[i].len > 0 && (f->fresh[i] ||
		    def->fields[i].type == FT_DATE ||
		    def->fields[i].type == FT_DATETIME))
			form_check(f, i);
	}
	f->draft_at = time(NULL);
	f->drafted = false;
}

void
form_free(struct form *f)
{
	size_t	 i;

	for (i = 0; i < f->def->nfields; i++) {
		edit_free(&f->values[i]);
		choices_free(&f->lists[i]);
		free(f->errors[i]);
		free(f->hints[i]);
		free(f->looked[i]);
	}
	free(f->values);
	free(f->lists);
	free(f->loaded);
	free(f->errors);
	free(f->hints);
	free(f->looked);
	free(f->fresh);
	free(f->rows);
	free(f->heads);
	free(f->keys);
	f->values = NULL;
}

/* The code table of field i: inline ones translated, sources read once. */
const struct choices *
form_list(struct form *f, size_t i)
{
	const struct field_def	*fd = &f->def->fields[i];
	char			*cause = NULL;

	if (!field_is_choice(fd) && !(fd->type == FT_TEXT && fd->source != NULL))
		return NULL;
	if (!f->loaded[i]) {
		if (fd->source != NULL) {
			if (form_source_load(f->ui->db, fd->source,
			    f->ui->user.locale != NULL ? f->ui->user.locale :
			    "zh_CN", &f->lists[i], &cause) != 0) {
				ui_status(f->ui, true, _("The list cannot be "
				    "loaded: %s"), _(cause));
				free(cause);
				return NULL;
			}
		} else
			choices_copy(&f->lists[i], fd->type == FT_YESNO ?
			    &yesno_choices : &fd->choices, true);
		f->loaded[i] = true;
	}
	return &f->lists[i];
}

/* The code table field i's value is checked against: a text field's
 * source only offers texts (F4), it is read when asked for. */
static const struct choices *
form_table(struct form *f, size_t i)
{
	return f->def->fields[i].type == FT_TEXT ? NULL : form_list(f, i);
}

/* Field i's value as it would be saved, or NULL; *out to clear. */
static const char *
form_field_value(struct form *f, size_t i, struct field_value *out)
{
	char	*text = edit_get(&f->values[i]);

	field_check(&f->def->fields[i], text, false, form_table(f, i),
	    time(NULL), out);
	free(text);
	return out->value;
}

static bool
form_cond(struct form *f, const struct cond *c)
{
	struct field_value	 v;
	bool			 holds;

	if (c->field < 0)
		return true;
	if (!form_shown(f, (size_t)c->field))
		return cond_holds(c, "");
	holds = cond_holds(c, form_field_value(f, (size_t)c->field, &v));
	field_value_clear(&v);
	return holds;
}

bool
form_shown(struct form *f, size_t i)
{
	return form_cond(f, &f->def->fields[i].show_if);
}

bool
form_required(struct form *f, size_t i)
{
	const struct field_def *fd = &f->def->fields[i];

	return fd->required || (fd->required_if.field >= 0 &&
	    form_cond(f, &fd->required_if));
}

const char *
form_value(struct form *f, const char *name, char **tofree)
{
	struct field_value	 v;
	int			 i = form_field_index(f->def, name);

	*tofree = NULL;
	if (i < 0)
		fatal("form %s has no field %s", f->def->name, name);
	if (!form_shown(f, (size_t)i))
		return "";
	form_field_value(f, (size_t)i, &v);
	*tofree = v.value != NULL ? v.value : xstrdup("");
	v.value = NULL;
	field_value_clear(&v);
	return *tofree;
}

static void
form_set_error(struct form *f, size_t i, char *why)
{
	free(f->errors[i]);
	f->errors[i] = why;
}

/* Check field i; show it as it was understood ("t" becomes the date, a
 * code its name).  0 when it is fine. */
static int
form_check(struct form *f, size_t i)
{
	struct field_value	 v;
	char			*text;
	int			 r;

	text = edit_get(&f->values[i]);
	r = field_check(&f->def->fields[i], text, form_required(f, i),
	    form_table(f, i), time(NULL), &v);
	if (r == 0 && v.display != NULL && strcmp(v.display, text) != 0) {
		edit_set(&f->values[i], v.display);
		f->drafted = true;
	}
	free(text);
	form_set_error(f, i, v.why);
	v.why = NULL;
	field_value_clear(&v);
	return r;
}

static void
form_show_error(struct form *f, size_t i)
{
	ui_status(f->ui, true, "%s: %s", _(f->def->fields[i].label),
	    f->errors[i]);
}

/* Whether a value changed which fields of this page show. */
static bool
form_visibility_changed(struct form *f)
{
	const struct form_page	*pg = &f->def->pages[f->page];
	size_t			 i;

	for (i = pg->first; i < pg->first + pg->count; i++)
		if (form_shown(f, i) != (f->rows[i] >= 0))
			return true;
	return false;
}

void
form_goto(struct form *f, size_t i)
{
	size_t	 p;

	f->cur = i;
	for (p = 0; p < f->def->npages; p++)
		if (i >= f->def->pages[p].first &&
		    i < f->def->pages[p].first + f->def->pages[p].count)
			break;
	if (p != f->page) {
		f->page = p;
		form_layout(f);
		form_draw(f);
	}
	f->fresh[i] = field_is_choice(&f->def->fields[i]);
}

int
form_validate(struct form *f)
{
	size_t	 i, first = f->def->nfields;

	for (i = 0; i < f->def->nfields; i++) {
		if (!form_shown(f, i)) {
			form_set_error(f, i, NULL);
			continue;
		}
		if (form_check(f, i) != 0 && first == f->def->nfields)
			first = i;
	}
	if (first == f->def->nfields)
		return 0;
	form_goto(f, first);
	form_layout(f);
	form_draw(f);
	form_show_error(f, first);
	return -1;
}

/* The cursor leaves field cur: check it, look up a person, and redraw
 * what its value changed. */
static void
form_leave(struct form *f)
{
	const struct field_def	*fd = &f->def->fields[f->cur];

	if (form_check(f, f->cur) != 0)
		form_show_error(f, f->cur);
	else {
		ui_status(f->ui, false, "%s", "");
		if (fd->type == FT_PERSON)
			form_person_lookup(f, f->cur);
	}
	f->values[f->cur].first = f->values[f->cur].top = 0;
	if (form_visibility_changed(f)) {
		form_layout(f);
		form_draw(f);
	} else
		form_draw_field(f, f->cur);
	if (f->drafted)
		form_draft_save(f);
}

/* To the next (or previous) shown field, across pages, round the end. */
static void
form_move(struct form *f, int dir)
{
	size_t	 n = f->def->nfields, i = f->cur, k;

	form_leave(f);
	for (k = 0; k < n; k++) {
		i = dir > 0 ? (i + 1) % n : (i + n - 1) % n;
		if (form_shown(f, i))
			break;
	}
	form_goto(f, i);
	form_draw_field(f, f->cur);
	form_draw_keys(f);
}

/* PgUp/PgDn: the first shown field of the page before or after. */
static void
form_page(struct form *f, int dir)
{
	size_t	 p = f->page, i;

	if (f->def->npages < 2)
		return;
	form_leave(f);
	for (;;) {
		if (dir > 0 && p + 1 >= f->def->npages)
			return;
		if (dir < 0 && p == 0)
			return;
		p = dir > 0 ? p + 1 : p - 1;
		for (i = f->def->pages[p].first;
		    i < f->def->pages[p].first + f->def->pages[p].count; i++)
			if (form_shown(f, i)) {
				form_goto(f, i);
				return;
			}
	}
}

static void
form_changed(struct form *f)
{
	f->dirty = f->drafted = true;
	f->fresh[f->cur] = false;
}

/* Editing keys that are not intentions: arrows, deletion, ^A ^E ^U ^K. */
static void
form_edit_key(struct form *f, wint_t wc, int code)
{
	struct edit	*e = &f->values[f->cur];

	if (code != 0) {
		switch (code) {
		case KEY_LEFT:		edit_left(e); break;
		case KEY_RIGHT:		edit_right(e); break;
		case KEY_BACKSPACE:	edit_backspace(e); form_changed(f); break;
		case KEY_DC:		edit_delete(e); form_changed(f); break;
		case KEY_IC:		e->overwrite = !e->overwrite; break;
		}
		f->fresh[f->cur] = false;
		return;
	}
	switch (wc) {
	case 'A' - 64:	edit_home(e); break;
	case 'E' - 64:	edit_end(e); break;
	case 'B' - 64:	edit_word_left(e); break;
	case 'F' - 64:	edit_word_right(e); break;
	case 'U' - 64:	edit_kill_start(e); form_changed(f); break;
	case 'K' - 64:	edit_kill_end(e); form_changed(f); break;
	case 'H' - 64:
	case 0x7f:	edit_backspace(e); form_changed(f); break;
	default:
		if (wc < ' ' && !(wc == '\n' && e->multiline))
			return;
		/* Typing into a chosen value replaces it. */
		if (f->fresh[f->cur])
			edit_set(e, "");
		if (edit_insert(e, (wchar_t)wc) != 0)
			ui_status(f->ui, true, "%s: %s",
			    _(f->def->fields[f->cur].label),
			    _("the field is full"));
		else
			form_changed(f);
		return;
	}
	f->fresh[f->cur] = false;
}

/* F4 in a text field with a source: a text from it (its title chosen)
 * goes at the end of what is there. */
static void
form_pick_text(struct form *f, const struct choices *t)
{
	struct edit	*e = &f->values[f->cur];
	char		*text, *s;
	int		 r;

	r = picklist_run(f->ui, _(f->def->fields[f->cur].label), t, "", 0,
	    NULL);
	if (r >= 0) {
		text = edit_get(e);
		xasprintf(&s, "%s%s%s", text, *text != '\0' ? "\n" : "",
		    t->v[r].text != NULL ? t->v[r].text : t->v[r].code);
		edit_set(e, s);
		edit_end(e);
		free(s);
		free(text);
		form_changed(f);
		form_set_error(f, f->cur, NULL);
	}
	ui_status(f->ui, false, "%s", "");
	form_draw(f);
}

/* F4: the pick list of a choice field, or a person looked up now. */
static void
form_pick(struct form *f)
{
	const struct field_def	*fd = &f->def->fields[f->cur];
	const struct choices	*t;
	struct field_value	 v;
	struct edit		*e = &f->values[f->cur];
	char			*text, *filter, *s, *label;
	bool			*marks = NULL;
	size_t			 i, sel = 0;
	int			 r;

	if (fd->type == FT_PERSON) {
		form_leave(f);
		form_draw(f);
		return;
	}
	if (fd->type == FT_TEXT && fd->source == NULL)
		return;
	if ((t = form_list(f, f->cur)) == NULL)
		return;
	if (fd->type == FT_TEXT) {
		form_pick_text(f, t);
		return;
	}
	text = edit_get(e);
	filter = xstrdup(text);
	/* A value already chosen: show the whole list, from it. */
	if (choice_resolve(t, text, &sel) == 0 &&
	    strcmp(t->v[sel].label, text) == 0) {
		free(filter);
		filter = xstrdup("");
	} else
		sel = 0;
	if (fd->type == FT_FLAGS) {
		marks = xcalloc(t->n + 1, sizeof *marks);
		if (field_check(fd, text, false, t, time(NULL), &v) == 0 &&
		    v.value != NULL)
			for (i = 0; i < t->n; i++)
				marks[i] = cond_holds(&(struct cond){ .field = 0,
				    .values = &t->v[i].code, .nvalues = 1 },
				    v.value);
		field_value_clear(&v);
		free(filter);
		filter = xstrdup("");
	}
	xasprintf(&label, "%s", _(fd->label));
	r = picklist_run(f->ui, label, t, filter, sel, marks);
	free(label);
	if (r >= 0 && marks == NULL) {
		edit_set(e, t->v[r].label);
		form_changed(f);
		f->fresh[f->cur] = true;
		form_set_error(f, f->cur, NULL);
	} else if (r == 0) {
		s = xstrdup("");
		for (i = 0; i < t->n; i++) {
			if (!marks[i])
				continue;
			xasprintf(&label, "%s%s%s", s, *s != '\0' ? _(", ") : "",
			    t->v[i].label);
			free(s);
			s = label;
		}
		edit_set(e, s);
		edit_end(e);
		free(s);
		form_changed(f);
		form_set_error(f, f->cur, NULL);
	}
	free(marks);
	free(filter);
	free(text);
	ui_status(f->ui, false, "%s", "");
	form_draw(f);
}

static void
form_help(struct form *f)
{
	const struct field_def	*fd = &f->def->fields[f->cur];

	ui_message(f->ui, _(fd->label), fd->help != NULL ? _(fd->help) :
	    _("No help for this field."));
	form_draw(f);
}

static bool
form_vertical(struct form *f, bool down)
{
	struct edit	*e = &f->values[f->cur];
	bool		 moved;

	if (!e->multiline)
		return false;
	moved = down ? edit_line_down(e, form_text_cols(f, f->cur)) :
	    edit_line_up(e, form_text_cols(f, f->cur));
	return moved;
}

/* Home/End: of the line in a multi-line field, else of the value. */
static void
form_home_end(struct form *f, bool end)
{
	struct edit	*e = &f->values[f->cur];

	if (e->multiline && end)
		edit_line_end(e, form_text_cols(f, f->cur));
	else if (e->multiline)
		edit_line_home(e, form_text_cols(f, f->cur));
	else if (end)
		edit_end(e);
	else
		edit_home(e);
	f->fresh[f->cur] = false;
	form_draw_field(f, f->cur);
}

enum ui_key
form_run(struct form *f)
{
	struct ui	*ui = f->ui;
	enum ui_key	 k;
	wint_t		 wc;
	int		 code;

	ui->save_hook = form_draft_hangup;
	ui->tick_hook = form_draft_tick;
	ui->save_arg = f;
	define_key("\033[200~", FORM_PASTE_BEGIN);
	define_key("\033[201~", FORM_PASTE_END);
	putp("\033[?2004h");
	while (!form_shown(f, f->cur) && f->cur + 1 < f->def->nfields)
		f->cur++;
	form_goto(f, f->cur);
	form_layout(f);
	form_draw(f);
	for (;;) {
		form_place_cursor(f);
		refresh();
		/* The key just typed is on the screen: now the draft may take
		 * its time (a database write) without delaying the echo. */
		if (f->drafted && time(NULL) - f->draft_at >= FORM_DRAFT_EVERY)
			form_draft_save(f);
		k = ui_key(ui, &wc, &code);
		if (code == FORM_PASTE_BEGIN || code == FORM_PASTE_END) {
			f->pasting = code == FORM_PASTE_BEGIN;
			continue;
		}
		if (f->pasting && (k == UK_NEXT || k == UK_ENTER)) {
			/* Pasted: a Tab is a space, a line end a new line
			 * where there can be one. */
			k = UK_CHAR;
			wc = wc == '\t' || !f->values[f->cur].multiline ? ' ' :
			    '\n';
		}
		switch (k) {
		case UK_SAVE:
			form_leave(f);
			if (form_validate(f) == 0)
				goto out;
			break;
		case UK_BACK:
		case UK_QUIT:
			if (!f->dirty || f->def->no_confirm_leave ||
			    ui_confirm(ui,
			    _("Leave and discard what was typed?"))) {
				form_draft_discard(f);
				goto out;
			}
			form_draw(f);
			break;
		case UK_ENTER:
			if (f->values[f->cur].multiline) {
				form_edit_key(f, '\n', 0);
				form_draw_field(f, f->cur);
			} else
				form_move(f, 1);
			break;
		case UK_NEXT:
			form_move(f, 1);
			break;
		case UK_DOWN:
			if (form_vertical(f, true))
				form_draw_field(f, f->cur);
			else
				form_move(f, 1);
			break;
		case UK_PREV:
			form_move(f, -1);
			break;
		case UK_UP:
			if (form_vertical(f, false))
				form_draw_field(f, f->cur);
			else
				form_move(f, -1);
			break;
		case UK_PGDN:
		case UK_PGUP:
			form_page(f, k == UK_PGDN ? 1 : -1);
			form_draw_keys(f);
			break;
		case UK_HOME:
		case UK_END:
			form_home_end(f, k == UK_END);
			break;
		case UK_HELP:
			form_help(f);
			break;
		case UK_RESIZE:
			form_layout(f);
			form_draw(f);
			break;
		case UK_OTHER:
			if (code == KEY_F(4)) {
				form_pick(f);
				break;
			}
			/* FALLTHROUGH */
		case UK_CHAR:
			form_edit_key(f, wc, code);
			form_draw_field(f, f->cur);
			break;
		default:
			break;
		}
	}
out:
	putp("\033[?2004l");
	f->pasting = false;
	ui->save_hook = NULL;
	ui->tick_hook = NULL;
	ui->save_arg = NULL;
	return k;
}

/* forms/NAME.conf of the configured forms folder; NULL when it cannot be
 * read, said on the status line (file:line and why). */
struct form_def *
ui_form_load(struct ui *ui, const char *name)
{
	struct form_def	*def;
	char		*path, *cause = NULL;

	xasprintf(&path, "%s/%s.conf", ui->cfg->forms_dir, name);
	def = form_load(path, &cause);
	free(path);
	if (def == NULL) {
		ui_status(ui, true, "%s", cause);
		free(cause);
	}
	return def;
}

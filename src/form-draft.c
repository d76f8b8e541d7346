/*
 * form-draft.c — a form being filled, kept as a draft in the database
 * (caseterm.form_draft, sql/010_drafts.sql): every field's text as typed,
 * the field the cursor is in and where in it.  form.c saves the draft when
 * the cursor leaves a field and every few seconds while the clerk types,
 * the tick hook after a second without a key, and the save hook when the
 * UI must leave at once (SIGHUP: the connection dropped; SIGTERM).  A
 * killed process loses at most the last few seconds.
 *
 * Opening a form with a draft asks whether to resume it; after login,
 * draft_offer() asks about the newest draft and opens its screen.  Leaving
 * a form with consent discards its draft; saving it for real deletes the
 * draft in the same statement as the save (the screen's SQL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The form draft_offer() opened: resumed without asking again. */
static char	*draft_autoresume;
/* Saving drafts fails (the database is away): said once in the log. */
static bool	 draft_failing;

struct draft_buf {
	char	*s;
	size_t	 len, size;
};

static void
draft_put(struct draft_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		b->size = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, b->size, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* s as a JSON string. */
static void
draft_put_json(struct draft_buf *b, const char *s)
{
	char	 esc[8];

	draft_put(b, "\"", 1);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\') {
			esc[0] = '\\';
			esc[1] = *s;
			draft_put(b, esc, 2);
		} else if ((unsigned char)*s < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned char)*s);
			draft_put(b, esc, 6);
		} else
			draft_put(b, s, 1);
	}
	draft_put(b, "\"", 1);
}

void
form_draft_save(struct form *f)
{
	struct draft_buf	 b = { 0 };
	const char		*p[4];
	char			*v, *cause = NULL, pos[32];
	PGresult		*res;
	size_t			 i;

	if (f->def->no_drafts)
		return;
	draft_put(&b, "{", 1);
	for (i = 0; i < f->def->nfields; i++) {
		if (i > 0)
			draft_put(&b, ",", 1);
		draft_put_json(&b, f->def->fields[i].name);
		draft_put(&b, ":", 1);
		v = edit_get(&f->values[i]);
		draft_put_json(&b, v);
		free(v);
	}
	draft_put(&b, "}", 1);
	snprintf(pos, sizeof pos, "%zu", f->values[f->cur].cur);
	p[0] = f->def->name;
	p[1] = f->def->fields[f->cur].name;
	p[2] = pos;
	p[3] = b.s;
	res = db_call(f->ui->db, "SELECT caseterm.draft_save($1, $2, $3::int, "
	    "$4::jsonb)", 4, p, &cause);
	if (res == NULL) {
		/* Typing goes on; the next try comes in a moment. */
		if (!draft_failing)
			log_warn("draft of %s not saved: %s", f->def->name,
			    cause);
		draft_failing = true;
		free(cause);
	} else {
		f->drafted = false;
		draft_failing = false;
	}
	PQclear(res);
	f->draft_at = time(NULL);
	explicit_bzero(b.s, b.len);
	free(b.s);
}

void
form_draft_discard(struct form *f)
{
	const char	*p[1] = { f->def->name };
	char		*cause = NULL;

	if (f->def->no_drafts)
		return;
	PQclear(db_call(f->ui->db, "SELECT caseterm.draft_delete($1)", 1, p,
	    &cause));
	if (cause != NULL)
		log_warn("draft of %s not discarded: %s", f->def->name, cause);
	free(cause);
	f->drafted = false;
}

void
form_draft_tick(struct ui *ui, void *arg)
{
	struct form	*f = arg;

	if (f != NULL && f->drafted)
		form_draft_save(f);
}

void
form_draft_hangup(struct ui *ui, void *arg)
{
	struct form	*f = arg;

	if (f != NULL && (f->dirty || f->drafted))
		form_draft_save(f);
}

/* The draft's values into the form, the cursor where it was. */
static void
draft_apply(struct form *f, PGresult *res)
{
	struct edit	*e;
	int		 r, j;
	size_t		 pos;

	for (r = 0; r < PQntuples(res); r++) {
		if (PQgetisnull(res, r, 2) ||
		    (j = form_field_index(f->def, PQgetvalue(res, r, 2))) < 0)
			continue;
		edit_set(&f->values[j], PQgetvalue(res, r, 3));
		f->fresh[j] = false;
	}
	if ((j = form_field_index(f->def, PQgetvalue(res, 0, 0))) >= 0) {
		e = &f->values[j];
		pos = strtoul(PQgetvalue(res, 0, 1), NULL, 10);
		form_goto(f, (size_t)j);
		e->cur = pos < e->len ? pos : e->len;
		f->fresh[j] = false;
	}
	f->dirty = true;
}

bool
form_draft_resume(struct form *f)
{
	const char	*p[1] = { f->def->name };
	PGresult	*res;
	char		*cause = NULL, *q;
	bool		 resume;

	if (f->def->no_drafts)
		return false;
	res = db_call(f->ui->db, "SELECT field, cursor_pos, name, value, "
	    "to_char(saved_at AT TIME ZONE 'Asia/Shanghai', "
	    "'YYYY-MM-DD HH24:MI') FROM caseterm.draft_load($1)", 1, p,
	    &cause);
	if (res == NULL) {
		log_warn("draft of %s not read: %s", f->def->name, cause);
		free(cause);
		return false;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		return false;
	}
	resume = draft_autoresume != NULL &&
	    strcmp(draft_autoresume, f->def->name) == 0;
	if (!resume) {
		ui_frame(f->ui, _(f->def->title), "");
		xasprintf(&q, _("Left unfinished at %s. Resume it? (n: start "
		    "anew)"), PQgetvalue(res, 0, 4));
		resume = ui_confirm(f->ui, q);
		free(q);
	}
	if (resume) {
		draft_apply(f, res);
		ui_status(f->ui, false, _("Resumed the draft saved at %s."),
		    PQgetvalue(res, 0, 4));
	} else
		form_draft_discard(f);
	PQclear(res);
	return resume;
}

/* The menu item that opens screen, if this clerk may open it. */
static const struct menu_item *
draft_menu_item(struct ui *ui, const char *screen)
{
	size_t	 i;

	for (i = 0; i < ui->menu->nitems; i++)
		if (strcmp(ui->menu->items[i].screen, screen) == 0 &&
		    menu_allows(&ui->menu->items[i], ui->user.roles,
		    ui->user.level_bit))
			return &ui->menu->items[i];
	return NULL;
}

void
draft_offer(struct ui *ui)
{
	const struct menu_item	*mi = NULL;
	struct form_def		*def;
	PGresult		*res;
	char			*cause = NULL, *path, *q;
	int			 r;

	res = db_call(ui->db, "SELECT form, to_char(saved_at AT TIME ZONE "
	    "'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM "
	    "caseterm.draft_list()", 0, NULL, &cause);
	if (res == NULL) {
		log_warn("drafts not read: %s", cause);
		free(cause);
		return;
	}
	/* The newest draft of a form this clerk may still open. */
	for (r = 0; r < PQntuples(res); r++)
		if ((mi = draft_menu_item(ui, PQgetvalue(res, r, 0))) != NULL)
			break;
	if (mi == NULL) {
		PQclear(res);
		return;
	}
	xasprintf(&path, "%s/%s.conf", ui->cfg->forms_dir, mi->screen);
	def = form_load(path, &cause);
	free(path);
	free(cause);
	ui_frame(ui, _("Unfinished form"), "");
	xasprintf(&q, _("Resume \"%s\", left unfinished at %s?"),
	    def != NULL ? _(def->title) : _(mi->label), PQgetvalue(res, r, 1));
	form_def_free(def);
	PQclear(res);
	if (ui_confirm(ui, q)) {
		draft_autoresume = xstrdup(mi->screen);
		screen_open(ui, mi);
		free(draft_autoresume);
		draft_autoresume = NULL;
	}
	free(q);
}

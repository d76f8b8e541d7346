/*
 * screen-knowledge.c — the knowledge base (sql/039_knowledge.sql): every
 * clerk looks articles up by words (forms/knowledge.conf) and reads them;
 * supervisors and administrators write one (F5 in the list) or change one
 * (F5 on it; forms/kb-article.conf), and withdraw or restore one (F6).
 * The consultation form's answer takes an article's text with F4
 * (form-source.c, "knowledge").
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* The columns of KB_SQL after the shown ones. */
enum { KB_ID = 4, KB_TITLE, KB_BODY, KB_TOPIC, KB_DISABLED };
#define KB_SQL "SELECT title, coalesce(topic_name, ''), to_char(updated_at " \
	"AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), '', id::text, title, " \
	"body, coalesce((SELECT a.topic FROM caseterm.kb_article a WHERE " \
	"a.id = k.id), ''), disabled FROM caseterm.kb_search(nullif($1, '')) k"

static const struct dialog kb_new = { "kb-article", NULL,
	"SELECT caseterm.kb_save(NULL, $1, $2, $3)",
	{ "title", "body", "topic" } };
static const struct dialog kb_change = { "kb-article", NULL,
	"SELECT caseterm.kb_save($1::bigint, $2, $3, $4)",
	{ "title", "body", "topic" } };

static bool
kb_keeper(const struct ui *ui)
{
	return (ui->user.roles & (ROLE_SUPERVISOR | ROLE_ADMIN)) != 0;
}

static int
kb_fill(struct ui *ui, struct list_view *lv)
{
	const char	*p[1] = { lv->arg };
	PGresult	*res;
	char		*cause = NULL, *t;
	size_t		 i;

	if ((res = db_call(ui->db, KB_SQL, 1, p, &cause)) == NULL) {
		ui_status(ui, true, _("Cannot load the list: %s"), _(cause));
		free(cause);
		return -1;
	}
	list_free(lv);
	list_load(lv, res);
	PQclear(res);
	for (i = 0; i < lv->nrows; i++) {
		if (strcmp(lv->rows[i][KB_DISABLED], "t") != 0)
			continue;
		t = xstrdup(_("withdrawn"));
		free(lv->rows[i][3]);
		lv->rows[i][3] = t;
	}
	if (lv->sel >= lv->nrows)
		lv->sel = lv->nrows > 0 ? lv->nrows - 1 : 0;
	if (lv->nrows == 0)
		ui_status(ui, false, "%s", _("No article holds these words."));
	return 0;
}

/* F5 on an article: change it; F6: withdraw or restore it. */
static void
kb_article_key(struct ui *ui, struct pager *pg, int code)
{
	char		**row = pg->arg;
	const char	*defaults[] = { "title", row[KB_TITLE], "body",
	    row[KB_BODY], "topic", row[KB_TOPIC], NULL };
	bool		 withdrawn = strcmp(row[KB_DISABLED], "t") == 0;

	if (!kb_keeper(ui))
		return;
	if (code == KEY_F(5) && dialog_run(ui, &kb_change, row[KB_ID],
	    defaults, NULL))
		ui_status(ui, false, "%s", _("Saved: the list shows it."));
	else if (code == KEY_F(6))
		dialog_confirm(ui, withdrawn ? _("Restore this article?") :
		    _("Withdraw this article? Clerks no longer find it in the "
		    "consultation form."), withdrawn ?
		    "SELECT caseterm.kb_set_disabled($1::bigint, false)" :
		    "SELECT caseterm.kb_set_disabled($1::bigint, true)",
		    row[KB_ID], withdrawn ? _("Restore the article") :
		    _("Withdraw the article"));
}

/* One line of text as lines of at most cols columns. */
static void
kb_wrap(struct pager *pg, const char *line, int cols)
{
	char	*piece;
	size_t	 len;

	do {
		piece = utf8_fit(line, cols > 1 ? cols : 1);
		if ((len = strlen(piece)) == 0)
			len = strlen(line);	/* wider than the screen */
		pager_add(pg, A_NORMAL, "%.*s", (int)len, line);
		free(piece);
		line += len;
	} while (*line != '\0');
}

/* Enter: the article in full. */
static void
kb_open(struct ui *ui, struct list_view *lv, size_t i)
{
	char		**row = lv->rows[i], *body, *line, *save = NULL;
	struct pager	 pg;

	memset(&pg, 0, sizeof pg);
	pg.title = row[KB_TITLE];
	pg.arg = row;
	if (kb_keeper(ui)) {
		pg.key = kb_article_key;
		pg.keys = _(" ↑↓ scroll   F5 change   F6 withdraw/restore   "
		    "F3 back");
	}
	if (*row[1] != '\0')
		pager_add(&pg, A_BOLD, _("Category: %s"), row[1]);
	body = xstrdup(row[KB_BODY]);
	for (line = strtok_r(body, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		kb_wrap(&pg, line, COLS - 4);
	free(body);
	pager_run(ui, &pg);
	pager_clear(&pg);
	lv->reload = true;
}

/* F5 in the list: a new article. */
static void
kb_list_key(struct ui *ui, struct list_view *lv, int code)
{
	if (code == KEY_F(5) && kb_keeper(ui) && dialog_run(ui, &kb_new,
	    NULL, NULL, NULL))
		lv->reload = true;
}

static void
kb_results(struct ui *ui, const char *words)
{
	static const struct list_col cols[] = {
		{ N_("Title"), 44 }, { N_("Category"), 12 },
		{ N_("Updated"), 10 }, { N_("State"), 0 },
	};
	struct list_view	 lv;

	memset(&lv, 0, sizeof lv);
	lv.title = _("Knowledge base");
	lv.cols = cols;
	lv.ncols = sizeof cols / sizeof cols[0];
	lv.open = kb_open;
	lv.arg = (void *)words;
	if (kb_keeper(ui)) {
		lv.key = kb_list_key;
		lv.keys = _(" ↑↓ move   Enter read   F5 new article   F3 back   "
		    "F10 log out");
	}
	list_run_reload(ui, &lv, kb_fill);
}

void
screen_knowledge(struct ui *ui)
{
	struct form_def	*def;
	struct form	 f;
	const char	*words;
	char		*tofree = NULL;
	enum ui_key	 k;

	if ((def = ui_form_load(ui, "knowledge")) == NULL)
		return;
	form_init(&f, def, ui);
	ui_status(ui, false, "%s", _("Type words to look for (or none), then "
	    "F2."));
	while ((k = form_run(&f)) == UK_SAVE) {
		words = form_value(&f, "words", &tofree);
		kb_results(ui, words);
		free(tofree);
		if (ui->quit)
			break;
	}
	if (k == UK_QUIT)
		ui->quit = true;
	form_free(&f);
	form_def_free(def);
}

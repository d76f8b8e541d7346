/*
 * case-receipt.c — the applicant's receipt (回执): the case number, what
 * was received and when, the deadline and the hotline number.  It is shown
 * on the screen and sent to the terminal's printer with ANSI media copy
 * (ESC [ 5 i ... ESC [ 4 i), as thin clients with a local printer use it:
 * ncurses' mcprint() where the terminal description knows the sequences,
 * else the sequences themselves.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

#define RECEIPT_SQL "SELECT case_no, kind, subject, " \
	"coalesce(applicant_name, ''), to_char(created_at AT TIME ZONE " \
	"'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), coalesce(to_char(deadline AT " \
	"TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), '-'), " \
	"coalesce(intake_unit_name, unit_name) FROM caseterm.case_detail($1)"
#define RECEIPT_LINES	9

static void
receipt_print(const char *text)
{
	size_t	 len = strlen(text);

	refresh();
	if (mcprint((char *)text, (int)len) == ERR) {
		/* No mc5/mc4 in terminfo: the ANSI sequences themselves. */
		if (write(STDOUT_FILENO, "\033[5i", 4) != 4 ||
		    write(STDOUT_FILENO, text, len) != (ssize_t)len ||
		    write(STDOUT_FILENO, "\033[4i", 4) != 4)
			log_warn("receipt not sent to the printer");
	}
	clearok(curscr, TRUE);	/* whatever the terminal did, draw anew */
}

void
case_receipt(struct ui *ui, struct case_ref *ref)
{
	const char	*p[1] = { ref->id };
	PGresult	*res;
	char		*line[RECEIPT_LINES], *text, *t, *subject, *cause = NULL;
	size_t		 i, len = 0;
	int		 row, code;
	wint_t		 wc;

	if ((res = db_call(ui->db, RECEIPT_SQL, 1, p, &cause)) == NULL ||
	    PQntuples(res) != 1) {
		ui_status(ui, true, "%s", cause != NULL ? _(cause) : "");
		free(cause);
		PQclear(res);
		return;
	}
	subject = utf8_fit(PQgetvalue(res, 0, 2), 40);
	for (t = subject; *t != '\0'; t++)
		if (*t == '\n' || *t == '\r')
			*t = ' ';
	xasprintf(&line[0], "%s", _("12348 Public Legal Service: receipt"));
	xasprintf(&line[1], _("Case number: %s"), PQgetvalue(res, 0, 0));
	xasprintf(&line[2], _("Received: %s — %s"),
	    case_kind_label(PQgetvalue(res, 0, 1)), subject);
	xasprintf(&line[3], _("Applicant: %s"), PQgetvalue(res, 0, 3));
	xasprintf(&line[4], _("Received at: %s"), PQgetvalue(res, 0, 4));
	xasprintf(&line[5], _("To be handled by: %s"), PQgetvalue(res, 0, 5));
	xasprintf(&line[6], _("Received by: %s"), PQgetvalue(res, 0, 6));
	xasprintf(&line[7], "%s", _("Questions: call the 12348 hotline, "
	    "quoting the case number."));
	xasprintf(&line[8], "%s", "");
	free(subject);
	PQclear(res);

	for (i = 0; i < RECEIPT_LINES; i++)
		len += strlen(line[i]) + 2;
	text = xcalloc(1, len + 1);
	for (i = 0; i < RECEIPT_LINES; i++) {
		strcat(text, line[i]);
		strcat(text, "\r\n");
	}
	receipt_print(text);
	free(text);

	ui_frame(ui, _("Receipt"), _(" Enter or F3 back: the receipt went to "
	    "the printer"));
	for (i = 0, row = 4; i < RECEIPT_LINES; i++, row++)
		ui_put(row, 4, COLS - 8, line[i], i == 0 ? A_BOLD : A_NORMAL);
	refresh();
	ui_status(ui, false, "%s", _("Receipt sent to the terminal's printer."));
	for (;;) {
		enum ui_key k = ui_key(ui, &wc, &code);
		if (k == UK_ENTER || k == UK_BACK || k == UK_QUIT) {
			if (k == UK_QUIT)
				ui->quit = true;
			break;
		}
	}
	for (i = 0; i < RECEIPT_LINES; i++)
		free(line[i]);
}

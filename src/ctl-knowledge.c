/*
 * ctl-knowledge.c — the demo's knowledge base: the articles of
 * data/knowledge.txt ("== title | category" and the lines of its text),
 * each saved with kb_save() (sql/039_knowledge.sql), so that loading the
 * demo again changes an article instead of adding it twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

static void
kb_flush(struct ctl *ctl, char *title, char *body, int *n)
{
	const char	*p[3];
	char		*topic, *e;
	size_t		 len = strlen(body);

	if (*title == '\0')
		return;
	while (len > 0 && body[len - 1] == '\n')
		body[--len] = '\0';
	topic = strstr(title, " | ");
	if (topic != NULL) {
		*topic = '\0';
		topic += 3;
	}
	for (e = title + strlen(title); e > title && e[-1] == ' '; e--)
		e[-1] = '\0';
	p[0] = title;
	p[1] = body;
	p[2] = topic;
	PQclear(ctl_exec(ctl, "SELECT caseterm.kb_save((SELECT id FROM "
	    "caseterm.kb_article WHERE title = $1), $1, $2, $3)", 3, p));
	(*n)++;
}

/* The articles loaded, or -1 when the file cannot be read (said). */
int
ctl_demo_knowledge(struct ctl *ctl)
{
	FILE	*fp;
	char	 line[2048], title[sizeof line] = "", *path, *t;
	char	*body = xstrdup("");
	int	 n = 0;

	xasprintf(&path, "%s/knowledge.txt", ctl->cfg->data_dir);
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "casetermctl: %s: %s\n", path, strerror(errno));
		free(path);
		free(body);
		return -1;
	}
	free(path);
	while (fgets(line, sizeof line, fp) != NULL) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		if (strncmp(line, "== ", 3) == 0) {
			kb_flush(ctl, title, body, &n);
			snprintf(title, sizeof title, "%s", line + 3);
			body[0] = '\0';
			continue;
		}
		if (*title == '\0' || (*body == '\0' && *line == '\0'))
			continue;
		xasprintf(&t, "%s%s\n", body, line);
		free(body);
		body = t;
	}
	kb_flush(ctl, title, body, &n);
	fclose(fp);
	free(body);
	return n;
}

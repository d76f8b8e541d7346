/*
 * form-write.c — a struct form_def written back as a form file, every
 * setting spelled out.  form_load(form_write(form_load(f))) gives the same
 * form: the unit tests round-trip every shipped form through it, so the
 * loader and forms/README cannot drift apart unnoticed.
 */
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "form.h"

static void
fw_string(config_setting_t *g, const char *name, const char *v)
{
	if (v != NULL)
		config_setting_set_string(config_setting_add(g, name,
		    CONFIG_TYPE_STRING), v);
}

static void
fw_int(config_setting_t *g, const char *name, int v)
{
	config_setting_set_int(config_setting_add(g, name, CONFIG_TYPE_INT), v);
}

/* "field", "field=a|b", "field!=a". */
static void
fw_cond(config_setting_t *g, const char *name, const struct form_def *fd,
    const struct cond *c)
{
	char	*s, *t;
	size_t	 i;

	if (c->field < 0)
		return;
	s = xstrdup(fd->fields[c->field].name);
	for (i = 0; i < c->nvalues; i++) {
		xasprintf(&t, "%s%s%s", s, i > 0 ? "|" : c->negate ? "!=" : "=",
		    c->values[i]);
		free(s);
		s = t;
	}
	fw_string(g, name, s);
	free(s);
}

static void
fw_field(config_setting_t *g, const struct form_def *fd,
    const struct field_def *f)
{
	config_setting_t	*l, *e;
	size_t			 i;

	fw_string(g, "name", f->name);
	fw_string(g, "label", f->label);
	fw_string(g, "type", field_type_name(f->type));
	fw_int(g, "width", f->width);
	if (f->type == FT_TEXT)
		fw_int(g, "height", f->height);
	if (f->type == FT_TEXT || f->type == FT_PASSWORD)
		fw_int(g, "min_length", f->min_length);
	fw_int(g, "max_length", f->max_length);
	config_setting_set_bool(config_setting_add(g, "required",
	    CONFIG_TYPE_BOOL), f->required);
	fw_string(g, "default", f->def);
	fw_string(g, "help", f->help);
	fw_string(g, "pattern", f->pattern);
	fw_string(g, "pattern_help", f->pattern_help);
	fw_string(g, "min", f->min);
	fw_string(g, "max", f->max);
	if (f->choices.n > 0) {
		l = config_setting_add(g, "choices", CONFIG_TYPE_LIST);
		for (i = 0; i < f->choices.n; i++) {
			e = config_setting_add(l, NULL, CONFIG_TYPE_GROUP);
			fw_string(e, "code", f->choices.v[i].code);
			fw_string(e, "label", f->choices.v[i].label);
		}
	}
	fw_string(g, "source", f->source);
	fw_cond(g, "show_if", fd, &f->show_if);
	fw_cond(g, "required_if", fd, &f->required_if);
	if (f->type == FT_PERSON && (f->fills.name >= 0 ||
	    f->fills.id_number >= 0 || f->fills.phone >= 0)) {
		e = config_setting_add(g, "fills", CONFIG_TYPE_GROUP);
		if (f->fills.name >= 0)
			fw_string(e, "name", fd->fields[f->fills.name].name);
		if (f->fills.id_number >= 0)
			fw_string(e, "id_number",
			    fd->fields[f->fills.id_number].name);
		if (f->fills.phone >= 0)
			fw_string(e, "phone", fd->fields[f->fills.phone].name);
	}
	fw_string(g, "page_title", f->page);
	fw_string(g, "section_title", f->section);
}

int
form_write(const struct form_def *fd, const char *path, char **cause)
{
	config_t		 lc;
	config_setting_t	*form, *fields;
	size_t			 i;
	int			 ret = 0;

	*cause = NULL;
	config_init(&lc);
	form = config_setting_add(config_root_setting(&lc), "form",
	    CONFIG_TYPE_GROUP);
	fw_string(form, "name", fd->name);
	fw_string(form, "title", fd->title);
	if (fd->no_drafts)
		config_setting_set_bool(config_setting_add(form, "drafts",
		    CONFIG_TYPE_BOOL), CONFIG_FALSE);
	fields = config_setting_add(form, "fields", CONFIG_TYPE_LIST);
	for (i = 0; i < fd->nfields; i++)
		fw_field(config_setting_add(fields, NULL, CONFIG_TYPE_GROUP), fd,
		    &fd->fields[i]);
	if (config_write_file(&lc, path) != CONFIG_TRUE) {
		xasprintf(cause, "%s: cannot write", path);
		ret = -1;
	}
	config_destroy(&lc);
	return ret;
}
